"""Published facade of the organisations context (tenancy for every later context).

- `TenantContext` (kernel) is what tenant routes receive: declare
  `tenant: NamedDependency[TenantContext]` on a route under `/api/v1/orgs/{org_id:uuid}/`.
  (organisations' module provides it app-wide).
- `list_member_roles(session, org_id)`: who belongs to an organisation, with which role.

Routes, subscribers, tasks and wiring are in `module.py`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.sql.repositories import member_roles


async def list_member_roles(session: AsyncSession, org_id: UUID) -> list[tuple[UUID, Role]]:
    """(user id, role) of each member of the organisation, ordered by when they joined.

    Reads through the caller's session, so on PostgreSQL its row-level security scope must
    cover `org_id` (a tenant route's session does).
    """
    return await member_roles(session, org_id)


__all__ = ["Role", "TenantContext", "list_member_roles"]
