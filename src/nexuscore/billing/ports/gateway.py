"""The payment gateway's invoices, as billing reads them (Stripe first; provider-neutral here).

A gateway invoice becomes our tax invoice when it is finalised there: our number, our GST, our
snapshots; the gateway's figures are kept only to compare (`tax` against our GST).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID


class GatewayInvoiceChange(StrEnum):
    FINALIZED = "finalized"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"
    VOIDED = "voided"
    MARKED_UNCOLLECTIBLE = "marked_uncollectible"


@dataclass(frozen=True)
class GatewayInvoiceLine:
    description: str
    quantity: int
    amount: int  # minor units, excluding tax (the line's whole amount, not per unit)
    period_start: datetime | None = None
    period_end: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class GatewayInvoice:
    provider: str
    invoice_id: str
    customer_id: str
    status: str  # the gateway's: draft, open, paid, void, uncollectible
    currency: str  # ISO 4217, upper case
    lines: tuple[GatewayInvoiceLine, ...]
    total: int  # including the gateway's tax
    created: datetime
    tax: int | None = None  # the gateway's tax (None: it computed none)
    total_excluding_tax: int | None = None
    subscription_id: str | None = None
    organization_id: UUID | None = None  # when the invoice (or its subscription) names it
    finalized_at: datetime | None = None
    paid_at: datetime | None = None
    voided_at: datetime | None = None
    charge_id: str | None = None  # the payment's charge, whose balance transaction has the rate


@dataclass(frozen=True, kw_only=True)
class GatewayCreditNote:
    provider: str
    credit_note_id: str
    invoice_id: str
    currency: str
    amount_excluding_tax: int  # minor units: what it credits before tax
    reason: str
    created: datetime


class UnreadableGatewayDocument(ValueError):
    """The gateway's object is not an invoice (or credit note) billing can read."""


class NotOurInvoice(LookupError):
    """The gateway's invoice names no organisation of ours."""


class ExchangeRateUnavailable(RuntimeError):
    """A foreign-currency invoice whose settlement (and so its rate to SGD) is not known yet:
    retried until the payment's balance transaction exists."""


class InvoiceGateway(Protocol):
    async def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        """The invoice as the gateway holds it now (refetch: the payload came out of order)."""
        ...

    async def organization_of_customer(self, customer_id: str) -> UUID | None:
        """The organisation the gateway's customer was created for (its metadata)."""
        ...

    async def exchange_rate(self, invoice: GatewayInvoice) -> Decimal | None:
        """SGD per unit of the invoice's currency, from its settlement (Stripe: the charge's
        balance transaction, `exchange_rate`); None before the invoice is paid."""
        ...
