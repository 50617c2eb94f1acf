"""Tables of the privacy context's requests (RLS policies in migration 0015).

A user's request about their account has no organisation (the platform answers it): only the
system scope sees it. A lead's request, its steps and bundle are the tenant's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base

TS = DateTimeUTC(timezone=True)


class PrivacyRequestRow(Base):
    __tablename__ = "privacy_request"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    kind: Mapped[str] = mapped_column(String(20))
    subject_kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(24))
    received_via: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(TS)
    due_at: Mapped[datetime] = mapped_column(TS)
    user_id: Mapped[UUID | None] = mapped_column(GUID, index=True)
    lead_id: Mapped[UUID | None] = mapped_column(GUID)
    subject_email: Mapped[str | None] = mapped_column(String(254))
    subject_phone: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[str | None] = mapped_column(Text)
    extended_days: Mapped[int] = mapped_column(Integer)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    verification_digest: Mapped[str | None] = mapped_column(String(64))
    verification_expires_at: Mapped[datetime | None] = mapped_column(TS)
    verification_attempts_left: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(TS)
    erased: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[UUID | None] = mapped_column(GUID)
    lead_ids: Mapped[list[str]] = mapped_column(JsonB)
    subject_names: Mapped[list[str]] = mapped_column(JsonB)
    subject_emails: Mapped[list[str]] = mapped_column(JsonB)
    subject_phones: Mapped[list[str]] = mapped_column(JsonB)

    __table_args__ = (Index("ix_privacy_request_org_due", "organization_id", "due_at"),)


class PrivacyStepRow(Base):
    __tablename__ = "privacy_request_step"

    request_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("privacy_request.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(40), primary_key=True)
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer)
    result: Mapped[Any | None] = mapped_column(JsonB)
    error: Mapped[str | None] = mapped_column(String(300))
    finished_at: Mapped[datetime | None] = mapped_column(TS)


class PrivacyBundleRow(Base):
    __tablename__ = "privacy_bundle"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    request_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("privacy_request.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TS)
    expires_at: Mapped[datetime] = mapped_column(TS)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class PrivacySuppressionRow(Base):
    """Hashed emails and phones of erased subjects. `scope` is the organisation's id, or
    `platform` for an erased account (a key column cannot be NULL)."""

    __tablename__ = "privacy_suppression"

    digest: Mapped[str] = mapped_column(String(80), primary_key=True)
    scope: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[UUID | None] = mapped_column(GUID)
    kind: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[UUID] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(TS)
