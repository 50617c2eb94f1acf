"""Dependencies of the billing routes, registered app-wide by the billing module.

Each unit of work is made after the caller is known (staff, or a member of the organisation):
Litestar resolves independent dependencies concurrently, and the principal's (or the tenant's)
read and this one's RLS binding would otherwise run on one session at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.application.services import BillingServices
from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import TenantContext

BILLING_STATE_KEY = "billing"


@dataclass(frozen=True)
class BillingHttpState:
    services: BillingServices


def billing_state(request: Request[Any, Any, Any]) -> BillingHttpState:
    state: BillingHttpState = request.app.state[BILLING_STATE_KEY]
    return state


def provide_billing_services(request: Request[Any, Any, Any]) -> BillingServices:
    return billing_state(request).services


def provide_billing_staff(principal: NamedDependency[Principal]) -> Principal:
    """Staff only: manual invoices and every organisation's documents."""
    if not principal.is_staff:
        raise PermissionDenied("Staff only.")
    return principal


async def provide_billing_staff_uow(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    billing_staff: NamedDependency[Principal],
) -> SqlBillingUnitOfWork:
    return SqlBillingUnitOfWork(db_session, billing_state(request).services.clock)


async def provide_billing_tenant_uow(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantContext],
) -> SqlBillingUnitOfWork:
    return SqlBillingUnitOfWork(db_session, billing_state(request).services.clock)
