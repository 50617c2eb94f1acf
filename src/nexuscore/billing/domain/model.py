"""Invoices: documents of record, never deleted.

An invoice starts as a draft (no number, editable); finalising it assigns its number, fixes
its time of supply, rate, totals and snapshots of supplier and customer; from then on it is
never edited. Its status moves only through the methods here, which own the transitions:

    draft -> open -> paid | void | uncollectible;  uncollectible -> paid | void

Paid and void are terminal: a late `payment_failed`, a second `paid`, a `void` of a paid
invoice change nothing (the gateway path) or are refused (409, the staff path). Credit notes
may be issued against an open, paid or uncollectible invoice, never beyond what remains
creditable per tax category. Each change bumps `version` (optimistic concurrency in storage).

An invoice has a source: `manual` (staff) or `stripe` (the gateway's invoice id, unique).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from nexuscore.billing.domain.documents import Party
from nexuscore.billing.domain.lines import MAX_DUE_DAYS, MAX_NOTES, MAX_REASON, InvoiceLine, check_lines
from nexuscore.billing.domain.tax import (
    CategoryTotal,
    TaxCategory,
    TaxTotals,
    compute_totals,
)
from nexuscore.kernel.errors import BusinessRuleViolation, Conflict, FieldError, ValidationError
from nexuscore.kernel.ids import new_id


class InvoiceStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # finalised, awaiting payment
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


class InvoiceSource(enum.StrEnum):
    MANUAL = "manual"
    STRIPE = "stripe"


class DocumentSeries(enum.StrEnum):
    """The number series: one per issuer, document kind and year."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class Applied(enum.StrEnum):
    """What a gateway-driven transition did."""

    APPLIED = "applied"
    ALREADY = "already"  # the invoice is there already: a repeated delivery
    IGNORED = "ignored"  # a late or stale one that would move a terminal invoice backwards


S = InvoiceStatus
ALLOWED: dict[InvoiceStatus, frozenset[InvoiceStatus]] = {
    S.DRAFT: frozenset({S.OPEN}),
    S.OPEN: frozenset({S.PAID, S.VOID, S.UNCOLLECTIBLE}),
    S.UNCOLLECTIBLE: frozenset({S.PAID, S.VOID}),
    S.PAID: frozenset(),
    S.VOID: frozenset(),
}
CREDITABLE = frozenset({S.OPEN, S.PAID, S.UNCOLLECTIBLE})


class InvoiceNotDraft(Conflict):
    code = "invoice-not-draft"
    default_message = "The invoice is finalised: it can no longer be edited."


class InvoiceStateConflict(Conflict):
    code = "invoice-state-conflict"
    default_message = "The invoice's status does not allow this."


class NotCreditable(BusinessRuleViolation):
    code = "not-creditable"
    default_message = "The credit note exceeds what remains creditable on the invoice."


@dataclass(frozen=True)
class Payment:
    paid_at: datetime
    method: str
    reference: str | None = None


@dataclass(frozen=True)
class Finalisation:
    """What finalising fixed for good."""

    number: str
    issuer: str
    issue_date: date  # Asia/Singapore
    time_of_supply: date
    finalized_at: datetime
    totals: TaxTotals
    supplier: Party
    customer: Party
    title: str
    due_date: date | None
    sgd_exchange_rate: Decimal | None  # SGD per unit, for a currency other than SGD


@dataclass
class Invoice:
    organization_id: UUID
    currency: str
    lines: tuple[InvoiceLine, ...]
    created_at: datetime
    updated_at: datetime
    source: InvoiceSource = InvoiceSource.MANUAL
    gateway_invoice_id: str | None = None
    status: InvoiceStatus = InvoiceStatus.DRAFT
    due_days: int | None = None
    notes: str | None = None
    exchange_rate: Decimal | None = None  # SGD per unit; staff-entered (manual) or the gateway's
    finalisation: Finalisation | None = None
    sent_at: datetime | None = None
    payment: Payment | None = None
    last_payment_failed_at: datetime | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    uncollectible_at: datetime | None = None
    tax_mismatch: bool = False  # the gateway's tax differs from ours (flagged for staff, never changed)
    gateway_tax_amount: int | None = None
    gateway_version_at: datetime | None = None  # the newest gateway event applied (the gateway path)
    credited: tuple[CategoryTotal, ...] = ()  # what credit notes took, per category
    version: int = 1
    id: UUID = field(default_factory=new_id)

    # ---- drafts ------------------------------------------------------------------------
    @classmethod
    def draft(
        cls,
        *,
        organization_id: UUID,
        currency: str,
        lines: tuple[InvoiceLine, ...],
        now: datetime,
        due_days: int | None = None,
        notes: str | None = None,
        exchange_rate: Decimal | None = None,
        source: InvoiceSource = InvoiceSource.MANUAL,
        gateway_invoice_id: str | None = None,
    ) -> Invoice:
        check_lines(lines)
        _check_extras(currency, due_days, notes, exchange_rate)
        if (source is InvoiceSource.STRIPE) != (gateway_invoice_id is not None):
            raise ValueError("a gateway invoice id goes with the stripe source, and only with it")
        return cls(
            organization_id,
            currency,
            lines,
            now,
            now,
            source,
            gateway_invoice_id,
            due_days=due_days,
            notes=notes,
            exchange_rate=exchange_rate,
        )

    def edit(
        self,
        *,
        now: datetime,
        currency: str | None = None,
        lines: tuple[InvoiceLine, ...] | None = None,
        due_days: int | None = None,
        notes: str | None = None,
        exchange_rate: Decimal | None = None,
        clear: frozenset[str] = frozenset(),
    ) -> None:
        """Change a draft; `clear` names the optional fields set back to none."""
        if self.status is not InvoiceStatus.DRAFT:
            raise InvoiceNotDraft()
        new_lines = self.lines if lines is None else lines
        check_lines(new_lines)
        new_currency = currency or self.currency
        new_due = None if "due_days" in clear else (due_days if due_days is not None else self.due_days)
        new_notes = None if "notes" in clear else (notes if notes is not None else self.notes)
        new_rate = (
            None if "exchange_rate" in clear else (exchange_rate if exchange_rate is not None else self.exchange_rate)
        )
        _check_extras(new_currency, new_due, new_notes, new_rate)
        self.lines, self.currency, self.due_days, self.notes, self.exchange_rate = (
            new_lines,
            new_currency,
            new_due,
            new_notes,
            new_rate,
        )
        self._touch(now)

    # ---- finalisation ------------------------------------------------------------------
    @property
    def number(self) -> str | None:
        return self.finalisation.number if self.finalisation else None

    def finalize(self, finalisation: Finalisation) -> None:
        if self.status is not InvoiceStatus.DRAFT:
            raise InvoiceNotDraft("The invoice is finalised already.")
        self.finalisation = finalisation
        self.status = InvoiceStatus.OPEN
        self._touch(finalisation.finalized_at)

    def totals_for(self, rate: Decimal) -> TaxTotals:
        return compute_totals(((line.tax_category, line.amount) for line in self.lines), rate)

    # ---- after finalisation ------------------------------------------------------------
    def mark_sent(self, now: datetime) -> None:
        if self.status is InvoiceStatus.DRAFT:
            raise InvoiceStateConflict("A draft cannot be sent: finalise it first.")
        if self.status is InvoiceStatus.VOID:
            raise InvoiceStateConflict("A void invoice is not sent.")
        self.sent_at = now
        self._touch(now)

    def mark_paid(self, payment: Payment, now: datetime) -> None:
        """Staff's mark: 409 unless open or uncollectible."""
        if self.apply_paid(payment, now) is not Applied.APPLIED:
            raise InvoiceStateConflict(f"A {self.status.value} invoice cannot be marked paid.")

    def apply_paid(self, payment: Payment, now: datetime) -> Applied:
        if self.status is InvoiceStatus.PAID:
            return Applied.ALREADY
        if InvoiceStatus.PAID not in ALLOWED[self.status]:
            return Applied.IGNORED
        self.payment = payment
        self.status = InvoiceStatus.PAID
        self._touch(now)
        return Applied.APPLIED

    def apply_payment_failed(self, at: datetime, now: datetime) -> Applied:
        """A failed attempt: noted on an open invoice, never un-pays a paid one."""
        if self.status is not InvoiceStatus.OPEN:
            return Applied.IGNORED
        if self.last_payment_failed_at is not None and at <= self.last_payment_failed_at:
            return Applied.ALREADY
        self.last_payment_failed_at = at
        self._touch(now)
        return Applied.APPLIED

    def void(self, reason: str, now: datetime) -> None:
        """Staff's void: the invoice keeps its number. A paid invoice is credited, not voided."""
        reason = reason.strip()
        if not reason or len(reason) > MAX_REASON:
            raise ValidationError("A reason is required.", errors=[FieldError("reason", f"1-{MAX_REASON} characters")])
        if self.status is InvoiceStatus.DRAFT:
            raise InvoiceStateConflict("A draft has no number to void; leave it unfinalised.")
        if self.apply_void(reason, now) is not Applied.APPLIED:
            raise InvoiceStateConflict(
                f"A {self.status.value} invoice cannot be voided"
                + (": issue a credit note instead." if self.status is InvoiceStatus.PAID else ".")
            )

    def apply_void(self, reason: str | None, now: datetime) -> Applied:
        if self.status is InvoiceStatus.VOID:
            return Applied.ALREADY
        if InvoiceStatus.VOID not in ALLOWED[self.status] or self.credited:
            return Applied.IGNORED
        self.status = InvoiceStatus.VOID
        self.voided_at = now
        self.void_reason = reason
        self._touch(now)
        return Applied.APPLIED

    def apply_uncollectible(self, now: datetime) -> Applied:
        if self.status is InvoiceStatus.UNCOLLECTIBLE:
            return Applied.ALREADY
        if InvoiceStatus.UNCOLLECTIBLE not in ALLOWED[self.status]:
            return Applied.IGNORED
        self.status = InvoiceStatus.UNCOLLECTIBLE
        self.uncollectible_at = now
        self._touch(now)
        return Applied.APPLIED

    def flag_tax_mismatch(self, gateway_tax_amount: int, now: datetime) -> bool:
        """Record the gateway's tax; flag when it differs from ours (never change ours)."""
        if self.finalisation is None:
            raise InvoiceStateConflict("Only a finalised invoice has a tax to compare.")
        self.gateway_tax_amount = gateway_tax_amount
        self.tax_mismatch = gateway_tax_amount != self.finalisation.totals.gst_amount
        self._touch(now)
        return self.tax_mismatch

    # ---- credit ------------------------------------------------------------------------
    def remaining(self) -> dict[TaxCategory, tuple[int, int]]:
        """(taxable, tax) still creditable per category."""
        if self.finalisation is None:
            return {}
        out: dict[TaxCategory, tuple[int, int]] = {}
        for b in self.finalisation.totals.breakdown:
            taken = [c for c in self.credited if c.tax_category is b.tax_category]
            out[b.tax_category] = (
                b.taxable_amount - sum(c.taxable_amount for c in taken),
                b.tax_amount - sum(c.tax_amount for c in taken),
            )
        return out

    def credit_totals(self, amounts: tuple[tuple[TaxCategory, int], ...]) -> TaxTotals:
        """The totals of a credit note of these amounts; NotCreditable beyond what remains.

        Same method as the invoice (GST once on the charged total, half-up, at the invoice's
        rate); a credit note that takes the last of the charged amounts takes exactly the
        GST that remains, so the credits of an invoice never differ from it by a cent.
        """
        if self.finalisation is None or self.status not in CREDITABLE:
            raise InvoiceStateConflict(f"A {self.status.value} invoice cannot be credited.")
        remaining = self.remaining()
        asked: dict[TaxCategory, int] = {}
        for category, amount in amounts:
            asked[category] = asked.get(category, 0) + amount
        errors = []
        for category, amount in asked.items():
            left = remaining.get(category, (0, 0))[0]
            if category not in remaining:
                errors.append(FieldError("lines", f"the invoice has no {category.value} supply"))
            elif amount > left:
                errors.append(FieldError("amount", f"{category.value}: at most {left} remains creditable"))
        if errors:
            raise NotCreditable(
                "; ".join(e.message for e in errors),
                extra={"remaining": {c.value: r[0] for c, r in remaining.items()}},
            )
        rate = self.finalisation.totals.rate
        charged_left = sum(r[0] for c, r in remaining.items() if c.charges_gst)
        gst_left = sum(r[1] for c, r in remaining.items() if c.charges_gst)
        charged_asked = sum(a for c, a in asked.items() if c.charges_gst)
        gst = None
        if charged_asked and charged_asked == charged_left:
            gst = gst_left
        totals = compute_totals(tuple(asked.items()), rate, gst=gst)
        if totals.gst_amount > gst_left:
            totals = compute_totals(tuple(asked.items()), rate, gst=gst_left)
        return totals

    def record_credit(self, totals: TaxTotals, now: datetime) -> None:
        merged: dict[TaxCategory, CategoryTotal] = {c.tax_category: c for c in self.credited}
        for b in totals.breakdown:
            old = merged.get(b.tax_category)
            merged[b.tax_category] = (
                b
                if old is None
                else replace(
                    old, taxable_amount=old.taxable_amount + b.taxable_amount, tax_amount=old.tax_amount + b.tax_amount
                )
            )
        self.credited = tuple(merged[c] for c in TaxCategory if c in merged)
        self._touch(now)

    @property
    def credited_total(self) -> int:
        return sum(c.taxable_amount + c.tax_amount for c in self.credited)

    def _touch(self, now: datetime) -> None:
        self.updated_at = now
        self.version += 1


def _check_extras(currency: str, due_days: int | None, notes: str | None, exchange_rate: Decimal | None) -> None:
    errors = []
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()):
        errors.append(FieldError("currency", "an ISO 4217 code in capitals, like SGD"))
    if due_days is not None and not 0 <= due_days <= MAX_DUE_DAYS:
        errors.append(FieldError("dueDays", f"0-{MAX_DUE_DAYS}"))
    if notes is not None and len(notes) > MAX_NOTES:
        errors.append(FieldError("notes", f"at most {MAX_NOTES} characters"))
    if exchange_rate is not None and currency == "SGD" and exchange_rate != 1:
        errors.append(FieldError("exchangeRate", "an SGD invoice has no exchange rate"))
    if errors:
        raise ValidationError("The invoice is not valid.", errors=errors)
