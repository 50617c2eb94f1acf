"""Organisations (tenants), memberships and invitations."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.tenancy import Role

DELETION_GRACE = timedelta(days=30)
INVITATION_LIFETIME = timedelta(days=7)
DEFAULT_COUNTRY = "SG"
DEFAULT_TIMEZONE = "Asia/Singapore"


@dataclass
class Address:
    line1: str
    postal_code: str
    line2: str | None = None
    city: str = "Singapore"
    country: str = DEFAULT_COUNTRY


@dataclass
class Organization:
    name: str
    created_at: datetime
    updated_at: datetime
    uen: str | None = None
    gst_reg_no: str | None = None
    billing_email: str | None = None
    address: Address | None = None
    country: str = DEFAULT_COUNTRY
    timezone: str = DEFAULT_TIMEZONE
    deletion_requested_at: datetime | None = None
    purge_after: datetime | None = None
    id: UUID = field(default_factory=new_id)

    @property
    def pending_deletion(self) -> bool:
        return self.deletion_requested_at is not None

    def request_deletion(self, now: datetime) -> None:
        self.deletion_requested_at = now
        self.purge_after = now + DELETION_GRACE
        self.updated_at = now

    def cancel_deletion(self, now: datetime) -> None:
        self.deletion_requested_at = None
        self.purge_after = None
        self.updated_at = now


@dataclass
class Membership:
    organization_id: UUID
    user_id: UUID
    role: Role
    joined_at: datetime


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass
class Invitation:
    organization_id: UUID
    email: str
    role: Role
    invited_by: UUID
    created_at: datetime
    expires_at: datetime
    digest: str | None = None  # set when the mailed token is minted; only the digest is kept
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None
    id: UUID = field(default_factory=new_id)

    def status(self, now: datetime) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING
