"""Billing's Stripe invoice gateway against localstripe behind our stand-in: an invoice as the
API returns it is read by our parser, the customer names its organisation, and a charge in
another currency is settled in SGD at its balance transaction's exchange rate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx
import pytest

from nexuscore.billing.adapters.stripe.gateway import StripeInvoiceGateway
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
    gateway = StripeInvoiceGateway(api_key=KEY, base_url=stripe_api_base)

    usd = await gateway.retrieve_invoice(await _paid_invoice(stripe_api_base, "usd", org))
    assert (usd.status, usd.currency, usd.total, usd.paid_at is not None) == ("paid", "USD", 10_000, True)
    assert [(line.quantity, line.amount) for line in usd.lines] == [(1, 10_000)]
    assert usd.subscription_id is not None and usd.lines[0].period_end is not None
    assert usd.charge_id is not None and usd.finalized_at is not None
    assert str(await gateway.organization_of_customer(usd.customer_id)) == org
    assert await gateway.exchange_rate(usd) == Decimal("1.3412")

    sgd = await gateway.retrieve_invoice(await _paid_invoice(stripe_api_base, "sgd", org))
    assert sgd.currency == "SGD" and await gateway.exchange_rate(sgd) == Decimal("1.0")
