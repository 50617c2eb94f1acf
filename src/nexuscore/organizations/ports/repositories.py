"""Ports of the organisations context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.events import EventRecord, EventRecorder
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.domain.model import Invitation, Membership, Organization


class OrganizationRepository(Protocol):
    async def add(self, organization: Organization) -> None: ...

    async def get(self, org_id: UUID) -> Organization | None: ...

    async def save(self, organization: Organization) -> None: ...

    async def list_for_user(self, user_id: UUID) -> Sequence[tuple[Organization, Role]]: ...

    async def page_for_user(self, user_id: UUID, page: PageRequest) -> Page[tuple[Organization, Role]]:
        """The user's organisations by name, leaving out those scheduled for deletion unless the
        user owns them."""
        ...

    async def due_for_purge(self, now: datetime, limit: int) -> Sequence[Organization]: ...

    async def purge(self, org_id: UUID) -> None:
        """Delete the organisation and everything of it this context stores."""
        ...


class MembershipRepository(Protocol):
    async def get(self, org_id: UUID, user_id: UUID) -> Membership | None: ...

    async def get_with_organization(self, org_id: UUID, user_id: UUID) -> tuple[Membership, Organization] | None:
        """The membership and its organisation in one read (every tenant request resolves both)."""
        ...

    async def list(self, org_id: UUID) -> Sequence[Membership]: ...

    async def page(self, org_id: UUID, page: PageRequest) -> Page[Membership]:
        """Members by when they joined, oldest first."""
        ...

    async def add(self, membership: Membership) -> None: ...

    async def save(self, membership: Membership) -> None: ...

    async def remove(self, org_id: UUID, user_id: UUID) -> None: ...

    async def count_owners(self, org_id: UUID, *, lock: bool = False) -> int:
        """With lock=True, owner rows are locked so two demotions cannot both pass the check."""
        ...

    async def count(self, org_id: UUID) -> int: ...


class InvitationRepository(Protocol):
    async def add(self, invitation: Invitation) -> None: ...

    async def get(self, org_id: UUID, invitation_id: UUID, *, for_update: bool = False) -> Invitation | None:
        """`for_update`: lock the row until the transaction ends (PostgreSQL), so a change made
        from it cannot overwrite one committed meanwhile (a revoke and the mailing of its token)."""
        ...

    async def list_pending(self, org_id: UUID, now: datetime) -> Sequence[Invitation]: ...

    async def page_pending(self, org_id: UUID, now: datetime, page: PageRequest) -> Page[Invitation]:
        """Pending invitations (not accepted, revoked or expired), newest first."""
        ...

    async def find_by_digest(self, digest: str) -> Invitation | None: ...

    async def save(self, invitation: Invitation) -> None: ...

    async def revoke_pending(self, org_id: UUID, email: str, now: datetime) -> int: ...

    async def count_created_since(self, org_id: UUID, since: datetime) -> int:
        """Invitations of the organisation created after `since`, whatever became of them."""
        ...


@dataclass(frozen=True)
class DirectoryUser:
    id: UUID
    email: str
    full_name: str


class UserDirectory(Protocol):
    """Read-only view of accounts (owned by the identity context)."""

    async def get_many(self, user_ids: Sequence[UUID]) -> dict[UUID, DirectoryUser]: ...


class Entitlements(Protocol):
    """The organisation's plan (owned by the subscriptions context)."""

    async def seat_limit(self, org_id: UUID) -> int | None:
        """Members plus pending invitations allowed; None means unlimited."""
        ...

    async def require_writable(self, org_id: UUID) -> None:
        """Raises a 402 `payment-required` error while overdue payment makes it read-only."""
        ...


class OrganizationsUnitOfWork(Protocol):
    """One transaction: this context's repositories, its event recorder, and the readers of
    other contexts' data bound to the same database session (accounts, the audit trail)."""

    @property
    def organizations(self) -> OrganizationRepository: ...

    @property
    def memberships(self) -> MembershipRepository: ...

    @property
    def invitations(self) -> InvitationRepository: ...

    @property
    def events(self) -> EventRecorder: ...

    @property
    def users(self) -> UserDirectory: ...

    @property
    def audit_trail(self) -> AuditTrail: ...

    async def commit(self) -> None: ...


class AuditTrail(Protocol):
    """Read side of the domain-event store (owned by the events context)."""

    async def list_for_organization(
        self,
        org_id: UUID,
        page: PageRequest,
        *,
        event_type: str | None = None,
        actor_id: UUID | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
    ) -> Page[EventRecord]: ...
