"""Achievement of programme indicators (SPEC §3.4): plain Python, no ORM, exact decimals.

An indicator's *actual* value is the aggregate of the values its reports realised (`aggregate`);
its *achievement* is a ratio of that actual against the target (`achievement`), where 1 means
"target met". Ratios are never negative and are not capped above 1 here, so over-achievement
stays visible; the scoring engine caps with `capped`. The formulas, their degenerate cases and
worked examples are in docs/planning-and-reporting.md; the summary:

higher is better (`higher`)
    baseline b below target t:  (actual − b) / (t − b)
    otherwise, t > 0:           actual / t              (the baseline, if any, is ignored)
    otherwise (t ≤ 0):          1 if actual ≥ t else 0
lower is better (`lower`)
    baseline b above target t:  (b − actual) / (b − t)
    otherwise, t > 0:           1 if actual ≤ t else t / actual
    otherwise (t ≤ 0):          1 if actual ≤ t else 0
exact (`exact`, the baseline plays no part)
    t ≠ 0:                      max(0, 1 − |actual − t| / |t|)
    t = 0:                      1 if actual = 0 else 0

Every ratio is floored at 0. A baseline on the wrong side of the target (or equal to it) asks for
no improvement, so it cannot scale the ratio and is ignored. Lower-better without a usable
baseline has no scale below the target (t / actual would grow without bound as actual → 0), so
reaching the target counts as exactly met.

Inputs are `Decimal` (or `int`); floats are refused because they are not exact. Arithmetic runs in
a fixed 40-digit context, so sums and differences of values in the database domain (14 digits, 2
places) are exact and results never depend on the caller's decimal context.
"""

from __future__ import annotations

import decimal
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

HIGHER = "higher"
LOWER = "lower"
EXACT = "exact"
POLARITIES = (HIGHER, LOWER, EXACT)

SUM = "sum"
LAST = "last"
AVERAGE = "average"
AGGREGATIONS = (SUM, LAST, AVERAGE)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.1")

_CONTEXT = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def _exact(value: Decimal | int, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{name} must be a finite number, not {number}")
    return number


def aggregate(values: Sequence[Decimal], how: str) -> Decimal | None:
    """The actual value of an indicator from its reported values; None when nothing is reported.

    `values` must be in report date order (earliest first): `last` takes the final one.
    `sum` and `average` do not depend on the order.
    """
    if how not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {how!r}; expected one of {AGGREGATIONS}")
    numbers = [_exact(value, "value") for value in values]
    if not numbers:
        return None
    if how == LAST:
        return numbers[-1]
    with decimal.localcontext(_CONTEXT):
        total = sum(numbers, ZERO)
        return total if how == SUM else total / len(numbers)


def achievement(
    *, baseline: Decimal | None, target: Decimal, actual: Decimal | None, polarity: str
) -> Decimal | None:
    """The achievement ratio (1 = target met, never negative, not capped); None without actual.

    See the module docstring for the formula of each polarity and its degenerate cases; no input
    ever divides by zero.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"unknown polarity {polarity!r}; expected one of {POLARITIES}")
    t = _exact(target, "target")
    b = None if baseline is None else _exact(baseline, "baseline")
    if actual is None:
        return None
    a = _exact(actual, "actual")
    with decimal.localcontext(_CONTEXT):
        if polarity == HIGHER:
            ratio = _higher_better(b, t, a)
        elif polarity == LOWER:
            ratio = _lower_better(b, t, a)
        else:
            ratio = _exact_target(t, a)
        return ratio if ratio > 0 else ZERO


def _higher_better(b: Decimal | None, t: Decimal, a: Decimal) -> Decimal:
    if b is not None and b < t:
        return (a - b) / (t - b)
    if t > 0:
        return a / t
    return ONE if a >= t else ZERO


def _lower_better(b: Decimal | None, t: Decimal, a: Decimal) -> Decimal:
    if b is not None and b > t:
        return (b - a) / (b - t)
    if a <= t:
        return ONE
    # Here a > t; when t > 0 then a > 0 too, so the division is safe.
    return t / a if t > 0 else ZERO


def _exact_target(t: Decimal, a: Decimal) -> Decimal:
    if t == 0:
        return ONE if a == 0 else ZERO
    return ONE - abs(a - t) / abs(t)


def capped(ratio: Decimal | None, cap: Decimal = ONE) -> Decimal | None:
    """`ratio` limited to `cap` (the scoring engine's `ratio` type caps before normalising)."""
    if ratio is None:
        return None
    limit = _exact(cap, "cap")
    if limit <= 0:
        raise ValueError("cap must be positive")
    return min(_exact(ratio, "ratio"), limit)


def percent(ratio: Decimal | None) -> Decimal | None:
    """A ratio as a percentage for display, rounded half-up to one decimal (0.0125 → 1.3)."""
    if ratio is None:
        return None
    with decimal.localcontext(_CONTEXT):
        return (_exact(ratio, "ratio") * HUNDRED).quantize(
            PERCENT_PLACES, rounding=decimal.ROUND_HALF_UP
        )


@dataclass(frozen=True)
class IndicatorSpec:
    """What `programme_achievement` needs to know about one programme indicator."""

    key: Hashable
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    polarity: str = HIGHER
    aggregation: str = SUM


@dataclass(frozen=True)
class IndicatorAchievement:
    """One indicator against its target: the row a programme page shows."""

    key: Hashable
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    polarity: str
    aggregation: str
    actual: Decimal | None
    ratio: Decimal | None
    percent: Decimal | None
    values_count: int

    @property
    def met(self) -> bool | None:
        """Whether the target is reached; None while nothing is reported."""
        return None if self.ratio is None else self.ratio >= ONE


def indicator_achievement(spec: IndicatorSpec, values: Sequence[Decimal]) -> IndicatorAchievement:
    actual = aggregate(values, spec.aggregation)
    ratio = achievement(
        baseline=spec.baseline, target=spec.target, actual=actual, polarity=spec.polarity
    )
    return IndicatorAchievement(
        key=spec.key,
        name=spec.name,
        unit=spec.unit,
        baseline=spec.baseline,
        target=spec.target,
        polarity=spec.polarity,
        aggregation=spec.aggregation,
        actual=actual,
        ratio=ratio,
        percent=percent(ratio),
        values_count=len(values),
    )


def programme_achievement(
    indicators: Sequence[IndicatorSpec],
    values_by_indicator: Mapping[Hashable, Sequence[Decimal]],
) -> list[IndicatorAchievement]:
    """Achievement of each indicator, in the order given.

    `values_by_indicator` maps an indicator's `key` to its reported values in report date order;
    an indicator missing from the mapping has no reports (actual and ratio None).
    """
    return [
        indicator_achievement(spec, values_by_indicator.get(spec.key, ())) for spec in indicators
    ]
