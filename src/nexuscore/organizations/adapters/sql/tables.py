"""Tables of the organisations context (tenant-owned rows carry organization_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base

TS = DateTimeUTC(timezone=True)


class OrganizationRow(Base):
    __tablename__ = "organizations_organization"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uen: Mapped[str | None] = mapped_column(String(10))
    gst_reg_no: Mapped[str | None] = mapped_column(String(10))
    billing_email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)
    deletion_requested_at: Mapped[datetime | None] = mapped_column(TS)
    purge_after: Mapped[datetime | None] = mapped_column(TS, index=True)


class MembershipRow(Base):
    __tablename__ = "organizations_membership"

    organization_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("organizations_organization.id", ondelete="CASCADE"), primary_key=True
    )
    # No foreign key to identity_user: contexts own their tables; identity tells us who exists.
    user_id: Mapped[UUID] = mapped_column(GUID, primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))
    joined_at: Mapped[datetime] = mapped_column(TS)


class InvitationRow(Base):
    __tablename__ = "organizations_invitation"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("organizations_organization.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(10))
    invited_by: Mapped[UUID] = mapped_column(GUID)
    digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TS)
    expires_at: Mapped[datetime] = mapped_column(TS)
    accepted_at: Mapped[datetime | None] = mapped_column(TS)
    revoked_at: Mapped[datetime | None] = mapped_column(TS)

    __table_args__ = (
        Index(
            "ix_organizations_invitation_pending",
            "organization_id",
            "email",
            postgresql_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
            sqlite_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
        ),
    )
