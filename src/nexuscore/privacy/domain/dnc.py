"""Do Not Call register checks (PDPA Part 9): the result of checking one Singapore number, and
on which day. A "clear" result lets a number be called or texted for 21 days."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final
from uuid import UUID

import phonenumbers

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.ids import new_id

DNC_CHECK_VALIDITY_DAYS: Final = 21


def check_valid_on(checked_on: date, today: date) -> bool:
    """Is a check made on `checked_on` still good evidence today (no older than 21 days)?"""
    return 0 <= (today - checked_on).days <= DNC_CHECK_VALIDITY_DAYS


class DncResult(enum.StrEnum):
    CLEAR = "clear"
    LISTED = "listed"


@dataclass(frozen=True)
class DncCheck:
    organization_id: UUID
    phone: str  # E.164
    result: DncResult
    checked_on: date  # the business date (Asia/Singapore) the register answered
    recorded_at: datetime
    recorded_by: UUID | None
    id: UUID = field(default_factory=new_id)

    def valid_on(self, today: date) -> bool:
        return check_valid_on(self.checked_on, today)

    def expires_on(self) -> date:
        return self.checked_on + timedelta(days=DNC_CHECK_VALIDITY_DAYS)


def latest_check(checks: Iterable[DncCheck]) -> DncCheck | None:
    """The most recent check of a number (by check date, then by entry)."""
    return max(checks, key=lambda c: (c.checked_on, c.recorded_at, c.id), default=None)


def may_call(checks: Iterable[DncCheck], today: date) -> bool:
    """The latest check says clear and is no older than 21 days."""
    latest = latest_check(checks)
    return latest is not None and latest.result is DncResult.CLEAR and latest.valid_on(today)


def new_check(
    *,
    organization_id: UUID,
    phone: str,
    result: DncResult,
    checked_on: date | None,
    today: date,
    recorded_by: UUID | None,
    now: datetime,
) -> DncCheck:
    when = checked_on or today
    if when > today:
        raise ValidationError("Invalid DNC check.", errors=[FieldError("checkedOn", "must not be in the future")])
    return DncCheck(
        organization_id=organization_id,
        phone=phone,
        result=result,
        checked_on=when,
        recorded_at=now,
        recorded_by=recorded_by,
    )


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """To E.164, read as a Singapore number without a country code (as the leads context does),
    so a check recorded here matches the lead's stored phone exactly."""
    value = raw.strip()
    if not value or len(value) > 40:
        raise ValidationError("Invalid phone.", errors=[FieldError(field, "must be a phone number")])
    try:
        number = phonenumbers.parse(value, "SG")
    except phonenumbers.NumberParseException:
        raise ValidationError("Invalid phone.", errors=[FieldError(field, "must be a phone number")]) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Invalid phone.", errors=[FieldError(field, "is not a valid phone number")])
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
