"""The GST engine: InvoiceNow tax categories, which of them a supply may use, and the sums.

One rounding method for invoices and credit notes alike: a line's amount is quantity x unit
amount, half-up to the minor unit; GST is computed once, on the total of the lines charged at
the standard rate, half-up to the cent, with `Decimal`. So the totals excluding GST, the GST
and the totals including GST always add up exactly, and a credit note of a whole invoice
credits exactly the invoice's GST.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.singapore import GstRateTable

ZERO = Decimal(0)
MAX_QUANTITY = Decimal("1000000")
MAX_UNIT_AMOUNT = 10**11  # minor units: a billion dollars a unit is beyond any invoice we issue


class TaxCategory(enum.StrEnum):
    """The InvoiceNow (PINT SG) tax category code list."""

    SR = "SR"  # standard-rated
    SRCA_S = "SRCA-S"  # standard-rated, customer accounting (supplier's side)
    SRCA_C = "SRCA-C"  # standard-rated, customer accounting (customer's side)
    SROVR_RS = "SROVR-RS"  # remote services by an overseas vendor
    SROVR_LVG = "SROVR-LVG"  # low-value goods by an overseas vendor
    SRRC = "SRRC"  # reverse charge (accounted for by the recipient)
    SRLVG = "SRLVG"  # low-value goods by a local supplier
    ZR = "ZR"  # zero-rated (international services, exports)
    ES33 = "ES33"  # exempt (regulation 33)
    ESN33 = "ESN33"  # exempt (other than regulation 33)
    DS = "DS"  # deemed supply
    OS = "OS"  # out of scope
    NA = "NA"  # not applicable
    NG = "NG"  # supplier not GST-registered

    @property
    def charges_gst(self) -> bool:
        """The supplier charges GST at the standard rate on it (the total GST is computed on these)."""
        return self in _CHARGED

    @property
    def rate_on(self) -> str:
        return "standard" if self.charges_gst else "zero"


C = TaxCategory
_CHARGED = frozenset({C.SR, C.SRLVG, C.DS})
# GST F5 boxes: 1 standard-rated supplies (customer accounting supplies are reported there too,
# without output tax), 2 zero-rated, 3 exempt. Out-of-scope and not-applicable are in no box.
STANDARD_RATED_SUPPLIES = frozenset({C.SR, C.SRLVG, C.DS, C.SRCA_S, C.SRCA_C})
ZERO_RATED_SUPPLIES = frozenset({C.ZR})
EXEMPT_SUPPLIES = frozenset({C.ES33, C.ESN33})
# Categories a supplier established in Singapore never issues: overseas vendors' regimes and the
# reverse charge, which the recipient accounts for on its own books.
_NOT_FOR_A_LOCAL_SUPPLIER = frozenset({C.SROVR_RS, C.SROVR_LVG, C.SRRC})
# Customer accounting applies only to a GST-registered customer.
_NEEDS_REGISTERED_CUSTOMER = frozenset({C.SRCA_S, C.SRCA_C})


def parse_category(raw: str, *, field: str) -> TaxCategory:
    try:
        return TaxCategory(raw)
    except ValueError:
        raise ValidationError(
            "Unknown tax category.",
            errors=[FieldError(field, f"one of {', '.join(c.value for c in TaxCategory)}")],
        ) from None


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_amount(quantity: Decimal, unit_amount: int) -> int:
    """Minor units, GST-exclusive: quantity x unit amount, half-up."""
    return half_up(quantity * Decimal(unit_amount))


def parse_quantity(raw: str | int | Decimal, *, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValidationError("Not a quantity.", errors=[FieldError(field, "a decimal number like 1 or 2.5")]) from None
    if not value.is_finite() or not ZERO < value <= MAX_QUANTITY or value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValidationError(
            "Not a quantity.", errors=[FieldError(field, f"greater than 0, at most {MAX_QUANTITY}, 4 decimals at most")]
        )
    return value.normalize() if value == value.to_integral_value() else value


@dataclass(frozen=True)
class SupplyParties:
    """What the category rules need to know about who supplies whom."""

    supplier_gst_registered: bool
    customer_gst_registered: bool
    customer_overseas_evidence: bool


def check_categories(categories: Sequence[TaxCategory], parties: SupplyParties, *, field: str = "lines") -> None:
    """The category rules; 422 naming the first offending line."""
    errors: list[FieldError] = []
    if not parties.supplier_gst_registered:
        for i, c in enumerate(categories):
            if c is not C.NG:
                errors.append(FieldError(f"{field}.{i}.taxCategory", "the supplier is not GST-registered: NG only"))
    else:
        for i, c in enumerate(categories):
            where = f"{field}.{i}.taxCategory"
            if c is C.NG:
                errors.append(FieldError(where, "NG is for a supplier that is not GST-registered"))
            elif c is C.ZR and not parties.customer_overseas_evidence:
                errors.append(
                    FieldError(where, "zero-rating needs the customer's overseas evidence in its billing profile")
                )
            elif c in _NOT_FOR_A_LOCAL_SUPPLIER:
                errors.append(FieldError(where, f"{c.value} is not issued by a supplier in Singapore"))
            elif c in _NEEDS_REGISTERED_CUSTOMER and not parties.customer_gst_registered:
                errors.append(FieldError(where, "customer accounting needs a GST-registered customer"))
    if errors:
        raise ValidationError("A tax category is not allowed on this supply.", errors=errors)


@dataclass(frozen=True)
class CategoryTotal:
    tax_category: TaxCategory
    tax_rate: Decimal
    taxable_amount: int
    tax_amount: int


@dataclass(frozen=True)
class TaxTotals:
    """The sums of a document: per category (the breakdown) and in total."""

    breakdown: tuple[CategoryTotal, ...]
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int
    rate: Decimal  # the standard rate on the time of supply

    def taxable(self, category: TaxCategory) -> int:
        return sum(b.taxable_amount for b in self.breakdown if b.tax_category is category)

    @property
    def charged_taxable(self) -> int:
        return sum(b.taxable_amount for b in self.breakdown if b.tax_category.charges_gst)


def compute_totals(amounts: Iterable[tuple[TaxCategory, int]], rate: Decimal, *, gst: int | None = None) -> TaxTotals:
    """Sum line amounts per category; GST once on the total of charged lines, half-up.

    `gst` overrides the computed figure (a credit note that exhausts an invoice credits exactly
    what remains of its GST). The GST is spread over the charged categories' rows in proportion
    to their amounts, the remainder on the largest, so the breakdown adds up to it exactly.
    """
    per: dict[TaxCategory, int] = {}
    for category, amount in amounts:
        per[category] = per.get(category, 0) + amount
    charged = sum(a for c, a in per.items() if c.charges_gst)
    total_gst = half_up(Decimal(charged) * rate) if gst is None else gst
    shares: dict[TaxCategory, int] = {}
    charged_rows = sorted((c for c in per if c.charges_gst), key=lambda c: (-per[c], c.value))
    if charged_rows and charged:
        for c in charged_rows[1:]:
            shares[c] = half_up(Decimal(total_gst) * per[c] / charged)
        shares[charged_rows[0]] = total_gst - sum(shares.values())
    order = sorted(per, key=lambda c: list(TaxCategory).index(c))
    breakdown = tuple(CategoryTotal(c, rate if c.charges_gst else ZERO, per[c], shares.get(c, 0)) for c in order)
    excl = sum(per.values())
    return TaxTotals(breakdown, excl, total_gst, excl + total_gst, rate)


def time_of_supply(issue_date: date, paid_on: date | None) -> date:
    """The earlier of the invoice's issue and the payment received (GST Act s11)."""
    return issue_date if paid_on is None else min(issue_date, paid_on)


def standard_rate(rates: GstRateTable, supply: date) -> Decimal:
    return rates.rate_on(supply)


SIMPLIFIED_LIMIT_SGD = 100_000  # S$1,000 in cents, GST-inclusive


def document_title(
    *,
    supplier_gst_registered: bool,
    customer_gst_registered: bool,
    total_including_gst_sgd: int,
    categories: Iterable[TaxCategory],
) -> str:
    """The title the document carries.

    A supplier that is not registered issues an "Invoice" (no GST). A registered supplier issues
    a "Tax Invoice" with every particular to a GST-registered customer (who claims it as input
    tax); to a customer without a GST number, a total of S$1,000 or less with only standard-rated
    lines may be the simplified form ("Simplified Tax Invoice"); anything else is a full "Tax
    Invoice".
    """
    if not supplier_gst_registered:
        return "Invoice"
    only_charged = all(c.charges_gst for c in categories)
    if not customer_gst_registered and total_including_gst_sgd <= SIMPLIFIED_LIMIT_SGD and only_charged:
        return "Simplified Tax Invoice"
    return "Tax Invoice"


def to_sgd(amount: int, exchange_rate: Decimal, currency_exponent: int) -> int:
    """A foreign amount in SGD cents at `exchange_rate` (SGD per one unit), half-up."""
    return half_up(Decimal(amount) * exchange_rate * Decimal(10) ** (2 - currency_exponent))


def parse_exchange_rate(raw: str, *, field: str = "exchangeRate") -> Decimal:
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValidationError("Not an exchange rate.", errors=[FieldError(field, "a decimal like 1.3452")]) from None
    if not value.is_finite() or not ZERO < value < Decimal(1_000) or value.as_tuple().exponent < -8:  # type: ignore[operator]
        raise ValidationError(
            "Not an exchange rate.",
            errors=[FieldError(field, "SGD per unit, greater than 0 and under 1000, 8 decimals at most")],
        )
    return value
