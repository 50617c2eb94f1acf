"""Do Not Call rules: a DNC result belongs to the number that was checked, and "unchecked"
goes with "no check date" (PDPA DNC register; a check is valid for 21 days, see model.py)."""

from __future__ import annotations

from datetime import date

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.unset import Unset
from nexuscore.leads.domain.model import DncStatus


def _invalid(message: str) -> ValidationError:
    return ValidationError("Invalid dncCheckedAt.", errors=[FieldError("dncCheckedAt", message)])


def edited_dnc(
    current_status: DncStatus,
    current_checked_at: date | None,
    *,
    status: DncStatus | Unset,
    checked_at: date | Unset | None,
    phone_changed: bool,
    today: date,
) -> tuple[DncStatus, date | None]:
    """The DNC status and check date after an edit (API create and update).

    A result reported without a date was checked today (the user reports it now); a new phone
    number has not been checked, whatever the old one's result. Raises ValidationError naming
    dncCheckedAt when the pair does not fit together or the check date is in the future.
    """
    new_status = current_status if isinstance(status, Unset) else status
    new_checked_at = current_checked_at if isinstance(checked_at, Unset) else checked_at
    if isinstance(status, Unset) and isinstance(checked_at, Unset):
        if not phone_changed:
            return current_status, current_checked_at
        new_status, new_checked_at = DncStatus.UNCHECKED, None
    elif new_status is DncStatus.UNCHECKED:
        if not isinstance(checked_at, Unset) and checked_at is not None:
            raise _invalid("must be empty while dncStatus is unchecked")
        new_checked_at = None
    elif isinstance(checked_at, Unset):
        new_checked_at = today
    if new_status is not DncStatus.UNCHECKED and new_checked_at is None:
        raise _invalid("is required when dncStatus is clear or listed")
    if new_checked_at is not None and new_checked_at > today:
        raise _invalid("must not be in the future")
    return new_status, new_checked_at


def imported_dnc_problem(
    status: DncStatus, checked_at: date | None, *, today: date, date_unreadable: bool
) -> str | None:
    """What is wrong with a CSV row's DNC cells (a dncCheckedAt message), or None.

    The API's rules (`edited_dnc`) with one deliberate difference: the API reads a result without
    a date as checked today (a user reporting it now); a file row may be months old, and the date
    decides whether the lead may be marketed to (21-day validity), so an import needs the date.
    No "required" complaint when the date cell was there but unreadable (that error stands).
    """
    if status is DncStatus.UNCHECKED:
        return "must be empty while dncStatus is unchecked" if checked_at is not None else None
    if checked_at is None:
        return None if date_unreadable else "is required when dncStatus is clear or listed"
    return "must not be in the future" if checked_at > today else None
