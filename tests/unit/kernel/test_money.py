"""Money: integer minor units plus an ISO 4217 currency; no floats, no lost cents."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexuscore.kernel.money import DEFAULT_CURRENCY, CurrencyMismatch, Money, currency_exponent

pytestmark = pytest.mark.unit

# Amounts stay far below Decimal's 28-digit default context precision (10**18 cents is
# ten quadrillion dollars), so every Decimal step in Money is exact.
AMOUNTS = st.integers(min_value=-(10**18), max_value=10**18)
CURRENCIES = st.sampled_from(["SGD", "USD", "EUR", "JPY", "KRW", "BHD", "KWD", "IDR"])


@st.composite
def money(draw: st.DrawFn, currency: str | None = None) -> Money:
    return Money(draw(AMOUNTS), currency or draw(CURRENCIES))


@st.composite
def same_currency_pair(draw: st.DrawFn) -> tuple[Money, Money]:
    currency = draw(CURRENCIES)
    return Money(draw(AMOUNTS), currency), Money(draw(AMOUNTS), currency)


@st.composite
def two_currencies(draw: st.DrawFn) -> tuple[str, str]:
    first = draw(CURRENCIES)
    second = draw(CURRENCIES.filter(lambda c: c != first))
    return first, second


def _half_up(value: Fraction) -> int:
    """Reference rounding: nearest integer, ties away from zero (Decimal's ROUND_HALF_UP)."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    floor = magnitude.numerator // magnitude.denominator
    return sign * (floor + (1 if magnitude - floor >= Fraction(1, 2) else 0))


# --------------------------------------------------------------------------- construction


class TestConstruction:
    def test_default_currency_is_sgd(self) -> None:
        assert DEFAULT_CURRENCY == "SGD"
        assert Money(100).currency == "SGD"
        assert Money.zero() == Money(0, "SGD")

    def test_zero_in_a_currency(self) -> None:
        zero = Money.zero("JPY")
        assert zero.amount == 0
        assert zero.currency == "JPY"
        assert zero.is_zero()
        assert not Money(1).is_zero()
        assert not Money(-1).is_zero()

    def test_lowercase_currency_is_normalised(self) -> None:
        assert Money(5, "usd").currency == "USD"
        assert Money(5, "usd") == Money(5, "USD")
        assert hash(Money(5, "usd")) == hash(Money(5, "USD"))

    def test_is_immutable(self) -> None:
        m = Money(100)
        with pytest.raises(dataclasses.FrozenInstanceError):
            m.amount = 200  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            m.currency = "USD"  # type: ignore[misc]

    def test_equality_needs_amount_and_currency(self) -> None:
        assert Money(100, "SGD") == Money(100, "SGD")
        assert Money(100, "SGD") != Money(101, "SGD")
        # Equality across currencies is simply False (ordering is what refuses to mix them).
        assert Money(100, "SGD") != Money(100, "USD")

    @pytest.mark.parametrize(
        "bad",
        ["", "SG", "SGDD", "S1D", "12$", "SG ", " SGD", "ÀBC", "S-D", None, 702, b"SGD"],
    )
    def test_invalid_currency_codes_are_refused(self, bad: object) -> None:
        with pytest.raises(ValueError, match="ISO 4217"):
            Money(100, bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", ["", "SG", "SGDD", "S1D", None])
    def test_invalid_currency_codes_are_refused_by_zero_and_from_decimal(self, bad: object) -> None:
        with pytest.raises(ValueError, match="ISO 4217"):
            Money.zero(bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="ISO 4217"):
            Money.from_decimal("1.00", bad)  # type: ignore[arg-type]

    def test_currency_mismatch_is_a_value_error(self) -> None:
        assert issubclass(CurrencyMismatch, ValueError)


class TestNoFloatsNoBools:
    @pytest.mark.parametrize("amount", [1.0, 0.1, float("nan"), Decimal("1"), "100", None, Fraction(1)])
    def test_constructor_refuses_non_int_amounts(self, amount: object) -> None:
        with pytest.raises(TypeError, match="int of minor units"):
            Money(amount)  # type: ignore[arg-type]

    @pytest.mark.parametrize("amount", [True, False])
    def test_constructor_refuses_bool(self, amount: bool) -> None:
        with pytest.raises(TypeError):
            Money(amount)

    @pytest.mark.parametrize("value", [1.5, 0.0, 12.345, True, False])
    def test_from_decimal_refuses_floats_and_bools(self, value: object) -> None:
        with pytest.raises(TypeError):
            Money.from_decimal(value)  # type: ignore[arg-type]

    @pytest.mark.parametrize("rate", [0.09, 1.0, float("inf"), True, False, "0.09", None])
    def test_multiply_refuses_floats_bools_and_strings(self, rate: object) -> None:
        with pytest.raises(TypeError):
            Money(1000).multiply(rate)  # type: ignore[arg-type]

    @pytest.mark.parametrize("factor", [2.0, 0.5, True, False, Decimal("2"), "2", None])
    def test_star_refuses_anything_but_int(self, factor: object) -> None:
        with pytest.raises(TypeError):
            Money(1000) * factor  # type: ignore[operator]
        with pytest.raises(TypeError):
            factor * Money(1000)  # type: ignore[operator]

    @given(st.floats(allow_nan=True, allow_infinity=True))
    def test_floats_refused_everywhere(self, value: float) -> None:
        with pytest.raises(TypeError):
            Money(value)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            Money.from_decimal(value)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            Money(1000).multiply(value)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            Money(1000) * value  # type: ignore[operator]
        with pytest.raises(TypeError):
            value * Money(1000)  # type: ignore[operator]

    @pytest.mark.parametrize("other", [1, 0, Decimal("1"), 1.0, "1", None])
    def test_adding_or_comparing_non_money_is_a_type_error(self, other: object) -> None:
        m = Money(100)
        with pytest.raises(TypeError):
            m + other  # type: ignore[operator]
        with pytest.raises(TypeError):
            m - other  # type: ignore[operator]
        with pytest.raises(TypeError):
            m < other  # type: ignore[operator]  # noqa: B015
        with pytest.raises(TypeError):
            m >= other  # type: ignore[operator]  # noqa: B015


# --------------------------------------------------------------------------- arithmetic


class TestArithmetic:
    def test_examples(self) -> None:
        assert Money(150) + Money(275) == Money(425)
        assert Money(150) - Money(275) == Money(-125)
        assert -Money(150) == Money(-150)
        assert Money(150) * 3 == Money(450)
        assert 3 * Money(150) == Money(450)
        assert Money(150) * -2 == Money(-300)
        assert Money(150) * 0 == Money(0)

    def test_results_keep_the_currency(self) -> None:
        a, b = Money(100, "JPY"), Money(50, "JPY")
        for result in (a + b, a - b, -a, a * 2, 2 * a, a.multiply(Decimal("0.5"))):
            assert result.currency == "JPY"

    @given(same_currency_pair())
    def test_addition_is_commutative(self, pair: tuple[Money, Money]) -> None:
        a, b = pair
        assert a + b == b + a

    @given(CURRENCIES, AMOUNTS, AMOUNTS, AMOUNTS)
    def test_addition_is_associative(self, currency: str, x: int, y: int, z: int) -> None:
        a, b, c = Money(x, currency), Money(y, currency), Money(z, currency)
        assert (a + b) + c == a + (b + c)

    @given(money())
    def test_a_plus_minus_a_is_zero(self, a: Money) -> None:
        result = a + (-a)
        assert result == Money.zero(a.currency)
        assert result.is_zero()

    @given(money())
    def test_zero_is_the_identity(self, a: Money) -> None:
        assert a + Money.zero(a.currency) == a
        assert a - Money.zero(a.currency) == a

    @given(same_currency_pair())
    def test_subtraction_is_the_inverse_of_addition(self, pair: tuple[Money, Money]) -> None:
        a, b = pair
        assert (a + b) - b == a
        assert (a - b) + b == a
        assert a - b == a + (-b)

    @given(money(), st.integers(min_value=-1000, max_value=1000))
    def test_int_multiplication_is_repeated_addition(self, a: Money, k: int) -> None:
        assert (a * k).amount == a.amount * k
        assert a * k == k * a

    @given(two_currencies(), AMOUNTS, AMOUNTS)
    def test_mixed_currencies_are_refused(self, currencies: tuple[str, str], x: int, y: int) -> None:
        a, b = Money(x, currencies[0]), Money(y, currencies[1])
        with pytest.raises(CurrencyMismatch):
            a + b
        with pytest.raises(CurrencyMismatch):
            a - b
        with pytest.raises(CurrencyMismatch):
            a < b  # noqa: B015
        with pytest.raises(CurrencyMismatch):
            a <= b  # noqa: B015
        with pytest.raises(CurrencyMismatch):
            a > b  # noqa: B015
        with pytest.raises(CurrencyMismatch):
            a >= b  # noqa: B015

    def test_mismatch_message_names_both_currencies(self) -> None:
        with pytest.raises(CurrencyMismatch, match=r"SGD.*USD"):
            Money(1, "SGD") + Money(1, "USD")


class TestComparison:
    def test_examples(self) -> None:
        assert Money(100) < Money(101)
        assert Money(100) <= Money(100)
        assert Money(101) > Money(100)
        assert Money(100) >= Money(100)
        assert not Money(100) < Money(100)
        assert not Money(100) > Money(100)
        assert Money(-5) < Money(0)

    @given(same_currency_pair())
    def test_ordering_follows_the_amount(self, pair: tuple[Money, Money]) -> None:
        a, b = pair
        assert (a < b) == (a.amount < b.amount)
        assert (a <= b) == (a.amount <= b.amount)
        assert (a > b) == (a.amount > b.amount)
        assert (a >= b) == (a.amount >= b.amount)

    def test_sorting_and_max(self) -> None:
        values = [Money(300), Money(-10), Money(0), Money(299)]
        assert sorted(values) == [Money(-10), Money(0), Money(299), Money(300)]
        assert max(values) == Money(300)


# --------------------------------------------------------------------------- multiply (rates)


class TestMultiply:
    @pytest.mark.parametrize(
        ("amount", "rate", "expected"),
        [
            (1005, "0.09", 90),  # 90.45 -> 90
            (1050, "0.09", 95),  # 94.5 -> 95 (half up)
            (1000, "0.09", 90),
            (1, "0.5", 1),  # 0.5 -> 1
            (3, "0.5", 2),  # 1.5 -> 2
            (5, "0.5", 3),  # 2.5 -> 3, where banker's rounding would give 2
            (-1050, "0.09", -95),  # ties away from zero
            (-1005, "0.09", -90),
            (10_000, "1.09", 10_900),
            (12345, "0", 0),
            (12345, "1", 12345),
        ],
    )
    def test_half_up_rounding(self, amount: int, rate: str, expected: int) -> None:
        assert Money(amount).multiply(Decimal(rate)) == Money(expected)

    def test_gst_on_an_invoice(self) -> None:
        subtotal = Money.from_decimal("10.05")
        gst = subtotal.multiply(Decimal("0.09"))
        assert gst == Money(90)
        assert str(subtotal + gst) == "SGD 10.95"

    def test_int_rate_is_accepted(self) -> None:
        assert Money(250).multiply(3) == Money(750)

    @given(money(), st.decimals(min_value=-100, max_value=100, places=4, allow_nan=False, allow_infinity=False))
    def test_matches_exact_half_up_rounding(self, a: Money, rate: Decimal) -> None:
        expected = _half_up(Fraction(a.amount) * Fraction(rate))
        result = a.multiply(rate)
        assert result == Money(expected, a.currency)
        assert isinstance(result.amount, int)

    @given(money(), st.integers(min_value=-1000, max_value=1000))
    def test_integer_rate_equals_star(self, a: Money, k: int) -> None:
        assert a.multiply(Decimal(k)) == a * k


# --------------------------------------------------------------------------- allocate


class TestAllocate:
    @pytest.mark.parametrize(
        ("amount", "ratios", "expected"),
        [
            (100, [1, 1, 1], [34, 33, 33]),
            (100, [1, 1], [50, 50]),
            (5, [3, 7], [2, 3]),  # 1.5 / 3.5 -> largest remainder gets the cent
            (1, [1, 1, 1], [1, 0, 0]),
            (0, [1, 2], [0, 0]),
            (5, [0, 1, 0, 1], [0, 3, 0, 2]),
            (-100, [1, 1, 1], [-33, -33, -34]),
            (1000, [50, 30, 20], [500, 300, 200]),
        ],
    )
    def test_examples(self, amount: int, ratios: list[int], expected: list[int]) -> None:
        assert Money(amount).allocate(ratios) == [Money(e) for e in expected]

    def test_keeps_the_currency(self) -> None:
        assert all(part.currency == "JPY" for part in Money(1001, "JPY").allocate([1, 2, 3]))

    @pytest.mark.parametrize("ratios", [[], [0], [0, 0], [-1, 2], [1, -1, 1]])
    def test_bad_ratios_are_refused(self, ratios: list[int]) -> None:
        with pytest.raises(ValueError, match="ratios"):
            Money(100).allocate(ratios)

    @given(
        money(),
        st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=20).filter(lambda r: sum(r) > 0),
    )
    def test_never_loses_or_creates_a_cent(self, a: Money, ratios: list[int]) -> None:
        parts = a.allocate(ratios)
        assert len(parts) == len(ratios)
        assert sum(p.amount for p in parts) == a.amount
        assert all(p.currency == a.currency for p in parts)
        total = sum(ratios)
        for part, ratio in zip(parts, ratios, strict=True):
            exact = Fraction(a.amount * ratio, total)
            # Each part is the exact share rounded down or up, never further away.
            assert abs(part.amount - exact) < 1
            if ratio == 0:
                assert part.amount == 0

    @given(money(), st.integers(min_value=1, max_value=50), st.integers(min_value=1, max_value=1000))
    def test_equal_ratios_differ_by_at_most_one(self, a: Money, n: int, weight: int) -> None:
        parts = a.allocate([weight] * n)
        amounts = [p.amount for p in parts]
        assert sum(amounts) == a.amount
        assert max(amounts) - min(amounts) <= 1
        # Earlier parts take the leftover cents: the split is deterministic and non-increasing.
        assert amounts == sorted(amounts, reverse=True)


# --------------------------------------------------------------------------- decimals and display


class TestDecimals:
    def test_exponents(self) -> None:
        assert currency_exponent("SGD") == 2
        assert currency_exponent("USD") == 2
        assert currency_exponent("JPY") == 0
        assert currency_exponent("KRW") == 0
        assert currency_exponent("BHD") == 3

    @pytest.mark.parametrize(
        ("value", "currency", "expected"),
        [
            ("12.34", "SGD", 1234),
            ("12.345", "SGD", 1235),  # half up
            ("12.344", "SGD", 1234),
            ("-12.345", "SGD", -1235),  # ties away from zero
            ("0.005", "SGD", 1),
            ("0.0049", "SGD", 0),
            (Decimal("19.99"), "SGD", 1999),
            ("1", "SGD", 100),
            ("1234", "JPY", 1234),
            ("1234.5", "JPY", 1235),
            ("1234.4", "JPY", 1234),
            ("1.2345", "BHD", 1235),
            ("1.2344", "BHD", 1234),
            ("1e3", "SGD", 100_000),
        ],
    )
    def test_from_decimal(self, value: str | Decimal, currency: str, expected: int) -> None:
        result = Money.from_decimal(value, currency)
        assert result == Money(expected, currency)
        assert type(result.amount) is int

    def test_from_decimal_normalises_currency_before_choosing_the_exponent(self) -> None:
        assert Money.from_decimal("1234.5", "jpy") == Money(1235, "JPY")

    @pytest.mark.parametrize(
        ("money_", "expected"),
        [
            (Money(1999), Decimal("19.99")),
            (Money(-5), Decimal("-0.05")),
            (Money(0), Decimal("0")),
            (Money(1000, "JPY"), Decimal("1000")),
            (Money(1234, "BHD"), Decimal("1.234")),
        ],
    )
    def test_to_decimal(self, money_: Money, expected: Decimal) -> None:
        result = money_.to_decimal()
        assert isinstance(result, Decimal)
        assert result == expected

    @given(money())
    def test_round_trip_through_decimal(self, a: Money) -> None:
        assert Money.from_decimal(a.to_decimal(), a.currency) == a
        assert Money.from_decimal(str(a.to_decimal()), a.currency) == a

    @given(
        st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    )
    def test_two_place_decimals_round_trip_exactly_in_sgd(self, value: Decimal) -> None:
        assert Money.from_decimal(value).to_decimal() == value


class TestStr:
    @pytest.mark.parametrize(
        ("money_", "expected"),
        [
            (Money(0), "SGD 0.00"),
            (Money(5), "SGD 0.05"),
            (Money(1999), "SGD 19.99"),
            (Money(123456789), "SGD 1,234,567.89"),
            (Money(-123456), "SGD -1,234.56"),
            (Money(100, "usd"), "USD 1.00"),
            (Money(1000, "JPY"), "JPY 1,000"),
            (Money(5, "JPY"), "JPY 5"),
            (Money(1234, "BHD"), "BHD 1.234"),
            (Money(1, "KWD"), "KWD 0.001"),
        ],
    )
    def test_format(self, money_: Money, expected: str) -> None:
        assert str(money_) == expected
