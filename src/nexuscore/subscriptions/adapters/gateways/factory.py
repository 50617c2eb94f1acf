"""The payment gateway a process uses: Stripe, on the process's one client, when
STRIPE_SECRET_KEY is set; else the local development gateway (settings refuse production
without a Stripe key), whose events are handed to the webhook inbox's ingest (`webhooks.api`),
the path Stripe's deliveries take."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from stripe import StripeClient

from nexuscore.kernel.clock import Clock
from nexuscore.platform.settings import Settings
from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway
from nexuscore.subscriptions.adapters.gateways.local_store import SqlLocalGatewayStore
from nexuscore.subscriptions.ports.gateway import PaymentGateway
from nexuscore.webhooks.api import LocalEventIngest


def build_gateway(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    stripe_client: StripeClient | None,
) -> PaymentGateway:
    """`stripe_client` is the process's one (`Infrastructure.stripe`, set with STRIPE_SECRET_KEY)."""
    if stripe_client is not None:
        from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway

        return StripePaymentGateway(stripe_client, clock)
    if settings.is_production:
        raise RuntimeError("the local payment gateway is refused in production: set STRIPE_SECRET_KEY")
    inbox = LocalEventIngest(sessions, clock)
    return LocalPaymentGateway(
        SqlLocalGatewayStore(sessions), clock, api_base_url=settings.api_base_url, on_event=inbox.ingest_stripe_event
    )
