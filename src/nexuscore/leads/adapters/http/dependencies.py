"""Dependencies of the leads routes, registered app-wide by the platform.

`leads_uow` is built on the request's session after `tenant` has been resolved, so the
row-level-security scope the tenant dependency bound applies to every lead query.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.organization_members import OrganizationMemberDirectory
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.application.services import LeadsServices


def provide_leads_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantContext]
) -> SqlLeadsUnitOfWork:
    # The clock rides on the unit of work: Litestar cannot validate Protocol-typed dependencies.
    return SqlLeadsUnitOfWork(db_session, tenant.org_id, request.app.state.runtime.clock)


def provide_lead_members(db_session: NamedDependency[AsyncSession]) -> OrganizationMemberDirectory:
    return OrganizationMemberDirectory(db_session)


def provide_lead_entitlements(request: Request[Any, Any, Any]) -> DefaultLeadEntitlements:
    return DefaultLeadEntitlements(request.app.state.settings.leads_default_limit)


def provide_leads_services(request: Request[Any, Any, Any]) -> LeadsServices:
    # Until the leads module builds one LeadsServices per process and provides it.
    runtime, settings = request.app.state.runtime, request.app.state.settings
    return LeadsServices(runtime.clock, DefaultLeadEntitlements(settings.leads_default_limit))
