"""Money: Decimal amounts in ISO 4217 currencies, never floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInputError
from domain.money import MINOR_UNITS, Money, quantize_for


def test_minor_units_follow_iso_4217() -> None:
    assert (MINOR_UNITS["VND"], MINOR_UNITS["JPY"], MINOR_UNITS["KRW"]) == (0, 0, 0)
    assert (MINOR_UNITS["USD"], MINOR_UNITS["EUR"], MINOR_UNITS["KWD"]) == (2, 2, 3)
    assert MINOR_UNITS["CLF"] == 4 and len(MINOR_UNITS) > 150


@pytest.mark.parametrize("value,expected", [(Decimal("12.50"), "12.50"), (12, "12.00"),
                                            ("12.5", "12.50")])
def test_money_accepts_decimal_int_and_string(value: object, expected: str) -> None:
    money = Money.of(value, "USD")  # type: ignore[arg-type]
    assert money.amount == Decimal(expected) and str(money.amount) == expected


@pytest.mark.parametrize("value,code", [
    (12.5, "float_not_allowed"), ("NaN", "invalid_amount"), ("Infinity", "invalid_amount"),
    ("abc", "invalid_amount"), (True, "float_not_allowed")])
def test_money_refuses_floats_and_non_finite_numbers(value: object, code: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.of(value, "USD")  # type: ignore[arg-type]
    assert caught.value.code == code


def test_money_refuses_an_unknown_currency() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.of("1", "XYZ")
    assert caught.value.code == "unknown_currency"


@pytest.mark.parametrize("amount,currency", [("1.5", "VND"), ("1.001", "USD"), ("0.0001", "KWD")])
def test_money_refuses_more_decimals_than_the_currency_has(amount: str, currency: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.of(amount, currency)
    assert caught.value.code == "too_many_decimals"


def test_trailing_zeros_are_not_extra_decimals() -> None:
    assert Money.of("1000.00", "VND").amount == Decimal("1000")


def test_adding_and_subtracting_keep_the_currency() -> None:
    total = Money.of("10.10", "USD").add(Money.of("0.90", "USD")).sub(Money.of("1", "USD"))
    assert total == Money.of("10", "USD")


def test_combining_two_currencies_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.of("1", "USD") + Money.of("1", "EUR")
    assert caught.value.code == "currency_mismatch"


def test_conversion_rounds_half_up_to_the_target_minor_units() -> None:
    assert Money.of("0.02", "USD").convert(Decimal("25"), "VND") == Money.of("1", "VND")
    assert Money.of("1", "USD").convert("25432.5", "VND").amount == Decimal("25433")
    assert quantize_for("USD", Decimal("1.005")) == Decimal("1.01")


def test_conversion_refuses_a_non_positive_rate() -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.of("1", "USD").convert(0, "VND")
    assert caught.value.code == "invalid_rate"


@given(st.decimals(min_value=0, max_value=10**12, places=2),
       st.decimals(min_value=0, max_value=10**12, places=2))
def test_addition_of_usd_amounts_is_exact(a: Decimal, b: Decimal) -> None:
    assert (Money.of(a, "USD") + Money.of(b, "USD")).amount == a + b
