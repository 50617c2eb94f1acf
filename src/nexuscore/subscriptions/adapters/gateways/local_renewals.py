"""The local payment gateway's clock: what Stripe does on its own as time passes, done when
`run_due` is called (a scheduled task) at the Clock port's now. Trials end and periods roll
with a renewal invoice, paid (active) or failed by a declining card (past_due); a downgrade
scheduled for the period end (the schedule's next phase) and a cancellation at period end
apply; an unpaid invoice is paid once the card was changed (Stripe retries it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nexuscore.subscriptions.adapters.gateways.local_objects import (
    DECLINING_CARD,
    PERIOD,
    invoice_object,
    paid_invoice,
    subscription_item,
)
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import timestamp, unix
from nexuscore.subscriptions.domain.model import Interval

if TYPE_CHECKING:
    from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway

_LIVE = ("trialing", "active", "past_due")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def run_due(gateway: LocalPaymentGateway) -> int:
    """Everything due by the clock's now, as Stripe's own clock does it: trials end,
    periods roll with a renewal invoice (paid, or failed: past_due), scheduled downgrades
    and cancellations at period end apply, an unpaid invoice is retried once the card was
    changed. Returns how many subscriptions changed."""
    now = gateway.clock.now()
    changed = 0
    for sub in await gateway.store.list_since("subscription", _EPOCH):
        if sub["status"] not in _LIVE:
            continue
        if await _advance(gateway, sub, now):
            changed += 1
    return changed


async def _advance(gateway: LocalPaymentGateway, sub: dict[str, Any], now: datetime) -> bool:
    customer = await gateway.customer(sub["customer"])
    card_declines = (customer.get("invoice_settings") or {}).get("default_payment_method") == DECLINING_CARD
    changed = False
    if sub["status"] == "past_due" and not card_declines:
        changed = await _retry_latest_invoice(gateway, sub, now)
    while sub["status"] in _LIVE and int(sub["items"]["data"][0]["current_period_end"]) <= now.timestamp():
        changed = True
        current = sub["items"]["data"][0]
        end = timestamp(current["current_period_end"])
        assert end is not None
        if sub["cancel_at_period_end"]:
            sub.update(status="canceled", ended_at=unix(end))
            await gateway.save_subscription(sub, "customer.subscription.deleted")
            return True
        price = await _next_price(gateway, sub, end)
        new_end = end + PERIOD[Interval(price["recurring"]["interval"])]
        sub["items"]["data"] = [{**subscription_item(price, end, new_end), "id": current["id"]}]
        bill = invoice_object(sub, customer, price, int(price["unit_amount"]), end, new_end, "subscription_cycle", now)
        sub["latest_invoice"] = bill["id"]
        await gateway.emit("invoice.finalized", bill, now)
        if card_declines:
            bill.update(attempt_count=1, next_payment_attempt=None)
            sub["status"] = "past_due"
            await gateway.store.put(bill["id"], "invoice", bill, now)
            await gateway.emit("invoice.payment_failed", bill, now)
        else:
            bill = paid_invoice(bill, now)
            sub["status"] = "active"
            await gateway.store.put(bill["id"], "invoice", bill, now)
            await gateway.emit("invoice.paid", bill, now)
        await gateway.save_subscription(sub)
    return changed


async def _next_price(gateway: LocalPaymentGateway, sub: dict[str, Any], end: datetime) -> dict[str, Any]:
    """The price from the period's end: the schedule's next phase when one starts there
    (its metadata set on the subscription; the last phase begun, the schedule releases)."""
    schedule = await gateway.store.get(sub["schedule"]) if sub.get("schedule") else None
    phase = next((p for p in (schedule or {}).get("phases", []) if p["start_date"] == unix(end)), None)
    if schedule is None or phase is None:
        return dict(sub["items"]["data"][0]["price"])
    price = await gateway.store.get(phase["items"][0]["price"])
    assert price is not None
    for key, value in phase["metadata"].items():
        if value == "":
            sub["metadata"].pop(key, None)
        else:
            sub["metadata"][key] = value
    schedule["current_phase"] = {"start_date": phase["start_date"], "end_date": phase["end_date"]}
    if phase is schedule["phases"][-1] and schedule["end_behavior"] == "release":
        schedule.update(status="released", released_at=unix(end), released_subscription=sub["id"], subscription=None)
        sub["schedule"] = None
    await gateway.store.put(schedule["id"], "subscription_schedule", schedule, gateway.clock.now())
    return price


async def _retry_latest_invoice(gateway: LocalPaymentGateway, sub: dict[str, Any], now: datetime) -> bool:
    bill = await gateway.store.get(sub["latest_invoice"]) if sub.get("latest_invoice") else None
    if bill is None or bill["status"] != "open":
        return False
    bill = paid_invoice(bill, now)
    bill["attempt_count"] = int(bill.get("attempt_count") or 0) + 1
    await gateway.store.put(bill["id"], "invoice", bill, now)
    await gateway.emit("invoice.paid", bill, now)
    sub["status"] = "active"
    await gateway.save_subscription(sub)
    return True
