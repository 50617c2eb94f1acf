"""Organisations domain events.

Every one carries `organization_id`; `actor_id` is the member who acted (None for the
scheduler's purge). The subject names what the event is about: the organisation
(`organization:<id>`), a member (`user:<id>`) or an invitation (`invitation:<id>`); its id
is not repeated in the payload, except `invitationId` of org.invitation_created, which the
invitation mail reads. Names and stored payloads are a contract with subscribers and the
audit trail (tests/unit/organizations/test_org_event_payloads.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent
from nexuscore.kernel.tenancy import Role


@dataclass(frozen=True, kw_only=True)
class OrganizationEvent(DomainEvent):
    """An event about the organisation itself."""

    organization_id: UUID

    @property
    def subject(self) -> str | None:
        return f"organization:{self.organization_id}"


@dataclass(frozen=True, kw_only=True)
class MemberEvent(DomainEvent):
    """An event about the member `user_id` (the subject, left out of the payload)."""

    organization_id: UUID
    user_id: UUID

    @property
    def subject(self) -> str | None:
        return f"user:{self.user_id}"

    def payload(self) -> dict[str, Any]:
        out = super().payload()
        del out["userId"]
        return out


@dataclass(frozen=True, kw_only=True)
class InvitationEvent(DomainEvent):
    """An event about the invitation `invitation_id` (the subject, left out of the payload)."""

    organization_id: UUID
    invitation_id: UUID

    @property
    def subject(self) -> str | None:
        return f"invitation:{self.invitation_id}"

    def payload(self) -> dict[str, Any]:
        out = super().payload()
        del out["invitationId"]
        return out


@dataclass(frozen=True, kw_only=True)
class OrganizationCreated(OrganizationEvent):
    name: ClassVar[str] = "org.created"
    org_name: str

    def payload(self) -> dict[str, Any]:
        return {"name": self.org_name}  # `name` is the event's own name on the class


@dataclass(frozen=True, kw_only=True)
class OrganizationUpdated(OrganizationEvent):
    name: ClassVar[str] = "org.updated"
    fields: tuple[str, ...]  # API names of the fields that changed


@dataclass(frozen=True, kw_only=True)
class OrganizationDeletionRequested(OrganizationEvent):
    name: ClassVar[str] = "org.deletion_requested"
    purge_after: datetime | None


@dataclass(frozen=True, kw_only=True)
class OrganizationDeletionCancelled(OrganizationEvent):
    name: ClassVar[str] = "org.deletion_cancelled"


@dataclass(frozen=True, kw_only=True)
class OrganizationPurged(OrganizationEvent):
    name: ClassVar[str] = "org.purged"


@dataclass(frozen=True, kw_only=True)
class MemberJoined(MemberEvent):
    """`via` is `created` (the founder) or `invitation`."""

    name: ClassVar[str] = "org.member_joined"
    role: Role
    via: str


@dataclass(frozen=True, kw_only=True)
class MemberRoleChanged(MemberEvent):
    name: ClassVar[str] = "org.member_role_changed"
    role: Role
    previous_role: Role


@dataclass(frozen=True, kw_only=True)
class MemberRemoved(MemberEvent):
    name: ClassVar[str] = "org.member_removed"


@dataclass(frozen=True, kw_only=True)
class MemberLeft(MemberEvent):
    name: ClassVar[str] = "org.member_left"


@dataclass(frozen=True, kw_only=True)
class OwnershipTransferred(MemberEvent):
    """The subject is the new owner; the actor (the previous owner) stepped down to admin."""

    name: ClassVar[str] = "org.ownership_transferred"


@dataclass(frozen=True, kw_only=True)
class InvitationCreated(InvitationEvent):
    name: ClassVar[str] = "org.invitation_created"
    role: Role

    def payload(self) -> dict[str, Any]:
        return {"invitationId": str(self.invitation_id), **super().payload()}


@dataclass(frozen=True, kw_only=True)
class InvitationRevoked(InvitationEvent):
    name: ClassVar[str] = "org.invitation_revoked"


@dataclass(frozen=True, kw_only=True)
class InvitationAccepted(InvitationEvent):
    name: ClassVar[str] = "org.invitation_accepted"
