"""The Stripe adapter's plan sync on real Prices named by lookup key, against the stand-in's
Prices API (in front of localstripe): created once, a no-op when run again, and a changed
amount a new price that takes the lookup key while the old one is archived. Each test uses a
plan code of its own: the stand-in lives for the whole package."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
import stripe

from nexuscore.kernel.clock import SystemClock
from nexuscore.platform.stripe_client import stripe_client
from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway
from nexuscore.subscriptions.domain.model import Interval, Plan, PlanPrice, lookup_key
from nexuscore.subscriptions.ports.gateway import PriceChoice, PriceNotAtGateway

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def gateway(stripe_api_base: str) -> StripePaymentGateway:
    return StripePaymentGateway(stripe_client("sk_test_prices", api_base=stripe_api_base), SystemClock())


def _plan(month: int, year: int) -> Plan:
    prices = {
        Interval.MONTH: PlanPrice(Interval.MONTH, month, NOW),
        Interval.YEAR: PlanPrice(Interval.YEAR, year, NOW),
    }
    return Plan(f"p{uuid4().hex[:12]}", "Pro", "", NOW, NOW, 0, 5, 100, frozenset(), prices)


async def _price(gateway: StripePaymentGateway, price_id: str | None) -> dict[str, Any]:
    assert price_id is not None
    return (await gateway.client.v1.prices.retrieve_async(price_id)).to_dict()


async def _of_product(gateway: StripePaymentGateway, product: str | None, **filters: Any) -> list[dict[str, Any]]:
    listed = await gateway.client.v1.prices.list_async({"product": product, "limit": 100, **filters})
    return sorted((p.to_dict() for p in listed.data), key=lambda p: p["id"])


async def _paid(gateway: StripePaymentGateway, api_base: str, price: PriceChoice) -> str:
    org = uuid4()
    customer = await gateway.ensure_customer(org_id=org, profile=None, customer_id=None, command_id=f"c-{org}")
    session = await gateway.create_checkout_session(
        org_id=org,
        customer_id=customer,
        price=price,
        trial_days=0,
        success_url="https://app.example.sg/ok",
        cancel_url="https://app.example.sg/no",
        command_id=f"co-{org}",
    )
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{api_base}/_standin/checkout/{session.id}/pay")
    assert response.status_code == 200, response.text
    return str(response.json()["subscription"]["id"])


def _choice(plan: Plan, interval: Interval, amount: int) -> PriceChoice:
    return PriceChoice(plan.code, interval, lookup_key(plan.code, interval), amount)


async def test_sync_creates_then_changes_nothing_then_replaces_a_changed_price(
    gateway: StripePaymentGateway, stripe_api_base: str
) -> None:
    plan = _plan(1_000, 10_000)
    month_key, year_key = lookup_key(plan.code, Interval.MONTH), lookup_key(plan.code, Interval.YEAR)

    # first run: the product and one price per interval, named by lookup key
    first = await gateway.sync_plan(plan, command_id="run-1")
    assert first.gateway_product_id == f"nexuscore_{plan.code}"
    month = await _price(gateway, first.prices[Interval.MONTH].gateway_price_id)
    year = await _price(gateway, first.prices[Interval.YEAR].gateway_price_id)
    assert month["id"].startswith("price_") and month["id"] != year["id"]
    assert (month["lookup_key"], month["unit_amount"], month["currency"], month["active"]) == (
        month_key,
        1_000,
        "sgd",
        True,
    )
    assert (month["recurring"]["interval"], month["product"], month["metadata"]) == (
        "month",
        first.gateway_product_id,
        {"lookup_key": month_key},
    )
    assert (year["lookup_key"], year["unit_amount"], year["recurring"]["interval"]) == (year_key, 10_000, "year")
    made = await _of_product(gateway, first.gateway_product_id)
    assert [p["id"] for p in made] == sorted([month["id"], year["id"]])

    # second run: nothing changes, here or there
    second = await gateway.sync_plan(first, command_id="run-2")
    assert second == first
    assert await _of_product(gateway, first.gateway_product_id) == made

    # a subscription on the first month price, sold before the change
    old_choice = _choice(first, Interval.MONTH, 1_000)
    sub_id = await _paid(gateway, stripe_api_base, old_choice)

    # the month price changes (a new price in the catalogue, never an edit)
    changed = second
    changed.set_price(Interval.MONTH, 1_200, NOW)
    third = await gateway.sync_plan(changed, command_id="run-3")
    new_month = await _price(gateway, third.prices[Interval.MONTH].gateway_price_id)
    assert new_month["id"] != month["id"]
    assert (new_month["lookup_key"], new_month["unit_amount"], new_month["active"]) == (month_key, 1_200, True)
    replaced = await _price(gateway, month["id"])
    # the key moved; the old price is archived, its amount untouched, its metadata kept
    assert (replaced["lookup_key"], replaced["active"], replaced["unit_amount"]) == (None, False, 1_000)
    assert replaced["metadata"] == {"lookup_key": month_key}
    assert third.prices[Interval.YEAR].gateway_price_id == year["id"]
    held = await gateway.client.v1.prices.list_async({"lookup_keys": [month_key]})
    assert [p.id for p in held.data] == [new_month["id"]]
    assert [p["id"] for p in await _of_product(gateway, third.gateway_product_id, active=True)] == sorted(
        [new_month["id"], year["id"]]
    )

    # and a fourth run changes nothing again
    after = await _of_product(gateway, third.gateway_product_id)
    assert await gateway.sync_plan(third, command_id="run-4") == third
    assert await _of_product(gateway, third.gateway_product_id) == after and len(after) == 3

    # new checkouts get the new price; the old amount is refused, not charged
    new_choice = _choice(third, Interval.MONTH, 1_200)
    assert await gateway.current_price_id(new_choice) == new_month["id"]
    new_sub = await gateway.retrieve_subscription_object(await _paid(gateway, stripe_api_base, new_choice))
    assert new_sub["items"]["data"][0]["price"]["id"] == new_month["id"]
    with pytest.raises(PriceNotAtGateway) as stale:
        await gateway.current_price_id(old_choice)
    assert stale.value.extra["lookupKey"] == month_key

    # the subscription sold before keeps its archived price and still reads as the plan; a
    # "change" to its own plan and interval leaves it there
    kept = await gateway.retrieve_subscription(sub_id)
    assert (kept.plan_code, kept.interval) == (plan.code, Interval.MONTH)
    same = await gateway.change_subscription(
        subscription_id=sub_id, price=new_choice, at_period_end=True, command_id=f"same-{sub_id}"
    )
    assert (same.plan_code, same.pending_plan_code) == (plan.code, None)
    raw = await gateway.retrieve_subscription_object(sub_id)
    assert raw["items"]["data"][0]["price"]["id"] == month["id"] and raw["schedule"] is None


async def test_a_run_stopped_between_new_price_and_archive_is_finished_by_the_next(
    gateway: StripePaymentGateway,
) -> None:
    plan = await gateway.sync_plan(_plan(2_000, 20_000), command_id="run-1")
    key = lookup_key(plan.code, Interval.MONTH)
    before = plan.prices[Interval.MONTH].gateway_price_id
    # what a run that died after creating the successor leaves: two active prices of the key
    successor = await gateway.client.v1.prices.create_async(
        {
            "product": plan.gateway_product_id,
            "currency": "sgd",
            "unit_amount": 2_500,
            "recurring": {"interval": "month"},
            "lookup_key": key,
            "transfer_lookup_key": True,
            "metadata": {"lookup_key": key},
        }
    )
    plan.set_price(Interval.MONTH, 2_500, NOW)
    synced = await gateway.sync_plan(plan, command_id="run-2")
    assert synced.prices[Interval.MONTH].gateway_price_id == successor.id  # found, not made again
    assert (await _price(gateway, before))["active"] is False
    active = await _of_product(gateway, plan.gateway_product_id, active=True)
    assert sorted(p["unit_amount"] for p in active) == [2_500, 20_000]


async def test_the_standin_prices_keep_stripes_rules(gateway: StripePaymentGateway) -> None:
    plan = await gateway.sync_plan(_plan(3_000, 30_000), command_id="run-1")
    key = lookup_key(plan.code, Interval.MONTH)
    prices = gateway.client.v1.prices
    params = {
        "product": plan.gateway_product_id,
        "currency": "sgd",
        "unit_amount": 3_100,
        "recurring": {"interval": "month"},
        "lookup_key": key,
    }
    # a lookup key names one price: taking it without transfer_lookup_key is refused
    with pytest.raises(stripe.InvalidRequestError, match="already uses that lookup key"):
        await prices.create_async(params)
    price_id = str(plan.prices[Interval.MONTH].gateway_price_id)
    # an amount is immutable
    with pytest.raises(stripe.InvalidRequestError, match="unknown parameter: unit_amount"):
        await prices.update_async(price_id, {"unit_amount": 3_100})
    with pytest.raises(stripe.InvalidRequestError, match="No such product"):
        await prices.create_async({**params, "product": "prod_missing", "lookup_key": "x"})
    # an archived price sells nothing new
    await prices.update_async(price_id, {"active": False})
    assert not (await prices.list_async({"lookup_keys": [key], "active": True})).data
    customer = await gateway.ensure_customer(org_id=uuid4(), profile=None, customer_id=None, command_id="c")
    with pytest.raises(stripe.InvalidRequestError, match="inactive"):
        await gateway.client.v1.checkout.sessions.create_async(
            {
                "mode": "subscription",
                "customer": customer,
                "line_items": [{"price": price_id, "quantity": 1}],
                "success_url": "https://a.sg",
            }
        )
    # and sync reactivates the catalogue's current price rather than making a second one
    again = await gateway.sync_plan(plan, command_id="run-2")
    assert again.prices[Interval.MONTH].gateway_price_id == price_id
    assert (await _price(gateway, price_id))["active"] is True
