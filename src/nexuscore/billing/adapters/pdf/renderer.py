"""A finalised invoice or credit note as an A4 PDF carrying every IRAS tax-invoice particular.

Layout: a header repeated on every page (title, number, supplier, page x of y), then on the
first page the supplier and customer blocks and the document's dates; the lines as a table
whose headings repeat across pages; then the per-category breakdown, the totals, the SGD
totals of a foreign-currency document, the credit note's reference and reason, and notes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from decimal import Decimal

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, TableCellFillMode, XPos, YPos

from nexuscore.billing.adapters.pdf.fonts import FONT_FAMILY, install_fonts, printable
from nexuscore.billing.adapters.pdf.formatting import (
    CATEGORY_NAMES,
    STANDARD_RATED,
    format_date,
    format_exchange_rate,
    format_money,
    format_quantity,
    format_rate,
)
from nexuscore.billing.domain.documents import DocumentKind, TaxDocument

_MARGIN = 15.0  # mm
_INK = (33, 37, 41)
_MUTED = (100, 108, 117)
_RULE = (206, 212, 218)
_SHADE = (241, 243, 245)
_PAID = (25, 135, 84)
_VOID = (176, 42, 55)


class _DocumentPdf(FPDF):
    """FPDF with this document's running header and footer."""

    def __init__(self, document: TaxDocument) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 8)
        install_fonts(self, _document_texts(document))
        self.set_title(f"{document.title} {document.number}")
        self.set_author(document.supplier.name)
        self.set_creator("NexusCore")
        # Reproducible bytes: the same document renders the same way, dated by its own issue date.
        self.set_creation_date(datetime.combine(document.issue_date, time(), tzinfo=UTC))

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(printable(text))

    def header(self) -> None:
        document = self.document
        self.set_text_color(*_INK)
        self.set_font(FONT_FAMILY, "B", 18)
        self.cell(110, 9, document.title, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_font(FONT_FAMILY, "B", 11)
        self.cell(0, 9, document.number, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8.5)
        self.set_text_color(*_MUTED)
        self.cell(110, 5, document.supplier.name, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if document.voided:
            self._stamp("VOID", _VOID)
        elif document.paid:
            self._stamp("PAID", _PAID)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.3)
        y = self.get_y() + 1.5
        self.line(_MARGIN, y, self.w - _MARGIN, y)
        self.set_y(y + 4)
        self.set_text_color(*_INK)

    def footer(self) -> None:
        document, supplier = self.document, self.document.supplier
        identity = [supplier.name]
        if supplier.uen:
            identity.append(f"UEN {supplier.uen}")
        if supplier.gst_registration_number:
            identity.append(f"GST Reg No {supplier.gst_registration_number}")
        self.set_y(-(_MARGIN + 3))
        self.set_font(FONT_FAMILY, "", 7.5)
        self.set_text_color(*_MUTED)
        self.cell(0, 4, " · ".join(identity), new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(0, 4, f"{document.title} {document.number}", align=Align.R)
        self.set_text_color(*_INK)

    def _stamp(self, word: str, color: tuple[int, int, int]) -> None:
        x, y = self.get_x(), self.get_y()
        self.set_draw_color(*color)
        self.set_text_color(*color)
        self.set_line_width(0.8)
        self.set_font(FONT_FAMILY, "B", 16)
        self.set_xy(self.w / 2 - 12, _MARGIN)
        self.cell(26, 10, word, border=1, align=Align.C)
        self.set_xy(x, y)
        self.set_text_color(*_MUTED)
        self.set_font(FONT_FAMILY, "", 8.5)


def _document_texts(document: TaxDocument) -> list[str]:
    """The document's own strings: what decides which faces it needs."""
    texts = [document.title, document.number, document.reason or "", document.notes or ""]
    for party in (document.supplier, document.customer):
        texts += [party.name, *party.address_lines, party.postal_code, party.uen or ""]
        texts += [party.gst_registration_number or "", party.email or ""]
    texts += [line.description for line in document.lines]
    if document.original_invoice is not None:
        texts.append(document.original_invoice.number)
    return texts


def render_pdf(document: TaxDocument) -> bytes:
    """The document as PDF bytes; the same document gives the same bytes."""
    pdf = _DocumentPdf(document)
    pdf.add_page()
    _parties(pdf, document)
    _lines(pdf, document)
    _totals(pdf, document)
    _closing(pdf, document)
    return bytes(pdf.output())


@contextmanager
def _font(pdf: FPDF, style: str = "", size: float = 9.5, color: tuple[int, int, int] = _INK) -> Iterator[None]:
    pdf.set_font(FONT_FAMILY, style, size)
    pdf.set_text_color(*color)
    try:
        yield
    finally:
        pdf.set_font(FONT_FAMILY, "", 9.5)
        pdf.set_text_color(*_INK)


def _block(pdf: FPDF, x: float, y: float, width: float, label: str, lines: list[tuple[str, str]]) -> float:
    """A labelled block of (style, text) lines at (x, y); returns the y below it."""
    pdf.set_xy(x, y)
    with _font(pdf, "B", 7.5, _MUTED):
        pdf.multi_cell(width, 4, label.upper(), align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
    for style, text in lines:
        pdf.set_x(x)
        with _font(pdf, style, 11 if style == "B" else 9.5):
            pdf.multi_cell(width, 5.5 if style == "B" else 4.6, text, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
    return pdf.get_y()


def _party_lines(name: str, address: tuple[str, ...], postal_code: str, country: str) -> list[tuple[str, str]]:
    lines = [("B", name)]
    lines += [("", line) for line in address]
    postal = f"{_country_name(country)} {postal_code}".strip()
    if postal:
        lines.append(("", postal))
    return lines


def _country_name(code: str) -> str:
    return {"SG": "Singapore", "MY": "Malaysia", "ID": "Indonesia", "US": "United States", "GB": "United Kingdom"}.get(
        code, code
    )


def _parties(pdf: FPDF, document: TaxDocument) -> None:
    supplier, customer = document.supplier, document.customer
    top = pdf.get_y()
    half = (pdf.w - 2 * _MARGIN - 10) / 2

    from_lines = _party_lines(supplier.name, supplier.address_lines, supplier.postal_code, supplier.country)
    if supplier.uen:
        from_lines.append(("", f"UEN: {supplier.uen}"))
    if supplier.gst_registration_number:
        from_lines.append(("", f"GST Reg No: {supplier.gst_registration_number}"))
    else:
        from_lines.append(("", "Not GST-registered"))
    left_bottom = _block(pdf, _MARGIN, top, half, "From", from_lines)

    facts: list[tuple[str, str]] = [
        ("Credit note no." if document.kind is DocumentKind.CREDIT_NOTE else "Invoice no.", document.number),
        ("Date of issue", format_date(document.issue_date)),
    ]
    if document.time_of_supply != document.issue_date:
        facts.append(("Time of supply", format_date(document.time_of_supply)))
    if document.due_date is not None:
        facts.append(("Due date", format_date(document.due_date)))
    facts.append(("Currency", document.currency))
    if document.original_invoice is not None:
        facts.append(("Original invoice", document.original_invoice.number))
        facts.append(("Original invoice date", format_date(document.original_invoice.issue_date)))
    right_x = _MARGIN + half + 10
    pdf.set_xy(right_x, top)
    with _font(pdf, "B", 7.5, _MUTED):
        pdf.cell(half, 4, "DETAILS", align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
    for label, value in facts:
        pdf.set_x(right_x)
        with _font(pdf, "", 9, _MUTED):
            pdf.cell(38, 5, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        with _font(pdf, "B", 9.5):
            pdf.multi_cell(half - 38, 5, value, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_x(right_x)
    right_bottom = pdf.get_y()

    to_lines = _party_lines(customer.name, customer.address_lines, customer.postal_code, customer.country)
    if customer.uen:
        to_lines.append(("", f"UEN: {customer.uen}"))
    if customer.gst_registration_number:
        to_lines.append(("", f"GST Reg No: {customer.gst_registration_number}"))
    if customer.email:
        to_lines.append(("", customer.email))
    below = max(left_bottom, right_bottom) + 5
    label = "Credit to" if document.kind is DocumentKind.CREDIT_NOTE else "Bill to"
    bottom = _block(pdf, _MARGIN, below, half, label, to_lines)
    pdf.set_xy(_MARGIN, bottom + 6)


def _category_label(category: str, rate: Decimal) -> str:
    return f"{category} {format_rate(rate)}" if category in STANDARD_RATED else category


def _lines(pdf: FPDF, document: TaxDocument) -> None:
    currency = document.currency
    headings = ("#", "Description", "Qty", "Unit price", "Tax", "Amount")
    aligns = (Align.R, Align.L, Align.R, Align.R, Align.C, Align.R)
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=(7, 91, 13, 25, 16, 28),
        text_align=aligns,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD", fill_color=_SHADE, color=_INK),
        cell_fill_mode=TableCellFillMode.NONE,
        line_height=4.8,
        padding=(1.6, 1.5),
        repeat_headings=1,
        v_align="TOP",
    ) as table:
        table.row(headings)
        for number, line in enumerate(document.lines, start=1):
            table.row(
                (
                    str(number),
                    line.description,
                    format_quantity(line.quantity),
                    format_money(line.unit_amount, currency),
                    _category_label(line.tax_category, line.tax_rate),
                    format_money(line.amount, currency),
                )
            )
    pdf.ln(4)


def _totals_rows(document: TaxDocument) -> list[tuple[str, str, bool]]:
    """(label, amount, emphasised) rows of the summary, per category then the three totals."""
    currency = document.currency
    credit = document.kind is DocumentKind.CREDIT_NOTE
    not_registered = all(row.tax_category == "NG" for row in document.breakdown)
    if not_registered:  # no GST: one total, nothing "excluding" or "including"
        return [("Total", format_money(document.total_including_gst, currency), True)]
    rows: list[tuple[str, str, bool]] = []
    for row in document.breakdown:
        name = CATEGORY_NAMES.get(row.tax_category, row.tax_category)
        if row.tax_category in STANDARD_RATED:
            label = f"{name} ({row.tax_category}) at {format_rate(row.tax_rate)}"
        else:
            label = f"{name} ({row.tax_category})"
        rows.append((label, format_money(row.taxable_amount, currency), False))
    rows.append(("Total excluding GST", format_money(document.total_excluding_gst, currency), True))
    gst_label = "GST credited" if credit else "GST"
    for row in document.breakdown:
        if row.tax_category in STANDARD_RATED:
            rows.append((f"{gst_label} at {format_rate(row.tax_rate)}", format_money(row.tax_amount, currency), False))
    if not any(row.tax_category in STANDARD_RATED for row in document.breakdown):
        rows.append((gst_label, format_money(document.gst_amount, currency), False))
    rows.append(
        (
            "Total credited including GST" if credit else "Total including GST",
            format_money(document.total_including_gst, currency),
            True,
        )
    )
    return rows


def _totals(pdf: FPDF, document: TaxDocument) -> None:
    rows = _totals_rows(document)
    label_width, amount_width = 70.0, 34.0
    x = pdf.w - _MARGIN - label_width - amount_width
    needed = 6.0 * len(rows) + (30 if document.sgd_totals else 0) + 6
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.set_draw_color(*_RULE)
    for label, amount, emphasised in rows:
        pdf.set_x(x)
        if emphasised:
            pdf.set_fill_color(*_SHADE)
        style, size = ("B", 10) if emphasised else ("", 9.5)
        with _font(pdf, style, size):
            pdf.cell(label_width, 6, label, fill=emphasised, new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.cell(amount_width, 6, amount, align=Align.R, fill=emphasised, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    sgd = document.sgd_totals
    if sgd is not None:
        pdf.ln(3)
        pdf.set_x(x)
        with _font(pdf, "B", 8.5, _MUTED):
            pdf.cell(
                label_width + amount_width,
                5,
                f"In SGD at 1 {document.currency} = {format_exchange_rate(sgd.exchange_rate)} SGD",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        credit = document.kind is DocumentKind.CREDIT_NOTE
        for sgd_label, sgd_amount in (
            ("Total excluding GST (SGD)", sgd.total_excluding_gst),
            ("GST credited (SGD)" if credit else "GST (SGD)", sgd.gst_amount),
            ("Total including GST (SGD)", sgd.total_including_gst),
        ):
            pdf.set_x(x)
            with _font(pdf, "", 9.5):
                pdf.cell(label_width, 5.5, sgd_label, new_x=XPos.RIGHT, new_y=YPos.TOP)
                pdf.cell(amount_width, 5.5, format_money(sgd_amount, "SGD"), align=Align.R)
            pdf.ln(5.5)
    pdf.ln(4)


def _closing(pdf: FPDF, document: TaxDocument) -> None:
    width = pdf.w - 2 * _MARGIN
    paragraphs: list[tuple[str, str]] = []
    if document.original_invoice is not None:
        original = document.original_invoice
        paragraphs.append(
            (
                "Credited invoice",
                f"This credit note credits invoice {original.number} dated {format_date(original.issue_date)}.",
            )
        )
    if document.voided:
        paragraphs.append(("Void", "This invoice has been voided and is of no effect; its number is not reused."))
    if document.reason:
        paragraphs.append(("Reason for voiding" if document.voided else "Reason", document.reason))
    if all(row.tax_category == "NG" for row in document.breakdown):
        paragraphs.append(("GST", "The supplier is not registered for GST; no GST is charged."))
    elif document.title.lower().startswith("simplified"):
        paragraphs.append(("GST", "Price payable includes GST."))  # the words IRAS asks of a simplified invoice
    if document.notes:
        paragraphs.append(("Notes", document.notes))
    for label, text in paragraphs:
        with _font(pdf, "B", 7.5, _MUTED):
            pdf.multi_cell(width, 4, label.upper(), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        with _font(pdf, "", 9.5):
            pdf.multi_cell(width, 4.8, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)
