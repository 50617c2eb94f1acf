"""One payment gateway per process: with a Stripe key, the subscriptions context, the webhook
inbox (refetches, backfill) and billing's invoice gateway share one StripeClient, its API
version pinned once, closed with the runtime; without a key there is none, and billing
refetches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import stripe

from nexuscore.billing import api as billing
from nexuscore.billing.adapters.stripe.gateway import StripeInvoiceGateway
from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform import stripe_client as stripe_client_module
from nexuscore.platform.stripe_client import STRIPE_API_VERSION
from nexuscore.subscriptions import api as subscriptions
from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway
from nexuscore.subscriptions.adapters.http.state import SUBSCRIPTIONS_STATE_KEY
from nexuscore.webhooks.adapters.http.dependencies import WEBHOOKS_STATE_KEY
from tests.conftest import make_settings


def test_the_inbox_uses_the_subscriptions_gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[stripe.StripeClient] = []
    real = stripe.StripeClient

    def counted(*args: object, **kwargs: object) -> stripe.StripeClient:
        client = real(*args, **kwargs)  # type: ignore[arg-type]
        made.append(client)
        return client

    monkeypatch.setattr(stripe, "StripeClient", counted)
    settings = make_settings(
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'one.db'}",
        STRIPE_SECRET_KEY="sk_test_one_client",
        STRIPE_API_BASE="http://127.0.0.1:9",  # never reached: nothing is called here
    )
    runtime = build_runtime(settings)
    services = runtime.module("subscriptions").state[SUBSCRIPTIONS_STATE_KEY].services
    assert isinstance(services.gateway, StripePaymentGateway)
    assert subscriptions.services_for(runtime.sessions) is services
    targets = runtime.module("webhooks").state[WEBHOOKS_STATE_KEY].services.targets
    assert targets.gateway._services() is services
    invoices = targets.invoices._gateway
    assert isinstance(invoices, StripeInvoiceGateway)
    assert len(made) == 1
    assert runtime.infra.stripe is made[0] is services.gateway.client is invoices.client
    assert made[0]._requestor._options.stripe_version == STRIPE_API_VERSION


def test_without_a_stripe_key_there_is_no_client(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")
    runtime = build_runtime(settings)
    assert runtime.infra.stripe is None
    targets = runtime.module("webhooks").state[WEBHOOKS_STATE_KEY].services.targets
    assert isinstance(targets.invoices._gateway, billing.NoInvoiceGateway)


async def test_the_runtime_closes_its_stripe_client(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'close.db'}",
        STRIPE_SECRET_KEY="sk_test_closed",
        STRIPE_API_BASE="http://127.0.0.1:9",
    )
    runtime = build_runtime(settings)
    assert runtime.infra.stripe is not None
    pool = stripe_client_module._TRANSPORTS[runtime.infra.stripe]._client_async
    assert not pool.is_closed
    await runtime.close()
    assert pool.is_closed
