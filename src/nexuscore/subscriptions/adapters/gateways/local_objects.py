"""The local payment gateway's objects, in the shapes Stripe's API gives them (pinned
`STRIPE_API_VERSION`): prices, subscription items, schedule phases, invoices and events."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from nexuscore.subscriptions.adapters.gateways.stripe_shapes import STRIPE_API_VERSION, unix
from nexuscore.subscriptions.domain.gst import with_gst
from nexuscore.subscriptions.domain.model import Interval
from nexuscore.subscriptions.ports.gateway import PriceChoice

PERIOD = {Interval.MONTH: timedelta(days=30), Interval.YEAR: timedelta(days=365)}
GOOD_CARD = "pm_card_visa"
DECLINING_CARD = "pm_card_chargeCustomerFail"
TEST_CARDS = {GOOD_CARD: "4242 4242 4242 4242 (succeeds)", DECLINING_CARD: "4000 0000 0000 0341 (charges decline)"}


def new_id(prefix: str) -> str:
    return f"{prefix}_local_{secrets.token_hex(8)}"


def event_object(kind: str, obj: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "id": new_id("evt"),
        "object": "event",
        "type": kind,
        "api_version": STRIPE_API_VERSION,
        "created": unix(now),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": obj},
    }


def invoice_object(
    sub: dict[str, Any],
    customer: dict[str, Any],
    price: dict[str, Any],
    amount: int,
    start: datetime,
    end: datetime,
    reason: str,
    now: datetime,
) -> dict[str, Any]:
    """A finalised (open) invoice in Stripe's shape. GST at the rate of the supply's day,
    unless the customer's address is overseas (an exported service: zero-rated)."""
    country = (customer.get("address") or {}).get("country") or "SG"
    taxed = with_gst(amount, start.date(), zero_rated=country != "SG")
    plan = str(price.get("lookup_key") or "").rpartition("_")[0].title()
    description = f"1 x NexusCore {plan} (at S${price['unit_amount'] / 100:,.2f} / {price['recurring']['interval']})"
    if amount == 0 and reason == "subscription_create":
        description = f"Trial period for NexusCore {plan}"
    period = {"start": unix(start), "end": unix(end)}
    return {
        "id": new_id("in"),
        "object": "invoice",
        "customer": sub["customer"],
        "subscription": sub["id"],
        "parent": {"type": "subscription_details", "subscription_details": {"subscription": sub["id"]}},
        "status": "open",
        "billing_reason": reason,
        "collection_method": "charge_automatically",
        "currency": price["currency"],
        "created": unix(now),
        "period_start": unix(start),
        "period_end": unix(end),
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": new_id("il"),
                    "object": "line_item",
                    "amount": amount,
                    "currency": price["currency"],
                    "description": description,
                    "quantity": 1,
                    "period": period,
                    "pricing": {"price_details": {"price": price["id"]}, "unit_amount_decimal": str(amount)},
                }
            ],
            "has_more": False,
        },
        "subtotal": amount,
        "subtotal_excluding_tax": amount,
        "tax": taxed.gst,
        "total_taxes": [{"amount": taxed.gst, "tax_behavior": "exclusive", "taxable_amount": amount}],
        "total_excluding_tax": amount,
        "total": taxed.including_gst,
        "amount_due": taxed.including_gst,
        "amount_paid": 0,
        "amount_remaining": taxed.including_gst,
        "attempt_count": 0,
        "status_transitions": {
            "finalized_at": unix(now),
            "paid_at": None,
            "marked_uncollectible_at": None,
            "voided_at": None,
        },
    }


def price_object(price: PriceChoice) -> dict[str, Any]:
    return {
        "id": f"price_local_{price.lookup_key}_{price.amount}",
        "object": "price",
        "active": True,
        "lookup_key": price.lookup_key,
        "metadata": {"lookup_key": price.lookup_key},  # as the Stripe adapter's prices carry it
        "unit_amount": price.amount,
        "currency": price.currency.lower(),
        "recurring": {"interval": price.interval.value},
    }


def seconds(interval: Interval) -> int:
    return int(PERIOD[interval].total_seconds())


def schedule_phase(price_id: str, start: int, end: int, metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "start_date": start,
        "end_date": end,
        "items": [{"price": price_id, "quantity": 1}],
        "proration_behavior": "none",
        "metadata": metadata,
    }


def paid_invoice(invoice: dict[str, Any], now: datetime) -> dict[str, Any]:
    transitions = {**invoice["status_transitions"], "paid_at": unix(now)}
    return {
        **invoice,
        "status": "paid",
        "amount_paid": invoice["amount_due"],
        "amount_remaining": 0,
        "attempt_count": max(1, int(invoice.get("attempt_count") or 0)),
        "status_transitions": transitions,
    }


def subscription_item(price: dict[str, Any], start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "id": new_id("si"),
        "price": price,
        "object": "subscription_item",
        "quantity": 1,
        "current_period_start": unix(start),
        "current_period_end": unix(end),
    }
