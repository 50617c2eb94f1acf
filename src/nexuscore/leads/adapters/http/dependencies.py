"""Dependencies of the leads routes, registered app-wide by the leads module.

`leads_uow` is built on the request's session after `tenant` has been resolved, so the
row-level-security scope the tenant dependency bound applies to every lead query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.organization_members import OrganizationMemberDirectory
from nexuscore.leads.adapters.sql.repositories import SqlLeadsUnitOfWork

LEADS_STATE_KEY = "leads"


@dataclass(frozen=True)
class LeadsHttpState:
    """What the leads module built once per process for its routes."""

    clock: Clock
    entitlements: DefaultLeadEntitlements


def _state(request: Request[Any, Any, Any]) -> LeadsHttpState:
    state: LeadsHttpState = request.app.state[LEADS_STATE_KEY]
    return state


def provide_leads_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantContext]
) -> SqlLeadsUnitOfWork:
    # The clock rides on the unit of work: Litestar cannot validate Protocol-typed dependencies.
    return SqlLeadsUnitOfWork(db_session, tenant.org_id, _state(request).clock)


def provide_lead_members(db_session: NamedDependency[AsyncSession]) -> OrganizationMemberDirectory:
    return OrganizationMemberDirectory(db_session)


def provide_lead_entitlements(request: Request[Any, Any, Any]) -> DefaultLeadEntitlements:
    return _state(request).entitlements
