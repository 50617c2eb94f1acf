"""Which targets processing drives in this build.

The subscriptions context (issue 11) is merged separately. Until it is, no subscription or
billing-profile owner exists, so the defaults refuse every sync with an error: events are
stored, retried and finally `dead`, never marked processed without effect, and a bulk
replay (`status: dead`) runs them once the owner is plugged in.

At merge, plug the owner here (rule 3's door: adapters may call another context's api.py):
`default_targets` returns `Targets(subscriptions=<adapter calling
subscriptions.api.sync_subscription>, billing_profiles=<... sync_billing_profile>,
gateway=<subscriptions' Stripe gateway, or StripeHttpGateway>)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from nexuscore.platform.modules import Infrastructure
from nexuscore.webhooks.adapters.stripe.gateway import StripeHttpGateway
from nexuscore.webhooks.ports.targets import (
    BillingProfileSnapshot,
    GatewayEvent,
    SubscriptionSnapshot,
    SyncOutcome,
    Targets,
    TrialEnding,
)


class TargetNotWired(RuntimeError):
    """No owner of this state is plugged in yet (see this module's docstring)."""


class UnwiredSubscriptionSync:
    async def sync_subscription(self, snapshot: SubscriptionSnapshot) -> SyncOutcome:
        raise TargetNotWired("no subscriptions context is wired to the webhook inbox")

    async def trial_will_end(self, notice: TrialEnding) -> None:
        raise TargetNotWired("no subscriptions context is wired to the webhook inbox")


class UnwiredBillingProfileSync:
    async def sync_billing_profile(self, snapshot: BillingProfileSnapshot) -> SyncOutcome:
        raise TargetNotWired("no billing-profile owner is wired to the webhook inbox")


class UnconfiguredGateway:
    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        raise TargetNotWired("STRIPE_SECRET_KEY is not set")

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]:
        raise TargetNotWired("STRIPE_SECRET_KEY is not set")

    def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        raise TargetNotWired("STRIPE_SECRET_KEY is not set")


def default_targets(infra: Infrastructure) -> Targets:
    settings = infra.settings
    gateway = (
        StripeHttpGateway(api_key=settings.stripe_secret_key, base_url=settings.stripe_api_base)
        if settings.stripe_secret_key
        else UnconfiguredGateway()
    )
    return Targets(
        subscriptions=UnwiredSubscriptionSync(),
        billing_profiles=UnwiredBillingProfileSync(),
        gateway=gateway,
    )
