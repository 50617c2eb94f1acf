"""Published facade of the organisations context (tenancy for every later context).

- `TenantContext` (kernel) is what tenant routes receive: declare
  `tenant: NamedDependency[TenantContext]` on a route under `/api/v1/orgs/{org_id:uuid}/`.
- `provide_tenant`, `provide_org_uow`: dependencies the platform registers.
- `ORGANIZATION_ROUTES`, `register_organization_subscribers`, `register_organization_tasks`.
- `list_member_roles(session, org_id)`: who belongs to an organisation, with which role.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.http.controllers import InvitationsController, OrganizationsController
from nexuscore.organizations.adapters.http.dependencies import provide_org_uow, provide_tenant
from nexuscore.organizations.adapters.sql.repositories import member_roles
from nexuscore.organizations.adapters.tasks.subscribers import (
    PURGE_TASK,
    register_organization_subscribers,
    register_organization_tasks,
)

ORGANIZATION_ROUTES = [OrganizationsController, InvitationsController]


async def list_member_roles(session: AsyncSession, org_id: UUID) -> list[tuple[UUID, Role]]:
    """(user id, role) of each member of the organisation, ordered by when they joined.

    Reads through the caller's session, so on PostgreSQL its row-level security scope must
    cover `org_id` (a tenant route's session does).
    """
    return await member_roles(session, org_id)


__all__ = [
    "ORGANIZATION_ROUTES",
    "PURGE_TASK",
    "Role",
    "TenantContext",
    "list_member_roles",
    "provide_org_uow",
    "provide_tenant",
    "register_organization_subscribers",
    "register_organization_tasks",
]
