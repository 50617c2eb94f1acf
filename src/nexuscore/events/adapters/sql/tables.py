"""Tables of the events context: the domain-event store (audit trail + outbox) and the
per-subscriber processed-event ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import Index, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base


class DomainEventRow(Base):
    __tablename__ = "events_domain_event"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)  # UUIDv7: orders the outbox
    type: Mapped[str] = mapped_column(String(100))
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    actor_id: Mapped[UUID | None] = mapped_column(GUID)
    subject: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonB)
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Set by the consumer once every subscriber ran; until then the relay redelivers it.
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    redeliveries: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))

    __table_args__ = (
        # The relay only ever scans the unpublished tail.
        Index(
            "ix_events_domain_event_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
        # ... and the redelivery sweep only the published, undispatched few.
        Index(
            "ix_events_domain_event_undispatched",
            "published_at",
            postgresql_where=text("published_at IS NOT NULL AND dispatched_at IS NULL"),
            sqlite_where=text("published_at IS NOT NULL AND dispatched_at IS NULL"),
        ),
        Index("ix_events_domain_event_org_occurred", "organization_id", "occurred_at"),
        Index("ix_events_domain_event_type", "type"),
        # A subject's recent events: lead.viewed coalescing, an access request's log (0017).
        Index("ix_events_domain_event_subject_occurred", "subject", "occurred_at"),
    )


class ProcessedEventRow(Base):
    __tablename__ = "events_processed_event"

    subscriber: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
