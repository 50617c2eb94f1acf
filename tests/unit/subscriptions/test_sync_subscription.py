"""The version guard of sync_subscription: out-of-order, repeated and late snapshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.ids import new_id
from nexuscore.subscriptions.application.sync import TRIAL_WILL_END, sync_subscription
from nexuscore.subscriptions.domain.model import (
    ALLOWED_TRANSITIONS,
    Interval,
    SubscriptionSnapshot,
    SubscriptionStatus,
    SyncOutcome,
    may_transition,
)
from tests.unit.subscriptions.conftest import NOW, World

S = SubscriptionStatus


def snap(
    world: World, status: S = S.ACTIVE, *, at_s: int = 0, plan: str = "starter", **kw: object
) -> SubscriptionSnapshot:
    values: dict[str, object] = {
        "gateway_subscription_id": "sub_1",
        "gateway_customer_id": "cus_1",
        "organization_id": world.org,
        "status": status,
        "plan_code": plan,
        "interval": Interval.MONTH,
        "created": NOW,
        "observed_at": NOW + timedelta(seconds=at_s),
        "current_period_start": NOW,
        "current_period_end": NOW + timedelta(days=30),
        **kw,
    }
    return SubscriptionSnapshot(**values)  # type: ignore[arg-type]


async def test_first_snapshot_creates_and_activates(world: World) -> None:
    result = await sync_subscription(world.uow(), world.services, snapshot=snap(world))
    assert result.outcome is SyncOutcome.CREATED
    assert world.event_types()[-2:] == ["subscription.created", "subscription.activated"]


async def test_older_snapshot_changes_nothing(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, at_s=10, plan="growth"))
    events = len(world.state.events)
    late = await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.PAST_DUE, at_s=5))
    assert late.outcome is SyncOutcome.STALE
    stored = world.state.subscriptions["sub_1"]
    assert (stored.status, stored.plan_code) == (S.ACTIVE, "growth")
    assert len(world.state.events) == events


async def test_same_second_tie_broken_by_billing_period(world: World) -> None:
    renewed = NOW + timedelta(days=30)
    await sync_subscription(
        world.uow(),
        world.services,
        snapshot=snap(world, at_s=3, current_period_start=renewed, current_period_end=renewed + timedelta(days=30)),
    )
    older_period = await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.PAST_DUE, at_s=3))
    assert older_period.outcome is SyncOutcome.STALE
    assert world.state.subscriptions["sub_1"].current_period_start == renewed


async def test_out_of_order_delivery_ends_in_the_latest_state(world: World) -> None:
    created = snap(world, S.INCOMPLETE, at_s=0)
    active = snap(world, S.ACTIVE, at_s=1)
    past_due = snap(world, S.PAST_DUE, at_s=2)
    # delivered as past_due, created, active (laravel cashier #1759: updated before created)
    for s in (past_due, created, active):
        await sync_subscription(world.uow(), world.services, snapshot=s)
    assert world.state.subscriptions["sub_1"].status is S.PAST_DUE


async def test_canceled_is_never_resurrected(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, at_s=0))
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.CANCELED, at_s=5, ended_at=NOW))
    late_update = await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, at_s=9))
    assert late_update.outcome is SyncOutcome.TERMINAL
    assert world.state.subscriptions["sub_1"].status is S.CANCELED
    assert world.event_types().count("subscription.canceled") == 1


async def test_transition_stripe_never_makes_is_refused(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, at_s=0))
    refused = await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.INCOMPLETE, at_s=5))
    assert refused.outcome is SyncOutcome.REFUSED
    assert world.state.subscriptions["sub_1"].status is S.ACTIVE


def test_terminal_states_allow_nothing() -> None:
    assert ALLOWED_TRANSITIONS[S.CANCELED] == frozenset()
    assert ALLOWED_TRANSITIONS[S.INCOMPLETE_EXPIRED] == frozenset()
    assert may_transition(S.PAST_DUE, S.ACTIVE) and not may_transition(S.ACTIVE, S.INCOMPLETE)


async def test_repeated_snapshot_records_no_second_event(world: World) -> None:
    s = snap(world, S.ACTIVE, at_s=1)
    await sync_subscription(world.uow(), world.services, snapshot=s)
    count = len(world.state.events)
    again = await sync_subscription(world.uow(), world.services, snapshot=s)
    assert again.outcome is SyncOutcome.APPLIED
    assert len(world.state.events) == count


async def test_status_and_plan_changes_are_typed_events(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.TRIALING, at_s=0))
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.ACTIVE, at_s=1, plan="growth"))
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.PAST_DUE, at_s=2, plan="growth"))
    await sync_subscription(
        world.uow(), world.services, snapshot=snap(world, S.PAST_DUE, at_s=3, plan="growth", cancel_at_period_end=True)
    )
    assert world.event_types()[-4:] == [
        "subscription.plan_changed",
        "subscription.activated",
        "subscription.past_due",
        "subscription.cancellation_scheduled",
    ]
    plan_changed = next(e for e in world.state.events if e.type == "subscription.plan_changed")
    assert plan_changed.payload["previousPlanCode"] == "starter"
    assert plan_changed.subject == "subscription:sub_1"


async def test_trial_will_end_noted_once(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, S.TRIALING, at_s=0))
    for at in (1, 2):
        await sync_subscription(
            world.uow(), world.services, snapshot=snap(world, S.TRIALING, at_s=at), gateway_event_type=TRIAL_WILL_END
        )
    assert world.event_types().count("subscription.trial_ending") == 1


async def test_snapshot_of_another_organisation_is_refused(world: World) -> None:
    await sync_subscription(world.uow(), world.services, snapshot=snap(world, at_s=0))
    with pytest.raises(Conflict):
        await sync_subscription(
            world.uow(), world.services, snapshot=replace(snap(world, at_s=1), organization_id=new_id())
        )
