"""Published facade of the organisations context (tenancy for every later context).

- `TenantContext` (kernel) is what tenant routes receive: declare
  `tenant: NamedDependency[TenantContext]` on a route under `/api/v1/orgs/{org_id:uuid}/`.
- `provide_tenant`, `provide_org_uow`: dependencies the platform registers.
- `ORGANIZATION_ROUTES`, `register_organization_subscribers`, `register_organization_tasks`.
"""

from __future__ import annotations

from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.http.controllers import InvitationsController, OrganizationsController
from nexuscore.organizations.adapters.http.dependencies import provide_org_uow, provide_tenant
from nexuscore.organizations.adapters.tasks.subscribers import (
    PURGE_TASK,
    register_organization_subscribers,
    register_organization_tasks,
)

ORGANIZATION_ROUTES = [OrganizationsController, InvitationsController]

__all__ = [
    "ORGANIZATION_ROUTES",
    "PURGE_TASK",
    "Role",
    "TenantContext",
    "provide_org_uow",
    "provide_tenant",
    "register_organization_subscribers",
    "register_organization_tasks",
]
