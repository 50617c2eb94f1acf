"""The organisations unit of work on each backend: the only place the contract suites name
the adapters, so a moved module is one import to fix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.adapters.memory.store import (
    InMemoryOrganizationsUnitOfWork,
    IntegrityViolation,
    OrganizationsState,
)
from nexuscore.organizations.adapters.sql.repositories import SqlOrganizationsUnitOfWork
from nexuscore.organizations.domain.model import Invitation, Membership, Organization
from nexuscore.organizations.ports.repositories import OrganizationsUnitOfWork
from nexuscore.platform.database import bind_rls_scope
from tests.contract.conftest import Backend

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
T0 = datetime(2026, 5, 4, 9, 0, 0, 123456, tzinfo=UTC)
TABLES = ("organizations_invitation", "organizations_membership", "organizations_organization")

# What a store refuses (duplicate keys, a row of a missing organisation, a reused digest).
REFUSED = (IntegrityError, IntegrityViolation)


class OrganizationsBackend:
    """Opens organisations units of work over one backend's shared, committed state."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(T0)
        self._state = OrganizationsState()

    @asynccontextmanager
    async def uow(
        self, *, org: UUID | None = None, user: UUID | None = None, system: bool = False
    ) -> AsyncIterator[OrganizationsUnitOfWork]:
        """A unit of work in the row-level-security scope the application would bind (a tenant,
        a signed-in user, or the trusted system; the fake has no such wall). Whatever it has not
        committed is discarded when the block ends."""
        database = self.backend.database
        if database is None:
            yield InMemoryOrganizationsUnitOfWork(self._state, self.clock)
            return
        async with database.sessions() as session:
            await bind_rls_scope(session, org_id=org, user_id=user, system=system or None)
            yield SqlOrganizationsUnitOfWork(session, self.clock)

    async def clear(self) -> None:
        """Empty the organisations tables (for the tests that read them whole)."""
        await self.backend.clear(*TABLES)

    async def add_org(self, *members: tuple[UUID, Role], **changes: Any) -> Organization:
        org = make_org(**changes)
        async with self.uow(org=org.id) as uow:
            await uow.organizations.add(org)
            for index, (user_id, role) in enumerate(members):
                await uow.memberships.add(Membership(org.id, user_id, role, T0 + timedelta(minutes=index)))
            await uow.commit()
        return org

    async def add_invitations(self, org_id: UUID, *invitations: Invitation) -> None:
        async with self.uow(org=org_id) as uow:
            for invitation in invitations:
                await uow.invitations.add(invitation)
            await uow.commit()


def make_org(**changes: Any) -> Organization:
    values: dict[str, Any] = {"name": "Alpha Pte Ltd", "created_at": T0, "updated_at": T0}
    values.update(changes)
    return Organization(**values)


def make_invitation(org_id: UUID, email: str, **changes: Any) -> Invitation:
    values: dict[str, Any] = {
        "role": Role.MEMBER,
        "invited_by": UUID(int=1),
        "created_at": T0,
        "expires_at": T0 + timedelta(days=7),
    }
    values.update(changes)
    return Invitation(organization_id=org_id, email=email, **values)
