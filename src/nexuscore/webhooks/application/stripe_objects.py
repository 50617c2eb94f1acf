"""Stripe objects (JSON-decoded) read into the provider-neutral snapshots. Lenient on what
is missing, since payloads are hints: `is_thin` says when one cannot stand for the object."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from nexuscore.webhooks.ports.targets import BillingProfileSnapshot, SubscriptionSnapshot

STRIPE = "stripe"
# What a subscription object must carry to be used as it is.
_SUBSCRIPTION_FIELDS = ("id", "customer", "status", "items")


def timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC)


def _id(value: Any) -> str | None:
    """An expandable field: an id string or an object with an id."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _strings(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


def is_thin_subscription(obj: Mapping[str, Any]) -> bool:
    return any(obj.get(name) is None for name in _SUBSCRIPTION_FIELDS) or obj.get("object") not in (
        None,
        "subscription",
    )


def _items(obj: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = obj.get("items")
    data = items.get("data") if isinstance(items, Mapping) else None
    return [i for i in data if isinstance(i, Mapping)] if isinstance(data, list) else []


def subscription_snapshot(
    obj: Mapping[str, Any], *, as_of: datetime, source_event_id: str | None = None, organization_hint: str | None = None
) -> SubscriptionSnapshot:
    items = _items(obj)
    prices = tuple(p for p in (_id(i.get("price")) for i in items) if p)
    quantity = sum(int(i.get("quantity") or 0) for i in items) if items else None
    # API versions since 2025-03 moved the period to the items.
    first = items[0] if items else {}
    metadata = _strings(obj.get("metadata"))
    return SubscriptionSnapshot(
        provider=STRIPE,
        subscription_id=str(obj["id"]),
        customer_id=_id(obj.get("customer")) or "",
        status=str(obj.get("status") or ""),
        price_ids=prices,
        quantity=quantity,
        current_period_start=timestamp(obj.get("current_period_start", first.get("current_period_start"))),
        current_period_end=timestamp(obj.get("current_period_end", first.get("current_period_end"))),
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
        canceled_at=timestamp(obj.get("canceled_at")),
        ended_at=timestamp(obj.get("ended_at")),
        trial_end=timestamp(obj.get("trial_end")),
        as_of=as_of,
        organization_hint=organization_hint or metadata.get("organization_id") or metadata.get("organizationId"),
        metadata=metadata,
        source_event_id=source_event_id,
        raw=obj,
    )


def billing_profile_snapshot(
    obj: Mapping[str, Any], *, as_of: datetime, source_event_id: str | None = None
) -> BillingProfileSnapshot:
    address = obj.get("address")
    tax_ids = obj.get("tax_ids")
    tax_data = tax_ids.get("data") if isinstance(tax_ids, Mapping) else None
    return BillingProfileSnapshot(
        provider=STRIPE,
        customer_id=str(obj["id"]),
        email=obj.get("email") if isinstance(obj.get("email"), str) else None,
        name=obj.get("name") if isinstance(obj.get("name"), str) else None,
        address={str(k): (str(v) if v is not None else None) for k, v in address.items()}
        if isinstance(address, Mapping)
        else {},
        tax_ids=tuple(str(t.get("value")) for t in tax_data if isinstance(t, Mapping) and t.get("value"))
        if isinstance(tax_data, list)
        else (),
        deleted=bool(obj.get("deleted")),
        as_of=as_of,
        metadata=_strings(obj.get("metadata")),
        source_event_id=source_event_id,
        raw=obj,
    )
