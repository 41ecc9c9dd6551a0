from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sipko.assessment.scoring import format_fixed, round_half_up
from sipko.assessment.scoring.rounding import plain_decimal


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Fraction(16999, 200), 2, "85.00"),  # 84.995 exactly: the half goes up
        (Decimal("84.994999"), 2, "84.99"),
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(1, 3), 4, "0.3333"),
        (Decimal("0.125"), 2, "0.13"),
        (Decimal("2.5"), 0, "3"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(3, 2), 0, "2"),  # not banker's rounding (which gives 2 for 2.5, 2 for 1.5)
        (0, 2, "0.00"),
        (100, 6, "100.000000"),
        (Decimal("-0.005"), 2, "-0.01"),  # symmetric: half away from zero
        (Decimal("-0.004"), 2, "0.00"),  # no negative zero
    ],
)
def test_round_half_up(value: Fraction | Decimal | int, decimals: int, expected: str) -> None:
    rounded = round_half_up(value, decimals)
    assert str(rounded) == expected
    assert rounded.as_tuple().exponent == -decimals


def test_round_half_up_refuses_floats_and_negative_places() -> None:
    with pytest.raises(TypeError):
        round_half_up(84.995, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        round_half_up(1, -1)


@settings(max_examples=60, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=6),
)
def test_round_half_up_agrees_with_decimal_quantize(value: Decimal, decimals: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert round_half_up(value, decimals) == expected
    assert str(round_half_up(value, decimals)) == str(expected)


def test_format_fixed() -> None:
    assert format_fixed(Decimal(85), 2) == "85.00"
    assert format_fixed(Fraction(1, 3), 2) == "0.33"
    assert format_fixed(Decimal("84.995"), 2) == "85.00"
    assert format_fixed(Decimal("85.4"), 0) == "85"
    assert format_fixed(Decimal("1E+3"), 1) == "1000.0"  # never an exponent
    assert format_fixed(None, 2) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3.50", "3.5"), ("1E+2", "100"), ("0.000", "0"), ("-0", "0"), ("0.30", "0.3"), ("12", "12")],
)
def test_plain_decimal(value: str, expected: str) -> None:
    assert plain_decimal(Decimal(value)) == expected
