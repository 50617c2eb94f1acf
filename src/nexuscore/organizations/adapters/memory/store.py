"""In-memory fakes of the organisations ports for unit tests of the use cases.

Writes are staged in the unit of work and applied on commit, so a use case that raises
before committing leaves the state unchanged, as the SQL adapter does. The repositories
follow the SQL adapter's semantics: the same ordering and limits, the same pending filter,
`revoke_pending` ignores expiry, `purge` deletes the organisation's memberships and
invitations, `save` of a missing row does nothing, and what the database would refuse
(duplicate keys, a row of a missing organisation, a reused digest) raises IntegrityViolation.
Everything handed out is a copy: a change counts only once it is saved.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.domain.model import Invitation, Membership, Organization
from nexuscore.organizations.ports.repositories import (
    AuditTrail,
    DirectoryUser,
    InvitationRepository,
    MembershipRepository,
    OrganizationRepository,
    OrganizationsUnitOfWork,
    UserDirectory,
)

_T = TypeVar("_T")


def _page(found: list[_T], page: PageRequest) -> Page[_T]:
    return Page(
        items=found[page.offset : page.offset + page.limit], total=len(found), limit=page.limit, offset=page.offset
    )


class IntegrityViolation(Exception):
    """What the database would refuse with an integrity error (a bug in the caller, not a domain error)."""


@dataclass
class OrganizationsState:
    organizations: dict[UUID, Organization] = field(default_factory=dict)
    memberships: dict[tuple[UUID, UUID], Membership] = field(default_factory=dict)  # (org_id, user_id)
    invitations: dict[UUID, Invitation] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)


class _Organizations:
    def __init__(self, state: OrganizationsState) -> None:
        self._st = state

    async def add(self, organization: Organization) -> None:
        if organization.id in self._st.organizations:
            raise IntegrityViolation(f"organisation {organization.id} exists")
        self._st.organizations[organization.id] = copy.deepcopy(organization)

    async def get(self, org_id: UUID) -> Organization | None:
        return copy.deepcopy(self._st.organizations.get(org_id))

    async def save(self, organization: Organization) -> None:
        if organization.id in self._st.organizations:
            self._st.organizations[organization.id] = copy.deepcopy(organization)

    async def list_for_user(self, user_id: UUID) -> Sequence[tuple[Organization, Role]]:
        found = [
            (copy.deepcopy(self._st.organizations[m.organization_id]), m.role)
            for m in self._st.memberships.values()
            if m.user_id == user_id and m.organization_id in self._st.organizations
        ]
        found.sort(key=lambda pair: (pair[0].name, pair[0].id))
        return found[:500]

    async def page_for_user(self, user_id: UUID, page: PageRequest) -> Page[tuple[Organization, Role]]:
        found = [
            (copy.deepcopy(self._st.organizations[m.organization_id]), m.role)
            for m in self._st.memberships.values()
            if m.user_id == user_id and m.organization_id in self._st.organizations
        ]
        found = [(o, r) for o, r in found if not o.pending_deletion or r is Role.OWNER]
        found.sort(key=lambda pair: (pair[0].name, pair[0].id))
        return _page(found, page)

    async def due_for_purge(self, now: datetime, limit: int) -> Sequence[Organization]:
        due = [o for o in self._st.organizations.values() if o.purge_after is not None and o.purge_after <= now]
        due.sort(key=lambda o: o.purge_after or now)
        return [copy.deepcopy(o) for o in due[:limit]]

    async def purge(self, org_id: UUID) -> None:
        st = self._st
        st.invitations = {k: i for k, i in st.invitations.items() if i.organization_id != org_id}
        st.memberships = {k: m for k, m in st.memberships.items() if m.organization_id != org_id}
        st.organizations.pop(org_id, None)


class _Memberships:
    def __init__(self, state: OrganizationsState) -> None:
        self._st = state

    async def get(self, org_id: UUID, user_id: UUID) -> Membership | None:
        return copy.deepcopy(self._st.memberships.get((org_id, user_id)))

    async def get_with_organization(self, org_id: UUID, user_id: UUID) -> tuple[Membership, Organization] | None:
        membership, org = self._st.memberships.get((org_id, user_id)), self._st.organizations.get(org_id)
        return None if membership is None or org is None else (copy.deepcopy(membership), copy.deepcopy(org))

    async def list(self, org_id: UUID) -> Sequence[Membership]:
        found = [copy.deepcopy(m) for m in self._st.memberships.values() if m.organization_id == org_id]
        found.sort(key=lambda m: m.joined_at)
        return found[:1000]

    async def page(self, org_id: UUID, page: PageRequest) -> Page[Membership]:
        found = [copy.deepcopy(m) for m in self._st.memberships.values() if m.organization_id == org_id]
        found.sort(key=lambda m: (m.joined_at, m.user_id))
        return _page(found, page)

    async def add(self, membership: Membership) -> None:
        key = (membership.organization_id, membership.user_id)
        if membership.organization_id not in self._st.organizations:
            raise IntegrityViolation(f"organisation {membership.organization_id} does not exist")
        if key in self._st.memberships:
            raise IntegrityViolation(f"user {membership.user_id} is already a member")
        self._st.memberships[key] = copy.deepcopy(membership)

    async def save(self, membership: Membership) -> None:
        stored = self._st.memberships.get((membership.organization_id, membership.user_id))
        if stored is not None:
            stored.role = membership.role  # the SQL adapter updates the role only

    async def remove(self, org_id: UUID, user_id: UUID) -> None:
        self._st.memberships.pop((org_id, user_id), None)

    async def count_owners(self, org_id: UUID, *, lock: bool = False) -> int:
        # One unit of work at a time here, so there is nothing to lock.
        return sum(1 for m in self._st.memberships.values() if m.organization_id == org_id and m.role is Role.OWNER)

    async def count(self, org_id: UUID) -> int:
        return sum(1 for m in self._st.memberships.values() if m.organization_id == org_id)


class _Invitations:
    def __init__(self, state: OrganizationsState) -> None:
        self._st = state

    def _check(self, invitation: Invitation) -> None:
        if invitation.organization_id not in self._st.organizations:
            raise IntegrityViolation(f"organisation {invitation.organization_id} does not exist")
        if invitation.digest is not None and any(
            i.digest == invitation.digest and i.id != invitation.id for i in self._st.invitations.values()
        ):
            raise IntegrityViolation("another invitation has this digest")

    async def add(self, invitation: Invitation) -> None:
        if invitation.id in self._st.invitations:
            raise IntegrityViolation(f"invitation {invitation.id} exists")
        self._check(invitation)
        self._st.invitations[invitation.id] = copy.deepcopy(invitation)

    async def get(self, org_id: UUID, invitation_id: UUID, *, for_update: bool = False) -> Invitation | None:
        found = self._st.invitations.get(invitation_id)
        return copy.deepcopy(found) if found is not None and found.organization_id == org_id else None

    async def list_pending(self, org_id: UUID, now: datetime) -> Sequence[Invitation]:
        found = [
            copy.deepcopy(i)
            for i in self._st.invitations.values()
            if i.organization_id == org_id and i.accepted_at is None and i.revoked_at is None and i.expires_at > now
        ]
        found.sort(key=lambda i: i.created_at, reverse=True)
        return found[:1000]

    async def page_pending(self, org_id: UUID, now: datetime, page: PageRequest) -> Page[Invitation]:
        found = [
            copy.deepcopy(i)
            for i in self._st.invitations.values()
            if i.organization_id == org_id and i.accepted_at is None and i.revoked_at is None and i.expires_at > now
        ]
        found.sort(key=lambda i: (i.created_at, i.id), reverse=True)
        return _page(found, page)

    async def count_created_since(self, org_id: UUID, since: datetime) -> int:
        return sum(1 for i in self._st.invitations.values() if i.organization_id == org_id and i.created_at > since)

    async def find_by_digest(self, digest: str) -> Invitation | None:
        return next((copy.deepcopy(i) for i in self._st.invitations.values() if i.digest == digest), None)

    async def save(self, invitation: Invitation) -> None:
        if invitation.id in self._st.invitations:
            self._check(invitation)
            self._st.invitations[invitation.id] = copy.deepcopy(invitation)

    async def revoke_pending(self, org_id: UUID, email: str, now: datetime) -> int:
        count = 0
        for i in self._st.invitations.values():
            # Like the SQL adapter: expired but never accepted or revoked invitations are revoked too.
            if i.organization_id == org_id and i.email == email and i.accepted_at is None and i.revoked_at is None:
                i.revoked_at = now
                count += 1
        return count


class _Events:
    def __init__(self, state: OrganizationsState) -> None:
        self._st = state

    async def append(self, *events: DomainEvent | EventRecord) -> None:
        records = [as_record(e) for e in events]
        for event in records:
            json.dumps(dict(event.payload))  # the SQL recorder stores the payload as JSON
        self._st.events.extend(records)


class InMemoryOrganizationsUnitOfWork:
    """A unit of work over a shared committed state; changes are staged on a copy.

    `users` and `audit_trail` are the other contexts' readers: an empty directory unless one is
    given, and no audit trail unless one is given (reading it then fails loudly).
    """

    def __init__(
        self,
        committed: OrganizationsState,
        clock: Clock,
        *,
        users: UserDirectory | None = None,
        audit_trail: AuditTrail | None = None,
    ) -> None:
        self.committed = committed
        self.clock = clock
        self.commits = 0
        self._users: UserDirectory = users if users is not None else InMemoryUserDirectory({})
        self._audit_trail = audit_trail
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.committed)
        self._organizations = _Organizations(self._staged)
        self._memberships = _Memberships(self._staged)
        self._invitations = _Invitations(self._staged)
        self._events = _Events(self._staged)

    @property
    def organizations(self) -> OrganizationRepository:
        return self._organizations

    @property
    def memberships(self) -> MembershipRepository:
        return self._memberships

    @property
    def invitations(self) -> InvitationRepository:
        return self._invitations

    @property
    def events(self) -> _Events:
        return self._events

    @property
    def users(self) -> UserDirectory:
        return self._users

    @property
    def audit_trail(self) -> AuditTrail:
        if self._audit_trail is None:
            raise LookupError("this in-memory unit of work was given no audit trail")
        return self._audit_trail

    async def commit(self) -> None:
        self.committed.__dict__.update(self._staged.__dict__)
        self.commits += 1
        self._begin()

    async def rollback(self) -> None:
        self._begin()


class InMemoryUserDirectory:
    """The identity context's accounts as a dict; `calls` lists each lookup's ids."""

    def __init__(self, users: dict[UUID, DirectoryUser]) -> None:
        self.users = users
        self.calls: list[tuple[UUID, ...]] = []

    async def get_many(self, user_ids: Sequence[UUID]) -> dict[UUID, DirectoryUser]:
        self.calls.append(tuple(user_ids))
        return {uid: self.users[uid] for uid in user_ids if uid in self.users}


class FixedSeatLimit:
    """Entitlements with one seat limit for every organisation (None: unlimited)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    async def seat_limit(self, org_id: UUID) -> int | None:
        return self.limit

    async def require_writable(self, org_id: UUID) -> None:
        return None


def _conforms(state: OrganizationsState, clock: Clock) -> OrganizationsUnitOfWork:
    """Never called: mypy checks here that the fake implements the port."""
    return InMemoryOrganizationsUnitOfWork(state, clock)
