"""The GST F5 helper for one quarter: the output-side boxes and the documents behind each figure.

Box 1 standard-rated supplies, box 2 zero-rated, box 3 exempt, box 4 their total, box 6 output
tax; in SGD cents (a foreign-currency document at its recorded rate). Invoices count in the
quarter of their time of supply; void invoices count nowhere (listed apart); credit notes count,
negatively, in the quarter they are issued in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.model import Invoice, InvoiceStatus
from nexuscore.billing.domain.tax import (
    EXEMPT_SUPPLIES,
    STANDARD_RATED_SUPPLIES,
    ZERO_RATED_SUPPLIES,
    CategoryTotal,
    TaxCategory,
    to_sgd,
)
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.money import currency_exponent

_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def parse(cls, raw: str) -> Quarter:
        found = _PERIOD.match(raw or "")
        if not found or not 2000 <= int(found.group(1)) <= 2999:
            raise ValidationError("Not a quarter.", errors=[FieldError("period", "a quarter like 2026Q3")])
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> date:
        if self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"


@dataclass(frozen=True)
class ReportEntry:
    """One document's part in one box (SGD cents; negative for a credit note)."""

    kind: str  # "invoice" | "credit_note"
    id: UUID
    number: str
    issue_date: date
    organization_id: UUID
    amount: int


@dataclass(frozen=True)
class ReportBox:
    box: int
    label: str
    amount: int
    entries: tuple[ReportEntry, ...]


@dataclass(frozen=True)
class GstReport:
    period: Quarter
    first_day: date
    last_day: date
    boxes: tuple[ReportBox, ...]
    void_invoices: tuple[ReportEntry, ...]

    def box(self, number: int) -> ReportBox:
        return next(b for b in self.boxes if b.box == number)


def _sgd(amount: int, currency: str, rate: Decimal | None) -> int:
    if currency == "SGD" or rate is None:
        return amount
    return to_sgd(amount, rate, currency_exponent(currency))


def _sum_in(
    breakdown: Sequence[CategoryTotal], categories: frozenset[TaxCategory], currency: str, rate: Decimal | None
) -> int:
    return sum(_sgd(b.taxable_amount, currency, rate) for b in breakdown if b.tax_category in categories)


def build_gst_report(period: Quarter, invoices: Sequence[Invoice], credit_notes: Sequence[CreditNote]) -> GstReport:
    boxes: dict[int, list[ReportEntry]] = {1: [], 2: [], 3: [], 6: []}
    void: list[ReportEntry] = []
    groups = ((1, STANDARD_RATED_SUPPLIES), (2, ZERO_RATED_SUPPLIES), (3, EXEMPT_SUPPLIES))
    for invoice in invoices:
        f = invoice.finalisation
        if f is None:
            continue
        if invoice.status is InvoiceStatus.VOID:
            void.append(ReportEntry("invoice", invoice.id, f.number, f.issue_date, invoice.organization_id, 0))
            continue
        for box, categories in groups:
            amount = _sum_in(f.totals.breakdown, categories, invoice.currency, f.sgd_exchange_rate)
            if any(b.tax_category in categories for b in f.totals.breakdown):
                boxes[box].append(
                    ReportEntry("invoice", invoice.id, f.number, f.issue_date, invoice.organization_id, amount)
                )
        if f.totals.gst_amount:
            tax = _sgd(f.totals.gst_amount, invoice.currency, f.sgd_exchange_rate)
            boxes[6].append(ReportEntry("invoice", invoice.id, f.number, f.issue_date, invoice.organization_id, tax))
    for note in credit_notes:
        for box, categories in groups:
            if any(b.tax_category in categories for b in note.totals.breakdown):
                amount = _sum_in(note.totals.breakdown, categories, note.currency, note.sgd_exchange_rate)
                boxes[box].append(
                    ReportEntry("credit_note", note.id, note.number, note.issue_date, note.organization_id, -amount)
                )
        if note.totals.gst_amount:
            tax = _sgd(note.totals.gst_amount, note.currency, note.sgd_exchange_rate)
            boxes[6].append(
                ReportEntry("credit_note", note.id, note.number, note.issue_date, note.organization_id, -tax)
            )
    totals = {box: sum(e.amount for e in entries) for box, entries in boxes.items()}
    box4_entries = tuple(e for box in (1, 2, 3) for e in boxes[box])
    result = (
        ReportBox(1, "Total value of standard-rated supplies", totals[1], tuple(boxes[1])),
        ReportBox(2, "Total value of zero-rated supplies", totals[2], tuple(boxes[2])),
        ReportBox(3, "Total value of exempt supplies", totals[3], tuple(boxes[3])),
        ReportBox(4, "Total value of (1) + (2) + (3)", totals[1] + totals[2] + totals[3], box4_entries),
        ReportBox(6, "Output tax due", totals[6], tuple(boxes[6])),
    )
    return GstReport(period, period.first_day, period.last_day, result, tuple(void))
