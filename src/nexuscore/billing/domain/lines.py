"""Lines of invoices and credit notes, and the limits on what staff type in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nexuscore.billing.domain.tax import TaxCategory, line_amount
from nexuscore.kernel.errors import FieldError, ValidationError

MAX_LINES = 100
MAX_DESCRIPTION = 500
MAX_NOTES = 2000
MAX_REASON = 500
MAX_DUE_DAYS = 365
MAX_LINE_AMOUNT = 10**11  # minor units: S$1bn a line keeps every total well inside 64 bits


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    quantity: Decimal
    unit_amount: int  # minor units, GST-exclusive
    tax_category: TaxCategory

    @property
    def amount(self) -> int:
        return line_amount(self.quantity, self.unit_amount)


def check_lines(lines: tuple[InvoiceLine, ...], *, field: str = "lines") -> None:
    errors: list[FieldError] = []
    if not lines:
        errors.append(FieldError(field, "at least one line"))
    if len(lines) > MAX_LINES:
        errors.append(FieldError(field, f"at most {MAX_LINES} lines"))
    for i, line in enumerate(lines):
        if not line.description.strip() or len(line.description) > MAX_DESCRIPTION:
            errors.append(FieldError(f"{field}.{i}.description", f"1-{MAX_DESCRIPTION} characters"))
        if not 0 <= line.unit_amount <= MAX_LINE_AMOUNT:
            errors.append(FieldError(f"{field}.{i}.unitAmount", "0 or more minor units, at most 10^11"))
        elif line.amount > MAX_LINE_AMOUNT:
            errors.append(FieldError(f"{field}.{i}.quantity", "quantity x unit amount is over 10^11 minor units"))
    if errors:
        raise ValidationError("The lines are not valid.", errors=errors)


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError("A reason is required.", errors=[FieldError("reason", f"1-{MAX_REASON} characters")])
    return reason
