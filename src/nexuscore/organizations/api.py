"""Published facade of the organisations context (tenancy for every later context).

- `TenantContext` (kernel) is what tenant routes receive: declare
  `tenant: NamedDependency[TenantContext]` on a route under `/api/v1/orgs/{org_id:uuid}/`.
  (organisations' module provides it app-wide).
- `list_member_roles(session, org_id)`: who belongs to an organisation, with which role.
- `count_seats_used(session, org_id, now)`: members plus pending invitations (the seats a
  plan's limit counts).

- `OrganizationsPersonalData(sessions)`: this context's `PersonalDataProvider` (kernel.personal_data).
- `organizations_solely_owned_by(session, user_id)`: the organisations in which the user is
  the only owner (an account cannot be deleted while there are any).
- `organization_exists(session, org_id)`.

Routes, subscribers, tasks and wiring are in `module.py`.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.sql.personal_data import OrganizationsPersonalData
from nexuscore.organizations.adapters.sql.repositories import (
    SqlInvitationRepository,
    SqlMembershipRepository,
    member_roles,
)
from nexuscore.organizations.adapters.sql.tables import MembershipRow, OrganizationRow


async def list_member_roles(session: AsyncSession, org_id: UUID) -> list[tuple[UUID, Role]]:
    """(user id, role) of each member of the organisation, ordered by when they joined.

    Reads through the caller's session, so on PostgreSQL its row-level security scope must
    cover `org_id` (a tenant route's session does).
    """
    return await member_roles(session, org_id)


async def count_seats_used(session: AsyncSession, org_id: UUID, now: datetime) -> int:
    """Members plus pending (unexpired, not revoked, not accepted) invitations; read through
    the caller's session (its row-level security scope must cover `org_id`)."""
    members = await SqlMembershipRepository(session).count(org_id)
    return members + len(await SqlInvitationRepository(session).list_pending(org_id, now))


async def organizations_solely_owned_by(session: AsyncSession, user_id: UUID) -> list[UUID]:
    """Read with the system scope bound by the caller (memberships across tenants)."""
    owned = await session.scalars(
        select(MembershipRow.organization_id).where(
            MembershipRow.user_id == user_id, MembershipRow.role == Role.OWNER.value
        )
    )
    out = []
    for org_id in owned:
        owners = await session.scalar(
            select(func.count())
            .select_from(MembershipRow)
            .where(MembershipRow.organization_id == org_id, MembershipRow.role == Role.OWNER.value)
        )
        if (owners or 0) <= 1:
            out.append(org_id)
    return out


async def organization_exists(session: AsyncSession, org_id: UUID) -> bool:
    return await session.scalar(select(OrganizationRow.id).where(OrganizationRow.id == org_id)) is not None


__all__ = [
    "OrganizationsPersonalData",
    "Role",
    "TenantContext",
    "count_seats_used",
    "list_member_roles",
    "organization_exists",
    "organizations_solely_owned_by",
]
