"""One payment gateway per process: with a Stripe key, the subscriptions context and the
webhook inbox (refetches, backfill) share one StripeClient, its API version pinned once."""

from __future__ import annotations

from pathlib import Path

import pytest
import stripe

from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.subscriptions import api as subscriptions
from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import STRIPE_API_VERSION
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
    inbox_gateway = runtime.module("webhooks").state[WEBHOOKS_STATE_KEY].services.targets.gateway
    assert inbox_gateway._services() is services
    assert len(made) == 1
    assert made[0]._requestor._options.stripe_version == STRIPE_API_VERSION
