"""Credit notes: `credit` is the shared step (no commit) the gateway path builds on;
`issue_credit_note` is staff's."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from nexuscore.billing.application.common import (
    LineInput,
    locked_invoice,
    parse_lines,
)
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.credit_note import CreditNote, format_number
from nexuscore.billing.domain.events import (
    CreditNoteIssued,
)
from nexuscore.billing.domain.lines import InvoiceLine, check_reason
from nexuscore.billing.domain.model import (
    DocumentSeries,
    Invoice,
    InvoiceNotDraft,
    InvoiceSource,
)
from nexuscore.billing.domain.permissions import require_staff
from nexuscore.billing.domain.tax import (
    TaxCategory,
    parse_category,
)
from nexuscore.billing.ports.repositories import BillingUnitOfWork
from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import FieldError, ValidationError

# ---- credit notes -------------------------------------------------------------------------


async def credit(
    uow: BillingUnitOfWork,
    services: BillingServices,
    invoice: Invoice,
    *,
    lines: tuple[InvoiceLine, ...],
    reason: str,
    now: datetime,
    actor_id: UUID | None = None,
    source: InvoiceSource = InvoiceSource.MANUAL,
    gateway_credit_note_id: str | None = None,
) -> tuple[CreditNote, CreditNoteIssued]:
    """Issue a credit note against the invoice in the current transaction (NotCreditable beyond
    what remains). The caller saves the invoice, adds the note, records the event, commits."""
    f = invoice.finalisation
    if f is None:
        raise InvoiceNotDraft("A draft has nothing to credit.")  # pragma: no cover - credit_totals refuses first
    reason = check_reason(reason)
    totals = invoice.credit_totals(tuple((line.tax_category, line.amount) for line in lines))
    issue_date = business_date(now)
    sequence = await uow.numbers.next(f.issuer, DocumentSeries.CREDIT_NOTE, issue_date.year)
    number = format_number(services.prefixes.credit_note, issue_date.year, sequence)
    note = CreditNote(
        organization_id=invoice.organization_id,
        invoice_id=invoice.id,
        number=number,
        issuer=f.issuer,
        issue_date=issue_date,
        currency=invoice.currency,
        reason=reason,
        lines=lines,
        totals=totals,
        original_number=f.number,
        original_issue_date=f.issue_date,
        supplier=f.supplier,
        customer=f.customer,
        created_at=now,
        sgd_exchange_rate=f.sgd_exchange_rate,
        source=source,
        gateway_credit_note_id=gateway_credit_note_id,
    )
    invoice.record_credit(totals, now)
    event = CreditNoteIssued(
        occurred_at=now,
        organization_id=invoice.organization_id,
        actor_id=actor_id,
        credit_note_id=note.id,
        invoice_id=invoice.id,
        number=number,
        invoice_number=f.number,
        currency=invoice.currency,
        total_excluding_gst=totals.total_excluding_gst,
        gst_amount=totals.gst_amount,
        total_including_gst=totals.total_including_gst,
    )
    return note, event


async def issue_credit_note(
    uow: BillingUnitOfWork,
    services: BillingServices,
    *,
    is_staff: bool,
    actor_id: UUID,
    invoice_id: UUID,
    reason: str,
    lines: tuple[LineInput, ...] | None = None,
    amount: int | None = None,
    tax_category: str | None = None,
) -> CreditNote:
    """By lines (each with its category) or by an amount (GST-exclusive, minor units) of one
    category: the invoice's only one unless `tax_category` names it."""
    require_staff(is_staff)
    if (lines is None) == (amount is None):
        raise ValidationError(
            "Credit lines or an amount.", errors=[FieldError("lines", "give lines or amount, not both")]
        )
    check_reason(reason)
    parsed = parse_lines(lines) if lines is not None else None
    if parsed is not None and not parsed:
        raise ValidationError("At least one line.", errors=[FieldError("lines", "at least one line")])
    if parsed is not None:
        for i, line in enumerate(parsed):
            if not line.description or len(line.description) > 500:
                raise ValidationError("Bad line.", errors=[FieldError(f"lines.{i}.description", "1-500 characters")])
            if line.amount <= 0:
                raise ValidationError("Bad line.", errors=[FieldError(f"lines.{i}.unitAmount", "more than 0")])
    if amount is not None and amount <= 0:
        raise ValidationError("Bad amount.", errors=[FieldError("amount", "more than 0 minor units")])
    await uow.bind_system()
    invoice = await locked_invoice(uow, invoice_id)
    now = services.clock.now()
    if parsed is None:
        assert amount is not None
        category = _credit_category(invoice, tax_category)
        parsed = (InvoiceLine(f"Credit against {invoice.number or 'the invoice'}", Decimal(1), amount, category),)
    note, event = await credit(uow, services, invoice, lines=parsed, reason=reason, now=now, actor_id=actor_id)
    await uow.invoices.save(invoice)
    await uow.credit_notes.add(note)
    await uow.events.append(event)
    await uow.commit()
    return note


def _credit_category(invoice: Invoice, raw: str | None) -> TaxCategory:
    if raw is not None:
        return parse_category(raw, field="taxCategory")
    categories = {line.tax_category for line in invoice.lines}
    if len(categories) != 1:
        raise ValidationError(
            "The invoice mixes tax categories: name the one credited.",
            errors=[FieldError("taxCategory", "required when the invoice has more than one category")],
        )
    return next(iter(categories))
