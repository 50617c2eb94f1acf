"""What an organisation may do now: read by the subscription view, the other contexts' limit
ports (through `subscriptions.api`) and the read-only guard."""

from __future__ import annotations

from uuid import UUID

from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain.entitlements import (
    Entitlement,
    effective_plan_code,
    entitlement_of,
    is_read_only,
)
from nexuscore.subscriptions.domain.model import FREE_PLAN_CODE, Plan
from nexuscore.subscriptions.ports.repositories import SubscriptionsUnitOfWork


async def plan_or_free(uow: SubscriptionsUnitOfWork, code: str) -> Plan | None:
    """The plan, else the free plan; None when the catalogue has no free plan (not seeded)."""
    plan = await uow.plans.get(code)
    if plan is None and code != FREE_PLAN_CODE:
        plan = await uow.plans.get(FREE_PLAN_CODE)
    return plan


async def read_entitlement(
    uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, *, org_id: UUID
) -> Entitlement:
    await uow.bind_tenant(org_id)
    now = services.clock.now()
    subscription = await uow.subscriptions.current_for_org(org_id)
    plan = await plan_or_free(uow, effective_plan_code(subscription, now, services.grace_days))
    return entitlement_of(plan, read_only=is_read_only(subscription, now, services.grace_days))
