"""The local payment gateway's customers, kept and changed as Stripe does: one per
organisation (created under the organisation's own key), updated from the billing profile,
and erasure's masking of the contact; every change emits the `customer.*` event Stripe would."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any
from uuid import UUID

from nexuscore.subscriptions.adapters.gateways.local_objects import new_id
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import ORG_METADATA_KEY, unix
from nexuscore.subscriptions.domain.model import BillingProfile

if TYPE_CHECKING:
    from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway


async def ensure_customer(
    gateway: LocalPaymentGateway,
    *,
    org_id: UUID,
    profile: BillingProfile | None,
    customer_id: str | None,
) -> str:
    now = gateway.clock.now()
    # Creation is keyed on the organisation: one customer, whichever command gets there first.
    create_key = f"customer-create:{org_id}"
    customer_id = customer_id or await gateway.once(create_key) or new_id("cus")
    before = await gateway.store.get(customer_id)
    customer: dict[str, Any] = (
        copy.deepcopy(before)
        if before
        else {
            "id": customer_id,
            "object": "customer",
            "created": unix(now),
            "invoice_settings": {"default_payment_method": None},
        }
    )
    customer["metadata"] = {ORG_METADATA_KEY: str(org_id)}
    if profile is not None:
        customer.update(name=profile.legal_name, email=profile.billing_email)
        customer["address"] = {
            "line1": profile.address_lines[0] if profile.address_lines else None,
            "line2": ", ".join(profile.address_lines[1:]) or None,
            "postal_code": profile.postal_code,
            "country": profile.country,
        }
        tax_ids = [("sg_uen", profile.uen), ("sg_gst", profile.gst_registration_number)]
        customer["tax_ids"] = {
            "object": "list",
            "data": [{"object": "tax_id", "type": t, "value": v} for t, v in tax_ids if v],
            "has_more": False,
        }
    if customer == before:
        return customer_id
    await gateway.store.put(customer_id, "customer", customer, now)
    await gateway.remember(create_key, customer_id)
    await gateway.emit("customer.created" if before is None else "customer.updated", customer, now)
    return customer_id


async def erase_customer_contact(
    gateway: LocalPaymentGateway, *, customer_id: str, masked_email: str | None, masked_name: str | None
) -> None:
    """The customer's email and/or name overwritten, as `customers.update` does at Stripe (a
    repeat changes nothing and emits nothing)."""
    customer = await gateway.customer(customer_id)
    changes = {k: v for k, v in (("email", masked_email), ("name", masked_name)) if v is not None}
    if all(customer.get(k) == v for k, v in changes.items()):
        return
    customer.update(changes)
    now = gateway.clock.now()
    await gateway.store.put(customer_id, "customer", customer, now)
    await gateway.emit("customer.updated", customer, now)
