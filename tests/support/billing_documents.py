"""Sample finalised documents (TaxDocument) for the renderers' tests: each case the issue names.

Totals are computed here the way the GST engine does (GST once on the standard-rated total,
half-up to the cent), so each sample is internally consistent, as a real one is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from nexuscore.billing.domain.documents import (
    DocumentKind,
    DocumentLine,
    OriginalInvoice,
    Party,
    SgdTotals,
    TaxBreakdown,
    TaxDocument,
)

NINE = Decimal("0.09")
STANDARD = {"SR", "SRCA-S", "SRCA-C", "SROVR-RS", "SROVR-LVG", "SRRC", "SRLVG"}

SUPPLIER = Party(
    name="NexusCore Pte. Ltd.",
    address_lines=("71 Ayer Rajah Crescent", "#05-12 Blk 71"),
    postal_code="139951",
    country="SG",
    uen="201912345K",
    gst_registration_number="M91234567X",
    email="billing@nexuscore.example",
)
UNREGISTERED_SUPPLIER = replace(SUPPLIER, name="Kopi Labs LLP", uen="T19LL0001A", gst_registration_number=None)
CUSTOMER = Party(
    name="Tan & Lim Trading Pte. Ltd.",
    address_lines=("10 Anson Road", "#20-05 International Plaza"),
    postal_code="079903",
    country="SG",
    uen="200312345A",
    gst_registration_number="200312345A",
)
CUSTOMER_WITHOUT_GST = replace(CUSTOMER, name="Siti's Bakery", uen="53012345D", gst_registration_number=None)
OVERSEAS_CUSTOMER = Party(
    name="Harbour Analytics Inc.",
    address_lines=("500 Howard Street", "Suite 300, San Francisco CA"),
    postal_code="94105",
    country="US",
)


def line(description: str, quantity: str | int, unit_amount: int, category: str = "SR") -> DocumentLine:
    qty = Decimal(quantity)
    amount = int((qty * unit_amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    rate = NINE if category in STANDARD else Decimal(0)
    return DocumentLine(description, qty, unit_amount, amount, category, rate)


def document(
    lines: list[DocumentLine],
    *,
    kind: DocumentKind = DocumentKind.INVOICE,
    title: str = "Tax Invoice",
    number: str = "INV-2026-000042",
    currency: str = "SGD",
    supplier: Party = SUPPLIER,
    customer: Party = CUSTOMER,
    exchange_rate: Decimal | None = None,
    **extra: object,
) -> TaxDocument:
    categories: dict[str, int] = {}
    for item in lines:
        categories[item.tax_category] = categories.get(item.tax_category, 0) + item.amount
    breakdown = []
    for category, taxable in categories.items():
        rate = NINE if category in STANDARD else Decimal(0)
        tax = int((taxable * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        breakdown.append(TaxBreakdown(category, rate, taxable, tax))
    excluding = sum(item.amount for item in lines)
    gst = sum(row.tax_amount for row in breakdown)
    sgd = None
    if exchange_rate is not None:

        def to_sgd(amount: int) -> int:
            return int((amount * exchange_rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))

        sgd_excluding, sgd_gst = to_sgd(excluding), to_sgd(gst)
        sgd = SgdTotals(exchange_rate, sgd_excluding, sgd_gst, sgd_excluding + sgd_gst)
    fields: dict[str, object] = {
        "kind": kind,
        "title": title,
        "uuid": UUID("01938a6e-7c00-7000-8000-00000000002a"),
        "number": number,
        "issue_date": date(2026, 12, 2),
        "time_of_supply": date(2026, 12, 2),
        "currency": currency,
        "supplier": supplier,
        "customer": customer,
        "lines": tuple(lines),
        "breakdown": tuple(breakdown),
        "total_excluding_gst": excluding,
        "gst_amount": gst,
        "total_including_gst": excluding + gst,
        "due_date": date(2027, 1, 1) if kind is DocumentKind.INVOICE else None,
        "sgd_totals": sgd,
    }
    fields.update(extra)
    return TaxDocument(**fields)  # type: ignore[arg-type]


def sr_only_sgd() -> TaxDocument:
    return document(
        [
            line("NexusCore Business plan, December 2026 (25 seats)", 25, 4900),
            line("Priority support add-on, December 2026", 1, 15000),
        ],
        notes="Pay by PayNow to UEN 201912345K or bank transfer, quoting the invoice number.",
    )


def mixed_categories() -> TaxDocument:
    return document(
        [
            line("NexusCore Business plan, December 2026", 10, 4900, "SR"),
            line("Integration services for an overseas affiliate (s21(3))", "2.5", 18000, "ZR"),
            line("Interest on late payment", 1, 1234, "ES33"),
            line("Reimbursement of a disbursement paid on the customer's behalf", 1, 5000, "OS"),
        ]
    )


def usd_invoice() -> TaxDocument:
    return document(
        [line("NexusCore Enterprise plan, December 2026", 1, 250000), line("Extra seats", 12, 3999)],
        currency="USD",
        customer=replace(CUSTOMER, name="Lion City Robotics Pte. Ltd."),
        exchange_rate=Decimal("1.3412"),
    )


def unregistered_supplier() -> TaxDocument:
    return document(
        [line("Workshop facilitation", 2, 45000, "NG"), line("Printed course material", 20, 850, "NG")],
        title="Invoice",
        supplier=UNREGISTERED_SUPPLIER,
        customer=CUSTOMER_WITHOUT_GST,
    )


def simplified() -> TaxDocument:
    return document(
        [line("NexusCore Starter plan, December 2026", 1, 9900)],
        title="Simplified Tax Invoice",
        customer=CUSTOMER_WITHOUT_GST,
    )


def credit_note() -> TaxDocument:
    return document(
        [line("Refund of 5 unused seats, December 2026", 5, 4900)],
        kind=DocumentKind.CREDIT_NOTE,
        title="Credit Note",
        number="CN-2026-000007",
        original_invoice=OriginalInvoice("INV-2026-000042", date(2026, 12, 2)),
        reason="Seats removed within the month: five seats credited pro rata.",
        issue_date=date(2026, 12, 9),
        time_of_supply=date(2026, 12, 9),
    )


def usd_credit_note() -> TaxDocument:
    return replace(
        document(
            [line("Credit for a service outage, December 2026", 1, 20000)],
            kind=DocumentKind.CREDIT_NOTE,
            title="Credit Note",
            number="CN-2026-000008",
            currency="USD",
            exchange_rate=Decimal("1.3412"),
            reason="Service credit under the SLA.",
        ),
        original_invoice=OriginalInvoice("INV-2026-000043", date(2026, 12, 1)),
    )


def many_lines(count: int = 60) -> TaxDocument:
    return document(
        [
            line(
                f"Usage line {index}: API calls in billing period block {index}, metered and rated"
                + (" with a deliberately long description that must wrap onto a second line" if index % 7 == 0 else ""),
                index,
                137,
            )
            for index in range(1, count + 1)
        ]
    )


ALL_SAMPLES = {
    "sr_only_sgd": sr_only_sgd,
    "mixed_categories": mixed_categories,
    "usd_invoice": usd_invoice,
    "unregistered_supplier": unregistered_supplier,
    "simplified": simplified,
    "credit_note": credit_note,
    "usd_credit_note": usd_credit_note,
    "many_lines": many_lines,
}
