"""Singapore identifiers: UEN (ACRA's published formats) and GST registration numbers (shared by
organisations, leads and invoices)."""

from __future__ import annotations

import re

# (a) Businesses registered with ACRA: 8 digits + check letter, e.g. 53012345D.
_UEN_BUSINESS = re.compile(r"^\d{8}[A-Z]$")
# (b) Local companies: year of registration (4 digits) + 5 digits + check letter, e.g. 200312345A.
_UEN_LOCAL_COMPANY = re.compile(r"^(18|19|20)\d{2}\d{5}[A-Z]$")
# (c) Other entities: T (20xx) / S (19xx) / R (18xx) + 2-digit year + 2-character entity type
#     + 4 digits + check letter, e.g. T08LL1234A.
_UEN_OTHER = re.compile(r"^[TSR]\d{2}[A-Z0-9]{2}\d{4}[A-Z]$")
# GST numbers that are not UENs: M + one letter or digit + 7 digits + check letter.
_GST_M = re.compile(r"^M[A-Z0-9]\d{7}[A-Z]$")


def normalise_identifier(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def is_valid_uen(value: str) -> bool:
    value = normalise_identifier(value)
    return bool(_UEN_BUSINESS.match(value) or _UEN_LOCAL_COMPANY.match(value) or _UEN_OTHER.match(value))


def is_valid_gst_number(value: str) -> bool:
    """Loose by design: a shape check that never rejects a real number (UEN or M-prefixed)."""
    value = normalise_identifier(value)
    return is_valid_uen(value) or bool(_GST_M.match(value))
