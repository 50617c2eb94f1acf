"""Tables of the privacy context for consent, Do Not Call checks, retention and breaches.

Tenant rows carry organization_id and have row-level security (migration 0016). Consent
records of users (organization_id NULL) are visible to the user themself (app.current_user)
or the system; breaches with no organisation are the platform's register (system scope).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base

TS = DateTimeUTC(timezone=True)


class ConsentRecordRow(Base):
    __tablename__ = "privacy_consent_record"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[UUID] = mapped_column(GUID)
    purpose: Mapped[str] = mapped_column(String(40))
    given: Mapped[bool] = mapped_column(Boolean)
    notice_version: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(TS)
    recorded_at: Mapped[datetime] = mapped_column(TS)
    recorded_by: Mapped[UUID | None] = mapped_column(GUID)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # A lead belongs to a tenant; a user's consents are the platform's.
        CheckConstraint("(subject_kind = 'lead') = (organization_id IS NOT NULL)", name="subject_scope"),
        Index("ix_privacy_consent_record_subject", "subject_id", "purpose", "at"),
        Index("ix_privacy_consent_record_organization_id", "organization_id", "purpose"),
    )


class DncCheckRow(Base):
    __tablename__ = "privacy_dnc_check"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    phone: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(String(10))
    checked_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(TS)
    recorded_by: Mapped[UUID | None] = mapped_column(GUID)

    __table_args__ = (
        Index("ix_privacy_dnc_check_phone", "organization_id", "phone", "checked_on"),
        Index("ix_privacy_dnc_check_checked_on", "organization_id", "checked_on"),
    )


class RetentionScheduleRow(Base):
    __tablename__ = "privacy_retention_schedule"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    category: Mapped[str] = mapped_column(String(30))
    months: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(TS)
    updated_by: Mapped[UUID | None] = mapped_column(GUID)

    __table_args__ = (
        UniqueConstraint("organization_id", "category", name="uq_privacy_retention_schedule_organization_category"),
        CheckConstraint("months BETWEEN 1 AND 120", name="months_range"),
    )


class BreachRow(Base):
    __tablename__ = "privacy_breach"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    description: Mapped[str] = mapped_column(Text)
    discovered_at: Mapped[datetime] = mapped_column(TS)
    assessed_at: Mapped[datetime | None] = mapped_column(TS)
    affected_count: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[str]] = mapped_column(JSON)
    significant_harm: Mapped[bool] = mapped_column(Boolean)
    pdpc_notified_at: Mapped[datetime | None] = mapped_column(TS)
    individuals_notified_at: Mapped[datetime | None] = mapped_column(TS)
    created_by: Mapped[UUID | None] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)

    __table_args__ = (
        CheckConstraint("affected_count >= 0", name="affected_count_not_negative"),
        Index("ix_privacy_breach_organization_id", "organization_id"),
    )


consent_table = cast(Table, ConsentRecordRow.__table__)
dnc_table = cast(Table, DncCheckRow.__table__)
retention_table = cast(Table, RetentionScheduleRow.__table__)
breach_table = cast(Table, BreachRow.__table__)
