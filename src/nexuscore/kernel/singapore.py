"""Singapore facts shared by contexts: identifiers (UEN in ACRA's published formats, GST registration
numbers: organisations, leads, invoices) and the dated GST rate table (subscriptions, billing)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

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


# ---- GST rates ---------------------------------------------------------------------------
# The rate applies by time of supply (GST Act s11), so it is a dated table, never a constant.
# One table for every context (subscriptions' price previews, billing's invoices); a test or a
# future rate change builds another with `with_change` and hands it in, nothing is patched.


class GstRateTable:
    """(first day, rate) steps; the rate on a day is the last step starting on or before it."""

    __slots__ = ("_steps",)

    def __init__(self, steps: tuple[tuple[date, Decimal], ...]) -> None:
        if not steps:
            raise ValueError("a GST rate table needs at least one step")
        ordered = tuple(sorted(steps))
        if len({start for start, _ in ordered}) != len(ordered):
            raise ValueError("two GST rates start on the same day")
        for _, rate in ordered:
            if not Decimal(0) <= rate < Decimal(1):
                raise ValueError(f"a GST rate is a fraction in [0, 1), got {rate}")
        self._steps = ordered

    @property
    def steps(self) -> tuple[tuple[date, Decimal], ...]:
        return self._steps

    def rate_on(self, day: date) -> Decimal:
        rate = self._steps[0][1]
        for start, value in self._steps:
            if day >= start:
                rate = value
        return rate

    def with_change(self, start: date, rate: Decimal) -> GstRateTable:
        """This table with a new rate from `start` on (replacing a step starting that day)."""
        return GstRateTable((*tuple(s for s in self._steps if s[0] != start), (start, rate)))

    def __repr__(self) -> str:
        return f"GstRateTable({', '.join(f'{d.isoformat()}: {r}' for d, r in self._steps)})"


# 7 % before 2023, 8 % in 2023, 9 % since 1 January 2024.
SINGAPORE_GST_RATES = GstRateTable(
    (
        (date(2007, 7, 1), Decimal("0.07")),
        (date(2023, 1, 1), Decimal("0.08")),
        (date(2024, 1, 1), Decimal("0.09")),
    )
)
