"""The Stripe payment gateway, on the process's one `StripeClient` (`platform.stripe_client`:
API version pinned, timeout and network retries set there).

- Every mutating call carries an idempotency key derived from our command id (`<command>:<step>`),
  so a retried command never creates a second customer, session or subscription. A customer is
  created under a key of the organisation's own with the same parameters every time, then
  updated: two first checkouts at once reach one customer.
- Errors become our problems: card declined 402 (`card-declined`); rate limited, unreachable
  or a Stripe 5xx 503 (`payment-gateway-unavailable`, Retry-After); an invalid request caused
  by the customer's data (a tax id, an address) 422; one caused by us stays a 500.
- Prices are Stripe Prices named by `lookup_key` = `<code>_<interval>` (also kept in their
  metadata, which stays when the key moves on: a subscription on a replaced price still reads
  as its plan). A price is never edited: a new amount is a new price that takes the lookup key
  (`transfer_lookup_key`), and the old one is archived (`active=false`; subscriptions on it
  keep it). Checkout and changes use the active price holding the key.
- Upgrades swap the price at once and invoice the proration; downgrades wait for the period's
  end in a subscription schedule (see `_schedule_downgrade`), so the current plan's limits
  hold until then. Any later change or cancellation releases that schedule first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

import stripe

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import NotFound
from nexuscore.subscriptions.adapters.gateways import stripe_prices
from nexuscore.subscriptions.adapters.gateways.stripe_calls import idempotency, mapped, plain
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import (
    ORG_METADATA_KEY,
    PENDING_METADATA_KEY,
    price_lookup_key,
    subscription_snapshot,
    timestamp,
    unix,
)
from nexuscore.subscriptions.domain.model import BillingProfile, Plan, SubscriptionSnapshot
from nexuscore.subscriptions.ports.gateway import (
    ChangePreview,
    CheckoutSession,
    PriceChoice,
)


class StripePaymentGateway:
    name = "stripe"

    def __init__(self, client: stripe.StripeClient, clock: Clock) -> None:
        self.clock = clock
        # Typed as Any: the SDK's TypedDict parameters would need a cast at every call.
        self.client: Any = client

    _key = staticmethod(idempotency)

    async def ensure_customer(
        self, *, org_id: UUID, profile: BillingProfile | None, customer_id: str | None, command_id: str
    ) -> str:
        v1 = self.client.v1
        if customer_id is None:
            created = await mapped(
                lambda: v1.customers.create_async(
                    {"metadata": {ORG_METADATA_KEY: str(org_id)}},
                    {"idempotency_key": f"customer-create:{org_id}"},
                )
            )
            customer_id = str(created.id)
        if profile is None:
            return customer_id
        cid = customer_id
        lines = profile.address_lines
        params: dict[str, Any] = {
            "name": profile.legal_name,
            "email": profile.billing_email,
            "address": {
                "line1": lines[0],
                "line2": ", ".join(lines[1:]) or "",
                "postal_code": profile.postal_code,
                "country": profile.country,
            },
            "metadata": {ORG_METADATA_KEY: str(org_id)},
        }
        await mapped(lambda: v1.customers.update_async(cid, params, self._key(command_id, "customer")))
        await self._sync_tax_ids(cid, profile, command_id)
        return cid

    async def erase_customer_contact(
        self, *, customer_id: str, masked_email: str | None, masked_name: str | None, command_id: str
    ) -> None:
        params = {k: v for k, v in (("email", masked_email), ("name", masked_name)) if v is not None}
        if params:
            customers = self.client.v1.customers
            await mapped(lambda: customers.update_async(customer_id, params, self._key(command_id, "erase-contact")))

    async def _sync_tax_ids(self, customer_id: str, profile: BillingProfile, command_id: str) -> None:
        tax_ids = self.client.v1.customers.tax_ids
        wanted = {t: v for t, v in (("sg_uen", profile.uen), ("sg_gst", profile.gst_registration_number)) if v}
        existing = await mapped(lambda: tax_ids.list_async(customer_id))
        for tax in existing.data:
            if wanted.get(tax.type) == tax.value:
                wanted.pop(tax.type)
            elif tax.type in ("sg_uen", "sg_gst"):
                await mapped(partial(tax_ids.delete_async, customer_id, tax.id))
        for kind, value in wanted.items():
            options = self._key(command_id, f"tax-{kind}")
            await mapped(partial(tax_ids.create_async, customer_id, {"type": kind, "value": value}, options))

    async def create_checkout_session(
        self,
        *,
        org_id: UUID,
        customer_id: str,
        price: PriceChoice,
        trial_days: int,
        success_url: str,
        cancel_url: str,
        command_id: str,
    ) -> CheckoutSession:
        subscription_data: dict[str, Any] = {"metadata": {ORG_METADATA_KEY: str(org_id)}}
        if trial_days:
            subscription_data["trial_period_days"] = trial_days
        params: dict[str, Any] = {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(org_id),
            "line_items": [{"price": await self.current_price_id(price), "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "subscription_data": subscription_data,
        }
        session = await mapped(
            lambda: self.client.v1.checkout.sessions.create_async(params, self._key(command_id, "checkout"))
        )
        return CheckoutSession(str(session.id), str(session.url))

    async def current_price_id(self, price: PriceChoice) -> str:
        return await stripe_prices.current_price_id(self.client, price)

    async def _raw(self, subscription_id: str) -> dict[str, Any]:
        sub = await mapped(lambda: self.client.v1.subscriptions.retrieve_async(subscription_id))
        return plain(sub)

    def _snapshot(self, raw: Any) -> SubscriptionSnapshot:
        return subscription_snapshot(plain(raw), observed_at=self.clock.now())

    async def preview_change(self, *, subscription_id: str, price: PriceChoice, at: datetime) -> ChangePreview:
        raw = await self._raw(subscription_id)
        item = raw["items"]["data"][0]
        target = await self.current_price_id(price)
        params: dict[str, Any] = {
            "customer": raw["customer"],
            "subscription": subscription_id,
            "subscription_details": {
                "items": [{"id": item["id"], "price": target}],
                "proration_date": unix(at),
            },
        }
        invoice = plain(await mapped(lambda: self.client.v1.invoices.create_preview_async(params)))
        lines = invoice.get("lines", {}).get("data", [])
        prorations = [(str(x.get("description") or ""), int(x["amount"])) for x in lines if _is_proration(x)]
        due = sum(a for _, a in prorations)
        end = timestamp(item.get("current_period_end") or raw.get("current_period_end"))
        return ChangePreview(due_now=due, next_invoice=price.amount, next_invoice_at=end, lines=tuple(prorations))

    async def change_subscription(
        self, *, subscription_id: str, price: PriceChoice, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot:
        raw = await self._raw(subscription_id)
        # A new change supersedes a downgrade still waiting for the period end.
        await self._release_schedule(raw, command_id)
        item = raw["items"]["data"][0]
        # Compared by lookup key, not id: a subscription on a replaced (archived) price of the
        # same plan and interval is on that plan already, and stays on its price.
        same_plan = price_lookup_key(item.get("price") or item.get("plan")) == price.lookup_key
        subs = self.client.v1.subscriptions
        if same_plan or not at_period_end:
            # An upgrade is invoiced at once with proration (back to the current plan: only
            # the pending downgrade is dropped).
            params: dict[str, Any] = {"metadata": {PENDING_METADATA_KEY: ""}}
            if not same_plan:
                params |= {
                    "items": [{"id": item["id"], "price": await self.current_price_id(price)}],
                    "proration_behavior": "always_invoice",
                }
            sub = await mapped(lambda: subs.update_async(subscription_id, params, self._key(command_id, "change")))
            return self._snapshot(sub)
        await self._schedule_downgrade(raw, price, command_id)
        # The subscription keeps its price (and our limits) until the schedule's second phase
        # starts; the metadata names what is coming, and that phase clears it.
        sub = await mapped(
            lambda: subs.update_async(
                subscription_id,
                {"metadata": {PENDING_METADATA_KEY: price.lookup_key}},
                self._key(command_id, "pending"),
            )
        )
        return self._snapshot(sub)

    async def _schedule_downgrade(self, raw: dict[str, Any], price: PriceChoice, command_id: str) -> None:
        """Stripe's way to change a price at the period end: a subscription schedule made from
        the subscription, its current phase kept to the period's end, then a phase on the new
        price (no proration) for one interval, after which the schedule releases the
        subscription to renew on that price."""
        schedules = self.client.v1.subscription_schedules
        target = await self.current_price_id(price)
        created = plain(
            await mapped(
                lambda: schedules.create_async({"from_subscription": raw["id"]}, self._key(command_id, "schedule"))
            )
        )
        current = created["phases"][0]
        quantity = int(raw["items"]["data"][0].get("quantity") or 1)
        phases = [
            {
                "items": [{"price": _item_price_id(raw["items"]["data"][0]), "quantity": quantity}],
                "start_date": current["start_date"],
                "end_date": current["end_date"],
                "proration_behavior": "none",
            },
            {
                "items": [{"price": target, "quantity": quantity}],
                "duration": {"interval": price.interval.value, "interval_count": 1},
                "proration_behavior": "none",
                "metadata": {PENDING_METADATA_KEY: ""},
            },
        ]
        await mapped(
            lambda: schedules.update_async(
                created["id"],
                {"end_behavior": "release", "phases": phases},
                self._key(command_id, "schedule-phases"),
            )
        )

    async def _release_schedule(self, raw: dict[str, Any], command_id: str) -> None:
        schedule = raw.get("schedule")
        schedule_id = schedule if isinstance(schedule, str) else (schedule or {}).get("id")
        if schedule_id:
            await mapped(
                lambda: self.client.v1.subscription_schedules.release_async(
                    schedule_id, None, self._key(command_id, "release")
                )
            )
            raw["schedule"] = None

    async def cancel_subscription(
        self, *, subscription_id: str, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot:
        subs = self.client.v1.subscriptions
        # Stripe refuses cancellation changes on a subscription a schedule manages: a pending
        # downgrade is dropped by the cancellation.
        raw = await self._raw(subscription_id)
        await self._release_schedule(raw, command_id)
        if at_period_end:
            params = {"cancel_at_period_end": True, "metadata": {PENDING_METADATA_KEY: ""}}
            sub = await mapped(lambda: subs.update_async(subscription_id, params, self._key(command_id, "cancel")))
        else:
            sub = await mapped(lambda: subs.cancel_async(subscription_id, None, self._key(command_id, "cancel")))
        return self._snapshot(sub)

    async def resume_subscription(self, *, subscription_id: str, command_id: str) -> SubscriptionSnapshot:
        sub = await mapped(
            lambda: self.client.v1.subscriptions.update_async(
                subscription_id, {"cancel_at_period_end": False}, self._key(command_id, "resume")
            )
        )
        return self._snapshot(sub)

    async def create_portal_session(self, *, customer_id: str, return_url: str, command_id: str) -> str:
        session = await mapped(
            lambda: self.client.v1.billing_portal.sessions.create_async(
                {"customer": customer_id, "return_url": return_url}, self._key(command_id, "portal")
            )
        )
        return str(session.url)

    async def retrieve_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        return self._snapshot(await self._raw(subscription_id))

    async def retrieve_subscription_object(self, subscription_id: str) -> dict[str, Any]:
        return await self._raw(subscription_id)

    async def retrieve_customer_object(self, customer_id: str) -> dict[str, Any]:
        try:
            customer = await mapped(
                lambda: self.client.v1.customers.retrieve_async(customer_id, {"expand": ["tax_ids"]})
            )
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:  # as the local gateway answers an id it does not hold
                raise NotFound("No such customer at the gateway.") from exc
            raise
        return plain(customer)

    async def list_event_objects(self, since: datetime) -> AsyncIterator[dict[str, Any]]:
        params: dict[str, Any] = {"created": {"gte": unix(since)}, "limit": 100}
        page = await mapped(lambda: self.client.v1.events.list_async(params))
        async for event in page.auto_paging_iter():
            yield plain(event)

    async def sync_plan(self, plan: Plan, *, command_id: str) -> Plan:
        return await stripe_prices.sync_plan(self.client, plan, command_id=command_id)


def _item_price_id(item: dict[str, Any]) -> str:
    price = item.get("price") or item.get("plan") or {}
    return str(price["id"]) if isinstance(price, dict) else str(price)


def _is_proration(line: dict[str, Any]) -> bool:
    if line.get("proration") is True:
        return True
    parent = line.get("parent") or {}
    details = parent.get("subscription_item_details") or parent.get("invoice_item_details") or {}
    return bool(details.get("proration"))
