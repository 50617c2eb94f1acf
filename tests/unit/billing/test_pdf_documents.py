"""The PDF carries every IRAS particular: the text extracted from it (pypdf) is checked for each
sample the issue names, and long documents flow onto pages with the header repeated."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from nexuscore.billing.adapters.pdf import render_pdf
from nexuscore.billing.adapters.pdf.formatting import format_date, format_money, format_quantity, format_rate
from nexuscore.billing.domain.documents import TaxDocument
from tests.support import billing_documents as samples


def _pages(document: TaxDocument) -> list[str]:
    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:  # A4 portrait, in points
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def _text(document: TaxDocument) -> str:
    return " ".join(_pages(document))


def _assert_particulars(document: TaxDocument, text: str) -> None:
    """What every document shows: the IRAS particulars and each line."""
    supplier, customer = document.supplier, document.customer
    expected = [document.title, document.number, supplier.name, *supplier.address_lines, supplier.postal_code]
    expected += [customer.name, *customer.address_lines, customer.postal_code]
    expected += [f"Date of issue {format_date(document.issue_date)}"]
    if supplier.uen:
        expected.append(f"UEN: {supplier.uen}")
    if supplier.gst_registration_number:
        expected.append(f"GST Reg No: {supplier.gst_registration_number}")
    if customer.gst_registration_number:
        expected.append(f"GST Reg No: {customer.gst_registration_number}")
    if document.due_date:
        expected.append(f"Due date {format_date(document.due_date)}")
    for line in document.lines:
        expected += [
            line.description,
            format_quantity(line.quantity),
            format_money(line.unit_amount, document.currency),
            format_money(line.amount, document.currency),
        ]
    if document.supplier.gst_registration_number:
        expected.append(f"Total excluding GST {format_money(document.total_excluding_gst, document.currency)}")
        expected.append(f"Total {'credited ' if document.original_invoice else ''}including GST")
    else:
        expected.append(f"Total {format_money(document.total_including_gst, document.currency)}")
    missing = [item for item in expected if item not in text]
    assert not missing, f"missing from the PDF: {missing}\n---\n{text}"


def test_a_standard_rated_sgd_tax_invoice() -> None:
    document = samples.sr_only_sgd()
    text = _text(document)
    _assert_particulars(document, text)
    assert text.startswith("Tax Invoice")
    assert "S$1,225.00" in text  # 25 x S$49.00, grouped thousands
    assert "GST at 9% S$123.75" in text
    assert "Total including GST S$1,498.75" in text
    assert "SR 9%" in text  # each line's tax category
    assert "Pay by PayNow" in text  # notes
    assert "PAID" not in text


def test_zero_rated_exempt_and_out_of_scope_amounts_are_shown_separately() -> None:
    document = samples.mixed_categories()
    text = _text(document)
    _assert_particulars(document, text)
    assert "Standard-rated (SR) at 9% S$490.00" in text
    assert "Zero-rated (ZR) S$450.00" in text
    assert "Exempt (ES33) S$12.34" in text
    assert "Out of scope (OS) S$50.00" in text
    assert "GST at 9% S$44.10" in text
    assert "Total including GST S$1,046.44" in text
    assert "2.5" in text


def test_a_usd_invoice_shows_its_totals_in_sgd_with_the_exchange_rate() -> None:
    document = samples.usd_invoice()
    sgd = document.sgd_totals
    assert sgd is not None
    text = _text(document)
    _assert_particulars(document, text)
    assert "US$2,500.00" in text
    assert f"Total including GST {format_money(document.total_including_gst, 'USD')}" in text
    assert "In SGD at 1 USD = 1.3412 SGD" in text
    assert f"Total excluding GST (SGD) {format_money(sgd.total_excluding_gst, 'SGD')}" in text
    assert f"GST (SGD) {format_money(sgd.gst_amount, 'SGD')}" in text
    assert f"Total including GST (SGD) {format_money(sgd.total_including_gst, 'SGD')}" in text


def test_an_unregistered_supplier_issues_an_invoice_without_gst() -> None:
    document = samples.unregistered_supplier()
    text = _text(document)
    _assert_particulars(document, text)
    assert text.startswith("Invoice ")
    assert "Tax Invoice" not in text
    assert "GST Reg No" not in text
    assert "GST at" not in text
    assert "not registered for GST" in text
    assert "Total excluding GST" not in text
    assert "including GST" not in text
    assert "Total S$1,070.00" in text


def test_a_simplified_tax_invoice() -> None:
    document = samples.simplified()
    text = _text(document)
    _assert_particulars(document, text)
    assert text.startswith("Simplified Tax Invoice")
    assert "Price payable includes GST." in text
    assert "Total including GST S$107.91" in text


def test_a_credit_note_names_the_invoice_it_credits_the_reason_and_the_gst_credited() -> None:
    document = samples.credit_note()
    original = document.original_invoice
    assert original is not None and document.reason is not None
    text = _text(document)
    _assert_particulars(document, text)
    assert text.startswith("Credit Note")
    assert f"Original invoice {original.number}" in text
    assert f"Original invoice date {format_date(original.issue_date)}" in text
    assert f"credits invoice {original.number} dated {format_date(original.issue_date)}" in text
    assert document.reason in text
    assert "GST credited at 9% S$22.05" in text
    assert "Total credited including GST S$267.05" in text


def test_a_sixty_line_invoice_flows_onto_pages_with_the_header_repeated() -> None:
    document = samples.many_lines(60)
    pages = _pages(document)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.startswith(f"Tax Invoice {document.number}"), page[:80]
        assert f"Page {number} of {len(pages)}" in page
        if number < len(pages):
            assert "Description Qty Unit price Tax Amount" in page  # the table's headings repeat
    text = " ".join(pages)
    _assert_particulars(document, text)
    assert "Usage line 60:" in pages[-1] or "Usage line 60:" in pages[-2]
    assert "Total including GST" in pages[-1]
    # Every line once, in order.
    positions = [text.index(f"Usage line {i}:") for i in range(1, 61)]
    assert positions == sorted(positions)


def test_the_paid_mark() -> None:
    assert "PAID" in _text(replace(samples.sr_only_sgd(), paid=True))
    assert "PAID" not in _text(samples.sr_only_sgd())


def test_a_voided_invoice_is_marked_void_with_its_reason_and_keeps_its_number() -> None:
    document = samples.sr_only_sgd()
    text = _text(replace(document, voided=True, reason="Issued to the wrong entity"))
    assert "VOID" in text and "Reason for voiding".upper() in text and "Issued to the wrong entity" in text
    assert document.number in text
    assert "VOID" not in _text(document)


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Minh Khai Trading",  # Vietnamese
        "Ωμέγα Holdings / Север Трейдинг",  # Greek and Cyrillic
        "Müller & Søn — Café Zoë",
        "मुंबई Spices",  # Devanagari: beyond the committed faces, drawn from the wheel's full font
    ],
)
def test_names_beyond_latin_1_render_in_the_embedded_font(name: str) -> None:
    document = replace(samples.sr_only_sgd(), customer=replace(samples.CUSTOMER, name=name))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns of glyphs the font lacks
        text = _text(document)
    assert name in text


def test_characters_no_embedded_font_covers_never_crash_and_are_marked() -> None:
    name = "陈林贸易 Tan & Lim (தமிழ்) 🙂"
    document = replace(samples.sr_only_sgd(), customer=replace(samples.CUSTOMER, name=name))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = _text(document)
    assert "Tan & Lim" in text
    assert "\ufffd\ufffd\ufffd\ufffd Tan & Lim" in text  # marked, not silently dropped


def test_the_same_document_renders_to_the_same_bytes() -> None:
    assert render_pdf(samples.mixed_categories()) == render_pdf(samples.mixed_categories())


def test_money_formats_by_currency_exponent() -> None:
    assert format_money(123450, "SGD") == "S$1,234.50"
    assert format_money(-300, "SGD") == "-S$3.00"
    assert format_money(1234, "JPY") == "¥1,234"
    assert format_money(12345, "BHD") == "BHD 12.345"
    assert format_money(100000, "CHF") == "CHF 1,000.00"
    assert format_rate(samples.NINE) == "9%"


def test_long_words_long_names_newlines_and_tabs_wrap_without_loss() -> None:
    document = samples.document(
        [
            samples.line("X" * 300, 1, 100),
            samples.line("first line\nsecond line\twith a tab", 2, 100),
            samples.line("https://example.com/" + "a" * 150, 1, 1),
        ],
        customer=replace(samples.OVERSEAS_CUSTOMER, name="Y" * 200, address_lines=("Z" * 150,)),
        notes="N" * 600,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = _text(document).replace(" ", "")
    for expected in (
        "X" * 300,
        "Y" * 200,
        "Z" * 150,
        "https://example.com/" + "a" * 150,
        "secondlinewithatab",
    ):
        assert expected in text
    # The notes may flow onto the next page, past its footer and header: count them whole.
    assert sum(len(run) for run in re.findall(r"N{10,}", text.replace("NexusCore", ""))) == 600


def test_a_time_of_supply_before_the_issue_date_is_shown() -> None:
    document = replace(samples.sr_only_sgd(), time_of_supply=date(2026, 11, 28))
    assert "Time of supply 28 Nov 2026" in _text(document)
    assert "Time of supply" not in _text(samples.sr_only_sgd())


def test_control_characters_never_crash_the_pdf() -> None:
    document = replace(samples.sr_only_sgd(), customer=replace(samples.CUSTOMER, name="Tan\x00 Lim\x07 Pte. Ltd."))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "Tan\ufffd Lim\ufffd Pte. Ltd." in _text(document)


def test_a_usd_credit_note_shows_the_gst_credited_in_sgd() -> None:
    document = samples.usd_credit_note()
    assert document.sgd_totals is not None
    text = _text(document)
    _assert_particulars(document, text)
    assert f"GST credited (SGD) {format_money(document.sgd_totals.gst_amount, 'SGD')}" in text
    assert "Original invoice INV-2026-000043" in text
