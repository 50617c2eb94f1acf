"""Billing's Stripe invoice gateway (stripe-python, the house's client) against localstripe
behind our stand-in: an invoice as the API returns it is read by our parser, the customer names
its organisation, and a charge in another currency is settled in SGD at its balance
transaction's exchange rate. Failures stay stripe's errors: an object Stripe lacks is a 404,
an unreachable API or a 5xx (after the client's retries) is retryable."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx
import pytest
import stripe
from aiohttp import web

from nexuscore.billing.adapters.stripe.gateway import StripeInvoiceGateway
from nexuscore.billing.ports.gateway import GatewayInvoice
from nexuscore.platform.stripe_client import NETWORK_RETRIES, stripe_client
from tests.integration.subscriptions.conftest import stripe_api_base as stripe_api_base

pytestmark = pytest.mark.integration
KEY = "sk_test_billing_gateway"


async def _post(http: httpx.AsyncClient, path: str, data: dict[str, str]) -> dict[str, Any]:
    response = await http.post(path, data=data)
    assert response.status_code == 200, (path, response.text)
    body: dict[str, Any] = response.json()
    return body


async def _paid_invoice(base: str, currency: str, org: str) -> str:
    async with httpx.AsyncClient(base_url=base, auth=(KEY, "")) as http:
        customer = await _post(http, "/v1/customers", {"email": "a@kopi.sg", "metadata[organization_id]": org})
        card = {
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
        }
        token = await _post(http, "/v1/tokens", card)
        await _post(http, f"/v1/customers/{customer['id']}/sources", {"source": token["id"]})
        # localstripe invoices subscriptions only: a plan in the currency, subscribed at once
        plan = {"id": f"plan_{currency}_{uuid4().hex[:8]}", "amount": "10000", "currency": currency}
        await _post(http, "/v1/plans", {**plan, "interval": "month", "product[name]": "Setup"})
        subscription = await _post(
            http, "/v1/subscriptions", {"customer": customer["id"], "items[0][plan]": plan["id"]}
        )
        invoice = {"id": subscription["latest_invoice"]}
        return str(invoice["id"])


async def test_an_invoice_its_organisation_and_its_settlement_rate(stripe_api_base: str) -> None:
    org = str(uuid4())
    async with httpx.AsyncClient() as http:
        set_rate = await http.post(f"{stripe_api_base}/_standin/exchange_rates", json={"usd": "1.3412"})
        assert set_rate.status_code == 200
    gateway = StripeInvoiceGateway(stripe_client(KEY, api_base=stripe_api_base))

    usd = await gateway.retrieve_invoice(await _paid_invoice(stripe_api_base, "usd", org))
    assert (usd.status, usd.currency, usd.total, usd.paid_at is not None) == ("paid", "USD", 10_000, True)
    assert [(line.quantity, line.amount) for line in usd.lines] == [(1, 10_000)]
    assert usd.subscription_id is not None and usd.lines[0].period_end is not None
    assert usd.charge_id is not None and usd.finalized_at is not None
    assert str(await gateway.organization_of_customer(usd.customer_id)) == org
    assert await gateway.exchange_rate(usd) == Decimal("1.3412")

    sgd = await gateway.retrieve_invoice(await _paid_invoice(stripe_api_base, "sgd", org))
    assert sgd.currency == "SGD" and await gateway.exchange_rate(sgd) == Decimal("1.0")


async def test_what_stripe_does_not_have_is_a_404(stripe_api_base: str) -> None:
    gateway = StripeInvoiceGateway(stripe_client(KEY, api_base=stripe_api_base))
    with pytest.raises(stripe.InvalidRequestError) as invoice:
        await gateway.retrieve_invoice("in_missing")
    with pytest.raises(stripe.InvalidRequestError) as customer:
        await gateway.organization_of_customer("cus_missing")
    assert (invoice.value.http_status, customer.value.http_status) == (404, 404)


@pytest.fixture
async def failing_api() -> AsyncIterator[tuple[str, list[str]]]:
    """A Stripe API that answers every request with a 503: its base address and the paths asked."""
    asked: list[str] = []

    async def unavailable(request: web.Request) -> web.Response:
        asked.append(request.path)
        return web.json_response({"error": {"type": "api_error", "message": "down"}}, status=503)

    app = web.Application()
    app.router.add_get("/{tail:.*}", unavailable)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", asked
    finally:
        await runner.cleanup()


async def test_a_stripe_5xx_is_retried_then_raised(failing_api: tuple[str, list[str]]) -> None:
    base, asked = failing_api
    gateway = StripeInvoiceGateway(stripe_client(KEY, api_base=base))
    with pytest.raises(stripe.APIError) as raised:
        await gateway.exchange_rate(_invoice(charge_id="ch_x"))
    assert raised.value.http_status == 503
    assert asked == ["/v1/charges/ch_x"] * (1 + NETWORK_RETRIES)


async def test_an_unreachable_api_is_a_connection_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connections are refused
        gateway = StripeInvoiceGateway(stripe_client(KEY, api_base=f"http://127.0.0.1:{port}"))
        with pytest.raises(stripe.APIConnectionError):
            await gateway.retrieve_invoice("in_x")


def _invoice(*, charge_id: str) -> GatewayInvoice:
    return GatewayInvoice(
        provider="stripe",
        invoice_id="in_x",
        customer_id="cus_x",
        status="paid",
        currency="USD",
        lines=(),
        total=100,
        created=datetime(2026, 1, 1, tzinfo=UTC),
        charge_id=charge_id,
    )
