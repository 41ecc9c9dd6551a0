"""Properties and worked examples of the achievement functions (pure: no database)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sipko.reporting.achievement import (
    AGGREGATIONS,
    POLARITIES,
    IndicatorSpec,
    achievement,
    aggregate,
    capped,
    percent,
    programme_achievement,
)

D = Decimal


@pytest.fixture(autouse=True)
def _regions() -> None:
    """Overrides the shared fixture: these tests need no database."""


# The database domain of report values, baselines and targets: DecimalField(14, 2).
LIMIT = D("999999999999.99")
numbers = st.decimals(
    min_value=-LIMIT, max_value=LIMIT, places=2, allow_nan=False, allow_infinity=False
)
reported = st.decimals(
    min_value=D(0), max_value=LIMIT, places=2, allow_nan=False, allow_infinity=False
)
baselines = st.none() | numbers
polarities = st.sampled_from(POLARITIES)


# --- aggregate ---------------------------------------------------------------------------------


@given(st.lists(numbers, max_size=30), st.data())
def test_order_never_matters_for_sum_and_average(values, data) -> None:
    shuffled = data.draw(st.permutations(values))
    assert aggregate(values, "sum") == aggregate(shuffled, "sum")
    assert aggregate(values, "average") == aggregate(shuffled, "average")


@given(st.lists(numbers, min_size=1, max_size=30))
def test_sum_is_exact(values) -> None:
    assert Fraction(aggregate(values, "sum")) == sum(Fraction(v) for v in values)


@given(st.lists(numbers, min_size=1, max_size=30))
def test_average_lies_between_the_extremes(values) -> None:
    assert min(values) <= aggregate(values, "average") <= max(values)


@given(st.lists(numbers, max_size=10), st.lists(numbers, max_size=10), numbers)
def test_last_depends_only_on_the_last_value(first, second, last) -> None:
    assert aggregate([*first, last], "last") == last
    assert aggregate([*second, last], "last") == last


@pytest.mark.parametrize("how", AGGREGATIONS)
def test_nothing_reported_gives_none(how) -> None:
    assert aggregate([], how) is None


def test_aggregate_examples() -> None:
    values = [D("10.00"), D("25.50"), D("4.50")]
    assert aggregate(values, "sum") == D("40")
    assert aggregate(values, "last") == D("4.50")
    assert aggregate(values, "average").quantize(D("0.0001")) == D("13.3333")
    assert aggregate([D(1), D(2)], "average") == D("1.5")


def test_aggregate_refuses_floats_and_unknown_methods() -> None:
    with pytest.raises(TypeError):
        aggregate([0.1, 0.2], "sum")  # type: ignore[list-item]
    with pytest.raises(ValueError):
        aggregate([D(1)], "median")
    with pytest.raises(ValueError):
        aggregate([D("NaN")], "sum")


# --- achievement -------------------------------------------------------------------------------


@given(baselines, numbers, numbers, polarities)
def test_ratio_is_a_decimal_never_negative_and_never_raises(baseline, target, actual, polarity):
    ratio = achievement(baseline=baseline, target=target, actual=actual, polarity=polarity)
    assert isinstance(ratio, Decimal)
    assert ratio >= 0


@given(baselines, numbers, polarities)
def test_no_actual_gives_none(baseline, target, polarity) -> None:
    assert achievement(baseline=baseline, target=target, actual=None, polarity=polarity) is None


@given(baselines, numbers, numbers, numbers)
def test_higher_better_is_monotone_non_decreasing(baseline, target, a, b) -> None:
    low, high = sorted([a, b])
    ratio = lambda actual: achievement(  # noqa: E731
        baseline=baseline, target=target, actual=actual, polarity="higher"
    )
    assert ratio(low) <= ratio(high)


@given(baselines, numbers, numbers, numbers)
def test_lower_better_is_monotone_non_increasing(baseline, target, a, b) -> None:
    low, high = sorted([a, b])
    ratio = lambda actual: achievement(  # noqa: E731
        baseline=baseline, target=target, actual=actual, polarity="lower"
    )
    assert ratio(low) >= ratio(high)


@given(baselines, numbers, st.sampled_from(["higher", "lower"]))
def test_reaching_the_target_gives_exactly_one(baseline, target, polarity) -> None:
    assert achievement(baseline=baseline, target=target, actual=target, polarity=polarity) == 1


@given(baselines, numbers, numbers)
def test_higher_better_is_met_exactly_when_the_target_is_reached(baseline, target, actual):
    ratio = achievement(baseline=baseline, target=target, actual=actual, polarity="higher")
    assert (ratio >= 1) == (actual >= target)


@given(baselines, numbers, numbers)
def test_lower_better_is_met_exactly_when_the_target_is_reached(baseline, target, actual):
    ratio = achievement(baseline=baseline, target=target, actual=actual, polarity="lower")
    assert (ratio >= 1) == (actual <= target)


@given(baselines, numbers, numbers, numbers)
def test_exact_peaks_at_the_target(baseline, target, a, b) -> None:
    ratio = lambda actual: achievement(  # noqa: E731
        baseline=baseline, target=target, actual=actual, polarity="exact"
    )
    assert ratio(target) == 1
    assert ratio(a) <= 1
    if a != target:
        assert ratio(a) < 1
    low, high = sorted([a, b])
    if high <= target:
        assert ratio(low) <= ratio(high)
    if low >= target:
        assert ratio(low) >= ratio(high)


@given(baselines, numbers, numbers, polarities)
def test_result_does_not_depend_on_the_callers_decimal_context(
    baseline, target, actual, polarity
) -> None:
    expected = achievement(baseline=baseline, target=target, actual=actual, polarity=polarity)
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        got = achievement(baseline=baseline, target=target, actual=actual, polarity=polarity)
    assert got == expected


@given(reported, st.decimals(min_value=D("0.01"), max_value=LIMIT, places=2), st.integers(1, 99))
def test_higher_without_baseline_is_scale_free(actual, target, factor) -> None:
    assume(actual * factor <= LIMIT and target * factor <= LIMIT)
    one = achievement(baseline=None, target=target, actual=actual, polarity="higher")
    scaled = achievement(
        baseline=None, target=target * factor, actual=actual * factor, polarity="higher"
    )
    assert one == scaled


# The worked examples of docs/planning-and-reporting.md.
@pytest.mark.parametrize(
    ("baseline", "target", "actual", "polarity", "expected"),
    [
        # higher is better
        (None, "100", "75", "higher", "0.75"),
        ("20", "100", "60", "higher", "0.5"),
        ("20", "100", "120", "higher", "1.25"),
        ("20", "100", "10", "higher", "0"),  # worse than the baseline: floored at 0
        ("100", "80", "40", "higher", "0.5"),  # baseline above target: ignored
        ("50", "50", "60", "higher", "1.2"),  # baseline equal to target: ignored
        (None, "0", "0", "higher", "1"),  # target 0: met or not met
        (None, "-5", "-6", "higher", "0"),
        # lower is better
        ("50", "10", "30", "lower", "0.5"),
        ("50", "10", "0", "lower", "1.25"),
        ("50", "10", "60", "lower", "0"),
        (None, "10", "20", "lower", "0.5"),
        (None, "10", "4", "lower", "1"),  # no baseline: beating the target counts as met
        (None, "10", "0", "lower", "1"),
        (None, "0", "0", "lower", "1"),
        (None, "0", "3", "lower", "0"),
        # exact
        (None, "100", "90", "exact", "0.9"),
        (None, "100", "110", "exact", "0.9"),
        (None, "100", "250", "exact", "0"),
        ("40", "100", "100", "exact", "1"),  # the baseline plays no part
        (None, "0", "0", "exact", "1"),
        (None, "0", "1", "exact", "0"),
    ],
)
def test_worked_examples(baseline, target, actual, polarity, expected) -> None:
    ratio = achievement(
        baseline=None if baseline is None else D(baseline),
        target=D(target),
        actual=D(actual),
        polarity=polarity,
    )
    assert ratio == D(expected)


def test_achievement_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        achievement(baseline=None, target=D(1), actual=D(1), polarity="sideways")
    with pytest.raises(TypeError):
        achievement(baseline=None, target=D(1), actual=0.5, polarity="higher")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        achievement(baseline=None, target=D("Infinity"), actual=D(1), polarity="higher")


# --- capping and display -----------------------------------------------------------------------


@given(reported, st.decimals(min_value=D("0.01"), max_value=D(10), places=2))
def test_capped_never_exceeds_the_cap_and_keeps_smaller_ratios(ratio, cap) -> None:
    result = capped(ratio, cap)
    assert result <= cap
    assert result == min(ratio, cap)


def test_capped_examples() -> None:
    assert capped(D("1.25")) == 1
    assert capped(D("0.5")) == D("0.5")
    assert capped(None) is None
    with pytest.raises(ValueError):
        capped(D(1), D(0))


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [("0.0125", "1.3"), ("0.0135", "1.4"), ("0.5", "50.0"), ("1.2345", "123.5"), ("0", "0.0")],
)
def test_percent_rounds_half_up_to_one_decimal(ratio, shown) -> None:
    assert str(percent(D(ratio))) == shown


def test_percent_of_nothing_is_none() -> None:
    assert percent(None) is None


# --- a programme -------------------------------------------------------------------------------


def test_programme_achievement_keeps_order_and_reports_missing_values() -> None:
    specs = [
        IndicatorSpec(key=1, name="Peserta", unit="orang", baseline=None, target=D(100)),
        IndicatorSpec(
            key=2,
            name="Sampah",
            unit="kg",
            baseline=D(50),
            target=D(10),
            polarity="lower",
            aggregation="last",
        ),
        IndicatorSpec(key=3, name="Modul", unit="buah", baseline=None, target=D(4)),
    ]
    rows = programme_achievement(specs, {1: [D(30), D(45)], 2: [D(40), D(30)]})
    assert [row.key for row in rows] == [1, 2, 3]
    peserta, sampah, modul = rows
    assert (peserta.actual, peserta.ratio, peserta.percent) == (D(75), D("0.75"), D("75.0"))
    assert peserta.met is False
    assert peserta.values_count == 2
    assert (sampah.actual, sampah.ratio, sampah.percent) == (D(30), D("0.5"), D("50.0"))
    assert (modul.actual, modul.ratio, modul.percent, modul.met) == (None, None, None, None)
    assert modul.values_count == 0
