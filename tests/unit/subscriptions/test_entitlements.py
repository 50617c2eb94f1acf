"""Effective plan, grace period, read-only standing, downgrade limits, GST."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from nexuscore.kernel.errors import QuotaExceeded
from nexuscore.subscriptions.application.entitlements import read_entitlement
from nexuscore.subscriptions.application.sync import sync_subscription
from nexuscore.subscriptions.domain.entitlements import Entitlement, FeatureNotInPlan, Usage, exceeded_limits
from nexuscore.subscriptions.domain.gst import gst_rate, with_gst
from nexuscore.subscriptions.domain.model import SubscriptionStatus
from tests.unit.subscriptions.conftest import World
from tests.unit.subscriptions.test_sync_subscription import snap

S = SubscriptionStatus


async def test_no_subscription_is_free(world: World) -> None:
    e = await read_entitlement(world.uow(), world.services, org_id=world.org)
    assert (e.plan_code, e.seat_limit, e.lead_limit, e.read_only) == ("free", 3, 500, False)


@pytest.mark.parametrize(
    ("status", "plan"),
    [(S.TRIALING, "growth"), (S.ACTIVE, "growth"), (S.PAUSED, "free"), (S.INCOMPLETE, "free"), (S.UNPAID, "free")],
)
async def test_effective_plan_by_status(world: World, status: S, plan: str) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, status, plan="growth"))
    assert (await read_entitlement(world.uow(), world.services, org_id=world.org)).plan_code == plan


async def test_past_due_keeps_the_plan_within_grace_then_read_only(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, plan="growth"))
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.PAST_DUE, at_s=1, plan="growth"))
    world.clock.advance(timedelta(days=7))
    within = await read_entitlement(world.uow(), world.services, org_id=world.org)
    assert (within.plan_code, within.read_only) == ("growth", False)
    world.clock.advance(timedelta(seconds=2))
    past = await read_entitlement(world.uow(), world.services, org_id=world.org)
    assert (past.plan_code, past.read_only) == ("free", True)
    # paid: active again, writable again
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, at_s=10**6, plan="growth"))
    paid = await read_entitlement(world.uow(), world.services, org_id=world.org)
    assert (paid.plan_code, paid.read_only) == ("growth", False)


def test_feature_gate_names_the_feature() -> None:
    e = Entitlement("starter", 5, 5000, frozenset({"lead_export"}))
    e.require_feature("lead_export")
    with pytest.raises(FeatureNotInPlan) as raised:
        e.require_feature("lead_import")
    assert isinstance(raised.value, QuotaExceeded)
    assert raised.value.code == "feature-not-in-plan"
    assert raised.value.extra["feature"] == "lead_import"


async def test_exceeded_limits_give_the_numbers(world: World) -> None:
    starter = world.state.plans["starter"]
    over = exceeded_limits(starter, Usage(seats=6, leads=5000))
    assert [(o.limit, o.used, o.allowed) for o in over] == [("seats", 6, 5)]
    assert exceeded_limits(world.state.plans["enterprise"], Usage(10**6, 10**7)) == []


def test_gst_is_dated_and_half_up() -> None:
    assert gst_rate(date(2023, 12, 31)) == Decimal("0.08")
    assert gst_rate(date(2024, 1, 1)) == Decimal("0.09")
    taxed = with_gst(4_950, date(2026, 1, 1))  # 445.5 cents -> 446
    assert (taxed.gst, taxed.including_gst) == (446, 5_396)
    assert with_gst(4_900, date(2026, 1, 1), zero_rated=True).gst == 0
