"""Re-make the example renderings in docs/billing from two sample documents.

    .venv/bin/python scripts/render_billing_examples.py

Writes invoice-example.png and credit-note-example.png (first page at 80 dpi, through
poppler's pdftoppm) and the same two documents as InvoiceNow UBL (invoice-example.xml,
credit-note-example.xml). The samples are made up: no real company or customer.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from nexuscore.billing.adapters.einvoice import render_ubl
from nexuscore.billing.adapters.pdf import render_pdf
from nexuscore.billing.domain.documents import (
    DocumentKind,
    DocumentLine,
    OriginalInvoice,
    Party,
    TaxBreakdown,
    TaxDocument,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "billing"
NINE = Decimal("0.09")

SUPPLIER = Party(
    name="NexusCore Pte. Ltd.",
    address_lines=("71 Ayer Rajah Crescent", "#05-12"),
    postal_code="139951",
    country="SG",
    uen="201912345K",
    gst_registration_number="M91234567X",
    email="billing@nexuscore.example",
)
CUSTOMER = Party(
    name="Tan & Lim Trading Pte. Ltd.",
    address_lines=("10 Anson Road", "#20-05 International Plaza"),
    postal_code="079903",
    country="SG",
    uen="200312345A",
    gst_registration_number="200312345A",
)


def invoice() -> TaxDocument:
    lines = (
        DocumentLine(
            "NexusCore Business plan, 1 to 31 December 2026 (25 seats)", Decimal(25), 4900, 122500, "SR", NINE
        ),
        DocumentLine("Priority support add-on, December 2026", Decimal(1), 15000, 15000, "SR", NINE),
        DocumentLine(
            "Integration workshop for the customer's overseas affiliate (international service, s21(3))",
            Decimal("1.5"),
            30000,
            45000,
            "ZR",
            Decimal(0),
        ),
    )
    return TaxDocument(
        kind=DocumentKind.INVOICE,
        title="Tax Invoice",
        uuid=UUID("01938a6e-7c00-7000-8000-000000000001"),
        number="INV-2026-000042",
        issue_date=date(2026, 12, 2),
        time_of_supply=date(2026, 12, 2),
        currency="SGD",
        supplier=SUPPLIER,
        customer=CUSTOMER,
        lines=lines,
        breakdown=(TaxBreakdown("SR", NINE, 137500, 12375), TaxBreakdown("ZR", Decimal(0), 45000, 0)),
        total_excluding_gst=182500,
        gst_amount=12375,
        total_including_gst=194875,
        due_date=date(2027, 1, 1),
        notes="Pay by PayNow to UEN 201912345K or by bank transfer, quoting the invoice number.",
        paid=True,
    )


def credit_note() -> TaxDocument:
    return TaxDocument(
        kind=DocumentKind.CREDIT_NOTE,
        title="Credit Note",
        uuid=UUID("01938a6e-7c00-7000-8000-000000000002"),
        number="CN-2026-000007",
        issue_date=date(2026, 12, 9),
        time_of_supply=date(2026, 12, 9),
        currency="SGD",
        supplier=SUPPLIER,
        customer=CUSTOMER,
        lines=(DocumentLine("Refund of 5 unused seats, December 2026", Decimal(5), 4900, 24500, "SR", NINE),),
        breakdown=(TaxBreakdown("SR", NINE, 24500, 2205),),
        total_excluding_gst=24500,
        gst_amount=2205,
        total_including_gst=26705,
        original_invoice=OriginalInvoice("INV-2026-000042", date(2026, 12, 2)),
        reason="Seats removed within the month: five seats credited pro rata.",
    )


def _png(pdf: bytes, target: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed to rasterise the examples")
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(Path(scratch) / "page"),
            ],
            check=True,
        )
        shutil.copy(Path(scratch) / "page.png", target)


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, document in (("invoice-example", invoice()), ("credit-note-example", credit_note())):
        _png(render_pdf(document), DOCS / f"{name}.png")
        (DOCS / f"{name}.xml").write_bytes(render_ubl(document))
        print(f"wrote {DOCS / name}.png and .xml")
    voided = replace(invoice(), paid=False, voided=True, reason="Issued to the wrong entity; reissued.")
    _png(render_pdf(voided), DOCS / "void-invoice-example.png")
    print(f"wrote {DOCS / 'void-invoice-example.png'}")


if __name__ == "__main__":
    main()
