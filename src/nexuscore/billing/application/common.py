"""What the billing use cases share: inputs, parsing, the not-found errors, small steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import (
    Invoice,
)
from nexuscore.billing.domain.parties import BillingCustomer
from nexuscore.billing.domain.tax import (
    SupplyParties,
    parse_category,
    parse_quantity,
)
from nexuscore.billing.ports.repositories import BillingUnitOfWork
from nexuscore.kernel.errors import FieldError, NotFound, ValidationError

PAYMENT_METHODS = ("bank_transfer", "paynow", "cheque", "card", "cash", "other")
PDF = "application/pdf"


class InvoiceNotFound(NotFound):
    default_message = "No such invoice."


class CreditNoteNotFound(NotFound):
    default_message = "No such credit note."


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: str
    unit_amount: int
    tax_category: str


@dataclass(frozen=True)
class DraftInput:
    organization_id: UUID
    currency: str
    lines: tuple[LineInput, ...]
    due_days: int | None = None
    notes: str | None = None
    exchange_rate: str | None = None


@dataclass(frozen=True)
class DraftChanges:
    currency: str | None = None
    lines: tuple[LineInput, ...] | None = None
    due_days: int | None = None
    notes: str | None = None
    exchange_rate: str | None = None
    clear: frozenset[str] = frozenset()  # optional fields set back to none: due_days, notes, exchange_rate


def parse_lines(lines: tuple[LineInput, ...], *, field: str = "lines") -> tuple[InvoiceLine, ...]:
    errors: list[FieldError] = []
    out: list[InvoiceLine] = []
    for i, line in enumerate(lines):
        try:
            quantity = parse_quantity(line.quantity, field=f"{field}.{i}.quantity")
            category = parse_category(line.tax_category, field=f"{field}.{i}.taxCategory")
        except ValidationError as exc:
            errors.extend(exc.errors)
            continue
        out.append(InvoiceLine(line.description.strip(), quantity, line.unit_amount, category))
    if errors:
        raise ValidationError("The lines are not valid.", errors=errors)
    return tuple(out)


def parties_of(services: BillingServices, customer: BillingCustomer) -> SupplyParties:
    return SupplyParties(
        supplier_gst_registered=services.supplier.gst_registered,
        customer_gst_registered=customer.gst_registered,
        customer_overseas_evidence=customer.overseas_evidence,
    )


async def customer_of(uow: BillingUnitOfWork, org_id: UUID) -> BillingCustomer:
    customer = await uow.customers.customer(org_id)
    if customer is None:
        raise ValidationError(
            "The organisation has no billing profile.",
            errors=[FieldError("organizationId", "no billing profile (the organisation sets it first)")],
        )
    return customer


def event_base(invoice: Invoice, actor_id: UUID | None, now: datetime) -> dict[str, Any]:
    return {
        "occurred_at": now,
        "organization_id": invoice.organization_id,
        "actor_id": actor_id,
        "invoice_id": invoice.id,
        "source": invoice.source.value,
        "status": invoice.status.value,
    }


async def locked_invoice(uow: BillingUnitOfWork, invoice_id: UUID) -> Invoice:
    invoice = await uow.invoices.get(invoice_id, for_update=True)
    if invoice is None:
        raise InvoiceNotFound()
    return invoice
