"""Money as integer minor units plus an ISO 4217 currency, like Stripe. No floats, ever."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# ISO 4217 minor-unit exponents for the currencies we expect; 2 is the default.
_EXPONENTS = {"JPY": 0, "KRW": 0, "VND": 0, "IDR": 2, "BHD": 3, "KWD": 3, "OMR": 3}
DEFAULT_CURRENCY = "SGD"


class CurrencyMismatch(ValueError):
    """Arithmetic or comparison between two different currencies."""


def currency_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def _check_currency(currency: str) -> str:
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise ValueError(f"currency must be a three-letter ISO 4217 code, got {currency!r}")
    return currency.upper()


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units (cents for SGD)
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(f"Money.amount must be an int of minor units, got {type(self.amount).__name__}")
        object.__setattr__(self, "currency", _check_currency(self.currency))

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | str, currency: str = DEFAULT_CURRENCY) -> Money:
        """Major units (e.g. Decimal('12.345')) to Money, rounding half-up to the minor unit."""
        value_: object = value  # runtime guard for untyped callers
        if isinstance(value_, (float, bool)):
            raise TypeError(f"Money never takes {type(value).__name__}s; pass a Decimal or a string")
        currency = _check_currency(currency)
        quantum = Decimal(1).scaleb(-currency_exponent(currency))
        major = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        return cls(int(major.scaleb(currency_exponent(currency))), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-currency_exponent(self.currency))

    def _same(self, other: Any) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            raise TypeError("Money can only be multiplied by an int; use multiply() for rates")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def multiply(self, rate: Decimal | int) -> Money:
        """Multiply by a Decimal rate (e.g. GST 0.09), rounding half-up to the minor unit."""
        rate_: object = rate  # runtime guard for untyped callers (floats must never sneak in)
        if isinstance(rate_, bool) or not isinstance(rate_, (Decimal, int)):
            raise TypeError("rate must be a Decimal")
        product = (Decimal(self.amount) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return Money(int(product), self.currency)

    def allocate(self, ratios: list[int]) -> list[Money]:
        """Split into parts proportional to ratios without losing a cent (largest remainders first)."""
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise ValueError("ratios must be non-negative and not all zero")
        total = sum(ratios)
        shares = [self.amount * r // total for r in ratios]
        remainders = sorted(range(len(ratios)), key=lambda i: (self.amount * ratios[i]) % total, reverse=True)
        for i in remainders[: self.amount - sum(shares)]:
            shares[i] += 1
        return [Money(s, self.currency) for s in shares]

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.currency} {self.to_decimal():,.{currency_exponent(self.currency)}f}"
