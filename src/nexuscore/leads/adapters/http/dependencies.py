"""Dependencies of the leads routes, registered app-wide by the leads module.

`leads_uow` is built on the request's session after `tenant` has been resolved, so the
row-level-security scope the tenant dependency bound applies to every lead query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.application.services import LeadsServices

LEADS_STATE_KEY = "leads"


@dataclass(frozen=True)
class LeadsHttpState:
    """What the leads module built once per process for its routes."""

    services: LeadsServices
    # The export streams from a session of its own; imports are queued on the broker.
    sessions: async_sessionmaker[AsyncSession]
    broker: AsyncBroker


def leads_state(request: Request[Any, Any, Any]) -> LeadsHttpState:
    state: LeadsHttpState = request.app.state[LEADS_STATE_KEY]
    return state


def provide_leads_services(request: Request[Any, Any, Any]) -> LeadsServices:
    return leads_state(request).services


def provide_leads_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantContext]
) -> SqlLeadsUnitOfWork:
    return SqlLeadsUnitOfWork(db_session, tenant.org_id, leads_state(request).services.clock)
