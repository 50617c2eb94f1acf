"""Which targets processing drives in this build: the subscriptions context, through
`subscriptions.api` (rule 3's door), in `adapters/subscriptions_sync.py`, and the billing
context through `billing.api`, in `adapters/billing_sync.py`.

- Subscription events (`checkout.session.completed`, `customer.subscription.*`) drive
  subscriptions' version-guarded `sync_subscription`; an object that is not one of ours ends
  `ignored` with the reason (see that module for the outcome mapping and the creation race).
- `customer.updated` ends `ignored` ("billing profiles are kept by NexusCore and pushed to the
  gateway"): subscriptions has no use case that takes the gateway's customer. A pulled sync
  would plug in here as another `BillingProfileSync`.
- Invoice events (`invoice.*`, `credit_note.created`) drive billing's gateway-invoice use cases,
  which refetch through billing's own Stripe gateway (STRIPE_SECRET_KEY; without it they end
  `ignored`).
- Gateway: subscription refetches go through subscriptions' own gateway (Stripe's pinned
  client when STRIPE_SECRET_KEY is set, the local gateway's store otherwise); customers and the
  event list for `webhooks backfill` through webhooks' `StripeHttpGateway` (Stripe only: the
  local gateway has no events to backfill, its checkout page syncs directly).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from nexuscore.billing import api as billing
from nexuscore.platform.modules import Infrastructure
from nexuscore.subscriptions import api as subscriptions
from nexuscore.webhooks.adapters.billing_sync import BillingContextSync
from nexuscore.webhooks.adapters.stripe.gateway import StripeHttpGateway
from nexuscore.webhooks.adapters.subscriptions_sync import (
    IgnoredBillingProfileSync,
    SubscriptionsContextSync,
    SubscriptionsGatewayObjects,
)
from nexuscore.webhooks.ports.targets import GatewayEvent, NotApplicable, PaymentGateway, Targets


class TargetNotWired(NotApplicable):
    """No gateway is configured for this call (see this module's docstring): an event that
    needs one ends `ignored` with this reason."""


class UnconfiguredGateway:
    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        raise TargetNotWired("STRIPE_SECRET_KEY is not set")

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]:
        raise TargetNotWired("STRIPE_SECRET_KEY is not set")

    def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        raise TargetNotWired("STRIPE_SECRET_KEY is not set")


def default_targets(infra: Infrastructure) -> Targets:
    settings = infra.settings
    fallback: PaymentGateway = (
        StripeHttpGateway(api_key=settings.stripe_secret_key, base_url=settings.stripe_api_base)
        if settings.stripe_secret_key
        else UnconfiguredGateway()
    )
    services = subscriptions.build_services(settings, infra.sessions, infra.clock)
    return Targets(
        subscriptions=SubscriptionsContextSync(infra.sessions, services),
        billing_profiles=IgnoredBillingProfileSync(),
        gateway=SubscriptionsGatewayObjects(services, fallback),
        invoices=BillingContextSync(
            infra.sessions,
            billing.build_services(settings, infra.clock, infra.mailer),
            billing.invoice_gateway(settings),
        ),
    )
