"""The local payment gateway: the default when STRIPE_SECRET_KEY is unset (refused in production).

It keeps Stripe-shaped objects (customers, prices, checkout sessions, subscriptions,
subscription schedules, invoices, events) in its store and lives the way Stripe does:

- A checkout session's URL is the API's development page `/dev/checkout/{sessionId}`; Pay
  (with a test card) creates the subscription and its first invoice. A card that declines
  (`pm_card_chargeCustomerFail`, Stripe's 4000 0000 0000 0341: attaches, every charge fails)
  fails a checkout that charges at once, and a trial's or renewal's charge later.
- Every change produces the event Stripe would send (`checkout.session.completed`,
  `customer.subscription.created/updated/deleted`, `invoice.finalized`, `invoice.paid`,
  `invoice.payment_failed`), stored here and handed to `on_event`: the webhook inbox's ingest
  (wired in `factory.py`), so local state reaches us on the path Stripe's events take.
- Time moves by the Clock port: `run_due()` (a scheduled task) ends trials, applies a
  downgrade scheduled for the period end, ends subscriptions canceled at period end, rolls the
  period with a renewal invoice, and retries an unpaid invoice once the card was changed.
- A downgrade is a subscription schedule, as the Stripe adapter makes it: the subscription
  keeps its price (and our limits) until the period ends.
Ids carry `_local_` so they are never mistaken for Stripe's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import Conflict, NotFound
from nexuscore.subscriptions.adapters.gateways import local_customers
from nexuscore.subscriptions.adapters.gateways.local_objects import (
    DECLINING_CARD,
    GOOD_CARD,
    PERIOD,
    TEST_CARDS,
    event_object,
    invoice_object,
    new_id,
    paid_invoice,
    price_object,
    schedule_phase,
    seconds,
    subscription_item,
)
from nexuscore.subscriptions.adapters.gateways.local_renewals import run_due
from nexuscore.subscriptions.adapters.gateways.local_store import LocalGatewayStore
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import (
    ORG_METADATA_KEY,
    PENDING_METADATA_KEY,
    price_lookup_key,
    subscription_snapshot,
    timestamp,
    unix,
)
from nexuscore.subscriptions.domain.model import BillingProfile, Interval, Plan, SubscriptionSnapshot
from nexuscore.subscriptions.ports.gateway import CardDeclined, ChangePreview, CheckoutSession, PriceChoice

__all__ = ["DECLINING_CARD", "GOOD_CARD", "TEST_CARDS", "LocalPaymentGateway"]
EventSink = Callable[[dict[str, Any]], Awaitable[object]]


class LocalPaymentGateway:
    name = "local"

    def __init__(
        self, store: LocalGatewayStore, clock: Clock, *, api_base_url: str, on_event: EventSink | None = None
    ) -> None:
        self.store = store
        self.clock = clock
        self.api_base_url = api_base_url.rstrip("/")
        self.on_event = on_event

    async def once(self, command_id: str) -> str | None:
        """The object a command already created (Stripe's idempotency key, kept for ever here)."""
        found = await self.store.get(f"idem:{command_id}")
        return str(found["object"]) if found else None

    async def remember(self, command_id: str, object_id: str) -> None:
        await self.store.put(f"idem:{command_id}", "idempotency", {"object": object_id}, self.clock.now())

    async def ensure_customer(
        self, *, org_id: UUID, profile: BillingProfile | None, customer_id: str | None, command_id: str
    ) -> str:
        return await local_customers.ensure_customer(self, org_id=org_id, profile=profile, customer_id=customer_id)

    async def erase_customer_contact(
        self, *, customer_id: str, masked_email: str | None, masked_name: str | None, command_id: str
    ) -> None:
        await local_customers.erase_customer_contact(
            self, customer_id=customer_id, masked_email=masked_email, masked_name=masked_name
        )

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
        existing = await self.once(command_id)
        session_id = existing or new_id("cs")
        url = f"{self.api_base_url}/dev/checkout/{session_id}"
        if existing is None:
            price_object = await self._price(price)
            session = {
                "id": session_id,
                "object": "checkout.session",
                "mode": "subscription",
                "status": "open",
                "customer": customer_id,
                "client_reference_id": str(org_id),
                "url": url,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "created": unix(self.clock.now()),
                "line_items": [price_object],
                "subscription_data": {
                    "trial_period_days": trial_days or None,
                    "metadata": {ORG_METADATA_KEY: str(org_id)},
                },
            }
            await self.store.put(session_id, "checkout.session", session, self.clock.now())
            await self.remember(command_id, session_id)
        return CheckoutSession(session_id, url)

    async def _price(self, price: PriceChoice) -> dict[str, Any]:
        """The Price object (kept, so a schedule's phase can name it by id)."""
        obj = price_object(price)
        if await self.store.get(obj["id"]) is None:
            await self.store.put(obj["id"], "price", obj, self.clock.now())
        return obj

    async def checkout_session(self, session_id: str) -> dict[str, Any]:
        session = await self.store.get(session_id)
        if session is None or session.get("object") != "checkout.session":
            raise NotFound("No such checkout session.")
        return session

    async def complete_checkout(
        self, session_id: str, *, card: str = GOOD_CARD
    ) -> tuple[dict[str, Any], SubscriptionSnapshot]:
        """Pay with a test card: the subscription (trialing or active) and its first invoice,
        as Stripe makes them. A card that declines a charge due now is a 402 and the session
        stays open (Checkout asks for another card)."""
        session = await self.checkout_session(session_id)
        if session["status"] != "open":
            raise Conflict("This checkout session is no longer open.", extra={"status": session["status"]})
        if card not in TEST_CARDS:
            raise NotFound("No such test card.")
        now = self.clock.now()
        price = session["line_items"][0]
        interval = Interval(price["recurring"]["interval"])
        trial_days = session["subscription_data"].get("trial_period_days") or 0
        if not trial_days and card == DECLINING_CARD:
            raise CardDeclined("Your card was declined.", extra={"declineCode": "generic_decline"})
        customer = await self.customer(session["customer"])
        customer["invoice_settings"] = {"default_payment_method": card}
        await self.store.put(customer["id"], "customer", customer, now)
        await self.emit("customer.updated", customer, now)  # Checkout saves the card as the default
        trial_end = now + timedelta(days=trial_days) if trial_days else None
        period_end = trial_end or now + PERIOD[interval]
        sub_id = new_id("sub")
        subscription: dict[str, Any] = {
            "id": sub_id,
            "object": "subscription",
            "customer": session["customer"],
            "status": "trialing" if trial_days else "active",
            "created": unix(now),
            "metadata": dict(session["subscription_data"]["metadata"]),
            "items": {"object": "list", "data": [subscription_item(price, now, period_end)]},
            "trial_start": unix(now) if trial_days else None,
            "trial_end": unix(trial_end),
            "cancel_at_period_end": False,
            "canceled_at": None,
            "ended_at": None,
            "schedule": None,
            "latest_invoice": None,
        }
        amount = 0 if trial_days else int(price["unit_amount"])
        opened = invoice_object(subscription, customer, price, amount, now, period_end, "subscription_create", now)
        first = paid_invoice(opened, now)
        subscription["latest_invoice"] = first["id"]
        session.update(status="complete", subscription=sub_id)
        await self.store.put(sub_id, "subscription", subscription, now)
        await self.store.put(first["id"], "invoice", first, now)
        await self.store.put(session_id, "checkout.session", session, now)
        await self.emit("customer.subscription.created", subscription, now)
        await self.emit("invoice.finalized", opened, now)
        await self.emit("invoice.paid", first, now)
        await self.emit("checkout.session.completed", session, now)
        return session, subscription_snapshot(subscription, observed_at=self.clock.now())

    async def expire_checkout(self, session_id: str) -> dict[str, Any]:
        session = await self.checkout_session(session_id)
        if session["status"] == "open":
            session["status"] = "expired"
            await self.store.put(session_id, "checkout.session", session, self.clock.now())
        return session

    async def customer(self, customer_id: str) -> dict[str, Any]:
        customer = await self.store.get(customer_id)
        if customer is None or customer.get("object") != "customer":
            raise NotFound("No such customer at the gateway.")
        return customer

    async def set_card(self, customer_id: str, card: str) -> dict[str, Any]:
        """The customer's default payment method (the portal's "update card")."""
        if card not in TEST_CARDS:
            raise NotFound("No such test card.")
        customer = await self.customer(customer_id)
        customer["invoice_settings"] = {"default_payment_method": card}
        await self.store.put(customer_id, "customer", customer, self.clock.now())
        await self.emit("customer.updated", customer, self.clock.now())
        return customer

    async def emit(self, kind: str, obj: dict[str, Any], now: datetime) -> None:
        """Store the event Stripe would send, then hand it to `on_event`."""
        made = event_object(kind, obj, now)
        await self.store.put(made["id"], "event", made, now)
        if self.on_event is not None:
            # After the store: a failed hand-over leaves the event listed for `webhooks backfill`.
            await self.on_event(made)

    async def _subscription(self, subscription_id: str) -> dict[str, Any]:
        sub = await self.store.get(subscription_id)
        if sub is None or sub.get("object") != "subscription":
            raise NotFound("No such subscription at the gateway.")
        return sub

    async def save_subscription(
        self, sub: dict[str, Any], kind: str = "customer.subscription.updated"
    ) -> SubscriptionSnapshot:
        now = self.clock.now()
        await self.store.put(sub["id"], "subscription", sub, now)
        await self.emit(kind, sub, now)
        # Observed once the write is stored, as Stripe's answer comes after its commit: an
        # inbox refetch that read the old state while this write was under way carries an
        # earlier time, so it cannot outrank this answer.
        return subscription_snapshot(sub, observed_at=self.clock.now())

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
        if await self.once(command_id):
            return subscription_snapshot(sub, observed_at=self.clock.now())
        await self._release_schedule(sub)
        item = sub["items"]["data"][0]
        new_price = await self._price(price)
        if price_lookup_key(item["price"]) == price.lookup_key:
            # Back to the current plan (by lookup key, as the Stripe adapter: a subscription on
            # a replaced price of the same plan keeps it): only the pending downgrade is dropped.
            pass
        elif at_period_end:
            end = int(item["current_period_end"])
            schedule = {
                "id": new_id("sub_sched"),
                "object": "subscription_schedule",
                "customer": sub["customer"],
                "subscription": sub["id"],
                "status": "active",
                "end_behavior": "release",
                "created": unix(self.clock.now()),
                "released_at": None,
                "released_subscription": None,
                "current_phase": {"start_date": item["current_period_start"], "end_date": end},
                "phases": [
                    schedule_phase(item["price"]["id"], int(item["current_period_start"]), end, {}),
                    schedule_phase(new_price["id"], end, end + seconds(price.interval), {PENDING_METADATA_KEY: ""}),
                ],
            }
            await self.store.put(schedule["id"], "subscription_schedule", schedule, self.clock.now())
            sub["schedule"] = schedule["id"]
            sub["metadata"][PENDING_METADATA_KEY] = price.lookup_key
        else:
            now = self.clock.now()
            sub["items"]["data"] = [subscription_item(new_price, now, timestamp(item["current_period_end"]) or now)]
            sub["items"]["data"][0]["current_period_start"] = item["current_period_start"]
        await self.remember(command_id, subscription_id)
        return await self.save_subscription(sub)

    async def _release_schedule(self, sub: dict[str, Any]) -> None:
        sub["metadata"].pop(PENDING_METADATA_KEY, None)
        schedule_id = sub.get("schedule")
        sub["schedule"] = None
        schedule = await self.store.get(schedule_id) if schedule_id else None
        if schedule is not None and schedule["status"] == "active":
            schedule.update(
                status="released",
                released_at=unix(self.clock.now()),
                released_subscription=sub["id"],
                subscription=None,
                current_phase=None,
            )
            await self.store.put(schedule["id"], "subscription_schedule", schedule, self.clock.now())

    async def cancel_subscription(
        self, *, subscription_id: str, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot:
        sub = await self._subscription(subscription_id)
        now = unix(self.clock.now())
        if sub["status"] == "canceled":
            return subscription_snapshot(sub, observed_at=self.clock.now())
        await self._release_schedule(sub)  # a cancellation drops a pending downgrade
        if at_period_end:
            sub.update(cancel_at_period_end=True, canceled_at=now)
            return await self.save_subscription(sub)
        sub.update(status="canceled", canceled_at=now, ended_at=now, cancel_at_period_end=False)
        return await self.save_subscription(sub, "customer.subscription.deleted")

    async def resume_subscription(self, *, subscription_id: str, command_id: str) -> SubscriptionSnapshot:
        sub = await self._subscription(subscription_id)
        if sub["status"] == "canceled":
            raise Conflict("The subscription has ended; start a new checkout.")
        sub.update(cancel_at_period_end=False, canceled_at=None)
        return await self.save_subscription(sub)

    async def run_due(self) -> int:
        """Everything due by the clock's now (see `local_renewals`)."""
        return await run_due(self)

    async def create_portal_session(self, *, customer_id: str, return_url: str, command_id: str) -> str:
        session_id = await self.once(command_id) or new_id("bps")
        url = f"{self.api_base_url}/dev/portal/{session_id}"
        portal = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": customer_id,
            "return_url": return_url,
            "url": url,
            "created": unix(self.clock.now()),
        }
        await self.store.put(session_id, "billing_portal.session", portal, self.clock.now())
        await self.remember(command_id, session_id)
        return url

    async def portal_session(self, session_id: str) -> dict[str, Any]:
        portal = await self.store.get(session_id)
        if portal is None or portal.get("object") != "billing_portal.session":
            raise NotFound("No such portal session.")
        return portal

    async def retrieve_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        return subscription_snapshot(await self._subscription(subscription_id), observed_at=self.clock.now())

    async def retrieve_subscription_object(self, subscription_id: str) -> dict[str, Any]:
        return await self._subscription(subscription_id)

    async def retrieve_customer_object(self, customer_id: str) -> dict[str, Any]:
        return await self.customer(customer_id)

    async def list_event_objects(self, since: datetime) -> AsyncIterator[dict[str, Any]]:
        for listed in await self.store.list_since("event", since):
            yield listed

    async def sync_plan(self, plan: Plan, *, command_id: str) -> Plan:
        return plan  # the local gateway reads prices from the checkout itself
