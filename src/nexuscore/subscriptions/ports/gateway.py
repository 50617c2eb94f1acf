"""The PaymentGateway port: what the subscriptions context asks of Stripe (or the local stand-in).

Every mutating call takes `command_id`, our own id of the command that caused it: the adapter
derives the gateway's idempotency key from it, so a retried command never creates a second
customer, session or subscription. Errors are raised as kernel errors (card declined: 402,
gateway down or rate limited: 503 with retry-after, refused request: 422).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from nexuscore.kernel.errors import DependencyUnavailable, QuotaExceeded, ValidationError
from nexuscore.subscriptions.domain.model import BillingProfile, Interval, Plan, SubscriptionSnapshot


class CardDeclined(QuotaExceeded):
    code = "card-declined"
    default_message = "The card was declined."


class GatewayUnavailable(DependencyUnavailable):
    code = "payment-gateway-unavailable"
    default_message = "The payment gateway is unavailable for a moment. Try again shortly."

    def __init__(self, message: str | None = None, *, retry_after_seconds: int = 5) -> None:
        super().__init__(message, extra={"retryAfter": retry_after_seconds})


class PriceNotAtGateway(DependencyUnavailable):
    """The gateway's current price for a plan and interval is missing or differs from the
    catalogue's (`nexuscore plans sync` has not run since the price changed)."""

    code = "price-not-at-gateway"
    default_message = "This plan's price is not yet available at the payment gateway. Try again later."


class GatewayRefused(ValidationError):
    code = "payment-gateway-refused"
    default_message = "The payment gateway refused the request."


@dataclass(frozen=True)
class PriceChoice:
    plan_code: str
    interval: Interval
    lookup_key: str
    amount: int
    currency: str = "SGD"


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


@dataclass(frozen=True)
class ChangePreview:
    """Minor units, GST-exclusive (the use case adds GST)."""

    due_now: int  # the proration charged (or credited, negative) at once
    next_invoice: int  # the next regular invoice
    next_invoice_at: datetime | None
    currency: str = "SGD"
    lines: Sequence[tuple[str, int]] = field(default_factory=tuple)  # (description, amount)


class PaymentGateway(Protocol):
    name: str

    async def ensure_customer(
        self, *, org_id: UUID, profile: BillingProfile | None, customer_id: str | None, command_id: str
    ) -> str:
        """The organisation's customer id: created once, then updated (profile, tax ids)."""
        ...

    async def erase_customer_contact(
        self, *, customer_id: str, masked_email: str | None, masked_name: str | None, command_id: str
    ) -> None:
        """Overwrite the customer's email and/or name (None: leave that one) with erasure's
        masked values; only those two fields change. Raises like any mutating call (a gateway
        that is down is `GatewayUnavailable`: the erasure step fails and is retried)."""
        ...

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
    ) -> CheckoutSession: ...

    async def preview_change(self, *, subscription_id: str, price: PriceChoice, at: datetime) -> ChangePreview: ...

    async def change_subscription(
        self, *, subscription_id: str, price: PriceChoice, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot:
        """At once with proration, or (`at_period_end`) scheduled for the period's end."""
        ...

    async def cancel_subscription(
        self, *, subscription_id: str, at_period_end: bool, command_id: str
    ) -> SubscriptionSnapshot: ...

    async def resume_subscription(self, *, subscription_id: str, command_id: str) -> SubscriptionSnapshot: ...

    async def create_portal_session(self, *, customer_id: str, return_url: str, command_id: str) -> str: ...

    async def retrieve_subscription(self, subscription_id: str) -> SubscriptionSnapshot: ...

    async def retrieve_subscription_object(self, subscription_id: str) -> dict[str, Any]:
        """The subscription as the gateway's API returns it now, Stripe-shaped JSON (the
        webhook inbox's refetch, read with `stripe_shapes.subscription_snapshot`)."""
        ...

    async def retrieve_customer_object(self, customer_id: str) -> dict[str, Any]:
        """The customer as the gateway's API returns it now, tax ids included (Stripe-shaped
        JSON: the webhook inbox's refetch for `customer.updated`)."""
        ...

    def list_event_objects(self, since: datetime) -> AsyncIterator[dict[str, Any]]:
        """Every event created at or after `since` (Stripe keeps 30 days), Stripe-shaped JSON,
        in the gateway's order (the inbox's backfill)."""
        ...

    async def sync_plan(self, plan: Plan, *, command_id: str) -> Plan:
        """Create or update the plan's product and current prices (lookup key = code and
        interval); returns the plan with the gateway's ids filled in."""
        ...
