"""Each PINT SG rule of tests/support/pint_sg.py fails on a document broken in just that way.

A mutation takes a valid rendered document and breaks one thing; the rule named must then
report it. The last test holds every rule to having such a case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from lxml import etree

from nexuscore.billing.adapters.einvoice import render_ubl
from nexuscore.billing.domain.documents import TaxDocument
from tests.support import billing_documents as samples
from tests.support.pint_sg import CAC, CBC, NS, RULES, violations
from tests.support.ubl_schema import xsd_errors

Mutation = Callable[[etree._Element], None]


def _find(root: etree._Element, path: str) -> etree._Element:
    found = root.find(path, NS)
    assert found is not None, path
    return found


def _set(path: str, value: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        _find(root, path).text = value

    return mutate


def _remove(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for element in root.findall(path, NS):
            parent = element.getparent()
            assert parent is not None
            parent.remove(element)

    return mutate


def _attribute(path: str, name: str, value: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        _find(root, path).set(name, value)

    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for mutation in mutations:
            mutation(root)

    return mutate


def _move_tax_total_first(root: etree._Element) -> None:
    tax_total = _find(root, "cac:TaxTotal")
    root.remove(tax_total)
    _find(root, "cbc:ID").addprevious(tax_total)


def _duplicate_subtotal(root: etree._Element) -> None:
    subtotal = _find(root, "cac:TaxTotal/cac:TaxSubtotal")
    subtotal.addnext(etree.fromstring(etree.tostring(subtotal)))


def _add_seller_tax_scheme(root: etree._Element) -> None:
    party = _find(root, "cac:AccountingSupplierParty/cac:Party")
    scheme = etree.SubElement(party, f"{{{CAC}}}PartyTaxScheme")
    etree.SubElement(scheme, f"{{{CBC}}}CompanyID").text = "M91234567X"
    etree.SubElement(etree.SubElement(scheme, f"{{{CAC}}}TaxScheme"), f"{{{CBC}}}ID").text = "GST"
    _find(party, "cac:PartyLegalEntity").addprevious(scheme)


def _add_sr_subtotal(root: etree._Element) -> None:
    subtotal = _find(root, "cac:TaxTotal/cac:TaxSubtotal")
    copy = etree.fromstring(etree.tostring(subtotal))
    _find(copy, "cac:TaxCategory/cbc:ID").text = "SR"
    subtotal.addnext(copy)


@dataclass(frozen=True)
class Case:
    rule: str
    base: Callable[[], TaxDocument]
    mutate: Mutation
    still_xsd_valid: bool = True  # most rules are PINT SG's own, beyond what the schema sees


CASES = [
    Case("root-element", samples.sr_only_sgd, _set("cbc:UBLVersionID", "2.0")),
    Case("customization-id", samples.sr_only_sgd, _set("cbc:CustomizationID", "urn:cen.eu:en16931:2017")),
    Case("profile-id", samples.sr_only_sgd, _set("cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")),
    Case("document-id", samples.sr_only_sgd, _set("cbc:ID", " ")),
    Case("type-code", samples.credit_note, _set("cbc:CreditNoteTypeCode", "380")),
    Case("uuid", samples.sr_only_sgd, _set("cbc:UUID", "not-a-uuid")),
    Case("dates", samples.sr_only_sgd, _set("cbc:DueDate", "2027-1-1"), still_xsd_valid=False),
    Case("element-order", samples.sr_only_sgd, _move_tax_total_first, still_xsd_valid=False),
    Case("document-currency", samples.sr_only_sgd, _set("cbc:DocumentCurrencyCode", "sgd")),
    Case("tax-currency-sgd", samples.usd_invoice, _remove("cbc:TaxCurrencyCode")),
    Case("sgd-totals", samples.usd_invoice, _remove("cac:AdditionalDocumentReference")),
    Case(
        "sgd-totals", samples.usd_credit_note, _set("cac:AdditionalDocumentReference/cbc:DocumentDescription", "1.234")
    ),
    Case(
        "seller-party",
        samples.sr_only_sgd,
        _attribute("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", "schemeID", "0088"),
    ),
    Case(
        "seller-party",
        samples.sr_only_sgd,
        _remove("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone"),
    ),
    Case(
        "buyer-party",
        samples.sr_only_sgd,
        _remove("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName"),
    ),
    Case(
        "buyer-party",
        samples.sr_only_sgd,
        _set("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:ID", "VAT"),
    ),
    Case(
        "seller-uen",
        samples.sr_only_sgd,
        _remove("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"),
    ),
    Case(
        "seller-gst-id", samples.mixed_categories, _remove("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")
    ),
    Case("tax-breakdown", samples.sr_only_sgd, _remove("cac:TaxTotal/cac:TaxSubtotal")),
    Case("tax-breakdown", samples.mixed_categories, _duplicate_subtotal),
    Case(
        "tax-breakdown",
        samples.sr_only_sgd,
        _set("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID", "VAT"),
    ),
    Case(
        "line-tax-category",
        samples.sr_only_sgd,
        _remove("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory"),
        still_xsd_valid=True,
    ),
    Case(
        "line-tax-category",
        samples.credit_note,
        _set("cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID", "VAT"),
    ),
    Case(
        "line-tax-category", samples.sr_only_sgd, _set("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "S")
    ),
    Case(
        "untaxed-categories",
        samples.mixed_categories,
        _set("cac:TaxTotal/cac:TaxSubtotal[2]/cac:TaxCategory/cbc:Percent", "9"),
    ),
    Case("ng-alone", samples.unregistered_supplier, _add_seller_tax_scheme),
    Case("ng-alone", samples.unregistered_supplier, _add_sr_subtotal),
    Case("monetary-totals", samples.sr_only_sgd, _remove("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")),
    Case(
        "monetary-totals",
        samples.sr_only_sgd,
        _remove("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
        still_xsd_valid=True,
    ),
    Case("totals-add-up", samples.sr_only_sgd, _set("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "1.00")),
    Case("totals-add-up", samples.mixed_categories, _set("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "44.11")),
    Case("line-amounts", samples.sr_only_sgd, _set("cac:InvoiceLine/cac:Price/cbc:PriceAmount", "48.99")),
    Case("two-decimals", samples.sr_only_sgd, _set("cac:InvoiceLine/cac:Price/cbc:PriceAmount", "49.001")),
    Case(
        "amount-currencies",
        samples.sr_only_sgd,
        _attribute("cac:InvoiceLine/cbc:LineExtensionAmount", "currencyID", "USD"),
    ),
    Case("credit-note-reference", samples.credit_note, _remove("cac:BillingReference")),
    Case(
        "credit-note-reference",
        samples.credit_note,
        _remove("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"),
    ),
    Case("credit-note-reason", samples.credit_note, _remove("cbc:Note")),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{case.rule}-{index}" for index, case in enumerate(CASES)])
def test_the_rule_catches_its_broken_document(case: Case) -> None:
    xml = render_ubl(case.base())
    assert violations(xml) == []
    root = etree.fromstring(xml)
    case.mutate(root)
    broken = etree.tostring(root)
    assert broken != etree.tostring(etree.fromstring(xml)), "the mutation changed nothing"
    assert case.rule in {violation.rule for violation in violations(broken)}
    assert (xsd_errors(broken) == []) is case.still_xsd_valid


def test_a_document_that_is_not_xml_is_not_well_formed() -> None:
    assert [v.rule for v in violations(b"<Invoice><cbc:ID>1</Invoice>")] == ["well-formed"]


def test_every_rule_has_a_broken_document() -> None:
    assert set(RULES) == {case.rule for case in CASES}
