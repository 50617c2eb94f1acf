"""Tenancy for every tenant route: `{org_id}` + the signed-in caller -> TenantContext.

Later contexts put their routes under `/api/v1/orgs/{org_id:uuid}/...` and declare a
`tenant: NamedDependency[TenantContext]` parameter; the organisations module provides it
app-wide.
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
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.application.tenancy import resolve_tenant
from nexuscore.platform.database import bind_rls_scope

ORGANIZATIONS_STATE_KEY = "organizations_services"


def provide_org_services(request: Request[Any, Any, Any]) -> OrganizationsServices:
    """The context's services, built once by its module."""
    services: OrganizationsServices = request.app.state[ORGANIZATIONS_STATE_KEY]
    return services


def provide_org_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> SqlOrganizationsUnitOfWork:
    return SqlOrganizationsUnitOfWork(db_session, provide_org_services(request).clock)


# Handlers a read-only organisation (payment overdue) may still call with a write method:
# the subscriptions context's billing routes set this in their `opt`, the way to pay.
BILLING_ROUTE_OPT = "billing_route"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


async def provide_tenant(
    request: Request[Any, Any, Any],
    org_id: FromPath[UUID],
    principal: NamedDependency[Principal],
    org_uow: NamedDependency[SqlOrganizationsUnitOfWork],
) -> TenantContext:
    await bind_rls_scope(org_uow.session, org_id=org_id)  # RLS: only this tenant's rows from here on
    services = provide_org_services(request)
    tenant = await resolve_tenant(org_uow, services, org_id=org_id, user_id=principal.user_id)
    if request.method not in _READS and not request.route_handler.opt.get(BILLING_ROUTE_OPT):
        await services.entitlements.require_writable(org_id)  # 402 payment-required past the grace period
    return tenant


async def provide_tenant_including_pending_deletion(
    request: Request[Any, Any, Any],
    org_id: FromPath[UUID],
    principal: NamedDependency[Principal],
    org_uow: NamedDependency[SqlOrganizationsUnitOfWork],
) -> TenantContext:
    """For the owner's way back: cancelling a scheduled deletion."""
    await bind_rls_scope(org_uow.session, org_id=org_id)
    return await resolve_tenant(
        org_uow, provide_org_services(request), org_id=org_id, user_id=principal.user_id, allow_pending_deletion=True
    )
