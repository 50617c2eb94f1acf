"""A finalised invoice or credit note as a UBL 2.1 document in the InvoiceNow PINT SG profile.

UBL is order-sensitive: children are appended in the UBL 2.1 schema's sequence for Invoice and
CreditNote (they differ: a CreditNote has no DueDate and puts TaxPointDate before its type
code). Amounts carry two decimals at most (PINT SG); SGD totals of a foreign-currency document
go in a second TaxTotal (the GST in SGD) and two AdditionalDocumentReferences.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from nexuscore.billing.domain.documents import DocumentKind, Party, TaxDocument
from nexuscore.kernel.money import currency_exponent

CUSTOMIZATION_ID = "urn:peppol:pint:billing-1@sg-1"
PROFILE_ID = "urn:peppol:bis:billing"
UEN_SCHEME = "0195"  # ISO 6523 ICD of Singapore's UEN
INVOICE_TYPE_CODE = "380"  # commercial invoice (UNCL1001)
CREDIT_NOTE_TYPE_CODE = "381"
UNIT_CODE = "C62"  # UN/ECE rec. 20 "one": a subscription, a seat, a service
GST = "GST"

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# Categories for which PINT SG requires the seller's GST registration number.
SELLER_GST_ID_REQUIRED = frozenset({"SR", "SRCA-S", "SRCA-C", "ZR", "SRRC", "SROVR-RS", "SROVR-LVG", "SRLVG", "NA"})
_TWO_PLACES = Decimal("0.01")


def _cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def ubl_amount(amount: int, currency: str) -> str:
    """Minor units as a UBL amount: the currency's decimals, never more than two (PINT SG)."""
    value = Decimal(amount).scaleb(-currency_exponent(currency))
    places = min(currency_exponent(currency), 2)
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def ubl_percent(rate: Decimal) -> str:
    percent = (rate * 100).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP).normalize()
    return f"{percent:f}"


def ubl_quantity(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


def _money(parent: etree._Element, name: str, amount: int, currency: str) -> None:
    _cbc(parent, name, ubl_amount(amount, currency), currencyID=currency)


def _party(parent: etree._Element, role: str, party: Party, *, with_gst_id: bool) -> None:
    wrapper = _cac(parent, role)
    node = _cac(wrapper, "Party")
    if party.uen:
        _cbc(node, "EndpointID", party.uen, schemeID=UEN_SCHEME)
        identification = _cac(node, "PartyIdentification")
        _cbc(identification, "ID", party.uen, schemeID=UEN_SCHEME)
    _cbc(_cac(node, "PartyName"), "Name", party.name)
    address = _cac(node, "PostalAddress")
    if party.address_lines:
        _cbc(address, "StreetName", party.address_lines[0])
    if len(party.address_lines) > 1:
        _cbc(address, "AdditionalStreetName", ", ".join(party.address_lines[1:]))
    if party.postal_code:
        _cbc(address, "PostalZone", party.postal_code)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    if with_gst_id and party.gst_registration_number:
        tax_scheme = _cac(node, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", party.gst_registration_number)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", GST)
    legal = _cac(node, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.uen:
        _cbc(legal, "CompanyID", party.uen, schemeID=UEN_SCHEME)
    if party.email:
        _cbc(_cac(node, "Contact"), "ElectronicMail", party.email)


def _tax_category(parent: etree._Element, name: str, category: str, rate: Decimal) -> None:
    node = _cac(parent, name)
    _cbc(node, "ID", category)
    _cbc(node, "Percent", ubl_percent(rate))
    _cbc(_cac(node, "TaxScheme"), "ID", GST)


def render_ubl(document: TaxDocument) -> bytes:
    """The document as UTF-8 UBL XML bytes (an Invoice, or a CreditNote for a credit note)."""
    credit = document.kind is DocumentKind.CREDIT_NOTE
    root_ns = CREDIT_NOTE_NS if credit else INVOICE_NS
    namespaces = {None: root_ns, "cac": CAC, "cbc": CBC}  # the root's namespace as the default one
    root = etree.Element(f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}", nsmap=namespaces)  # type: ignore[arg-type]  # lxml-stubs omits the None key
    currency = document.currency
    foreign = currency != "SGD"
    registered = not all(row.tax_category == "NG" for row in document.breakdown)

    _cbc(root, "UBLVersionID", "2.1")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", document.number)
    _cbc(root, "UUID", str(document.uuid))
    _cbc(root, "IssueDate", document.issue_date.isoformat())
    if credit:
        if document.time_of_supply != document.issue_date:
            _cbc(root, "TaxPointDate", document.time_of_supply.isoformat())
        _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
        if document.reason:
            _cbc(root, "Note", document.reason)
        if document.notes:
            _cbc(root, "Note", document.notes)
    else:
        if document.due_date is not None:
            _cbc(root, "DueDate", document.due_date.isoformat())
        _cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
        if document.notes:
            _cbc(root, "Note", document.notes)
        if document.time_of_supply != document.issue_date:
            _cbc(root, "TaxPointDate", document.time_of_supply.isoformat())
    _cbc(root, "DocumentCurrencyCode", currency)
    if foreign:
        _cbc(root, "TaxCurrencyCode", "SGD")
    if document.original_invoice is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", document.original_invoice.number)
        _cbc(reference, "IssueDate", document.original_invoice.issue_date.isoformat())
    if foreign and document.sgd_totals is not None:
        for code, amount in (
            ("sgdtotal-excl-gst", document.sgd_totals.total_excluding_gst),
            ("sgdtotal-incl-gst", document.sgd_totals.total_including_gst),
        ):
            reference = _cac(root, "AdditionalDocumentReference")
            _cbc(reference, "ID", "SGD")
            _cbc(reference, "DocumentTypeCode", code)
            _cbc(reference, "DocumentDescription", ubl_amount(amount, "SGD"))

    _party(root, "AccountingSupplierParty", document.supplier, with_gst_id=registered)
    # A supplier not registered for GST (NG) gives no GST ids at all (PINT SG).
    _party(root, "AccountingCustomerParty", document.customer, with_gst_id=registered)

    tax_total = _cac(root, "TaxTotal")
    _money(tax_total, "TaxAmount", document.gst_amount, currency)
    for row in document.breakdown:
        subtotal = _cac(tax_total, "TaxSubtotal")
        _money(subtotal, "TaxableAmount", row.taxable_amount, currency)
        _money(subtotal, "TaxAmount", row.tax_amount, currency)
        _tax_category(subtotal, "TaxCategory", row.tax_category, row.tax_rate)
    if foreign and document.sgd_totals is not None:
        # PINT SG: the document's GST again in the GST accounting currency, without subtotals.
        _money(_cac(root, "TaxTotal"), "TaxAmount", document.sgd_totals.gst_amount, "SGD")

    totals = _cac(root, "LegalMonetaryTotal")
    _money(totals, "LineExtensionAmount", sum(line.amount for line in document.lines), currency)
    _money(totals, "TaxExclusiveAmount", document.total_excluding_gst, currency)
    _money(totals, "TaxInclusiveAmount", document.total_including_gst, currency)
    _money(totals, "PayableAmount", document.total_including_gst, currency)

    for number, line in enumerate(document.lines, start=1):
        node = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(node, "ID", str(number))
        _cbc(
            node, "CreditedQuantity" if credit else "InvoicedQuantity", ubl_quantity(line.quantity), unitCode=UNIT_CODE
        )
        _money(node, "LineExtensionAmount", line.amount, currency)
        item = _cac(node, "Item")
        name = _item_name(line.description)
        if name != line.description:
            _cbc(item, "Description", line.description)  # precedes Name in the schema's sequence
        _cbc(item, "Name", name)
        _tax_category(item, "ClassifiedTaxCategory", line.tax_category, line.tax_rate)
        price = _cac(node, "Price")
        _cbc(price, "PriceAmount", ubl_amount(line.unit_amount, currency), currencyID=currency)

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _item_name(description: str) -> str:
    """A short name for the item; the full text goes in Description when it is long."""
    first_line = description.strip().splitlines()[0] if description.strip() else description
    return first_line if len(first_line) <= 100 else first_line[:99] + "…"
