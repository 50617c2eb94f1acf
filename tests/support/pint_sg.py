"""Our own checker of the InvoiceNow (PINT SG) rules the issue and REFERENCE.md list.

No maintained PINT SG Schematron is installable here, so each rule is a named check over the
parsed UBL. `violations(xml)` runs them all and returns the names (with a detail) of those
that fail; `assert_valid(xml)` fails a test on any. Each rule has a test feeding it a broken
document (tests/unit/billing/test_pint_sg_checker.py), so none of them can pass vacuously.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from uuid import UUID

from lxml import etree

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}

CUSTOMIZATION_ID = "urn:peppol:pint:billing-1@sg-1"
PROFILE_ID = "urn:peppol:bis:billing"
CATEGORY_CODES = frozenset(
    {"SR", "SRCA-S", "SRCA-C", "SROVR-RS", "SROVR-LVG", "SRRC", "SRLVG", "ZR", "ES33", "ESN33", "DS", "OS", "NA", "NG"}
)
SELLER_GST_ID_REQUIRED = frozenset({"SR", "SRCA-S", "SRCA-C", "ZR", "SRRC", "SROVR-RS", "SROVR-LVG", "SRLVG", "NA"})
TAXED = frozenset({"SR", "SRCA-S", "SROVR-RS", "SROVR-LVG", "SRLVG"})  # categories whose tax the supplier charges


def _names(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


# The UBL 2.1 schema's sequence of the root's children that a PINT SG document may use.
INVOICE_ORDER = _names(
    "UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator UUID IssueDate "
    "IssueTime DueDate InvoiceTypeCode Note TaxPointDate DocumentCurrencyCode TaxCurrencyCode PricingCurrencyCode "
    "PaymentCurrencyCode PaymentAlternativeCurrencyCode AccountingCostCode AccountingCost LineCountNumeric "
    "BuyerReference InvoicePeriod OrderReference BillingReference DespatchDocumentReference "
    "ReceiptDocumentReference StatementDocumentReference OriginatorDocumentReference ContractDocumentReference "
    "AdditionalDocumentReference ProjectReference Signature AccountingSupplierParty AccountingCustomerParty "
    "PayeeParty BuyerCustomerParty SellerSupplierParty TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans "
    "PaymentTerms PrepaidPayment AllowanceCharge TaxExchangeRate PricingExchangeRate PaymentExchangeRate "
    "PaymentAlternativeExchangeRate TaxTotal WithholdingTaxTotal LegalMonetaryTotal InvoiceLine"
)
CREDIT_NOTE_ORDER = _names(
    "UBLExtensions UBLVersionID CustomizationID ProfileID ProfileExecutionID ID CopyIndicator UUID IssueDate "
    "IssueTime TaxPointDate CreditNoteTypeCode Note DocumentCurrencyCode TaxCurrencyCode PricingCurrencyCode "
    "PaymentCurrencyCode PaymentAlternativeCurrencyCode AccountingCostCode AccountingCost LineCountNumeric "
    "BuyerReference InvoicePeriod DiscrepancyResponse OrderReference BillingReference DespatchDocumentReference "
    "ReceiptDocumentReference ContractDocumentReference AdditionalDocumentReference StatementDocumentReference "
    "OriginatorDocumentReference Signature AccountingSupplierParty AccountingCustomerParty PayeeParty "
    "BuyerCustomerParty SellerSupplierParty TaxRepresentativeParty Delivery DeliveryTerms PaymentMeans PaymentTerms "
    "TaxExchangeRate PricingExchangeRate PaymentExchangeRate PaymentAlternativeExchangeRate AllowanceCharge "
    "TaxTotal LegalMonetaryTotal CreditNoteLine"
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Violation:
    rule: str
    detail: str


class _Doc:
    """The parsed document with the lookups the rules share."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.credit = root.tag == f"{{{CREDIT_NOTE_NS}}}CreditNote"
        self.line_tag = "cac:CreditNoteLine" if self.credit else "cac:InvoiceLine"
        self.quantity_tag = "cbc:CreditedQuantity" if self.credit else "cbc:InvoicedQuantity"

    def all(self, path: str, node: etree._Element | None = None) -> list[etree._Element]:
        return list((self.root if node is None else node).findall(path, NS))

    def text(self, path: str, node: etree._Element | None = None) -> str | None:
        found = (self.root if node is None else node).find(path, NS)
        return None if found is None or found.text is None else found.text.strip()

    @property
    def currency(self) -> str | None:
        return self.text("cbc:DocumentCurrencyCode")

    def line_categories(self) -> list[str | None]:
        return [self.text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) for line in self.all(self.line_tag)]

    def main_tax_total(self) -> etree._Element | None:
        for total in self.all("cac:TaxTotal"):
            amount = total.find("cbc:TaxAmount", NS)
            if amount is not None and amount.get("currencyID") == self.currency:
                return total
        return None

    def subtotals(self) -> list[etree._Element]:
        total = self.main_tax_total()
        return [] if total is None else self.all("cac:TaxSubtotal", total)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


Rule = Callable[[_Doc], list[str]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        RULES[name] = check
        return check

    return register


@rule("root-element")
def _root(doc: _Doc) -> list[str]:
    allowed = {f"{{{INVOICE_NS}}}Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote"}
    problems = [] if doc.root.tag in allowed else [f"root is {doc.root.tag}"]
    if doc.text("cbc:UBLVersionID") not in (None, "2.1"):
        problems.append(f"UBLVersionID {doc.text('cbc:UBLVersionID')}")
    return problems


@rule("customization-id")
def _customization(doc: _Doc) -> list[str]:
    value = doc.text("cbc:CustomizationID")
    return [] if value == CUSTOMIZATION_ID else [f"CustomizationID is {value!r}"]


@rule("profile-id")
def _profile(doc: _Doc) -> list[str]:
    value = doc.text("cbc:ProfileID")
    return [] if value == PROFILE_ID else [f"ProfileID is {value!r}"]


@rule("document-id")
def _document_id(doc: _Doc) -> list[str]:
    return [] if doc.text("cbc:ID") else ["no ID"]


@rule("type-code")
def _type_code(doc: _Doc) -> list[str]:
    path, expected = ("cbc:CreditNoteTypeCode", "381") if doc.credit else ("cbc:InvoiceTypeCode", "380")
    value = doc.text(path)
    return [] if value == expected else [f"{path} is {value!r}, want {expected}"]


@rule("uuid")
def _uuid(doc: _Doc) -> list[str]:
    value = doc.text("cbc:UUID")
    if not value:
        return ["no UUID"]
    try:
        UUID(value)
    except ValueError:
        return [f"UUID {value!r} is not a UUID"]
    return []


@rule("dates")
def _dates(doc: _Doc) -> list[str]:
    problems = []
    issue = doc.text("cbc:IssueDate")
    if issue is None or not _ISO_DATE.match(issue):
        problems.append(f"IssueDate {issue!r}")
    for path in ("cbc:DueDate", "cbc:TaxPointDate"):
        value = doc.text(path)
        if value is not None and not _ISO_DATE.match(value):
            problems.append(f"{path} {value!r}")
    return problems


@rule("element-order")
def _order(doc: _Doc) -> list[str]:
    order = CREDIT_NOTE_ORDER if doc.credit else INVOICE_ORDER
    positions = []
    for child in doc.root:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name not in order:
            return [f"{name} is not a child of {etree.QName(doc.root).localname} in UBL 2.1"]
        positions.append((order.index(name), name))
    for (before, before_name), (after, after_name) in pairwise(positions):
        if after < before:
            return [f"{after_name} after {before_name}"]
    return []


@rule("document-currency")
def _document_currency(doc: _Doc) -> list[str]:
    value = doc.currency
    return [] if value and re.fullmatch(r"[A-Z]{3}", value) else [f"DocumentCurrencyCode {value!r}"]


@rule("tax-currency-sgd")
def _tax_currency(doc: _Doc) -> list[str]:
    tax_currency = doc.text("cbc:TaxCurrencyCode")
    if doc.currency == "SGD":
        return [] if tax_currency in (None, "SGD") else [f"TaxCurrencyCode {tax_currency} on an SGD document"]
    return [] if tax_currency == "SGD" else [f"{doc.currency} document without TaxCurrencyCode SGD"]


@rule("sgd-totals")
def _sgd_totals(doc: _Doc) -> list[str]:
    if doc.currency == "SGD" or doc.currency is None:
        return []
    problems = []
    for code in ("sgdtotal-excl-gst", "sgdtotal-incl-gst"):
        references = [
            reference
            for reference in doc.all("cac:AdditionalDocumentReference")
            if doc.text("cbc:DocumentTypeCode", reference) == code
        ]
        if len(references) != 1:
            problems.append(f"{len(references)} AdditionalDocumentReference with DocumentTypeCode {code}")
            continue
        amount = _decimal(doc.text("cbc:DocumentDescription", references[0]))
        if amount is None or -amount.as_tuple().exponent > 2:  # type: ignore[operator]
            problems.append(f"{code} amount {doc.text('cbc:DocumentDescription', references[0])!r}")
    if not any(amount.get("currencyID") == "SGD" for amount in doc.all("cac:TaxTotal/cbc:TaxAmount")):
        problems.append("no TaxTotal with the GST in SGD")
    return problems


def _party_rule(role: str) -> Rule:
    def check(doc: _Doc) -> list[str]:
        party = doc.root.find(f"cac:{role}/cac:Party", NS)
        if party is None:
            return [f"no {role}"]
        problems = []
        endpoint = party.find("cbc:EndpointID", NS)
        if endpoint is None or not (endpoint.text or "").strip():
            problems.append("no EndpointID")
        elif endpoint.get("schemeID") != "0195":
            problems.append(f"EndpointID schemeID {endpoint.get('schemeID')!r}, want 0195 (UEN)")
        if not doc.text("cac:PartyName/cbc:Name", party) and not doc.text(
            "cac:PartyLegalEntity/cbc:RegistrationName", party
        ):
            problems.append("no name")
        for path in ("cac:PostalAddress/cbc:StreetName", "cac:PostalAddress/cbc:PostalZone"):
            if not doc.text(path, party):
                problems.append(f"no {path}")
        country = doc.text("cac:PostalAddress/cac:Country/cbc:IdentificationCode", party)
        if not country or not re.fullmatch(r"[A-Z]{2}", country):
            problems.append(f"country {country!r}")
        if not doc.text("cac:PartyLegalEntity/cbc:RegistrationName", party):
            problems.append("no PartyLegalEntity/RegistrationName")
        for scheme in doc.all("cac:PartyTaxScheme", party):
            if not doc.text("cbc:CompanyID", scheme):
                problems.append("PartyTaxScheme without CompanyID")
            if doc.text("cac:TaxScheme/cbc:ID", scheme) != "GST":
                problems.append(f"PartyTaxScheme TaxScheme {doc.text('cac:TaxScheme/cbc:ID', scheme)!r}, want GST")
        return problems

    return check


RULES["seller-party"] = _party_rule("AccountingSupplierParty")
RULES["buyer-party"] = _party_rule("AccountingCustomerParty")


@rule("seller-uen")
def _seller_uen(doc: _Doc) -> list[str]:
    party = doc.root.find("cac:AccountingSupplierParty/cac:Party", NS)
    if party is None:
        return ["no seller"]
    legal = party.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
    endpoint = doc.text("cbc:EndpointID", party)
    if legal is None or not (legal.text or "").strip():
        return ["no PartyLegalEntity/CompanyID (UEN)"]
    if legal.text != endpoint:
        return [f"legal CompanyID {legal.text!r} is not the endpoint UEN {endpoint!r}"]
    return []


@rule("seller-gst-id")
def _seller_gst_id(doc: _Doc) -> list[str]:
    categories = set(doc.line_categories()) | {doc.text("cac:TaxCategory/cbc:ID", row) for row in doc.subtotals()}
    if not categories & SELLER_GST_ID_REQUIRED:
        return []
    schemes = doc.all("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")
    if any(doc.text("cbc:CompanyID", s) and doc.text("cac:TaxScheme/cbc:ID", s) == "GST" for s in schemes):
        return []
    return [f"categories {sorted(c for c in categories if c)} need the seller's GST id"]


@rule("tax-breakdown")
def _tax_breakdown(doc: _Doc) -> list[str]:
    total = doc.main_tax_total()
    if total is None:
        return ["no TaxTotal in the document currency"]
    subtotals = doc.subtotals()
    if not subtotals:
        return ["no TaxSubtotal"]
    problems = []
    codes = []
    for row in subtotals:
        code = doc.text("cac:TaxCategory/cbc:ID", row)
        codes.append(code)
        if code not in CATEGORY_CODES:
            problems.append(f"TaxSubtotal category {code!r}")
        if _decimal(doc.text("cac:TaxCategory/cbc:Percent", row)) is None:
            problems.append(f"TaxSubtotal {code} without Percent")
        if doc.text("cac:TaxCategory/cac:TaxScheme/cbc:ID", row) != "GST":
            problems.append(f"TaxSubtotal {code} TaxScheme is not GST")
        for path in ("cbc:TaxableAmount", "cbc:TaxAmount"):
            if _decimal(doc.text(path, row)) is None:
                problems.append(f"TaxSubtotal {code} without {path}")
    if len(codes) != len(set(codes)):
        problems.append(f"categories repeated in the breakdown: {codes}")
    if set(codes) != set(doc.line_categories()):
        problems.append(
            f"breakdown {sorted(map(str, codes))} is not the lines' {sorted(map(str, doc.line_categories()))}"
        )
    return problems


@rule("line-tax-category")
def _line_tax_category(doc: _Doc) -> list[str]:
    lines = doc.all(doc.line_tag)
    if not lines:
        return ["no lines"]
    problems = []
    for line in lines:
        number = doc.text("cbc:ID", line)
        category = line.find("cac:Item/cac:ClassifiedTaxCategory", NS)
        if category is None:
            problems.append(f"line {number} without ClassifiedTaxCategory")
            continue
        if doc.text("cbc:ID", category) not in CATEGORY_CODES:
            problems.append(f"line {number} category {doc.text('cbc:ID', category)!r}")
        if _decimal(doc.text("cbc:Percent", category)) is None:
            problems.append(f"line {number} without Percent")
        if doc.text("cac:TaxScheme/cbc:ID", category) != "GST":
            problems.append(f"line {number} TaxScheme is not GST")
    return problems


@rule("untaxed-categories")
def _untaxed(doc: _Doc) -> list[str]:
    """Zero-rated, exempt, out-of-scope and NG rows carry 0 % and no tax; taxed ones a rate."""
    problems = []
    for row in doc.subtotals():
        code = doc.text("cac:TaxCategory/cbc:ID", row)
        percent = _decimal(doc.text("cac:TaxCategory/cbc:Percent", row))
        tax = _decimal(doc.text("cbc:TaxAmount", row))
        if code in {"ZR", "ES33", "ESN33", "OS", "NG", "NA", "DS"} and (percent != 0 or tax != 0):
            problems.append(f"{code} with {percent} % and tax {tax}")
        if code in TAXED and not percent:
            problems.append(f"{code} without a rate")
    return problems


@rule("ng-alone")
def _ng_alone(doc: _Doc) -> list[str]:
    codes = [doc.text("cac:TaxCategory/cbc:ID", row) for row in doc.subtotals()]
    if "NG" not in codes and "NG" not in doc.line_categories():
        return []
    problems = []
    if codes != ["NG"]:
        problems.append(f"NG with other breakdowns: {codes}")
    total = doc.main_tax_total()
    if total is None or _decimal(doc.text("cbc:TaxAmount", total)) != 0:
        problems.append("NG document with tax")
    if doc.all(".//cac:PartyTaxScheme"):
        problems.append("NG document with GST ids")
    return problems


@rule("monetary-totals")
def _monetary_totals(doc: _Doc) -> list[str]:
    totals = doc.root.find("cac:LegalMonetaryTotal", NS)
    if totals is None:
        return ["no LegalMonetaryTotal"]
    needed = ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount")
    missing = [name for name in needed if _decimal(doc.text(f"cbc:{name}", totals)) is None]
    return [f"LegalMonetaryTotal without {name}" for name in missing]


@rule("totals-add-up")
def _totals_add_up(doc: _Doc) -> list[str]:
    def amount(path: str, node: etree._Element | None = None) -> Decimal:
        return _decimal(doc.text(path, node)) or Decimal(0)

    problems = []
    lines = sum((amount("cbc:LineExtensionAmount", line) for line in doc.all(doc.line_tag)), Decimal(0))
    line_extension = amount("cac:LegalMonetaryTotal/cbc:LineExtensionAmount")
    exclusive = amount("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")
    inclusive = amount("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
    total = doc.main_tax_total()
    tax = amount("cbc:TaxAmount", total) if total is not None else Decimal(0)
    if lines != line_extension:
        problems.append(f"lines sum to {lines}, LineExtensionAmount is {line_extension}")
    if exclusive != line_extension:  # no document-level allowances or charges on our documents
        problems.append(f"TaxExclusiveAmount {exclusive} is not LineExtensionAmount {line_extension}")
    if inclusive != exclusive + tax:
        problems.append(f"TaxInclusiveAmount {inclusive} is not {exclusive} + {tax}")
    taxable = sum((amount("cbc:TaxableAmount", row) for row in doc.subtotals()), Decimal(0))
    sub_tax = sum((amount("cbc:TaxAmount", row) for row in doc.subtotals()), Decimal(0))
    if taxable != exclusive:
        problems.append(f"breakdown taxable amounts sum to {taxable}, not {exclusive}")
    if sub_tax != tax:
        problems.append(f"breakdown tax sums to {sub_tax}, not {tax}")
    for row in doc.subtotals():
        percent = _decimal(doc.text("cac:TaxCategory/cbc:Percent", row)) or Decimal(0)
        expected = (amount("cbc:TaxableAmount", row) * percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if amount("cbc:TaxAmount", row) != expected:
            problems.append(
                f"{doc.text('cac:TaxCategory/cbc:ID', row)} tax {amount('cbc:TaxAmount', row)}, want {expected}"
            )
    payable = amount("cac:LegalMonetaryTotal/cbc:PayableAmount")
    if payable != inclusive:  # nothing prepaid on our documents
        problems.append(f"PayableAmount {payable} is not TaxInclusiveAmount {inclusive}")
    return problems


@rule("line-amounts")
def _line_amounts(doc: _Doc) -> list[str]:
    problems = []
    for line in doc.all(doc.line_tag):
        quantity = _decimal(doc.text(doc.quantity_tag, line))
        price = _decimal(doc.text("cac:Price/cbc:PriceAmount", line))
        amount = _decimal(doc.text("cbc:LineExtensionAmount", line))
        if quantity is None or price is None or amount is None:
            problems.append(f"line {doc.text('cbc:ID', line)} lacks quantity, price or amount")
            continue
        if (quantity * price).quantize(Decimal("0.01"), ROUND_HALF_UP) != amount:
            problems.append(f"line {doc.text('cbc:ID', line)}: {quantity} x {price} is not {amount}")
        if not doc.text("cac:Item/cbc:Name", line):
            problems.append(f"line {doc.text('cbc:ID', line)} without an item name")
    return problems


@rule("two-decimals")
def _two_decimals(doc: _Doc) -> list[str]:
    problems = []
    for element in doc.root.iter():
        if not isinstance(element.tag, str) or element.get("currencyID") is None:
            continue
        value = _decimal((element.text or "").strip())
        if value is None:
            problems.append(f"{etree.QName(element).localname} {element.text!r} is not a number")
        elif -int(value.as_tuple().exponent) > 2:
            problems.append(f"{etree.QName(element).localname} {element.text} has more than two decimals")
    return problems


@rule("amount-currencies")
def _amount_currencies(doc: _Doc) -> list[str]:
    """Every amount is in the document currency, but the GST total in the tax currency."""
    tax_currency = doc.text("cbc:TaxCurrencyCode")
    problems = []
    for element in doc.root.iter():
        if not isinstance(element.tag, str) or element.get("currencyID") is None:
            continue
        currency = element.get("currencyID")
        parent = element.getparent()
        in_tax_total = parent is not None and etree.QName(parent).localname == "TaxTotal"
        if currency != doc.currency and not (in_tax_total and currency == tax_currency):
            problems.append(f"{etree.QName(element).localname} in {currency}")
    return problems


@rule("credit-note-reference")
def _credit_note_reference(doc: _Doc) -> list[str]:
    if not doc.credit:
        return []
    reference = doc.root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    if reference is None:
        return ["credit note without BillingReference/InvoiceDocumentReference"]
    problems = []
    if not doc.text("cbc:ID", reference):
        problems.append("original invoice without ID")
    issue = doc.text("cbc:IssueDate", reference)
    if issue is None or not _ISO_DATE.match(issue):
        problems.append(f"original invoice IssueDate {issue!r}")
    return problems


@rule("credit-note-reason")
def _credit_note_reason(doc: _Doc) -> list[str]:
    if not doc.credit:
        return []
    return [] if doc.text("cbc:Note") else ["credit note without a reason (Note)"]


def violations(xml: bytes) -> list[Violation]:
    """Every rule the document breaks; a document that is not well-formed XML breaks `well-formed`."""
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [Violation("well-formed", str(error))]
    doc = _Doc(root)
    found = []
    for name, check in RULES.items():
        found += [Violation(name, detail) for detail in check(doc)]
    return found


def assert_valid(xml: bytes) -> None:
    problems = violations(xml)
    assert not problems, "PINT SG violations:\n" + "\n".join(f"  {v.rule}: {v.detail}" for v in problems)
