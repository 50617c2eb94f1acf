"""In-memory fake of billing's invoice gateway: the gateway's current invoices, its customers'
organisations and settlement rates, as a test sets them."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from nexuscore.billing.ports.gateway import GatewayInvoice


class MemoryInvoiceGateway:
    def __init__(self) -> None:
        self.invoices: dict[str, GatewayInvoice] = {}
        self.customers: dict[str, UUID] = {}
        self.rates: dict[str, Decimal] = {}  # invoice id -> SGD per unit, once settled
        self.fetches: list[str] = []

    async def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        self.fetches.append(invoice_id)
        try:
            return self.invoices[invoice_id]
        except KeyError:
            raise LookupError(f"no such invoice: {invoice_id}") from None

    async def organization_of_customer(self, customer_id: str) -> UUID | None:
        return self.customers.get(customer_id)

    async def exchange_rate(self, invoice: GatewayInvoice) -> Decimal | None:
        return self.rates.get(invoice.invoice_id)
