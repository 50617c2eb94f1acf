"""The Stripe adapter's calls of the paid journey, against localstripe behind our stand-in
(checkout, portal, SG tax ids, idempotency keys), each its own process, reached through the
StripeClient's base address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest

from nexuscore.kernel.clock import SystemClock
from nexuscore.kernel.errors import Conflict
from nexuscore.platform.stripe_client import stripe_client
from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import (
    subscription_snapshot as stripe_subscription_snapshot,
)
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import unix
from nexuscore.subscriptions.adapters.memory.store import InMemorySubscriptionsUnitOfWork, SubscriptionsState
from nexuscore.subscriptions.application.plans import seed_plans
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.application.sync import sync_subscription
from nexuscore.subscriptions.domain.model import BillingProfile, Interval, SubscriptionStatus, SyncOutcome, lookup_key
from nexuscore.subscriptions.ports.gateway import GatewayUnavailable, PriceChoice

pytestmark = pytest.mark.integration


def choice(code: str, amount: int) -> PriceChoice:
    return PriceChoice(code, Interval.MONTH, lookup_key(code, Interval.MONTH), amount)


@pytest.fixture
def gateway(stripe_api_base: str) -> StripePaymentGateway:
    return StripePaymentGateway(stripe_client("sk_test_nexuscore", api_base=stripe_api_base), SystemClock())


async def test_the_journeys_gateway_calls(gateway: StripePaymentGateway, stripe_api_base: str) -> None:
    clock = SystemClock()
    state = SubscriptionsState()
    services = SubscriptionsServices(clock, gateway, "https://app.example.sg")
    await seed_plans(InMemorySubscriptionsUnitOfWork(state, clock), services)
    started = datetime.now(UTC) - timedelta(seconds=2)

    # plans sync: products and prices, idempotent
    for plan_code in ("starter", "growth"):
        first = await gateway.sync_plan(state.plans[plan_code], command_id="sync-1")
        again = await gateway.sync_plan(first, command_id="sync-2")
        assert again == first and again.gateway_product_id == f"nexuscore_{plan_code}"
        month = choice(plan_code, first.prices[Interval.MONTH].amount)
        assert again.prices[Interval.MONTH].gateway_price_id == await gateway.current_price_id(month)

    # one customer per organisation, however often asked; tax ids synced
    org = uuid4()
    profile = BillingProfile(
        org,
        "Acme Pte Ltd",
        "billing@acme.sg",
        ("1 Raffles Place",),
        "048616",
        "SG",
        clock.now(),
        "201912345K",
        "M91234567X",
    )
    customer = await gateway.ensure_customer(org_id=org, profile=None, customer_id=None, command_id="c1")
    assert await gateway.ensure_customer(org_id=org, profile=None, customer_id=None, command_id="c2") == customer
    assert await gateway.ensure_customer(org_id=org, profile=profile, customer_id=customer, command_id="c3") == customer
    tax_ids = await gateway.client.v1.customers.tax_ids.list_async(customer)
    assert sorted((t.type, t.value) for t in tax_ids.data) == [("sg_gst", "M91234567X"), ("sg_uen", "201912345K")]

    # checkout: a retried command gets the same session
    starter = choice("starter", 4_900)
    kwargs = {"org_id": org, "customer_id": customer, "price": starter, "trial_days": 0}
    urls = {"success_url": "https://app.example.sg/ok", "cancel_url": "https://app.example.sg/no"}
    session = await gateway.create_checkout_session(**kwargs, **urls, command_id="checkout-1")  # type: ignore[arg-type]
    assert await gateway.create_checkout_session(**kwargs, **urls, command_id="checkout-1") == session  # type: ignore[arg-type]
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{stripe_api_base}/_standin/checkout/{session.id}/pay")
        assert response.status_code == 200, response.text
        paid = response.json()
    sub_id = paid["subscription"]["id"]

    snapshot = await gateway.retrieve_subscription(sub_id)
    assert (snapshot.status, snapshot.plan_code, snapshot.interval) == (
        SubscriptionStatus.ACTIVE,
        "starter",
        Interval.MONTH,
    )
    assert snapshot.organization_id == org and snapshot.gateway_customer_id == customer
    uow = InMemorySubscriptionsUnitOfWork(state, clock)
    assert (await sync_subscription(uow, services, snapshot=snapshot)).outcome is SyncOutcome.CREATED

    # upgrade with a proration preview
    growth = choice("growth", 14_900)
    preview = await gateway.preview_change(subscription_id=sub_id, price=growth, at=clock.now())
    assert preview.next_invoice == 14_900 and isinstance(preview.due_now, int)
    upgraded = await gateway.change_subscription(
        subscription_id=sub_id, price=growth, at_period_end=False, command_id="up"
    )
    assert upgraded.plan_code == "growth"

    # cancel at period end, resume, cancel now
    pending = await gateway.cancel_subscription(subscription_id=sub_id, at_period_end=True, command_id="cancel-1")
    assert pending.cancel_at_period_end and pending.status is SubscriptionStatus.ACTIVE
    resumed = await gateway.resume_subscription(subscription_id=sub_id, command_id="resume-1")
    assert not resumed.cancel_at_period_end
    ended = await gateway.cancel_subscription(subscription_id=sub_id, at_period_end=False, command_id="cancel-2")
    assert ended.status is SubscriptionStatus.CANCELED
    for s in (upgraded, pending, resumed, ended):
        await sync_subscription(InMemorySubscriptionsUnitOfWork(state, clock), services, snapshot=s)
    assert state.subscriptions[sub_id].status is SubscriptionStatus.CANCELED
    # the webhook inbox's refetch: the object as Stripe returns it, read by our parser
    raw = await gateway.retrieve_subscription_object(sub_id)
    reread = stripe_subscription_snapshot(raw, observed_at=clock.now())
    assert (reread.gateway_subscription_id, reread.status, reread.plan_code) == (
        sub_id,
        SubscriptionStatus.CANCELED,
        "growth",
    )

    # the portal, and the events since the start (the inbox's backfill)
    portal = await gateway.create_portal_session(
        customer_id=customer, return_url="https://app.example.sg", command_id="p"
    )
    assert portal.startswith(stripe_api_base)
    events = [e async for e in gateway.list_event_objects(started)]
    assert any(e["data"]["object"].get("id") == sub_id for e in events)
    assert all(e["object"] == "event" and e["type"] for e in events)
    # the inbox's refetch of the customer, tax ids included
    fetched = await gateway.retrieve_customer_object(customer)
    assert fetched["metadata"]["organization_id"] == str(org) and fetched["name"] == "Acme Pte Ltd"
    assert sorted(t["type"] for t in fetched["tax_ids"]["data"]) == ["sg_gst", "sg_uen"]


async def test_a_reused_key_with_other_parameters_is_a_conflict(gateway: StripePaymentGateway) -> None:
    clock = SystemClock()
    state = SubscriptionsState()
    await seed_plans(InMemorySubscriptionsUnitOfWork(state, clock), SubscriptionsServices(clock, gateway, ""))
    for code in ("starter", "growth"):
        await gateway.sync_plan(state.plans[code], command_id=f"sync-{code}")
    org = uuid4()
    customer = await gateway.ensure_customer(org_id=org, profile=None, customer_id=None, command_id="x")
    kwargs = {
        "org_id": org,
        "customer_id": customer,
        "trial_days": 0,
        "success_url": "https://a.sg",
        "cancel_url": "https://a.sg",
    }
    await gateway.create_checkout_session(price=choice("starter", 4_900), command_id="same", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await gateway.create_checkout_session(price=choice("growth", 14_900), command_id="same", **kwargs)  # type: ignore[arg-type]


async def test_an_unreachable_gateway_is_503_with_retry_after() -> None:
    with socket_closed() as port:
        gateway = StripePaymentGateway(stripe_client("sk_test_x", api_base=f"http://127.0.0.1:{port}"), SystemClock())
        gateway.client._requestor._client._max_network_retries = 0
        with pytest.raises(GatewayUnavailable) as raised:
            await gateway.retrieve_subscription("sub_x")
    assert raised.value.extra["retryAfter"] == 5


class socket_closed:
    """A local port nothing listens on."""

    def __enter__(self) -> int:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = int(s.getsockname()[1])
        s.close()
        return self.port

    def __exit__(self, *exc: object) -> None:
        return None


async def _paid_subscription(gateway: StripePaymentGateway, api_base: str, price: PriceChoice) -> str:
    org = uuid4()
    customer = await gateway.ensure_customer(org_id=org, profile=None, customer_id=None, command_id=f"c-{org}")
    urls = {"success_url": "https://app.example.sg/ok", "cancel_url": "https://app.example.sg/no"}
    session = await gateway.create_checkout_session(
        org_id=org, customer_id=customer, price=price, trial_days=0, command_id=f"co-{org}", **urls
    )
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{api_base}/_standin/checkout/{session.id}/pay")
        assert response.status_code == 200, response.text
    return str(response.json()["subscription"]["id"])


async def test_a_downgrade_waits_for_the_period_end_in_a_subscription_schedule(
    gateway: StripePaymentGateway, stripe_api_base: str
) -> None:
    clock = SystemClock()
    state = SubscriptionsState()
    services = SubscriptionsServices(clock, gateway, "https://app.example.sg")
    await seed_plans(InMemorySubscriptionsUnitOfWork(state, clock), services)
    for code in ("starter", "growth"):
        await gateway.sync_plan(state.plans[code], command_id=f"sync-{code}")
    starter, growth = (
        choice("starter", state.plans["starter"].prices[Interval.MONTH].amount),
        choice("growth", state.plans["growth"].prices[Interval.MONTH].amount),
    )
    sub_id = await _paid_subscription(gateway, stripe_api_base, growth)
    before = await gateway.retrieve_subscription(sub_id)

    down = await gateway.change_subscription(
        subscription_id=sub_id, price=starter, at_period_end=True, command_id="down-1"
    )
    # still on growth (its limits hold) until the period ends; the change is named
    assert (down.plan_code, down.pending_plan_code, down.pending_interval) == ("growth", "starter", Interval.MONTH)
    assert down.current_period_end == before.current_period_end
    raw = await gateway.retrieve_subscription_object(sub_id)
    schedule = (await gateway.client.v1.subscription_schedules.retrieve_async(raw["schedule"])).to_dict()
    assert schedule["end_behavior"] == "release" and schedule["subscription"] == sub_id
    first, second = schedule["phases"]
    growth_id, starter_id = await gateway.current_price_id(growth), await gateway.current_price_id(starter)
    assert first["items"][0]["price"] == growth_id and first["end_date"] == unix(before.current_period_end)
    assert second["items"][0]["price"] == starter_id and second["start_date"] == first["end_date"]
    assert second["proration_behavior"] == "none"
    await sync_subscription(InMemorySubscriptionsUnitOfWork(state, clock), services, snapshot=down)
    assert state.subscriptions[sub_id].plan_code == "growth"
    assert state.subscriptions[sub_id].pending_plan_code == "starter"

    # the period's end: Stripe enters the second phase
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{stripe_api_base}/_standin/subscription_schedules/{schedule['id']}/advance")
        assert response.status_code == 200, response.text
    applied = await gateway.retrieve_subscription(sub_id)
    assert (applied.plan_code, applied.pending_plan_code) == ("starter", None)
    await sync_subscription(InMemorySubscriptionsUnitOfWork(state, clock), services, snapshot=applied)
    assert (state.subscriptions[sub_id].plan_code, state.subscriptions[sub_id].pending_plan_code) == ("starter", None)


async def test_an_upgrade_or_a_cancellation_releases_a_pending_downgrade(
    gateway: StripePaymentGateway, stripe_api_base: str
) -> None:
    clock = SystemClock()
    state = SubscriptionsState()
    services = SubscriptionsServices(clock, gateway, "https://app.example.sg")
    await seed_plans(InMemorySubscriptionsUnitOfWork(state, clock), services)
    for code in ("starter", "growth"):
        await gateway.sync_plan(state.plans[code], command_id=f"sync-{code}")
    starter, growth = (
        choice("starter", state.plans["starter"].prices[Interval.MONTH].amount),
        choice("growth", state.plans["growth"].prices[Interval.MONTH].amount),
    )
    sub_id = await _paid_subscription(gateway, stripe_api_base, growth)
    await gateway.change_subscription(subscription_id=sub_id, price=starter, at_period_end=True, command_id="d1")
    schedule_id = (await gateway.retrieve_subscription_object(sub_id))["schedule"]

    # back to the current plan: the schedule is released, nothing pending
    kept = await gateway.change_subscription(subscription_id=sub_id, price=growth, at_period_end=True, command_id="k")
    assert (kept.plan_code, kept.pending_plan_code) == ("growth", None)
    released = await gateway.client.v1.subscription_schedules.retrieve_async(schedule_id)
    assert (released.status, released.released_subscription) == ("released", sub_id)
    assert (await gateway.retrieve_subscription_object(sub_id))["schedule"] is None

    # a cancellation at period end drops a pending downgrade (Stripe refuses it on a managed one)
    await gateway.change_subscription(subscription_id=sub_id, price=starter, at_period_end=True, command_id="d2")
    canceling = await gateway.cancel_subscription(subscription_id=sub_id, at_period_end=True, command_id="c")
    assert canceling.cancel_at_period_end and canceling.pending_plan_code is None
    assert (await gateway.retrieve_subscription_object(sub_id))["schedule"] is None
