"""The InvoiceNow e-invoice: every sample is well-formed, valid UBL 2.1 (official XSD) and
passes our PINT SG checks; the values in it are the document's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from nexuscore.billing.adapters.einvoice import render_ubl
from nexuscore.billing.adapters.einvoice.ubl import ubl_amount
from nexuscore.billing.domain.documents import DocumentLine, TaxDocument
from tests.support import billing_documents as samples
from tests.support.pint_sg import NS, assert_valid, violations
from tests.support.ubl_schema import xsd_errors


def _parse(document: TaxDocument) -> etree._Element:
    return etree.fromstring(render_ubl(document))


def _text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, NS)
    return None if found is None else found.text


@pytest.mark.parametrize("make", samples.ALL_SAMPLES.values(), ids=samples.ALL_SAMPLES.keys())
def test_every_sample_is_valid_ubl_and_pint_sg(make: Callable[[], TaxDocument]) -> None:
    xml = render_ubl(make())
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert xsd_errors(xml) == []
    assert_valid(xml)


def test_the_profile_identifiers_and_the_parties_endpoints() -> None:
    root = _parse(samples.sr_only_sgd())
    assert etree.QName(root).localname == "Invoice"
    assert _text(root, "cbc:CustomizationID") == "urn:peppol:pint:billing-1@sg-1"
    assert _text(root, "cbc:ProfileID") == "urn:peppol:bis:billing"
    assert _text(root, "cbc:UUID") == "01938a6e-7c00-7000-8000-00000000002a"
    assert _text(root, "cbc:IssueDate") == "2026-12-02"
    assert _text(root, "cbc:DueDate") == "2027-01-01"
    assert _text(root, "cbc:InvoiceTypeCode") == "380"
    assert root.find("cbc:TaxCurrencyCode", NS) is None
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert seller is not None and buyer is not None
    endpoint = seller.find("cbc:EndpointID", NS)
    assert endpoint is not None and endpoint.get("schemeID") == "0195" and endpoint.text == "201912345K"
    assert _text(seller, "cac:PartyTaxScheme/cbc:CompanyID") == "M91234567X"
    assert _text(seller, "cac:PartyTaxScheme/cac:TaxScheme/cbc:ID") == "GST"
    assert _text(seller, "cac:PartyLegalEntity/cbc:CompanyID") == "201912345K"
    assert _text(seller, "cac:PostalAddress/cbc:StreetName") == "71 Ayer Rajah Crescent"
    assert _text(seller, "cac:PostalAddress/cbc:PostalZone") == "139951"
    assert _text(buyer, "cbc:EndpointID") == "200312345A"
    assert _text(buyer, "cac:PartyTaxScheme/cbc:CompanyID") == "200312345A"


def test_one_subtotal_per_category_and_each_lines_category() -> None:
    document = samples.mixed_categories()
    root = _parse(document)
    rows = root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    assert [(_text(r, "cac:TaxCategory/cbc:ID"), _text(r, "cac:TaxCategory/cbc:Percent")) for r in rows] == [
        ("SR", "9"),
        ("ZR", "0"),
        ("ES33", "0"),
        ("OS", "0"),
    ]
    assert [_text(r, "cbc:TaxableAmount") for r in rows] == ["490.00", "450.00", "12.34", "50.00"]
    assert [_text(r, "cbc:TaxAmount") for r in rows] == ["44.10", "0.00", "0.00", "0.00"]
    lines = root.findall("cac:InvoiceLine", NS)
    assert [_text(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") for line in lines] == ["SR", "ZR", "ES33", "OS"]
    assert {_text(line, "cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID") for line in lines} == {"GST"}
    assert _text(lines[1], "cbc:InvoicedQuantity") == "2.5"
    totals = root.find("cac:LegalMonetaryTotal", NS)
    assert totals is not None
    assert _text(totals, "cbc:LineExtensionAmount") == "1002.34"
    assert _text(totals, "cbc:TaxExclusiveAmount") == "1002.34"
    assert _text(totals, "cbc:TaxInclusiveAmount") == "1046.44"
    assert _text(totals, "cbc:PayableAmount") == "1046.44"


def test_a_foreign_currency_invoice_gives_its_sgd_totals() -> None:
    document = samples.usd_invoice()
    assert document.sgd_totals is not None
    root = _parse(document)
    assert _text(root, "cbc:DocumentCurrencyCode") == "USD"
    assert _text(root, "cbc:TaxCurrencyCode") == "SGD"
    references = {
        _text(r, "cbc:DocumentTypeCode"): _text(r, "cbc:DocumentDescription")
        for r in root.findall("cac:AdditionalDocumentReference", NS)
    }
    assert references == {
        "sgdtotal-excl-gst": ubl_amount(document.sgd_totals.total_excluding_gst, "SGD"),
        "sgdtotal-incl-gst": ubl_amount(document.sgd_totals.total_including_gst, "SGD"),
    }
    tax_amounts = {a.get("currencyID"): a.text for a in root.findall("cac:TaxTotal/cbc:TaxAmount", NS)}
    assert tax_amounts == {
        "USD": ubl_amount(document.gst_amount, "USD"),
        "SGD": ubl_amount(document.sgd_totals.gst_amount, "SGD"),
    }
    assert root.findall("cac:TaxTotal", NS)[1].find("cac:TaxSubtotal", NS) is None


def test_a_credit_note_is_a_creditnote_referencing_its_invoice_with_the_reason() -> None:
    document = samples.credit_note()
    root = _parse(document)
    assert etree.QName(root).localname == "CreditNote"
    assert etree.QName(root).namespace == "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    assert _text(root, "cbc:CreditNoteTypeCode") == "381"
    assert _text(root, "cbc:ID") == "CN-2026-000007"
    assert _text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "INV-2026-000042"
    assert _text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == "2026-12-02"
    assert _text(root, "cbc:Note") == document.reason
    assert root.find("cbc:DueDate", NS) is None
    assert [_text(line, "cbc:CreditedQuantity") for line in root.findall("cac:CreditNoteLine", NS)] == ["5"]
    assert _text(root, "cac:TaxTotal/cbc:TaxAmount") == "22.05"


def test_an_unregistered_supplier_gives_ng_alone_and_no_gst_ids() -> None:
    root = _parse(samples.unregistered_supplier())
    assert [_text(r, "cac:TaxCategory/cbc:ID") for r in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)] == ["NG"]
    assert _text(root, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert root.findall(".//cac:PartyTaxScheme", NS) == []


def test_text_is_escaped_and_unicode_survives() -> None:
    customer = replace(samples.CUSTOMER, name="陈 & 林 <Trading> Pte. Ltd. — Nguyễn")
    document = samples.document([samples.line('Seats "Pro" & <support>', 1, 100)], customer=customer)
    xml = render_ubl(document)
    root = etree.fromstring(xml)
    assert _text(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name") == customer.name
    assert _text(root, "cac:InvoiceLine/cac:Item/cbc:Name") == 'Seats "Pro" & <support>'
    assert_valid(xml)


def test_amounts_keep_two_decimals_at_most_for_every_currency_exponent() -> None:
    assert ubl_amount(123450, "SGD") == "1234.50"
    assert ubl_amount(-5, "SGD") == "-0.05"
    assert ubl_amount(1234, "JPY") == "1234"
    assert ubl_amount(12345, "BHD") == "12.35"  # three-decimal currency: PINT SG allows two


def test_a_long_description_goes_in_description_with_a_short_name() -> None:
    long_text = "Consulting " * 20
    document = samples.document([DocumentLine(long_text.strip(), Decimal(1), 100, 100, "SR", Decimal("0.09"))])
    root = _parse(document)
    item = root.find("cac:InvoiceLine/cac:Item", NS)
    assert item is not None
    assert _text(item, "cbc:Description") == long_text.strip()
    name = _text(item, "cbc:Name")
    assert name is not None and len(name) <= 100
    assert xsd_errors(etree.tostring(root)) == []
    assert violations(etree.tostring(root)) == []


@pytest.mark.parametrize("name", ["invoice-example.xml", "credit-note-example.xml"])
def test_the_committed_examples_are_valid(name: str) -> None:
    xml = (Path(__file__).resolve().parents[3] / "docs" / "billing" / name).read_bytes()
    assert xsd_errors(xml) == []
    assert_valid(xml)


def test_a_time_of_supply_before_the_issue_date_is_the_tax_point_date() -> None:
    for make in (samples.sr_only_sgd, samples.credit_note):
        document = replace(make(), time_of_supply=date(2026, 11, 28))
        xml = render_ubl(document)
        assert _text(etree.fromstring(xml), "cbc:TaxPointDate") == "2026-11-28"
        assert xsd_errors(xml) == []
        assert_valid(xml)
    assert _parse(samples.sr_only_sgd()).find("cbc:TaxPointDate", NS) is None


def test_a_buyer_without_a_uen_has_no_endpoint_which_pint_sg_flags() -> None:
    # Known gap: PINT SG wants the buyer's 0195 endpoint; an overseas buyer has no UEN.
    xml = render_ubl(replace(samples.sr_only_sgd(), customer=samples.OVERSEAS_CUSTOMER))
    assert xsd_errors(xml) == []
    assert [(v.rule, v.detail) for v in violations(xml)] == [("buyer-party", "no EndpointID")]
