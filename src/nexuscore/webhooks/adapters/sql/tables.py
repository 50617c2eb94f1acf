"""Tables of the webhooks context: the inbox, each attempt at an event, bulk replay jobs.
Not tenant tables (an event names a provider's objects, not one of our organisations)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base


class InboxEventRow(Base):
    __tablename__ = "webhooks_inbox_event"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100))
    livemode: Mapped[bool] = mapped_column(Boolean)
    created: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    api_version: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # the provider's JSON text as received
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    claim_token: Mapped[UUID | None] = mapped_column(GUID)
    processed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("provider", "event_id", name="uq_webhooks_inbox_event_provider_event_id"),
        Index("ix_webhooks_inbox_event_received_at", "received_at"),
        Index("ix_webhooks_inbox_event_status_type", "status", "type"),
        # The sweeper reads only unfinished rows.
        Index(
            "ix_webhooks_inbox_event_unfinished",
            "status",
            "next_attempt_at",
            postgresql_where=text("status IN ('received', 'processing', 'failed')"),
            sqlite_where=text("status IN ('received', 'processing', 'failed')"),
        ),
    )


class AttemptRow(Base):
    __tablename__ = "webhooks_attempt"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    inbox_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("webhooks_inbox_event.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    duration_ms: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("inbox_id", "number", name="uq_webhooks_attempt_inbox_id_number"),)


class ReplayJobRow(Base):
    __tablename__ = "webhooks_replay_job"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    status_filter: Mapped[str] = mapped_column(String(20))
    type_filter: Mapped[str | None] = mapped_column(String(100))
    since: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[int] = mapped_column(Integer, default=0)
    replayed: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[UUID | None] = mapped_column(GUID)
    requested_by: Mapped[UUID | None] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
