"""Stripe-shaped objects (JSON, as the API and webhooks send them) to our snapshots.

Used by the Stripe adapter, the local gateway (which produces the same shapes) and the
webhook inbox (through `subscriptions.api`). Since API version 2025-03-31 the billing period
sits on the subscription items; older versions (and localstripe) have it on the subscription.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

# Pinned in `platform.stripe_client` (the client sends it); re-exported for the local gateway,
# whose objects follow its shapes.
from nexuscore.platform.stripe_client import STRIPE_API_VERSION as STRIPE_API_VERSION
from nexuscore.subscriptions.domain.model import GatewayCustomer, Interval, SubscriptionSnapshot, SubscriptionStatus

ORG_METADATA_KEY = "organization_id"
PENDING_METADATA_KEY = "pending_lookup_key"  # a downgrade scheduled for the period end


class UnreadableSnapshot(ValueError):
    """A Stripe object that is not one of our subscriptions (no organisation, unknown price)."""


def timestamp(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def unix(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def price_lookup_key(price: Any) -> str | None:
    """A Stripe price's lookup key, else the one kept in its metadata (it stays when the key moves on)."""
    if not isinstance(price, dict):
        return None
    key = price.get("lookup_key") or (price.get("metadata") or {}).get("lookup_key")
    return str(key) if key else None


def split_lookup_key(key: str | None) -> tuple[str, Interval]:
    code, _, interval = (key or "").rpartition("_")
    try:
        return code, Interval(interval)
    except ValueError:
        raise UnreadableSnapshot(f"price lookup key {key!r} is not <plan>_<month|year>") from None


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def subscription_snapshot(obj: Any, *, observed_at: datetime) -> SubscriptionSnapshot:
    """A snapshot of a Stripe `subscription` object (a dict or a StripeObject)."""
    metadata = _get(obj, "metadata") or {}
    org = _get(metadata, ORG_METADATA_KEY)
    try:
        org_id = UUID(str(org))
    except ValueError:
        raise UnreadableSnapshot("the subscription carries no organization_id metadata") from None
    items = _get(_get(obj, "items") or {}, "data") or []
    if not items:
        raise UnreadableSnapshot("the subscription has no items")
    item = items[0]
    price = _get(item, "price") or _get(item, "plan") or {}
    plan_code, interval = split_lookup_key(
        _get(price, "lookup_key") or _get(_get(price, "metadata") or {}, "lookup_key")
    )
    pending = _get(metadata, PENDING_METADATA_KEY)
    pending_code, pending_interval = split_lookup_key(pending) if pending else (None, None)
    customer = _get(obj, "customer")
    return SubscriptionSnapshot(
        gateway_subscription_id=str(_get(obj, "id")),
        gateway_customer_id=str(customer if isinstance(customer, str) else _get(customer, "id")),
        organization_id=org_id,
        status=SubscriptionStatus(str(_get(obj, "status"))),
        plan_code=plan_code,
        interval=interval,
        created=timestamp(_get(obj, "created")) or observed_at,
        observed_at=observed_at,
        current_period_start=timestamp(_get(item, "current_period_start") or _get(obj, "current_period_start")),
        current_period_end=timestamp(_get(item, "current_period_end") or _get(obj, "current_period_end")),
        trial_start=timestamp(_get(obj, "trial_start")),
        trial_end=timestamp(_get(obj, "trial_end")),
        cancel_at_period_end=bool(_get(obj, "cancel_at_period_end")),
        canceled_at=timestamp(_get(obj, "canceled_at")),
        ended_at=timestamp(_get(obj, "ended_at")),
        pending_plan_code=pending_code,
        pending_interval=pending_interval,
    )


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def customer_snapshot(obj: Any, *, observed_at: datetime) -> GatewayCustomer:
    """A Stripe `customer` object (dict or StripeObject). Address `line2` holds our second and
    later lines joined by ", " (how `ensure_customer` writes them), so it is split back."""
    metadata = _get(obj, "metadata") or {}
    try:
        org_id: UUID | None = UUID(str(_get(metadata, ORG_METADATA_KEY)))
    except ValueError:
        org_id = None
    address = _get(obj, "address") or {}
    line1, line2 = _text(_get(address, "line1")), _text(_get(address, "line2"))
    lines = tuple(x for x in (line1, *(p.strip() for p in (line2 or "").split(", "))) if x)
    tax_ids = _get(obj, "tax_ids")
    tax_data = _get(tax_ids, "data") if tax_ids is not None and not isinstance(tax_ids, list) else tax_ids
    found = {str(_get(t, "type")): _text(_get(t, "value")) for t in tax_data or []}
    country = _text(_get(address, "country"))
    return GatewayCustomer(
        gateway_customer_id=str(_get(obj, "id")),
        organization_id=org_id,
        legal_name=_text(_get(obj, "name")),
        billing_email=_text(_get(obj, "email")),
        address_lines=lines,
        postal_code=_text(_get(address, "postal_code")),
        country=country.upper() if country else None,
        uen=found.get("sg_uen"),
        gst_registration_number=found.get("sg_gst"),
        tax_ids_known=tax_data is not None,
        deleted=bool(_get(obj, "deleted")),
        observed_at=observed_at,
    )
