"""Any consistent document renders: generated names, descriptions, quantities, amounts and
categories give a PDF that reads back and an e-invoice that is valid UBL 2.1 and PINT SG."""

from __future__ import annotations

import io
import warnings
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from nexuscore.billing.adapters.einvoice import render_ubl
from nexuscore.billing.adapters.pdf import render_pdf
from nexuscore.billing.domain.documents import TaxDocument
from tests.support import billing_documents as samples
from tests.support.pint_sg import violations
from tests.support.ubl_schema import xsd_errors

# Any Unicode but surrogates (not text); control characters included on purpose.
_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=120).filter(str.strip)
_quantity = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10000), places=2)
_lines = st.lists(
    st.tuples(_text, _quantity, st.integers(0, 10_000_000), st.sampled_from(["SR", "ZR", "ES33", "ESN33", "OS"])),
    min_size=1,
    max_size=8,
)


@st.composite
def _documents(draw: st.DrawFn) -> TaxDocument:
    lines = [samples.line(text, str(qty), unit, category) for text, qty, unit, category in draw(_lines)]
    customer = replace(samples.CUSTOMER, name=draw(_text), address_lines=(draw(_text),))
    foreign = draw(st.booleans())
    return samples.document(
        lines,
        customer=customer,
        currency="USD" if foreign else "SGD",
        exchange_rate=Decimal("1.3412") if foreign else None,
        notes=draw(st.none() | _text),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_any_document_gives_a_valid_einvoice(document: TaxDocument) -> None:
    xml = render_ubl(document)
    assert xsd_errors(xml) == []
    assert violations(xml) == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_any_document_gives_a_readable_pdf(document: TaxDocument) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no glyph silently missing
        pdf = render_pdf(document)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert document.number in text
    assert "Total including GST" in text
