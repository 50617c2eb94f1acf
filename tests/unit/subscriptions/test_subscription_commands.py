"""Checkout, change, cancel and resume on the memory fakes and the local gateway."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nexuscore.kernel.errors import Conflict, PermissionDenied, ValidationError
from nexuscore.kernel.tenancy import Role
from nexuscore.subscriptions.application import subscriptions as subs
from nexuscore.subscriptions.application.sync import sync_subscription
from nexuscore.subscriptions.domain.entitlements import Usage
from nexuscore.subscriptions.domain.model import Interval, SubscriptionStatus
from tests.unit.subscriptions.conftest import World

S = SubscriptionStatus


async def paid(world: World, plan: str = "starter", interval: Interval = Interval.MONTH) -> str:
    session = await subs.start_checkout(
        world.uow(), world.services, tenant=world.tenant(Role.ADMIN), plan_code=plan, interval=interval
    )
    _, snapshot = await world.gateway.complete_checkout(session.id)
    await sync_subscription(world.uow(), world.services, snapshot=snapshot)
    return snapshot.gateway_subscription_id


async def test_checkout_then_pay_gives_a_trial_once(world: World) -> None:
    sub_id = await paid(world)
    stored = world.state.subscriptions[sub_id]
    assert stored.status is S.TRIALING and stored.trial_end == world.clock.now() + timedelta(days=14)
    assert "subscription.checkout_started" in world.event_types()
    with pytest.raises(Conflict):  # a live subscription: no second checkout
        await subs.start_checkout(
            world.uow(), world.services, tenant=world.owner, plan_code="growth", interval=Interval.MONTH
        )
    await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=False)
    world.clock.advance(timedelta(seconds=1))
    again = await paid(world, "growth")
    assert world.state.subscriptions[again].status is S.ACTIVE  # no second trial


async def test_roles(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await subs.start_checkout(
            world.uow(), world.services, tenant=world.tenant(Role.MEMBER), plan_code="starter", interval=Interval.MONTH
        )
    await paid(world)
    with pytest.raises(PermissionDenied):
        await subs.cancel_subscription(world.uow(), world.services, tenant=world.tenant(Role.ADMIN), at_period_end=True)
    with pytest.raises(PermissionDenied):
        await subs.view_subscription(world.uow(), world.services, tenant=world.tenant(Role.VIEWER))


async def test_unknown_or_free_plan_is_refused(world: World) -> None:
    for code in ("nope", "free"):
        with pytest.raises(ValidationError):
            await subs.start_checkout(
                world.uow(), world.services, tenant=world.owner, plan_code=code, interval=Interval.MONTH
            )


async def test_upgrade_at_once_downgrade_at_period_end_refused_over_limits(world: World) -> None:
    await paid(world, "starter")
    preview = await subs.preview_change(
        world.uow(), world.services, tenant=world.owner, plan_code="growth", interval=Interval.MONTH
    )
    assert preview.upgrade and preview.next_invoice.excluding_gst == 14_900
    assert preview.next_invoice.gst == 1_341  # 9% of 149.00
    up = await subs.change_plan(
        world.uow(), world.services, tenant=world.owner, plan_code="growth", interval=Interval.MONTH
    )
    assert up.plan_code == "growth" and up.pending_plan_code is None
    world.usage.by_org[world.org] = Usage(seats=8, leads=100)
    with pytest.raises(Conflict) as refused:
        await subs.change_plan(
            world.uow(), world.services, tenant=world.owner, plan_code="starter", interval=Interval.MONTH
        )
    assert refused.value.extra["exceeded"] == [{"limit": "seats", "used": 8, "allowed": 5}]
    world.usage.by_org[world.org] = Usage(seats=2, leads=100)
    down = await subs.change_plan(
        world.uow(), world.services, tenant=world.owner, plan_code="starter", interval=Interval.MONTH
    )
    assert (down.plan_code, down.pending_plan_code) == ("growth", "starter")
    assert "subscription.change_scheduled" in world.event_types()


async def test_cancel_at_period_end_resume_cancel_now(world: World) -> None:
    await paid(world)
    pending = await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=True)
    assert pending.cancel_at_period_end and pending.status is S.TRIALING
    resumed = await subs.resume_subscription(world.uow(), world.services, tenant=world.owner)
    assert not resumed.cancel_at_period_end
    with pytest.raises(Conflict):
        await subs.resume_subscription(world.uow(), world.services, tenant=world.owner)
    ended = await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=False)
    assert ended.status is S.CANCELED
    view = await subs.view_subscription(world.uow(), world.services, tenant=world.owner)
    assert view.entitlement.plan_code == "free"
    types = world.event_types()
    for name in ("subscription.cancellation_scheduled", "subscription.resumed", "subscription.canceled"):
        assert name in types


async def test_local_gateway_is_idempotent_per_command(world: World) -> None:
    first = await subs.start_checkout(
        world.uow(), world.services, tenant=world.owner, plan_code="starter", interval=Interval.MONTH, command_id="c1"
    )
    second = await subs.start_checkout(
        world.uow(), world.services, tenant=world.owner, plan_code="starter", interval=Interval.MONTH, command_id="c1"
    )
    assert first == second
    assert len(world.state.customers) == 1
