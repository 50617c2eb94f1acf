"""Billing's gateway port on Stripe's API, through the process's one `StripeClient`
(`platform.stripe_client`: pinned API version, timeout, retries; a stand-in at STRIPE_API_BASE
in tests): the invoice refetch, the customer's organisation, and the settlement's exchange rate
(the charge's balance transaction).

Errors are stripe's, unmapped: the inbox records any failure and retries it with its backoff.
A timeout, an unreachable API or a Stripe 5xx (after the SDK's own retries) raises
`stripe.APIConnectionError` / `stripe.APIError`: retryable. An object Stripe does not have
raises `stripe.InvalidRequestError` with `http_status` 404 (not found), never a None that would
read as "no organisation" or "not settled".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

import stripe

from nexuscore.billing.adapters.stripe.invoices import stripe_invoice, stripe_organization
from nexuscore.billing.ports.gateway import GatewayInvoice


def _plain(obj: stripe.StripeObject) -> Mapping[str, Any]:
    # StripeObject is no Mapping (since v15): billing's parser reads the JSON shape as dicts.
    return obj.to_dict()


class StripeInvoiceGateway:
    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client
        self._v1 = client.v1

    async def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        return stripe_invoice(_plain(await self._v1.invoices.retrieve_async(invoice_id)))

    async def organization_of_customer(self, customer_id: str) -> UUID | None:
        return stripe_organization(_plain(await self._v1.customers.retrieve_async(customer_id)))

    async def exchange_rate(self, invoice: GatewayInvoice) -> Decimal | None:
        if invoice.charge_id is None:
            return None
        charge = _plain(await self._v1.charges.retrieve_async(invoice.charge_id))
        txn = charge.get("balance_transaction")
        txn = txn.get("id") if isinstance(txn, Mapping) else txn
        if not isinstance(txn, str) or not txn:
            return None
        balance = _plain(await self._v1.balance_transactions.retrieve_async(txn))
        rate, settled_in = balance.get("exchange_rate"), balance.get("currency")
        if rate is None:
            # No conversion: the charge settled in its own currency (an SGD account's SGD charge).
            return Decimal(1) if str(settled_in).upper() == invoice.currency else None
        try:
            return Decimal(str(rate))
        except InvalidOperation:
            return None
