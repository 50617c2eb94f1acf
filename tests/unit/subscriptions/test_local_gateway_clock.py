"""The local gateway's life on the Clock port (no sleeps: the test moves the clock and runs
what the scheduled task runs), and the Stripe-shaped events it hands to the inbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nexuscore.kernel.tenancy import Role
from nexuscore.subscriptions.adapters.gateways.local import DECLINING_CARD, GOOD_CARD
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import subscription_snapshot, timestamp
from nexuscore.subscriptions.application import subscriptions as subs
from nexuscore.subscriptions.application.sync import sync_subscription
from nexuscore.subscriptions.domain.model import Interval, SubscriptionStatus, lookup_key
from nexuscore.subscriptions.ports.gateway import CardDeclined, PriceChoice
from tests.unit.subscriptions.conftest import World

S = SubscriptionStatus


class Inbox:
    """What the inbox receives: every event, in order."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def __call__(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def types(self) -> list[str]:
        return [e["type"] for e in self.events]

    def take(self) -> list[dict[str, Any]]:
        taken, self.events = self.events, []
        return taken


@pytest.fixture
def inbox(world: World) -> Inbox:
    made = Inbox()
    world.gateway.on_event = made
    return made


async def checkout(world: World, plan: str = "starter", *, card: str = GOOD_CARD) -> str:
    session = await subs.start_checkout(
        world.uow(), world.services, tenant=world.tenant(Role.ADMIN), plan_code=plan, interval=Interval.MONTH
    )
    _, snapshot = await world.gateway.complete_checkout(session.id, card=card)
    await sync_subscription(world.uow(), world.services, snapshot=snapshot)
    return snapshot.gateway_subscription_id


async def sync_last(world: World, events: list[dict[str, Any]]) -> None:
    """Apply the last subscription event, as the inbox's handler would."""
    last = [e for e in events if e["type"].startswith("customer.subscription.")][-1]
    snapshot = subscription_snapshot(last["data"]["object"], observed_at=timestamp(last["created"]))  # type: ignore[arg-type]
    await sync_subscription(world.uow(), world.services, snapshot=snapshot)


async def test_pay_hands_the_inbox_stripes_events_with_a_stripe_shaped_invoice(world: World, inbox: Inbox) -> None:
    sub_id = await checkout(world)
    types = inbox.types()
    assert types[-4:] == [
        "customer.subscription.created",
        "invoice.finalized",
        "invoice.paid",
        "checkout.session.completed",
    ]
    events = inbox.take()
    assert all(e["object"] == "event" and e["id"].startswith("evt_local_") and e["api_version"] for e in events)
    session = events[-1]["data"]["object"]
    assert (session["subscription"], session["client_reference_id"]) == (sub_id, str(world.org))
    invoice = events[-2]["data"]["object"]
    assert (invoice["status"], invoice["subscription"], invoice["total"]) == ("paid", sub_id, 0)  # a trial
    assert invoice["status_transitions"]["paid_at"] == events[-2]["created"]
    assert events[-3]["data"]["object"]["status"] == "open"  # finalized before paid


async def test_a_trial_turns_active_at_its_end_with_a_renewal_invoice(world: World, inbox: Inbox) -> None:
    sub_id = await checkout(world)
    trial_end = world.state.subscriptions[sub_id].trial_end
    assert trial_end is not None
    inbox.take()
    world.clock.advance(timedelta(days=14) - timedelta(seconds=1))
    assert await world.gateway.run_due() == 0 and inbox.types() == []
    world.clock.advance(timedelta(seconds=1))
    assert await world.gateway.run_due() == 1
    events = inbox.take()
    assert [e["type"] for e in events] == ["invoice.finalized", "invoice.paid", "customer.subscription.updated"]
    invoice = events[1]["data"]["object"]
    for key in ("id", "customer", "subscription", "status", "currency", "lines", "tax", "created"):
        assert key in invoice
    assert (invoice["currency"], invoice["billing_reason"], invoice["status"]) == ("sgd", "subscription_cycle", "paid")
    assert (invoice["total_excluding_tax"], invoice["tax"], invoice["total"]) == (4_900, 441, 5_341)  # 9% GST
    line = invoice["lines"]["data"][0]
    assert (line["amount"], line["quantity"]) == (4_900, 1) and "Starter" in line["description"]
    assert line["period"] == {
        "start": int(trial_end.timestamp()),
        "end": int((trial_end + timedelta(days=30)).timestamp()),
    }
    assert invoice["status_transitions"]["finalized_at"] and invoice["status_transitions"]["paid_at"]
    await sync_last(world, events)
    stored = world.state.subscriptions[sub_id]
    assert stored.status is S.ACTIVE
    assert (stored.current_period_start, stored.current_period_end) == (trial_end, trial_end + timedelta(days=30))
    assert await world.gateway.run_due() == 0  # nothing more is due


async def test_renewals_roll_every_period_that_passed(world: World, inbox: Inbox) -> None:
    sub_id = await checkout(world)
    inbox.take()
    world.clock.advance(timedelta(days=14 + 30 + 30 + 5))  # the trial's end and the two periods after it
    assert await world.gateway.run_due() == 1
    paid = [e["data"]["object"] for e in inbox.events if e["type"] == "invoice.paid"]
    assert len(paid) == 3 and len({i["id"] for i in paid}) == 3
    await sync_last(world, inbox.take())
    stored = world.state.subscriptions[sub_id]
    assert stored.current_period_end == world.clock.now() + timedelta(days=25)


async def test_a_downgrade_applies_at_the_period_end_and_the_limits_hold_until_then(world: World, inbox: Inbox) -> None:
    sub_id = await checkout(world, "growth")
    down = await subs.change_plan(
        world.uow(), world.services, tenant=world.owner, plan_code="starter", interval=Interval.MONTH
    )
    assert (down.plan_code, down.pending_plan_code) == ("growth", "starter")
    assert down.pending_change_at == down.current_period_end
    view = await subs.view_subscription(world.uow(), world.services, tenant=world.owner)
    assert view.entitlement.plan_code == "growth"
    raw = await world.gateway.retrieve_subscription_object(sub_id)
    schedule = await world.gateway.store.get(raw["schedule"])
    assert schedule is not None and [p["items"][0]["price"] for p in schedule["phases"]] == [
        "price_local_growth_month_14900",
        "price_local_starter_month_4900",
    ]
    inbox.take()
    assert down.current_period_end is not None
    world.clock.set(down.current_period_end)
    assert await world.gateway.run_due() == 1
    events = inbox.take()
    invoice = next(e["data"]["object"] for e in events if e["type"] == "invoice.paid")
    assert invoice["total_excluding_tax"] == 4_900  # billed on the new plan from the new period
    await sync_last(world, events)
    stored = world.state.subscriptions[sub_id]
    assert (stored.plan_code, stored.pending_plan_code, stored.pending_change_at) == ("starter", None, None)
    view = await subs.view_subscription(world.uow(), world.services, tenant=world.owner)
    assert view.entitlement.plan_code == "starter"
    released = await world.gateway.store.get(schedule["id"])
    assert released is not None and released["status"] == "released"


async def test_a_declining_card_makes_the_renewal_past_due_until_the_card_is_changed(
    world: World, inbox: Inbox
) -> None:
    sub_id = await checkout(world, card=DECLINING_CARD)  # a trial: nothing is charged yet
    assert world.state.subscriptions[sub_id].status is S.TRIALING
    inbox.take()
    world.clock.advance(timedelta(days=14))
    assert await world.gateway.run_due() == 1
    events = inbox.take()
    assert [e["type"] for e in events] == [
        "invoice.finalized",
        "invoice.payment_failed",
        "customer.subscription.updated",
    ]
    failed = events[1]["data"]["object"]
    assert (failed["status"], failed["amount_paid"], failed["amount_remaining"]) == ("open", 0, 5_341)
    await sync_last(world, events)
    assert world.state.subscriptions[sub_id].status is S.PAST_DUE
    world.clock.advance(timedelta(hours=1))
    assert await world.gateway.run_due() == 0 and inbox.types() == []  # the same card: nothing new

    customer = world.state.subscriptions[sub_id].gateway_customer_id
    await world.gateway.set_card(customer, GOOD_CARD)
    assert await world.gateway.run_due() == 1
    events = inbox.take()
    assert [e["type"] for e in events] == ["customer.updated", "invoice.paid", "customer.subscription.updated"]
    assert events[1]["data"]["object"]["id"] == failed["id"]  # the open invoice, paid
    await sync_last(world, events)
    assert world.state.subscriptions[sub_id].status is S.ACTIVE


async def test_a_declining_card_fails_a_checkout_that_charges_at_once(world: World, inbox: Inbox) -> None:
    await checkout(world)
    await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=False)
    world.clock.advance(timedelta(seconds=1))
    session = await subs.start_checkout(
        world.uow(), world.services, tenant=world.owner, plan_code="growth", interval=Interval.MONTH
    )  # a second subscription: no trial
    with pytest.raises(CardDeclined):
        await world.gateway.complete_checkout(session.id, card=DECLINING_CARD)
    assert (await world.gateway.checkout_session(session.id))["status"] == "open"


async def test_a_cancellation_at_period_end_ends_it_then(world: World, inbox: Inbox) -> None:
    sub_id = await checkout(world)
    pending = await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=True)
    assert pending.current_period_end is not None
    inbox.take()
    world.clock.set(pending.current_period_end + timedelta(minutes=1))
    assert await world.gateway.run_due() == 1
    events = inbox.take()
    assert [e["type"] for e in events] == ["customer.subscription.deleted"]  # no renewal invoice
    await sync_last(world, events)
    stored = world.state.subscriptions[sub_id]
    assert (stored.status, stored.ended_at) == (S.CANCELED, pending.current_period_end)
    world.clock.advance(timedelta(days=60))
    assert await world.gateway.run_due() == 0


async def test_a_subscription_on_a_replaced_price_is_on_its_plan_already(world: World, inbox: Inbox) -> None:
    """As at Stripe: the plan is named by lookup key, not price id, so a "change" to the
    subscription's own plan and interval after a price change neither moves it to the new
    price nor schedules anything."""
    sub_id = await checkout(world)
    old_price = (await world.gateway.retrieve_subscription_object(sub_id))["items"]["data"][0]["price"]["id"]
    new = PriceChoice("starter", Interval.MONTH, lookup_key("starter", Interval.MONTH), 5_900)
    same = await world.gateway.change_subscription(
        subscription_id=sub_id, price=new, at_period_end=True, command_id="same"
    )
    assert (same.plan_code, same.pending_plan_code) == ("starter", None)
    raw = await world.gateway.retrieve_subscription_object(sub_id)
    assert raw["items"]["data"][0]["price"]["id"] == old_price and raw["schedule"] is None
