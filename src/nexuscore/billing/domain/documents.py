"""What goes on the paper: a finalised invoice or credit note as the renderers (PDF, UBL) see it.

Built from a finalised document and its snapshots only, so a rendering never reads live data:
the same document renders the same way in five years. Amounts are integer minor units of
`currency` (SGD totals in SGD minor units); rates are fractions (Decimal("0.09") for 9 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class Party:
    """The supplier or the customer, as snapshotted at finalisation."""

    name: str
    address_lines: tuple[str, ...]
    postal_code: str
    country: str  # ISO 3166-1 alpha-2
    uen: str | None = None
    gst_registration_number: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentLine:
    description: str
    quantity: Decimal
    unit_amount: int  # minor units, GST-exclusive
    amount: int  # minor units, GST-exclusive: quantity x unit amount, half-up
    tax_category: str  # InvoiceNow code: SR, ZR, ES33, ESN33, OS, NG, ...
    tax_rate: Decimal  # the category's rate on the time of supply (0 for all but standard-rated)


@dataclass(frozen=True, slots=True)
class TaxBreakdown:
    """One row per tax category on the document: what it taxes and the tax it carries."""

    tax_category: str
    tax_rate: Decimal
    taxable_amount: int
    tax_amount: int


@dataclass(frozen=True, slots=True)
class SgdTotals:
    """The three totals in SGD for a foreign-currency document, at the recorded rate."""

    exchange_rate: Decimal  # SGD per one unit of the document's currency
    total_excluding_gst: int  # SGD minor units
    gst_amount: int
    total_including_gst: int


@dataclass(frozen=True, slots=True)
class OriginalInvoice:
    """A credit note's reference to the invoice it credits."""

    number: str
    issue_date: date


@dataclass(frozen=True, slots=True)
class TaxDocument:
    kind: DocumentKind
    title: str  # "Tax Invoice", "Simplified Tax Invoice", "Invoice" (supplier not registered), "Credit Note"
    uuid: UUID
    number: str  # INV-2026-000001 / CN-2026-000001
    issue_date: date  # Asia/Singapore business date
    time_of_supply: date
    currency: str  # ISO 4217
    supplier: Party
    customer: Party
    lines: tuple[DocumentLine, ...]
    breakdown: tuple[TaxBreakdown, ...]
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int
    due_date: date | None = None
    sgd_totals: SgdTotals | None = None  # present when currency is not SGD
    original_invoice: OriginalInvoice | None = None  # credit notes only
    reason: str | None = None  # credit notes (required) and voided invoices
    notes: str | None = None
    paid: bool = False  # a PAID mark on the rendering, nothing more
    voided: bool = False  # a VOID mark: the document keeps its number but is of no effect
