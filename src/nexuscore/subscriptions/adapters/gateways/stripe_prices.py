"""The plan catalogue at Stripe: Stripe Prices named by `lookup_key` = `<code>_<interval>`
(also kept in their metadata, which stays when the key moves on). A price is never edited: a
new amount is a new price taking the lookup key (`transfer_lookup_key`), and the old one is
archived (`active=false`; subscriptions on it keep it)."""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import partial
from typing import Any

import stripe

from nexuscore.subscriptions.adapters.gateways.stripe_calls import idempotency, mapped, plain
from nexuscore.subscriptions.domain.model import Plan, PlanPrice, lookup_key
from nexuscore.subscriptions.ports.gateway import PriceChoice, PriceNotAtGateway


async def current_price_id(client: Any, price: PriceChoice) -> str:
    """The active Stripe price holding the choice's lookup key, checked against our
    catalogue: a different amount means `plans sync` has not run since a price change, and
    nobody is charged what they were not shown."""
    listed = await mapped(
        lambda: client.v1.prices.list_async({"lookup_keys": [price.lookup_key], "active": True, "limit": 1})
    )
    found = plain(listed.data[0]) if listed.data else None
    if (
        found is None
        or found.get("unit_amount") != price.amount
        or str(found.get("currency")) != price.currency.lower()
        or (found.get("recurring") or {}).get("interval") != price.interval.value
    ):
        raise PriceNotAtGateway(extra={"lookupKey": price.lookup_key, "retryAfter": 60})
    return str(found["id"])


async def sync_plan(client: Any, plan: Plan, *, command_id: str) -> Plan:
    """Our plan's product and prices at Stripe, created or brought up to date; idempotent."""
    v1 = client.v1
    plan = copy.deepcopy(plan)  # the caller compares the answer with what it had
    product_id = plan.gateway_product_id or f"nexuscore_{plan.code}"
    product_params: dict[str, Any] = {"name": plan.name, "metadata": {"plan_code": plan.code}}
    try:
        await mapped(lambda: v1.products.retrieve_async(product_id))
        await mapped(
            lambda: v1.products.update_async(
                product_id, product_params, idempotency(command_id, f"product-update-{product_id}")
            )
        )
    except stripe.InvalidRequestError as exc:
        if exc.http_status != 404:
            raise
        await mapped(
            lambda: v1.products.create_async(
                {"id": product_id, **product_params}, idempotency(command_id, f"product-{product_id}")
            )
        )
    plan.gateway_product_id = product_id
    if not plan.prices:
        return plan
    keys = {interval: lookup_key(plan.code, interval) for interval in plan.prices}
    # A lookup key names one price, active or archived; a product's active prices include
    # any a run that stopped half-way left active beside its successor.
    held = await mapped(lambda: v1.prices.list_async({"lookup_keys": list(keys.values()), "limit": 10}))
    holders = {str(p.lookup_key): plain(p) for p in held.data}
    listed = await mapped(lambda: v1.prices.list_async({"product": product_id, "active": True, "limit": 100}))
    active = [plain(p) async for p in listed.auto_paging_iter()]
    for interval, price in list(plan.prices.items()):
        key = keys[interval]
        current = await _sync_price(client, product_id, key, price, holders.get(key), command_id)
        for other in active:
            if other["id"] != current and (other.get("metadata") or {}).get("lookup_key") == key:
                # Replaced: no new checkout may use it; subscriptions on it keep it.
                await mapped(
                    partial(
                        v1.prices.update_async,
                        other["id"],
                        {"active": False},
                        idempotency(command_id, f"archive-{other['id']}"),
                    )
                )
        if price.gateway_price_id != current:
            plan.prices[interval] = replace(price, gateway_price_id=current)
    return plan


async def _sync_price(
    client: Any, product_id: str, key: str, price: PlanPrice, holder: dict[str, Any] | None, command_id: str
) -> str:
    """The id of the Stripe price for our current price: the lookup key's holder when it
    is that price (reactivated if someone archived it), else a new price taking the key."""
    prices = client.v1.prices
    if (
        holder is not None
        and holder.get("product") == product_id
        and holder.get("unit_amount") == price.amount
        and str(holder.get("currency")) == price.currency.lower()
        and (holder.get("recurring") or {}).get("interval") == price.interval.value
    ):
        if not holder.get("active"):
            options = idempotency(command_id, f"reactivate-{holder['id']}")
            await mapped(partial(prices.update_async, holder["id"], {"active": True}, options))
        return str(holder["id"])
    params: dict[str, Any] = {
        "product": product_id,
        "currency": price.currency.lower(),
        "unit_amount": price.amount,
        "recurring": {"interval": price.interval.value},
        "lookup_key": key,
        "metadata": {"lookup_key": key},
    }
    if holder is not None:
        params["transfer_lookup_key"] = True
    # Named by the transition (key, amount, the price replaced), so a retry of this run
    # replays it and a later change is a request of its own.
    step = f"price-{key}-{price.amount}-{holder['id'] if holder else 'new'}"
    created = await mapped(partial(prices.create_async, params, idempotency(command_id, step)))
    return str(created.id)
