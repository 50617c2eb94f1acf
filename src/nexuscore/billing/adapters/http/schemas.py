"""Request and response bodies of the billing routes (camelCase; money in integer minor units
plus the currency; decimals such as quantities, rates and exchange rates as strings)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec

from nexuscore.billing.application.common import DraftChanges, DraftInput, LineInput
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.documents import Party
from nexuscore.billing.domain.gst_report import GstReport, ReportBox, ReportEntry
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Invoice
from nexuscore.billing.domain.paper import sgd_totals
from nexuscore.billing.domain.tax import CategoryTotal, TaxCategory
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody

Description = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Quantity = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[0-9]+(\.[0-9]{1,4})?$")]
UnitAmount = Annotated[int, msgspec.Meta(ge=0, le=100_000_000_000)]
Amount = Annotated[int, msgspec.Meta(ge=1, le=100_000_000_000)]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
Rate = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[0-9]+(\.[0-9]{1,8})?$")]
DueDays = Annotated[int, msgspec.Meta(ge=0, le=365)]
Notes = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Reference = Annotated[str, msgspec.Meta(max_length=200)]
Method = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class LineRequest(RequestBody):
    description: Description
    unit_amount: UnitAmount
    quantity: Quantity = "1"
    tax_category: TaxCategory = TaxCategory.SR

    def to_input(self) -> LineInput:
        return LineInput(self.description, self.quantity, self.unit_amount, self.tax_category.value)


Lines = Annotated[list[LineRequest], msgspec.Meta(min_length=1, max_length=100)]


class CreateInvoiceRequest(RequestBody):
    organization_id: UUID
    lines: Lines
    currency: Currency = "SGD"
    due_days: DueDays | None = None
    notes: Notes | None = None
    exchange_rate: Rate | None = None  # SGD per one unit of `currency`; required to finalise a non-SGD invoice

    def to_input(self) -> DraftInput:
        return DraftInput(
            self.organization_id,
            self.currency,
            tuple(line.to_input() for line in self.lines),
            self.due_days,
            self.notes,
            self.exchange_rate,
        )


class UpdateInvoiceRequest(RequestBody):
    """A draft's changes: a field left out stays; `null` clears dueDays, notes or exchangeRate."""

    currency: Currency | msgspec.UnsetType = msgspec.UNSET
    lines: Lines | msgspec.UnsetType = msgspec.UNSET
    due_days: DueDays | msgspec.UnsetType | None = msgspec.UNSET
    notes: Notes | msgspec.UnsetType | None = msgspec.UNSET
    exchange_rate: Rate | msgspec.UnsetType | None = msgspec.UNSET

    def to_changes(self) -> DraftChanges:
        clear = frozenset(
            name
            for name, value in (
                ("due_days", self.due_days),
                ("notes", self.notes),
                ("exchange_rate", self.exchange_rate),
            )
            if value is None
        )

        def given(value: object) -> object:
            return None if isinstance(value, msgspec.UnsetType) else value

        return DraftChanges(
            currency=given(self.currency),  # type: ignore[arg-type]
            lines=None if isinstance(self.lines, msgspec.UnsetType) else tuple(x.to_input() for x in self.lines),
            due_days=given(self.due_days),  # type: ignore[arg-type]
            notes=given(self.notes),  # type: ignore[arg-type]
            exchange_rate=given(self.exchange_rate),  # type: ignore[arg-type]
            clear=clear,
        )


class MarkPaidRequest(RequestBody):
    paid_at: datetime
    method: Method
    reference: Reference | None = None


class VoidRequest(RequestBody):
    reason: Reason


class CreditNoteRequest(RequestBody):
    """Lines (each with its category) or an amount (GST-exclusive minor units) of one category."""

    reason: Reason
    lines: Lines | msgspec.UnsetType = msgspec.UNSET
    amount: Amount | msgspec.UnsetType = msgspec.UNSET
    # With `amount`: which supply it credits (the invoice's only one by default).
    tax_category: TaxCategory | msgspec.UnsetType = msgspec.UNSET

    def given_lines(self) -> tuple[LineInput, ...] | None:
        return None if isinstance(self.lines, msgspec.UnsetType) else tuple(x.to_input() for x in self.lines)

    def given_amount(self) -> int | None:
        return None if isinstance(self.amount, msgspec.UnsetType) else self.amount

    def given_category(self) -> str | None:
        return None if isinstance(self.tax_category, msgspec.UnsetType) else self.tax_category.value


class LineResponse(ResponseBody):
    description: str
    quantity: str
    unit_amount: int
    amount: int
    tax_category: str

    @classmethod
    def of(cls, line: InvoiceLine) -> LineResponse:
        return cls(
            description=line.description,
            quantity=str(line.quantity),
            unit_amount=line.unit_amount,
            amount=line.amount,
            tax_category=line.tax_category.value,
        )


class BreakdownResponse(ResponseBody):
    tax_category: str
    tax_rate: str
    taxable_amount: int
    tax_amount: int

    @classmethod
    def of(cls, b: CategoryTotal) -> BreakdownResponse:
        return cls(
            tax_category=b.tax_category.value,
            tax_rate=str(b.tax_rate),
            taxable_amount=b.taxable_amount,
            tax_amount=b.tax_amount,
        )


class PartyResponse(ResponseBody):
    name: str
    address_lines: list[str]
    postal_code: str
    country: str
    uen: str | None
    gst_registration_number: str | None

    @classmethod
    def of(cls, p: Party) -> PartyResponse:
        return cls(
            name=p.name,
            address_lines=list(p.address_lines),
            postal_code=p.postal_code,
            country=p.country,
            uen=p.uen,
            gst_registration_number=p.gst_registration_number,
        )


class SgdTotalsResponse(ResponseBody):
    exchange_rate: str
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int


class InvoiceResponse(ResponseBody):
    id: UUID
    organization_id: UUID
    status: str
    source: str
    number: str | None
    title: str | None
    currency: str
    lines: list[LineResponse]
    due_days: int | None
    notes: str | None
    exchange_rate: str | None
    issue_date: date | None
    time_of_supply: date | None
    due_date: date | None
    tax_rate: str | None
    breakdown: list[BreakdownResponse]
    total_excluding_gst: int  # a draft's figures are provisional: fixed at finalisation
    gst_amount: int
    total_including_gst: int
    sgd_totals: SgdTotalsResponse | None
    supplier: PartyResponse | None
    customer: PartyResponse | None
    credited_amount: int
    sent_at: datetime | None
    paid_at: datetime | None
    payment_method: str | None
    payment_reference: str | None
    voided_at: datetime | None
    void_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, i: Invoice, *, provisional_rate: Decimal = Decimal(0)) -> InvoiceResponse:
        """`provisional_rate`: the rate a draft's figures are shown at (today's)."""
        return cls(**_invoice_fields(i, provisional_rate))


class StaffInvoiceResponse(InvoiceResponse):
    """The invoice as staff see it: with the gateway-tax check tenants are not shown."""

    tax_mismatch: bool

    @classmethod
    def of(cls, i: Invoice, *, provisional_rate: Decimal = Decimal(0)) -> StaffInvoiceResponse:
        return cls(**_invoice_fields(i, provisional_rate), tax_mismatch=i.tax_mismatch)


def _invoice_fields(i: Invoice, provisional_rate: Decimal) -> dict[str, Any]:
    f = i.finalisation
    totals = f.totals if f else i.totals_for(provisional_rate)
    sgd = sgd_totals(totals, i.currency, f.sgd_exchange_rate if f else i.exchange_rate)
    return dict(
        id=i.id,
        organization_id=i.organization_id,
        status=i.status.value,
        source=i.source.value,
        number=f.number if f else None,
        title=f.title if f else None,
        currency=i.currency,
        lines=[LineResponse.of(x) for x in i.lines],
        due_days=i.due_days,
        notes=i.notes,
        exchange_rate=None if i.exchange_rate is None else str(i.exchange_rate),
        issue_date=f.issue_date if f else None,
        time_of_supply=f.time_of_supply if f else None,
        due_date=f.due_date if f else None,
        tax_rate=str(totals.rate) if f else None,
        breakdown=[BreakdownResponse.of(b) for b in totals.breakdown],
        total_excluding_gst=totals.total_excluding_gst,
        gst_amount=totals.gst_amount,
        total_including_gst=totals.total_including_gst,
        sgd_totals=None
        if sgd is None
        else SgdTotalsResponse(
            exchange_rate=str(sgd.exchange_rate),
            total_excluding_gst=sgd.total_excluding_gst,
            gst_amount=sgd.gst_amount,
            total_including_gst=sgd.total_including_gst,
        ),
        supplier=PartyResponse.of(f.supplier) if f else None,
        customer=PartyResponse.of(f.customer) if f else None,
        credited_amount=i.credited_total,
        sent_at=i.sent_at,
        paid_at=i.payment.paid_at if i.payment else None,
        payment_method=i.payment.method if i.payment else None,
        payment_reference=i.payment.reference if i.payment else None,
        voided_at=i.voided_at,
        void_reason=i.void_reason,
        created_at=i.created_at,
        updated_at=i.updated_at,
    )


class InvoicePage(PageResponse[InvoiceResponse]):
    items: list[InvoiceResponse]  # named again so the document shows the item type


class StaffInvoicePage(PageResponse[StaffInvoiceResponse]):
    items: list[StaffInvoiceResponse]


class CreditNoteResponse(ResponseBody):
    id: UUID
    organization_id: UUID
    invoice_id: UUID
    number: str
    issue_date: date
    original_invoice_number: str
    original_invoice_date: date
    reason: str
    currency: str
    lines: list[LineResponse]
    tax_rate: str
    breakdown: list[BreakdownResponse]
    total_excluding_gst: int
    gst_amount: int  # the GST credited
    total_including_gst: int
    source: str
    created_at: datetime

    @classmethod
    def of(cls, n: CreditNote) -> CreditNoteResponse:
        return cls(
            id=n.id,
            organization_id=n.organization_id,
            invoice_id=n.invoice_id,
            number=n.number,
            issue_date=n.issue_date,
            original_invoice_number=n.original_number,
            original_invoice_date=n.original_issue_date,
            reason=n.reason,
            currency=n.currency,
            lines=[LineResponse.of(x) for x in n.lines],
            tax_rate=str(n.totals.rate),
            breakdown=[BreakdownResponse.of(b) for b in n.totals.breakdown],
            total_excluding_gst=n.totals.total_excluding_gst,
            gst_amount=n.totals.gst_amount,
            total_including_gst=n.totals.total_including_gst,
            source=n.source.value,
            created_at=n.created_at,
        )


class CreditNotePage(PageResponse[CreditNoteResponse]):
    items: list[CreditNoteResponse]  # named again so the document shows the item type


class ReportEntryResponse(ResponseBody):
    kind: str
    id: UUID
    number: str
    issue_date: date
    organization_id: UUID
    amount: int  # SGD minor units; negative for a credit note

    @classmethod
    def of(cls, e: ReportEntry) -> ReportEntryResponse:
        return cls(
            kind=e.kind,
            id=e.id,
            number=e.number,
            issue_date=e.issue_date,
            organization_id=e.organization_id,
            amount=e.amount,
        )


class ReportBoxResponse(ResponseBody):
    box: int
    label: str
    amount: int  # SGD minor units
    documents: list[ReportEntryResponse]

    @classmethod
    def of(cls, b: ReportBox) -> ReportBoxResponse:
        return cls(box=b.box, label=b.label, amount=b.amount, documents=[ReportEntryResponse.of(e) for e in b.entries])


class GstReportResponse(ResponseBody):
    period: str
    first_day: date
    last_day: date
    currency: str
    boxes: list[ReportBoxResponse]
    void_invoices: list[ReportEntryResponse]

    @classmethod
    def of(cls, r: GstReport) -> GstReportResponse:
        return cls(
            period=str(r.period),
            first_day=r.first_day,
            last_day=r.last_day,
            currency="SGD",
            boxes=[ReportBoxResponse.of(b) for b in r.boxes],
            void_invoices=[ReportEntryResponse.of(e) for e in r.void_invoices],
        )
