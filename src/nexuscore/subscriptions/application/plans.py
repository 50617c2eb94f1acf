"""The plan catalogue: public list, staff management (prices replaced, never edited; archive
instead of delete), the seeded plans and the gateway sync."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nexuscore.kernel.errors import Conflict, FieldError, NotFound, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.unset import UNSET, Unset
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain.events import PlanArchived, PlanCreated, PlanUpdated
from nexuscore.subscriptions.domain.model import FREE_PLAN_CODE, Feature, Interval, Plan, PlanPrice
from nexuscore.subscriptions.domain.permissions import require_staff
from nexuscore.subscriptions.ports.repositories import SubscriptionsUnitOfWork

F = Feature
# (code, name, description, month, year, trial days, seats, leads, features). SGD cents, GST-exclusive.
SEEDED_PLANS: tuple[tuple[str, str, str, int | None, int | None, int, int | None, int | None, frozenset[str]], ...] = (
    (FREE_PLAN_CODE, "Free", "For trying NexusCore out.", None, None, 0, 3, 500, frozenset()),
    (
        "starter",
        "Starter",
        "For small teams.",
        4_900,
        49_000,
        14,
        5,
        5_000,
        frozenset({F.LEAD_EXPORT}),
    ),
    (
        "growth",
        "Growth",
        "For growing sales teams.",
        14_900,
        149_000,
        14,
        20,
        50_000,
        frozenset({F.LEAD_IMPORT, F.LEAD_EXPORT, F.API_ACCESS}),
    ),
    (
        "enterprise",
        "Enterprise",
        "For large organisations.",
        49_900,
        499_000,
        0,
        None,
        None,
        frozenset({F.LEAD_IMPORT, F.LEAD_EXPORT, F.API_ACCESS, F.PRIORITY_SUPPORT}),
    ),
)


async def list_plans(uow: SubscriptionsUnitOfWork, *, include_archived: bool = False) -> Sequence[Plan]:
    return await uow.plans.list(include_archived=include_archived)


async def page_plans(uow: SubscriptionsUnitOfWork, *, page: PageRequest, include_archived: bool = False) -> Page[Plan]:
    """One page of the catalogue (a handful of plans: paged after reading them all)."""
    every = await uow.plans.list(include_archived=include_archived)
    return Page(
        items=every[page.offset : page.offset + page.limit], total=len(every), limit=page.limit, offset=page.offset
    )


@dataclass(frozen=True)
class PlanInput:
    code: str
    name: str
    description: str = ""
    trial_days: int = 0
    seat_limit: int | None = None
    lead_limit: int | None = None
    features: frozenset[str] = frozenset()
    prices: Mapping[Interval, int] | None = None


async def create_plan(
    uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, *, is_staff: bool, data: PlanInput
) -> Plan:
    require_staff(is_staff)
    now = services.clock.now()
    prices = {i: PlanPrice(interval=i, amount=a, created_at=now) for i, a in (data.prices or {}).items()}
    plan = Plan(
        data.code,
        data.name,
        data.description,
        now,
        now,
        data.trial_days,
        data.seat_limit,
        data.lead_limit,
        data.features,
        prices,
    )
    if await uow.plans.get(plan.code) is not None:
        raise Conflict(f"A plan with code {plan.code!r} exists.", extra={"code": plan.code})
    await uow.plans.add(plan)
    await uow.events.append(PlanCreated(occurred_at=now, plan_code=plan.code))
    await uow.commit()
    return plan


@dataclass(frozen=True)
class PlanChanges:
    name: str | Unset = UNSET
    description: str | Unset = UNSET
    trial_days: int | Unset = UNSET
    seat_limit: int | Unset | None = UNSET
    lead_limit: int | Unset | None = UNSET
    features: frozenset[str] | Unset = UNSET
    prices: Mapping[Interval, int] | Unset = UNSET  # a new price per interval replaces the current one
    archived: bool | Unset = UNSET


async def update_plan(
    uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, *, is_staff: bool, code: str, changes: PlanChanges
) -> Plan:
    require_staff(is_staff)
    plan = await uow.plans.get(code)
    if plan is None:
        raise NotFound(f"No plan {code!r}.")
    now = services.clock.now()
    fields: dict[str, Any] = {
        k: v
        for k, v in {
            "name": changes.name,
            "description": changes.description,
            "trial_days": changes.trial_days,
            "seat_limit": changes.seat_limit,
            "lead_limit": changes.lead_limit,
            "features": changes.features,
        }.items()
        if v is not UNSET
    }
    updated = replace(plan, **fields, updated_at=now)  # validates
    replaced: list[str] = []
    if not isinstance(changes.prices, Unset):
        if plan.code == FREE_PLAN_CODE:
            raise ValidationError("The free plan has no price.", errors=[FieldError("prices", "not allowed")])
        for interval, amount in changes.prices.items():
            before = updated.price(interval)
            if updated.set_price(interval, amount, now) is not before:
                replaced.append(interval.value)
    archive = changes.archived is True and not plan.archived
    if not isinstance(changes.archived, Unset):
        if changes.archived and plan.code == FREE_PLAN_CODE:
            raise ValidationError("The free plan cannot be archived.", errors=[FieldError("archived", "not allowed")])
        updated.archived = changes.archived
    await uow.plans.save(updated)
    event = PlanArchived(occurred_at=now, plan_code=code) if archive else None
    await uow.events.append(event or PlanUpdated(occurred_at=now, plan_code=code, replaced_prices=tuple(replaced)))
    await uow.commit()
    return updated


async def seed_plans(uow: SubscriptionsUnitOfWork, services: SubscriptionsServices) -> list[str]:
    """Creates the seeded plans that are missing; never touches one that exists."""
    now = services.clock.now()
    created = []
    for code, name, description, month, year, trial, seats, leads, features in SEEDED_PLANS:
        if await uow.plans.get(code) is not None:
            continue
        amounts = {Interval.MONTH: month, Interval.YEAR: year}
        prices = {i: PlanPrice(interval=i, amount=a, created_at=now) for i, a in amounts.items() if a is not None}
        await uow.plans.add(Plan(code, name, description, now, now, trial, seats, leads, features, prices))
        await uow.events.append(PlanCreated(occurred_at=now, plan_code=code))
        created.append(code)
    await uow.commit()
    return created


async def sync_plans_to_gateway(
    uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, *, command_id: str
) -> list[str]:
    """Creates or updates each paid plan's product and prices at the gateway (idempotent)."""
    synced = []
    for plan in await uow.plans.list(include_archived=True):
        if plan.is_free:
            continue
        with_ids = await services.gateway.sync_plan(plan, command_id=f"{command_id}:{plan.code}")
        if with_ids != plan:
            await uow.plans.save(with_ids)
        synced.append(plan.code)
    await uow.commit()
    return synced
