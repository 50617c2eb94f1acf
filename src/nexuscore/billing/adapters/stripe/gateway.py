"""Billing's gateway port on Stripe's REST API (or a stand-in at `base_url`), with httpx: the
invoice refetch, the customer's organisation, and the settlement's exchange rate (the charge's
balance transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

import httpx

from nexuscore.billing.adapters.stripe.invoices import stripe_invoice, stripe_organization
from nexuscore.billing.ports.gateway import GatewayInvoice

DEFAULT_BASE_URL = "https://api.stripe.com"


class StripeInvoiceGateway:
    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float = 10.0) -> None:
        self._api_key = api_key
        self._base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._timeout = timeout

    async def _get(self, path: str) -> Mapping[str, Any]:
        async with httpx.AsyncClient(
            base_url=self._base_url,
            auth=(self._api_key, ""),
            timeout=self._timeout,
            transport=httpx.AsyncHTTPTransport(retries=2),
        ) as client:
            response = await client.get(path)
        response.raise_for_status()
        data: Mapping[str, Any] = response.json()
        return data

    async def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        return stripe_invoice(await self._get(f"/v1/invoices/{invoice_id}"))

    async def organization_of_customer(self, customer_id: str) -> UUID | None:
        return stripe_organization(await self._get(f"/v1/customers/{customer_id}"))

    async def exchange_rate(self, invoice: GatewayInvoice) -> Decimal | None:
        if invoice.charge_id is None:
            return None
        charge = await self._get(f"/v1/charges/{invoice.charge_id}")
        txn = charge.get("balance_transaction")
        txn = txn.get("id") if isinstance(txn, Mapping) else txn
        if not isinstance(txn, str) or not txn:
            return None
        balance = await self._get(f"/v1/balance_transactions/{txn}")
        rate, settled_in = balance.get("exchange_rate"), balance.get("currency")
        if rate is None:
            # No conversion: the charge settled in its own currency (an SGD account's SGD charge).
            return Decimal(1) if str(settled_in).upper() == invoice.currency else None
        try:
            return Decimal(str(rate))
        except InvalidOperation:
            return None
