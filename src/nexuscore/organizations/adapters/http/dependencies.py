"""Tenancy for every tenant route: `{org_id}` + the signed-in caller -> TenantContext.

Later contexts put their routes under `/api/v1/orgs/{org_id:uuid}/...` and declare a
`tenant: NamedDependency[TenantContext]` parameter; the platform provides it app-wide.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.api import Principal
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.organizations.adapters.sql.repositories import SqlOrganizationsUnitOfWork
from nexuscore.organizations.application.tenancy import resolve_tenant
from nexuscore.platform.database import bind_rls_scope

CLOCK_STATE_KEY = "organizations.clock"


def provide_org_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> SqlOrganizationsUnitOfWork:
    # The clock rides on the unit of work: Litestar cannot validate Protocol-typed dependencies.
    return SqlOrganizationsUnitOfWork(db_session, request.app.state[CLOCK_STATE_KEY])


async def provide_tenant(
    org_id: FromPath[UUID], principal: NamedDependency[Principal], org_uow: NamedDependency[SqlOrganizationsUnitOfWork]
) -> TenantContext:
    await bind_rls_scope(org_uow.session, org_id=org_id)  # RLS: only this tenant's rows from here on
    return await resolve_tenant(org_uow, org_id=org_id, user_id=principal.user_id)


async def provide_tenant_including_pending_deletion(
    org_id: FromPath[UUID], principal: NamedDependency[Principal], org_uow: NamedDependency[SqlOrganizationsUnitOfWork]
) -> TenantContext:
    """For the owner's way back: cancelling a scheduled deletion."""
    await bind_rls_scope(org_uow.session, org_id=org_id)
    return await resolve_tenant(org_uow, org_id=org_id, user_id=principal.user_id, allow_pending_deletion=True)
