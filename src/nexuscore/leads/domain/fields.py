"""Cleaning of lead fields, shared by the API (create, update) and CSV imports so a value is
accepted or refused the same way whichever door it comes through.

Each cleaner returns the normal form or raises ValidationError naming the (camelCase) field.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

import phonenumbers

from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.money import DEFAULT_CURRENCY, Money
from nexuscore.kernel.singapore import is_valid_uen, normalise_identifier
from nexuscore.leads.domain.model import MAX_TAG_LENGTH, MAX_TAGS

DEFAULT_PHONE_REGION = "SG"
MAX_NAME_LENGTH = 100
MAX_TEXT_LENGTH = 200
MAX_LOST_REASON_LENGTH = 500
MAX_ESTIMATED_VALUE = Money(10**13)  # S$100 billion: anything above is a typo
_TAG = re.compile(r"^[\w][\w .&+/-]*$")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(f"Invalid {field}.", errors=[FieldError(field, message)])


def clean_text(raw: str | None, *, field: str, max_length: int = MAX_TEXT_LENGTH, required: bool = False) -> str | None:
    """NFKC, trimmed, control characters refused; empty -> None (or an error when required)."""
    value = unicodedata.normalize("NFKC", raw or "").strip()
    if not value:
        if required:
            raise _invalid(field, "is required")
        return None
    if len(value) > max_length:
        raise _invalid(field, f"must be at most {max_length} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise _invalid(field, "must not contain control characters")
    return value


def clean_name(raw: str | None, *, field: str, required: bool = True) -> str:
    return clean_text(raw, field=field, max_length=MAX_NAME_LENGTH, required=required) or ""


def clean_email(raw: str | None, *, field: str = "email") -> str | None:
    if raw is None or not raw.strip():
        return None
    return normalise_email(raw, field=field)


def clean_phone(raw: str | None, *, field: str = "phone", region: str = DEFAULT_PHONE_REGION) -> str | None:
    """To E.164; numbers without a country code are read as Singapore numbers."""
    if raw is None or not raw.strip():
        return None
    if len(raw) > 40:
        raise _invalid(field, "is too long")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise _invalid(field, "must be a phone number, e.g. +65 6123 4567 or 9123 4567") from None
    if not phonenumbers.is_valid_number(number):
        raise _invalid(field, "is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_uen(raw: str | None, *, field: str = "companyUen") -> str | None:
    if raw is None or not raw.strip():
        return None
    value = normalise_identifier(raw)
    if not is_valid_uen(value):
        raise _invalid(field, "must be a UEN in one of ACRA's formats, e.g. 201912345K")
    return value


def clean_tags(raw: list[str] | None, *, field: str = "tags") -> list[str]:
    """Trimmed, lower-cased, de-duplicated in order."""
    tags: list[str] = []
    for item in raw or []:
        tag = unicodedata.normalize("NFKC", item).strip().lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH or not _TAG.match(tag):
            raise _invalid(field, f"each tag must be 1-{MAX_TAG_LENGTH} letters, digits, spaces or . & + / - _")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise _invalid(field, f"at most {MAX_TAGS} tags")
    return tags


def clean_money(raw: str | Decimal | None, *, field: str = "estimatedValue") -> Money | None:
    """A decimal amount in SGD major units ("12500.50") -> Money; negative or absurd values refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        amount = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise _invalid(field, "must be an amount like 12500.50") from None
    if not amount.is_finite():
        raise _invalid(field, "must be an amount like 12500.50")
    money = Money.from_decimal(amount, DEFAULT_CURRENCY)
    if money.amount < 0:
        raise _invalid(field, "must not be negative")
    if money.amount > MAX_ESTIMATED_VALUE.amount:
        raise _invalid(field, "is implausibly large")
    return money
