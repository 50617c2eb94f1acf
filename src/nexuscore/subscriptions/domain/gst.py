"""Singapore GST on a price: the rate by time of supply (the shared table in
`kernel.singapore`), half-up on the total of standard-rated amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from nexuscore.kernel.singapore import SINGAPORE_GST_RATES, GstRateTable


def gst_rate(on: date, rates: GstRateTable = SINGAPORE_GST_RATES) -> Decimal:
    return rates.rate_on(on)


@dataclass(frozen=True)
class TaxedAmount:
    excluding_gst: int  # minor units
    gst: int
    including_gst: int
    rate: Decimal


def with_gst(
    amount: int, on: date, *, zero_rated: bool = False, rates: GstRateTable = SINGAPORE_GST_RATES
) -> TaxedAmount:
    rate = Decimal(0) if zero_rated else rates.rate_on(on)
    tax = int((Decimal(amount) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return TaxedAmount(amount, tax, amount + tax, rate)
