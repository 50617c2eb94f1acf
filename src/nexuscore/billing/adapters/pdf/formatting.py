"""How amounts, quantities, rates and dates read on billing documents (PDF and UBL share these)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from nexuscore.kernel.money import currency_exponent

# The symbols customers in Singapore expect; any other currency is shown by its ISO code.
_SYMBOLS = {"SGD": "S$", "USD": "US$", "AUD": "A$", "EUR": "€", "GBP": "£", "JPY": "¥", "MYR": "RM"}

# Categories whose rate is the standard rate: the GST the document charges.
STANDARD_RATED = frozenset({"SR", "SRCA-S", "SRCA-C", "SROVR-RS", "SROVR-LVG", "SRRC", "SRLVG"})

CATEGORY_NAMES = {
    "SR": "Standard-rated",
    "SRCA-S": "Standard-rated, customer accounting (supplier)",
    "SRCA-C": "Standard-rated, customer accounting (customer)",
    "SROVR-RS": "Standard-rated, remote services",
    "SROVR-LVG": "Standard-rated, low-value goods (overseas vendor)",
    "SRRC": "Standard-rated, reverse charge",
    "SRLVG": "Standard-rated, low-value goods",
    "ZR": "Zero-rated",
    "ES33": "Exempt",
    "ESN33": "Exempt (non-regulation 33)",
    "DS": "Deemed supply",
    "OS": "Out of scope",
    "NA": "Not applicable",
    "NG": "Not GST-registered",
}


def major_units(amount: int, currency: str) -> Decimal:
    """Integer minor units to an exact Decimal in major units, with the currency's decimals."""
    exponent = currency_exponent(currency)
    return Decimal(amount).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def format_money(amount: int, currency: str) -> str:
    """`S$1,234.50`, `US$12.00`, `-S$3.00`, `CHF 10.00` (grouped thousands, the currency's decimals)."""
    value = major_units(abs(amount), currency)
    exponent = currency_exponent(currency)
    digits = f"{value:,.{exponent}f}"
    symbol = _SYMBOLS.get(currency)
    text = f"{symbol}{digits}" if symbol else f"{currency} {digits}"
    return f"-{text}" if amount < 0 else text


def format_quantity(quantity: Decimal) -> str:
    """`3`, `1.5`, `0.25`: no trailing zeros, no exponent notation."""
    if quantity == quantity.to_integral_value():
        return f"{quantity.to_integral_value():,}"
    return f"{quantity.normalize():f}"


def format_rate(rate: Decimal) -> str:
    """A fraction as a percentage: Decimal("0.09") -> `9%`, Decimal("0.085") -> `8.5%`."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"


def percent_value(rate: Decimal) -> Decimal:
    """A fraction as a percentage number for UBL `Percent` (9, 8.5, 0)."""
    percent = (rate * 100).normalize()
    return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent


def format_date(value: date) -> str:
    """`2 Dec 2026`: unambiguous in every locale (a Singapore reader takes 02/12 as 2 December, others not)."""
    return f"{value.day} {value:%b %Y}"


def format_exchange_rate(rate: Decimal) -> str:
    return f"{rate.normalize():f}"
