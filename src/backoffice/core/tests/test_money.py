from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.core.money import Money, format_vnd


def test_money_refuses_float():
    with pytest.raises(TypeError):
        Money(0.1)


def test_money_refuses_mixed_currencies():
    with pytest.raises(ValueError, match="cannot mix VND and USD"):
        Money(Decimal(1), "VND") + Money(Decimal(1), "USD")


def test_vnd_quantizes_half_up_to_whole_dong():
    assert Money(Decimal("1234.5")).quantized() == Money(Decimal("1235"))
    assert Money(Decimal("-1234.5")).quantized() == Money(Decimal("-1235"))
    assert Money(Decimal("1.005"), "USD").quantized().amount == Decimal("1.01")


def test_money_is_immutable_and_adds_exactly():
    a = Money("0.1", "USD")
    total = a + Money("0.2", "USD")
    assert total.amount == Decimal("0.3")
    with pytest.raises(AttributeError):
        a.amount = Decimal(5)  # type: ignore[misc]


def test_format_vnd_is_vietnamese():
    assert format_vnd(Decimal(1234567)) == "1.234.567 ₫"
    assert format_vnd(Decimal(-5000)) == "-5.000 ₫"
    assert format_vnd(Decimal("1234.5"), "USD") == "1.234,50 USD"


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.integers(min_value=-(10**15), max_value=10**15),
)
def test_addition_and_subtraction_round_trip(a, b):
    x, y = Money(a), Money(b)
    assert (x + y) - y == x
