"""Singapore GST on a price: a dated rate table (the rate applies by time of supply), half-up
on the total of standard-rated amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# (first day, rate): 7% before 2023, 8% in 2023, 9% since 1 January 2024.
GST_RATES: tuple[tuple[date, Decimal], ...] = (
    (date(2007, 7, 1), Decimal("0.07")),
    (date(2023, 1, 1), Decimal("0.08")),
    (date(2024, 1, 1), Decimal("0.09")),
)


def gst_rate(on: date) -> Decimal:
    rate = GST_RATES[0][1]
    for start, value in GST_RATES:
        if on >= start:
            rate = value
    return rate


@dataclass(frozen=True)
class TaxedAmount:
    excluding_gst: int  # minor units
    gst: int
    including_gst: int
    rate: Decimal


def with_gst(amount: int, on: date, *, zero_rated: bool = False) -> TaxedAmount:
    rate = Decimal(0) if zero_rated else gst_rate(on)
    tax = int((Decimal(amount) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return TaxedAmount(amount, tax, amount + tax, rate)
