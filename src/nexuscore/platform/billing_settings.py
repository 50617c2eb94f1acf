"""Settings of billing: the supplier on every invoice (the platform operator) and the number
prefixes. Production refuses to start without the supplier's particulars: an invoice without
them is not a valid tax invoice."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nexuscore.kernel.singapore import is_valid_gst_number, is_valid_uen, normalise_identifier
from nexuscore.platform.env_values import SettingsError, env_optional

# Development defaults: plainly not a real business.
DEV_SUPPLIER_NAME = "NexusCore Development Pte. Ltd."
DEV_SUPPLIER_ADDRESS = "1 Example Street, #01-01 | Singapore 000001"
DEV_SUPPLIER_UEN = "202600001A"
NOT_REGISTERED = "none"  # SUPPLIER_GST_REG_NO=none: the supplier is not GST-registered (NG invoices)
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
_POSTAL_CODE = re.compile(r"\b(\d{6})\b")


def billing_settings(env: Mapping[str, str], environment: str) -> dict[str, Any]:
    """The `Settings` fields of billing, by name."""
    production = environment == "production"
    name = env_optional(env, "SUPPLIER_NAME")
    address = env_optional(env, "SUPPLIER_ADDRESS")
    uen = env_optional(env, "SUPPLIER_UEN")
    gst = env_optional(env, "SUPPLIER_GST_REG_NO")
    if production:
        missing = [
            n
            for n, v in (
                ("SUPPLIER_NAME", name),
                ("SUPPLIER_ADDRESS", address),
                ("SUPPLIER_UEN", uen),
                ("SUPPLIER_GST_REG_NO", gst),
            )
            if v is None
        ]
        if missing:
            raise SettingsError(
                f"{', '.join(missing)} required in production: every invoice carries the supplier's particulars "
                f"(SUPPLIER_GST_REG_NO={NOT_REGISTERED} for a supplier that is not GST-registered)"
            )
    name = name or DEV_SUPPLIER_NAME
    address = address or DEV_SUPPLIER_ADDRESS
    uen = normalise_identifier(uen or DEV_SUPPLIER_UEN)
    if not is_valid_uen(uen):
        raise SettingsError(f"SUPPLIER_UEN={uen!r} is not a UEN (like 200312345A)")
    lines = tuple(part.strip() for part in address.split("|") if part.strip())
    postal = _POSTAL_CODE.search(lines[-1]) if lines else None
    if postal is None:
        raise SettingsError(
            "SUPPLIER_ADDRESS must end with the postal code (lines separated by |): '... | Singapore 018989'"
        )
    if gst is None:
        registration: str | None = uen  # development: registered, under the UEN
    elif gst.lower() == NOT_REGISTERED:
        registration = None
    else:
        registration = normalise_identifier(gst)
        if not is_valid_gst_number(registration):
            raise SettingsError(f"SUPPLIER_GST_REG_NO={gst!r} is not a GST registration number (or '{NOT_REGISTERED}')")
    prefixes = {
        "INVOICE_NUMBER_PREFIX": (env.get("INVOICE_NUMBER_PREFIX", "").strip() or "INV").upper(),
        "CREDIT_NOTE_NUMBER_PREFIX": (env.get("CREDIT_NOTE_NUMBER_PREFIX", "").strip() or "CN").upper(),
    }
    for var, value in prefixes.items():
        if not _PREFIX.match(value):
            raise SettingsError(f"{var}={value!r} must be 1-10 capital letters or digits, starting with a letter")
    if prefixes["INVOICE_NUMBER_PREFIX"] == prefixes["CREDIT_NOTE_NUMBER_PREFIX"]:
        raise SettingsError("INVOICE_NUMBER_PREFIX and CREDIT_NOTE_NUMBER_PREFIX must differ (separate series)")
    return {
        "supplier_name": name,
        "supplier_address_lines": lines,
        "supplier_postal_code": postal.group(1),
        "supplier_uen": uen,
        "supplier_gst_registration_number": registration,
        "invoice_number_prefix": prefixes["INVOICE_NUMBER_PREFIX"],
        "credit_note_number_prefix": prefixes["CREDIT_NOTE_NUMBER_PREFIX"],
    }
