"""Rounding and fixed-point text: the only places where exact values become shown values.

Scores are exact `Fraction`s until someone has to read them. Rounding happens once, at the
end, so that a shown dimension score and the shown index are each the rounding of an exact
value, never a rounding of roundings.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction | Decimal | int, decimals: int) -> Decimal:
    """`value` rounded to `decimals` places, halves away from zero, exactly.

    Returns a Decimal with exactly `decimals` places (85 -> Decimal("85.00") for 2), so that
    `str()` of it is already the text to show. Computed on the exact rational value: 84.995
    becomes 85.00, which a float (84.99499999…) would get wrong. Scores are never negative, but
    negatives are handled symmetrically (-0.005 -> -0.01) so the function has no surprises.
    """
    if isinstance(value, float | bool):
        # A float has already lost the exact value this function exists to protect.
        raise TypeError(f"round_half_up takes Fraction, Decimal or int, not {type(value).__name__}")
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    exact = value if isinstance(value, Fraction) else Fraction(value)
    # floor(|n/d| · 10^k + 1/2) in integers: the same exact value as Fraction arithmetic, without
    # building intermediate fractions (this runs for every number of every trace).
    numerator, denominator = abs(exact.numerator), exact.denominator
    units = (2 * numerator * 10**decimals + denominator) // (2 * denominator)
    sign = "-" if exact < 0 and units else ""
    # Building from text sets the exponent exactly, whatever the decimal context's precision.
    return Decimal(f"{sign}{units}E-{decimals}")


def format_fixed(value: Decimal | Fraction | None, decimals: int) -> str:
    """Fixed-point text with a "." and exactly `decimals` places; "" for None (no value).

    This is the machine format of CSV and JSON exports ("85.00"); pages use the Indonesian
    locale format instead ("85,00").
    """
    if value is None:
        return ""
    return format(round_half_up(value, decimals), "f")


def plain_decimal(number: Decimal) -> str:
    """Shortest plain text of a number, for weights and answers: Decimal("3.50") -> "3.5",
    Decimal("1E+2") -> "100". Never an exponent, never a trailing zero."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
