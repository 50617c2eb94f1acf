"""Invoices and credit notes to and from their rows (lines, breakdowns and snapshots as JSON;
decimals as strings, so nothing passes through a float)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nexuscore.billing.adapters.sql.tables import CreditNoteRow, InvoiceRow
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.documents import Party
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Finalisation, Invoice, InvoiceSource, InvoiceStatus, Payment
from nexuscore.billing.domain.tax import CategoryTotal, TaxCategory, TaxTotals


def lines_out(lines: tuple[InvoiceLine, ...]) -> list[dict[str, Any]]:
    return [
        {
            "description": x.description,
            "quantity": str(x.quantity),
            "unitAmount": x.unit_amount,
            "taxCategory": x.tax_category.value,
        }
        for x in lines
    ]


def lines_in(raw: list[dict[str, Any]]) -> tuple[InvoiceLine, ...]:
    return tuple(
        InvoiceLine(x["description"], Decimal(x["quantity"]), int(x["unitAmount"]), TaxCategory(x["taxCategory"]))
        for x in raw
    )


def breakdown_out(rows: tuple[CategoryTotal, ...]) -> list[dict[str, Any]]:
    return [
        {
            "taxCategory": b.tax_category.value,
            "taxRate": str(b.tax_rate),
            "taxable": b.taxable_amount,
            "tax": b.tax_amount,
        }
        for b in rows
    ]


def breakdown_in(raw: list[dict[str, Any]]) -> tuple[CategoryTotal, ...]:
    return tuple(
        CategoryTotal(TaxCategory(b["taxCategory"]), Decimal(b["taxRate"]), int(b["taxable"]), int(b["tax"]))
        for b in raw
    )


def party_out(p: Party) -> dict[str, Any]:
    return {
        "name": p.name,
        "addressLines": list(p.address_lines),
        "postalCode": p.postal_code,
        "country": p.country,
        "uen": p.uen,
        "gstRegistrationNumber": p.gst_registration_number,
        "email": p.email,
    }


def party_in(raw: dict[str, Any]) -> Party:
    return Party(
        raw["name"],
        tuple(raw["addressLines"]),
        raw["postalCode"],
        raw["country"],
        raw.get("uen"),
        raw.get("gstRegistrationNumber"),
        raw.get("email"),
    )


def _dec(raw: str | None) -> Decimal | None:
    return None if raw is None else Decimal(raw)


def invoice_values(i: Invoice) -> dict[str, Any]:
    f = i.finalisation
    return {
        "organization_id": i.organization_id,
        "status": i.status.value,
        "source": i.source.value,
        "gateway_invoice_id": i.gateway_invoice_id,
        "currency": i.currency,
        "lines": lines_out(i.lines),
        "due_days": i.due_days,
        "notes": i.notes,
        "exchange_rate": None if i.exchange_rate is None else str(i.exchange_rate),
        "number": f.number if f else None,
        "issuer": f.issuer if f else None,
        "issue_date": f.issue_date if f else None,
        "time_of_supply": f.time_of_supply if f else None,
        "finalized_at": f.finalized_at if f else None,
        "title": f.title if f else None,
        "due_date": f.due_date if f else None,
        "tax_rate": str(f.totals.rate) if f else None,
        "breakdown": breakdown_out(f.totals.breakdown) if f else None,
        "total_excluding_gst": f.totals.total_excluding_gst if f else None,
        "gst_amount": f.totals.gst_amount if f else None,
        "total_including_gst": f.totals.total_including_gst if f else None,
        "sgd_exchange_rate": None if f is None or f.sgd_exchange_rate is None else str(f.sgd_exchange_rate),
        "supplier": party_out(f.supplier) if f else None,
        "customer": party_out(f.customer) if f else None,
        "sent_at": i.sent_at,
        "paid_at": i.payment.paid_at if i.payment else None,
        "payment_method": i.payment.method if i.payment else None,
        "payment_reference": i.payment.reference if i.payment else None,
        "last_payment_failed_at": i.last_payment_failed_at,
        "voided_at": i.voided_at,
        "void_reason": i.void_reason,
        "uncollectible_at": i.uncollectible_at,
        "tax_mismatch": i.tax_mismatch,
        "gateway_tax_amount": i.gateway_tax_amount,
        "gateway_version_at": i.gateway_version_at,
        "credited": breakdown_out(i.credited),
        "version": i.version,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    }


def invoice_from_row(r: InvoiceRow) -> Invoice:
    finalisation = None
    if r.number is not None:
        assert r.issuer and r.issue_date and r.time_of_supply and r.finalized_at and r.title and r.tax_rate
        assert r.breakdown is not None and r.supplier is not None and r.customer is not None
        assert r.total_excluding_gst is not None and r.gst_amount is not None and r.total_including_gst is not None
        totals = TaxTotals(
            breakdown_in(r.breakdown), r.total_excluding_gst, r.gst_amount, r.total_including_gst, Decimal(r.tax_rate)
        )
        finalisation = Finalisation(
            r.number,
            r.issuer,
            r.issue_date,
            r.time_of_supply,
            r.finalized_at,
            totals,
            party_in(r.supplier),
            party_in(r.customer),
            r.title,
            r.due_date,
            _dec(r.sgd_exchange_rate),
        )
    payment = None
    if r.paid_at is not None:
        payment = Payment(r.paid_at, r.payment_method or "", r.payment_reference)
    return Invoice(
        organization_id=r.organization_id,
        currency=r.currency,
        lines=lines_in(r.lines),
        created_at=r.created_at,
        updated_at=r.updated_at,
        source=InvoiceSource(r.source),
        gateway_invoice_id=r.gateway_invoice_id,
        status=InvoiceStatus(r.status),
        due_days=r.due_days,
        notes=r.notes,
        exchange_rate=_dec(r.exchange_rate),
        finalisation=finalisation,
        sent_at=r.sent_at,
        payment=payment,
        last_payment_failed_at=r.last_payment_failed_at,
        voided_at=r.voided_at,
        void_reason=r.void_reason,
        uncollectible_at=r.uncollectible_at,
        tax_mismatch=r.tax_mismatch,
        gateway_tax_amount=r.gateway_tax_amount,
        gateway_version_at=r.gateway_version_at,
        credited=breakdown_in(r.credited),
        version=r.version,
        id=r.id,
    )


def credit_note_values(n: CreditNote) -> dict[str, Any]:
    return {
        "organization_id": n.organization_id,
        "invoice_id": n.invoice_id,
        "number": n.number,
        "issuer": n.issuer,
        "issue_date": n.issue_date,
        "currency": n.currency,
        "reason": n.reason,
        "lines": lines_out(n.lines),
        "tax_rate": str(n.totals.rate),
        "breakdown": breakdown_out(n.totals.breakdown),
        "total_excluding_gst": n.totals.total_excluding_gst,
        "gst_amount": n.totals.gst_amount,
        "total_including_gst": n.totals.total_including_gst,
        "original_number": n.original_number,
        "original_issue_date": n.original_issue_date,
        "sgd_exchange_rate": None if n.sgd_exchange_rate is None else str(n.sgd_exchange_rate),
        "supplier": party_out(n.supplier),
        "customer": party_out(n.customer),
        "source": n.source.value,
        "gateway_credit_note_id": n.gateway_credit_note_id,
        "created_at": n.created_at,
    }


def credit_note_from_row(r: CreditNoteRow) -> CreditNote:
    return CreditNote(
        organization_id=r.organization_id,
        invoice_id=r.invoice_id,
        number=r.number,
        issuer=r.issuer,
        issue_date=r.issue_date,
        currency=r.currency,
        reason=r.reason,
        lines=lines_in(r.lines),
        totals=TaxTotals(
            breakdown_in(r.breakdown), r.total_excluding_gst, r.gst_amount, r.total_including_gst, Decimal(r.tax_rate)
        ),
        original_number=r.original_number,
        original_issue_date=r.original_issue_date,
        supplier=party_in(r.supplier),
        customer=party_in(r.customer),
        created_at=r.created_at,
        sgd_exchange_rate=_dec(r.sgd_exchange_rate),
        source=InvoiceSource(r.source),
        gateway_credit_note_id=r.gateway_credit_note_id,
        id=r.id,
    )
