"""A finalised invoice or credit note as it goes on paper (`TaxDocument`), from its snapshots only."""

from __future__ import annotations

from decimal import Decimal

from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.documents import (
    DocumentKind,
    DocumentLine,
    OriginalInvoice,
    SgdTotals,
    TaxBreakdown,
    TaxDocument,
)
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Invoice, InvoiceStatus
from nexuscore.billing.domain.tax import TaxTotals, to_sgd
from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.money import currency_exponent

CREDIT_NOTE_TITLE = "Credit Note"


def _lines(lines: tuple[InvoiceLine, ...], totals: TaxTotals) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(
            description=line.description,
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            amount=line.amount,
            tax_category=line.tax_category.value,
            tax_rate=totals.rate if line.tax_category.charges_gst else Decimal(0),
        )
        for line in lines
    )


def _breakdown(totals: TaxTotals) -> tuple[TaxBreakdown, ...]:
    return tuple(
        TaxBreakdown(b.tax_category.value, b.tax_rate, b.taxable_amount, b.tax_amount) for b in totals.breakdown
    )


def sgd_totals(totals: TaxTotals, currency: str, rate: Decimal | None) -> SgdTotals | None:
    """The three totals in SGD: excluding GST and GST converted, including GST their sum (so
    the SGD figures add up as the document's own do)."""
    if currency == "SGD" or rate is None:
        return None
    exponent = currency_exponent(currency)
    excl = to_sgd(totals.total_excluding_gst, rate, exponent)
    gst = to_sgd(totals.gst_amount, rate, exponent)
    return SgdTotals(rate, excl, gst, excl + gst)


def invoice_document(invoice: Invoice) -> TaxDocument:
    f = invoice.finalisation
    if f is None:
        raise Conflict("A draft has no document: finalise it first.")
    return TaxDocument(
        kind=DocumentKind.INVOICE,
        title=f.title,
        uuid=invoice.id,
        number=f.number,
        issue_date=f.issue_date,
        time_of_supply=f.time_of_supply,
        currency=invoice.currency,
        supplier=f.supplier,
        customer=f.customer,
        lines=_lines(invoice.lines, f.totals),
        breakdown=_breakdown(f.totals),
        total_excluding_gst=f.totals.total_excluding_gst,
        gst_amount=f.totals.gst_amount,
        total_including_gst=f.totals.total_including_gst,
        due_date=f.due_date,
        sgd_totals=sgd_totals(f.totals, invoice.currency, f.sgd_exchange_rate),
        reason=invoice.void_reason,
        notes=invoice.notes,
        paid=invoice.status is InvoiceStatus.PAID,
        voided=invoice.status is InvoiceStatus.VOID,
    )


def credit_note_document(note: CreditNote) -> TaxDocument:
    return TaxDocument(
        kind=DocumentKind.CREDIT_NOTE,
        title=CREDIT_NOTE_TITLE,
        uuid=note.id,
        number=note.number,
        issue_date=note.issue_date,
        time_of_supply=note.issue_date,
        currency=note.currency,
        supplier=note.supplier,
        customer=note.customer,
        lines=_lines(note.lines, note.totals),
        breakdown=_breakdown(note.totals),
        total_excluding_gst=note.totals.total_excluding_gst,
        gst_amount=note.totals.gst_amount,
        total_including_gst=note.totals.total_including_gst,
        sgd_totals=sgd_totals(note.totals, note.currency, note.sgd_exchange_rate),
        original_invoice=OriginalInvoice(note.original_number, note.original_issue_date),
        reason=note.reason,
    )
