"""The local payment gateway: the default when STRIPE_SECRET_KEY is unset (refused in production).

It keeps Stripe-shaped objects (customers, checkout sessions, subscriptions, invoices, events)
in its store. A checkout session's URL is the API's own development page
`/dev/checkout/{sessionId}`; paying there creates the subscription and its paid invoice as
Stripe would, and the page feeds the subscription through `sync_subscription`, the path
Stripe's events take. Ids carry `_local_` so they are never mistaken for Stripe's.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import Conflict, NotFound
from nexuscore.subscriptions.adapters.gateways.local_store import LocalGatewayStore
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import (
    ORG_METADATA_KEY,
    PENDING_METADATA_KEY,
    subscription_snapshot,
    timestamp,
    unix,
)
from nexuscore.subscriptions.domain.model import BillingProfile, Interval, Plan, SubscriptionSnapshot
from nexuscore.subscriptions.ports.gateway import ChangePreview, CheckoutSession, GatewayEvent, PriceChoice

_PERIOD = {Interval.MONTH: timedelta(days=30), Interval.YEAR: timedelta(days=365)}


def _id(prefix: str) -> str:
    return f"{prefix}_local_{secrets.token_hex(8)}"


class LocalPaymentGateway:
    name = "local"

    def __init__(self, store: LocalGatewayStore, clock: Clock, *, api_base_url: str) -> None:
        self.store = store
        self.clock = clock
        self.api_base_url = api_base_url.rstrip("/")

    async def _once(self, command_id: str) -> str | None:
        """The object a command already created (Stripe's idempotency key, kept for ever here)."""
        found = await self.store.get(f"idem:{command_id}")
        return str(found["object"]) if found else None

    async def _remember(self, command_id: str, object_id: str) -> None:
        await self.store.put(f"idem:{command_id}", "idempotency", {"object": object_id}, self.clock.now())

    async def ensure_customer(
        self, *, org_id: UUID, profile: BillingProfile | None, customer_id: str | None, command_id: str
    ) -> str:
        now = self.clock.now()
        # Creation is keyed on the organisation: one customer, whichever command gets there first.
        create_key = f"customer-create:{org_id}"
        customer_id = customer_id or await self._once(create_key) or _id("cus")
        customer = await self.store.get(customer_id) or {"id": customer_id, "object": "customer", "created": unix(now)}
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
            customer["tax_ids"] = [{"type": t, "value": v} for t, v in tax_ids if v]
        await self.store.put(customer_id, "customer", customer, now)
        await self._remember(create_key, customer_id)
        return customer_id

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
        existing = await self._once(command_id)
        session_id = existing or _id("cs")
        url = f"{self.api_base_url}/dev/checkout/{session_id}"
        if existing is None:
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": "subscription",
                "status": "open",
                "customer": customer_id,
                "url": url,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "created": unix(self.clock.now()),
                "line_items": [_price_object(price)],
                "subscription_data": {
                    "trial_period_days": trial_days or None,
                    "metadata": {ORG_METADATA_KEY: str(org_id)},
                },
            }
            await self.store.put(session_id, "checkout.session", session, self.clock.now())
            await self._remember(command_id, session_id)
        return CheckoutSession(session_id, url)

    async def checkout_session(self, session_id: str) -> dict[str, Any]:
        session = await self.store.get(session_id)
        if session is None or session.get("object") != "checkout.session":
            raise NotFound("No such checkout session.")
        return session

    async def complete_checkout(self, session_id: str) -> tuple[dict[str, Any], SubscriptionSnapshot]:
        """Pay: the subscription (trialing or active) and its paid first invoice, as Stripe makes them."""
        session = await self.checkout_session(session_id)
        if session["status"] != "open":
            raise Conflict("This checkout session is no longer open.", extra={"status": session["status"]})
        now = self.clock.now()
        price = session["line_items"][0]
        interval = Interval(price["recurring"]["interval"])
        trial_days = session["subscription_data"].get("trial_period_days") or 0
        trial_end = now + timedelta(days=trial_days) if trial_days else None
        period_end = trial_end or now + _PERIOD[interval]
        sub_id = _id("sub")
        subscription: dict[str, Any] = {
            "id": sub_id,
            "object": "subscription",
            "customer": session["customer"],
            "status": "trialing" if trial_days else "active",
            "created": unix(now),
            "metadata": dict(session["subscription_data"]["metadata"]),
            "items": {"data": [_item(price, now, period_end)]},
            "trial_start": unix(now) if trial_days else None,
            "trial_end": unix(trial_end),
            "cancel_at_period_end": False,
            "canceled_at": None,
            "ended_at": None,
        }
        invoice = {
            "id": _id("in"),
            "object": "invoice",
            "customer": session["customer"],
            "subscription": sub_id,
            "status": "paid",
            "currency": price["currency"],
            "amount_due": 0 if trial_days else price["unit_amount"],
            "amount_paid": 0 if trial_days else price["unit_amount"],
            "billing_reason": "subscription_create",
            "created": unix(now),
            "lines": {"data": [{"price": price, "amount": 0 if trial_days else price["unit_amount"]}]},
        }
        subscription["latest_invoice"] = invoice["id"]
        session.update(status="complete", subscription=sub_id)
        await self.store.put(sub_id, "subscription", subscription, now)
        await self.store.put(invoice["id"], "invoice", invoice, now)
        await self.store.put(session_id, "checkout.session", session, now)
        for kind, obj in (
            ("checkout.session.completed", session),
            ("customer.subscription.created", subscription),
            ("invoice.paid", invoice),
        ):
            await self._event(kind, obj, now)
        return session, subscription_snapshot(subscription, observed_at=now)

    async def expire_checkout(self, session_id: str) -> dict[str, Any]:
        session = await self.checkout_session(session_id)
        if session["status"] == "open":
            session["status"] = "expired"
            await self.store.put(session_id, "checkout.session", session, self.clock.now())
        return session

    async def _event(self, kind: str, obj: dict[str, Any], now: datetime) -> None:
        event_id = _id("evt")
        event = {"id": event_id, "object": "event", "type": kind, "created": unix(now), "data": {"object": obj}}
        await self.store.put(event_id, "event", event, now)

    async def _subscription(self, subscription_id: str) -> dict[str, Any]:
        sub = await self.store.get(subscription_id)
        if sub is None or sub.get("object") != "subscription":
            raise NotFound("No such subscription at the gateway.")
        return sub

    async def _save(self, sub: dict[str, Any], kind: str = "customer.subscription.updated") -> SubscriptionSnapshot:
        now = self.clock.now()
        await self.store.put(sub["id"], "subscription", sub, now)
        await self._event(kind, sub, now)
        return subscription_snapshot(sub, observed_at=now)

    async def preview_change(self, *, subscription_id: str, price: PriceChoice, at: datetime) -> ChangePreview:
        sub = await self._subscription(subscription_id)
        item = sub["items"]["data"][0]
        start, end = timestamp(item["current_period_start"]), timestamp(item["current_period_end"])
        assert start is not None and end is not None
        remaining = max(0.0, min(1.0, (end - at) / (end - start))) if end > start else 0.0
        old = int(item["price"]["unit_amount"])
        trialing = sub["status"] == "trialing"
        due = 0 if trialing else round((price.amount - old) * remaining)
        lines = [] if trialing else [("Unused time on the current plan", -round(old * remaining))]
        lines += [] if trialing else [("Remaining time on the new plan", round(price.amount * remaining))]
        return ChangePreview(due_now=due, next_invoice=price.amount, next_invoice_at=end, lines=tuple(lines))

    async def change_subscription(
        self, *, subscription_id: str, price: PriceChoice, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot:
        sub = await self._subscription(subscription_id)
        if await self._once(command_id):
            return subscription_snapshot(sub, observed_at=self.clock.now())
        if at_period_end:
            sub["metadata"][PENDING_METADATA_KEY] = price.lookup_key
        else:
            item = sub["items"]["data"][0]
            now = self.clock.now()
            sub["items"]["data"] = [_item(_price_object(price), now, timestamp(item["current_period_end"]) or now)]
            sub["items"]["data"][0]["current_period_start"] = item["current_period_start"]
            sub["metadata"].pop(PENDING_METADATA_KEY, None)
        await self._remember(command_id, subscription_id)
        return await self._save(sub)

    async def cancel_subscription(
        self, *, subscription_id: str, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot:
        sub = await self._subscription(subscription_id)
        now = unix(self.clock.now())
        if sub["status"] == "canceled":
            return subscription_snapshot(sub, observed_at=self.clock.now())
        if at_period_end:
            sub.update(cancel_at_period_end=True, canceled_at=now)
            return await self._save(sub)
        sub.update(status="canceled", canceled_at=now, ended_at=now, cancel_at_period_end=False)
        return await self._save(sub, "customer.subscription.deleted")

    async def resume_subscription(self, *, subscription_id: str, command_id: str) -> SubscriptionSnapshot:
        sub = await self._subscription(subscription_id)
        if sub["status"] == "canceled":
            raise Conflict("The subscription has ended; start a new checkout.")
        sub.update(cancel_at_period_end=False, canceled_at=None)
        return await self._save(sub)

    async def create_portal_session(self, *, customer_id: str, return_url: str, command_id: str) -> str:
        session_id = await self._once(command_id) or _id("bps")
        portal = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": customer_id,
            "return_url": return_url,
        }
        await self.store.put(session_id, "billing_portal.session", portal, self.clock.now())
        await self._remember(command_id, session_id)
        return return_url  # no portal in development: straight back to the billing page

    async def retrieve_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        return subscription_snapshot(await self._subscription(subscription_id), observed_at=self.clock.now())

    async def retrieve_subscription_object(self, subscription_id: str) -> dict[str, Any]:
        return await self._subscription(subscription_id)

    async def list_events_since(self, since: datetime) -> Sequence[GatewayEvent]:
        found = []
        for event in await self.store.list_since("event", since):
            obj = event["data"]["object"]
            created = timestamp(event["created"]) or since
            snapshot = subscription_snapshot(obj, observed_at=created) if obj.get("object") == "subscription" else None
            found.append(GatewayEvent(event["id"], event["type"], created, snapshot))
        return found

    async def sync_plan(self, plan: Plan, *, command_id: str) -> Plan:
        return plan  # the local gateway reads prices from the checkout itself


def _price_object(price: PriceChoice) -> dict[str, Any]:
    return {
        "id": f"price_local_{price.lookup_key}_{price.amount}",
        "object": "price",
        "lookup_key": price.lookup_key,
        "unit_amount": price.amount,
        "currency": price.currency.lower(),
        "recurring": {"interval": price.interval.value},
    }


def _item(price: dict[str, Any], start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "id": _id("si"),
        "price": price,
        "quantity": 1,
        "current_period_start": unix(start),
        "current_period_end": unix(end),
    }
