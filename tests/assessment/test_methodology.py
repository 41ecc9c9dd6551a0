"""Methodology statistics and their exports (pure: no database).

Every expected number is worked out by hand in a comment or computed by a deliberately naive
re-implementation of the rule (`reference_index`), never copied from the code under test.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sipko.assessment.charts import histogram_svg, rank_interval_svg
from sipko.assessment.methodology import (
    CSV_COLUMNS,
    HISTOGRAM_LABELS,
    SCENARIO_EQUAL_WEIGHTS,
    SCENARIO_GEOMETRIC,
    SCENARIO_MIN_MAX,
    SCENARIO_RANDOM_WEIGHTS,
    SCENARIO_THRESHOLDS_DOWN,
    SCENARIO_THRESHOLDS_UP,
    SCENARIO_UNANSWERED_NA,
    DimensionSpec,
    IndicatorSpec,
    MethodologyReport,
    ScoreMatrix,
    alpha_interpretation,
    analyse,
    competition_ranks,
    min_max_rescaled,
    report_to_xlsx,
    sensitivity_csv,
)


@pytest.fixture(autouse=True)
def _regions() -> None:
    """Overrides the shared fixture: these tests need no database."""


U = "unanswered"  # marks an applicable indicator left unanswered in `build`
SVG = "{http://www.w3.org/2000/svg}"


def build(
    dimensions: dict[str, tuple[float, dict[str, float]]],
    rows: dict[str, dict[str, float | str | None]],
    names: dict[str, str] | None = None,
) -> ScoreMatrix:
    """`dimensions`: code → (weight, {indicator code: weight}); `rows`: ormas → code → score,
    `None` for N/A or `U` for unanswered."""
    return ScoreMatrix(
        dimensions=tuple(
            DimensionSpec(
                code=code,
                name=f"Dimensi {code}",
                weight=weight,
                indicators=tuple(
                    IndicatorSpec(code=i, name=f"Indikator {i}", weight=w)
                    for i, w in indicators.items()
                ),
            )
            for code, (weight, indicators) in dimensions.items()
        ),
        ormas=tuple((key, (names or {}).get(key, f"Ormas {key}")) for key in rows),
        scores={
            key: {code: 0.0 if value == U else value for code, value in row.items()}
            for key, row in rows.items()
        },
        unanswered={
            key: frozenset(code for code, value in row.items() if value == U)
            for key, row in rows.items()
        },
    )


def by_key(report: MethodologyReport) -> dict:
    return {row.key: row for row in report.sensitivity.ormas}


def scenario(report: MethodologyReport, code: str):
    return next(s for s in report.sensitivity.scenarios if s.code == code)


def reference_index(matrix: ScoreMatrix, key: str, *, equal: bool = False) -> float | None:
    """The aggregation rule written out plainly, one ormas at a time."""
    weighted = total = 0.0
    for dimension in matrix.dimensions:
        numerator = denominator = 0.0
        for indicator in dimension.indicators:
            score = matrix.scores[key].get(indicator.code)
            if indicator.code in matrix.unanswered[key]:
                score = 0.0
            if score is None:
                continue
            weight = 1.0 if equal else indicator.weight
            numerator += weight * score
            denominator += weight
        if denominator:
            weight = 1.0 if equal else dimension.weight
            weighted += weight * numerator / denominator
            total += weight
    return weighted / total if total else None


def reference_exact_index(matrix: ScoreMatrix, key: str) -> Fraction | None:
    """The official rule in exact fractions (the engine's), one ormas at a time."""
    weighted = total = Fraction(0)
    for dimension in matrix.dimensions:
        numerator = denominator = Fraction(0)
        for indicator in dimension.indicators:
            score = matrix.scores[key].get(indicator.code)
            if indicator.code in matrix.unanswered[key]:
                score = 0
            if score is None:
                continue
            numerator += Fraction(indicator.weight) * Fraction(score)
            denominator += Fraction(indicator.weight)
        if denominator:
            weighted += Fraction(dimension.weight) * numerator / denominator
            total += Fraction(dimension.weight)
    return weighted / total if total else None


def reference_ranks(
    indexes: dict[str, float | None] | dict[str, Fraction | None], *, exact: bool = False
) -> dict[str, int | None]:
    """1 + the number of strictly higher indexes (floats rounded as the code documents)."""
    ranked = {k: v if exact else round(v, 9) for k, v in indexes.items() if v is not None}
    return {
        k: (1 + sum(other > ranked[k] for other in ranked.values()) if k in ranked else None)
        for k in indexes
    }


# --- per indicator -----------------------------------------------------------------------------


def test_indicator_distribution_and_missing_share_count_na_and_unanswered() -> None:
    matrix = build(
        {"D": (1, {"A": 1, "C": 1})},
        {
            "o1": {"A": 20, "C": 50},
            "o2": {"A": 60, "C": 50},
            "o3": {"A": 100, "C": 50},
            "o4": {"A": None, "C": 50},
            "o5": {"A": U, "C": 50},
        },
    )
    a, c = analyse(matrix, runs=5).indicators
    assert (a.count, a.answered, a.not_applicable, a.unanswered) == (5, 3, 1, 1)
    # (1 N/A + 1 unanswered) / 5 ormas
    assert a.missing_share == pytest.approx(0.4)
    assert a.high_missing
    # Answered only (20, 60, 100): the unanswered 0 is not a value of the distribution.
    assert a.mean == pytest.approx(60)
    assert a.sd == pytest.approx(40)  # √((40² + 0² + 40²) / 2)
    assert (a.minimum, a.q1, a.median, a.q3, a.maximum) == pytest.approx((20, 40, 60, 80, 100))
    assert a.histogram == (0, 1, 0, 1, 1)  # 20 → 20–40, 60 → 60–80, 100 → 80–100
    assert not a.low_variance
    assert a.flags == ("banyak data hilang",)

    assert c.missing_share == 0 and not c.high_missing
    assert c.sd == 0 and c.low_variance
    assert c.histogram == (0, 0, 5, 0, 0)


def test_histogram_bins_include_lower_bound_and_100_in_last() -> None:
    rows = {f"o{i}": {"A": v} for i, v in enumerate([0, 19.99, 20, 40, 79.99, 80, 100])}
    (a,) = analyse(build({"D": (1, {"A": 1})}, rows), runs=2).indicators
    assert a.histogram == (2, 1, 1, 1, 2)
    assert sum(a.histogram) == a.answered


def test_missing_share_at_the_limit_is_not_flagged() -> None:
    # 1 of 5 missing = 0.2, not more than 0.2.
    rows = {f"o{i}": {"A": 10.0 * i} for i in range(4)} | {"o9": {"A": None}}
    (a,) = analyse(build({"D": (1, {"A": 1})}, rows), runs=2).indicators
    assert a.missing_share == pytest.approx(0.2) and not a.high_missing


def test_indicator_without_answers_has_no_distribution() -> None:
    matrix = build({"D": (1, {"A": 1, "B": 1})}, {"o1": {"A": None, "B": 10}})
    a = analyse(matrix, runs=2).indicators[0]
    assert a.answered == 0 and a.mean is None and a.sd is None and a.median is None
    assert a.histogram == (0, 0, 0, 0, 0) and not a.low_variance


# --- correlation -------------------------------------------------------------------------------


def test_correlation_of_linear_indicators_is_one_or_minus_one_and_flagged() -> None:
    xs = [10, 20, 35, 50, 90]
    rows = {
        f"o{i}": {"X": x, "UP": x / 2 + 5, "DOWN": 100 - x, "FLAT": 40} for i, x in enumerate(xs)
    }
    correlation = analyse(build({"D": (1, dict.fromkeys(rows["o0"], 1))}, rows), runs=2).correlation
    codes = correlation.codes
    r = {(a, b): correlation.r[i][j] for i, a in enumerate(codes) for j, b in enumerate(codes)}
    assert r["X", "UP"] == pytest.approx(1.0)
    assert r["X", "DOWN"] == pytest.approx(-1.0)
    assert r["UP", "X"] == r["X", "UP"]
    assert r["X", "X"] == 1.0
    assert r["X", "FLAT"] is None and r["FLAT", "FLAT"] is None  # zero variance
    redundant = {(p.first, p.second) for p in correlation.redundant}
    assert redundant == {("X", "UP"), ("X", "DOWN"), ("UP", "DOWN")}


def test_correlation_by_hand_with_pairwise_deletion() -> None:
    # Over the ormas answering both: x = 10, 20, 30 and y = 10, 30, 20.
    # dx = −10, 0, 10; dy = −10, 10, 0 → r = 100 / √(200 · 200) = 0.5.
    rows = {
        "o1": {"X": 10, "Y": 10},
        "o2": {"X": 20, "Y": 30},
        "o3": {"X": 30, "Y": 20},
        "o4": {"X": 90, "Y": None},  # N/A: out of the pair, kept for X alone
        "o5": {"X": U, "Y": 80},  # unanswered: out of the pair too
    }
    correlation = analyse(build({"D": (1, {"X": 1, "Y": 1})}, rows), runs=2).correlation
    assert correlation.r[0][1] == pytest.approx(0.5)
    assert correlation.pairs[0][1] == 3
    assert correlation.pairs[0][0] == 4 and correlation.pairs[1][1] == 4  # each alone
    assert correlation.redundant == ()


def test_correlation_needs_three_pairs() -> None:
    rows = {
        "o1": {"X": 10, "Y": 10},
        "o2": {"X": 20, "Y": 30},
        "o3": {"X": 30, "Y": None},
    }
    correlation = analyse(build({"D": (1, {"X": 1, "Y": 1})}, rows), runs=2).correlation
    assert correlation.pairs[0][1] == 2
    assert correlation.r[0][1] is None


# --- Cronbach's α ------------------------------------------------------------------------------


def test_cronbach_alpha_by_hand_over_complete_cases() -> None:
    # Complete cases A–D, three items:
    #   item 1: 10 20 30 40  mean 25, Σd² = 225+25+25+225 = 500  → s² = 500/3
    #   item 2: 20 20 40 40  mean 30, Σd² = 4·100          = 400  → s² = 400/3
    #   item 3: 30 40 50 40  mean 40, Σd² = 100+0+100+0    = 200  → s² = 200/3
    #   totals: 60 80 120 120 mean 95, Σd² = 1225+225+625+625 = 2700 → s² = 900
    # α = 3/2 · (1 − (1100/3) / 900) = 3/2 · 16/27 = 8/9
    # E (unanswered item) and F (N/A item) are not complete cases; counted, they would change α.
    rows = {
        "A": {"i1": 10, "i2": 20, "i3": 30},
        "B": {"i1": 20, "i2": 20, "i3": 40},
        "C": {"i1": 30, "i2": 40, "i3": 50},
        "D": {"i1": 40, "i2": 40, "i3": 40},
        "E": {"i1": 100, "i2": U, "i3": 100},
        "F": {"i1": 0, "i2": 100, "i3": None},
    }
    matrix = build(
        {"D1": (1, {"i1": 1, "i2": 1, "i3": 1}), "D2": (1, {"solo": 1})},
        {key: row | {"solo": 50} for key, row in rows.items()},
    )
    d1, d2 = analyse(matrix, runs=2).consistency
    assert d1.complete_cases == 4 and d1.indicator_count == 3
    assert d1.alpha == pytest.approx(8 / 9)
    assert d1.reason is None
    assert d1.interpretation == alpha_interpretation(0.85)  # the "good" band, 0.8–0.9

    assert d2.alpha is None and d2.interpretation is None
    assert d2.reason  # one indicator: no α


def test_cronbach_alpha_needs_three_complete_cases_and_variance() -> None:
    few = build(
        {"D": (1, {"a": 1, "b": 1})},
        {"o1": {"a": 10, "b": 20}, "o2": {"a": 30, "b": 50}, "o3": {"a": None, "b": 10}},
    )
    (result,) = analyse(few, runs=2).consistency
    assert result.complete_cases == 2 and result.alpha is None and result.reason

    # Every total is 100: no variance to explain.
    flat = build(
        {"D": (1, {"a": 1, "b": 1})},
        {"o1": {"a": 10, "b": 90}, "o2": {"a": 90, "b": 10}, "o3": {"a": 50, "b": 50}},
    )
    (result,) = analyse(flat, runs=2).consistency
    assert result.complete_cases == 3 and result.alpha is None and result.reason


@pytest.mark.parametrize(
    ("alpha", "words"),
    [
        (0.95, "sangat baik"),
        (0.9, "sangat baik"),
        (0.85, "baik"),
        (0.7, "dapat diterima"),
        (0.65, "diragukan"),
        (0.55, "lemah"),
        (-0.3, "tidak dapat diterima"),
    ],
)
def test_alpha_interpretation_bands(alpha: float, words: str) -> None:
    assert alpha_interpretation(alpha).startswith(words + " (")


# --- index and ranks ---------------------------------------------------------------------------


def test_baseline_index_reweights_na_and_counts_unanswered_as_zero() -> None:
    matrix = build(
        {"D1": (2, {"i1": 1, "i2": 3}), "D2": (1, {"i3": 1})},
        {
            # D1 = 100 (i2 N/A: i1 alone), D2 = 40 → (2·100 + 1·40) / 3 = 80
            "a": {"i1": 100, "i2": None, "i3": 40},
            # D1 = (1·100 + 3·0) / 4 = 25, D2 has nothing applicable → index = D1 = 25
            "b": {"i1": 100, "i2": U, "i3": None},
            # nothing applicable anywhere → no index, no rank
            "c": {"i1": None, "i2": None, "i3": None},
            # D1 = 50, D2 = 80 → (2·50 + 80) / 3 = 60
            "d": {"i1": 50, "i2": 50, "i3": 80},
        },
    )
    report = analyse(matrix, runs=20)
    rows = by_key(report)
    assert rows["a"].index == pytest.approx(80)
    assert rows["b"].index == pytest.approx(25)
    assert rows["d"].index == pytest.approx(60)
    assert [rows[k].rank for k in "adbc"] == [1, 2, 3, None]
    assert report.sensitivity.ranked_count == 3


def test_ormas_without_applicable_dimension_is_excluded_everywhere() -> None:
    matrix = build(
        {"D": (1, {"i1": 1, "i2": 1})},
        {
            "gone": {"i1": None, "i2": None},
            "x": {"i1": 80, "i2": 60},
            "y": {"i1": 10, "i2": U},
        },
    )
    report = analyse(matrix, runs=30)
    assert [r.key for r in report.sensitivity.ormas] == ["x", "y", "gone"]  # excluded last
    gone = report.sensitivity.ormas[-1]
    assert gone.name == "Ormas gone"
    assert all(value is None for name, value in vars(gone).items() if name not in ("key", "name"))
    assert {r.rank for r in report.sensitivity.ormas[:2]} == {1, 2}
    assert report.sensitivity.ranked_count == 2
    # Still counted in the indicator statistics, as N/A.
    assert report.indicators[0].not_applicable == 1


def test_competition_ranks_share_the_smallest_rank() -> None:
    assert competition_ranks(np.array([50.0, 80, 50, 10, 80])).tolist() == [3, 1, 3, 5, 1]
    assert competition_ranks(np.array([[1.0, 2, 3], [3, 3, 1]])).tolist() == [
        [3, 2, 1],
        [1, 1, 3],
    ]
    # Floating-point noise is not a difference: 0.1 + 0.2 ≠ 0.3 in binary.
    assert competition_ranks(np.array([0.1 + 0.2, 0.3, 0.2])).tolist() == [1, 1, 3]


def test_tied_ormas_share_a_rank_in_the_report() -> None:
    matrix = build(
        {"D": (1, {"i1": 1, "i2": 1})},
        {
            "top": {"i1": 90, "i2": 90},
            "p": {"i1": 25, "i2": 75},
            "q": {"i1": 75, "i2": 25},  # same index as p, reached differently
            "last": {"i1": 0, "i2": 10},
        },
    )
    rows = by_key(analyse(matrix, runs=5))
    assert [rows[k].rank for k in ("top", "p", "q", "last")] == [1, 2, 2, 4]
    assert rows["p"].rank_equal_weights == rows["q"].rank_equal_weights == 2


@pytest.mark.parametrize(
    "dimensions",
    [
        # The heavier weight sits on the dimensions …
        {"D1": (3, {"i1": 1}), "D2": (1, {"i2": 1})},
        # … or on the indicators inside one dimension.
        {"D": (1, {"i1": 3, "i2": 1})},
    ],
)
def test_equal_weights_can_change_the_order(dimensions) -> None:
    # Instrument weights 3:1 → a = 75, b = (3·40 + 100) / 4 = 55, c = 0.
    # Equal weights         → a = 50, b = 70,                     c = 0.
    matrix = build(
        dimensions,
        {
            "a": {"i1": 100, "i2": 0},
            "b": {"i1": 40, "i2": 100},
            "c": {"i1": 0, "i2": 0},
        },
    )
    report = analyse(matrix, runs=10)
    rows = by_key(report)
    assert (rows["a"].index, rows["b"].index) == pytest.approx((75, 55))
    assert (rows["a"].index_equal_weights, rows["b"].index_equal_weights) == pytest.approx((50, 70))
    assert [rows[k].rank for k in "abc"] == [1, 2, 3]
    assert [rows[k].rank_equal_weights for k in "abc"] == [2, 1, 3]
    equal = scenario(report, SCENARIO_EQUAL_WEIGHTS)
    assert equal.mean_abs_rank_shift == pytest.approx(2 / 3)  # (1 + 1 + 0) / 3
    # Spearman: Σd² = 1 + 1 + 0 = 2 → 1 − 6·2 / (3·(9 − 1)) = 0.5
    assert equal.spearman == pytest.approx(0.5)
    assert rows["a"].max_rank_shift >= 1 and rows["c"].max_rank_shift >= 0


def test_min_max_rescales_answered_values_and_keeps_na_and_unanswered() -> None:
    # i1 answered 20, 40, 60 → 0, 50, 100; unanswered stays 0. i2 is constant (50) among its
    # answers: no min-max scale, kept as is. Equal weights inside the one dimension:
    #   a: (0 + 50) / 2 = 25     b: (100 + 50) / 2 = 75     c: (50 + 0) / 2 = 25
    #   d: (0 + 50) / 2 = 25     e: i1 N/A → 50 alone = 50
    matrix = build(
        {"D": (1, {"i1": 1, "i2": 1})},
        {
            "a": {"i1": 20, "i2": 50},
            "b": {"i1": 60, "i2": 50},
            "c": {"i1": 40, "i2": U},
            "d": {"i1": U, "i2": 50},
            "e": {"i1": None, "i2": 50},
        },
    )
    rows = by_key(analyse(matrix, runs=5))
    expected = {"a": 25, "b": 75, "c": 25, "d": 25, "e": 50}
    assert {k: rows[k].index_min_max for k in expected} == pytest.approx(expected)
    assert {k: rows[k].rank_min_max for k in expected} == {"b": 1, "e": 2, "a": 3, "c": 3, "d": 3}


def test_min_max_rescaled_directly() -> None:
    values = np.array([[20.0, 7], [60, 7], [0, 0], [40, 7]])
    answered = np.array([[True, True], [True, True], [False, False], [True, True]])
    assert min_max_rescaled(values, answered).tolist() == [[0, 7], [100, 7], [0, 0], [50, 7]]


def test_same_seed_same_report_and_other_seed_other_runs() -> None:
    matrix = random_matrix(40, seed=3)
    first = analyse(matrix, runs=60, seed=11)
    assert analyse(matrix, runs=60, seed=11) == first

    other = analyse(matrix, runs=60, seed=12)
    run_summary = [(r.median_rank, r.rank_p5, r.rank_p95) for r in first.sensitivity.ormas]
    other_summary = [(r.median_rank, r.rank_p5, r.rank_p95) for r in other.sensitivity.ormas]
    assert run_summary != other_summary
    # Only the runs depend on the seed.
    assert [r.rank for r in first.sensitivity.ormas] == [r.rank for r in other.sensitivity.ormas]
    assert first.indicators == other.indicators and first.consistency == other.consistency


def test_intervals_contain_the_median_and_stay_within_the_ranks() -> None:
    report = analyse(random_matrix(60, seed=5), runs=200, spread=0.4)
    m = report.sensitivity.ranked_count
    assert m > 0
    for row in report.sensitivity.ormas:
        if row.rank is None:
            continue
        assert 1 <= row.rank_p5 <= row.median_rank <= row.rank_p95 <= m
        assert row.max_rank_shift >= abs(row.rank_equal_weights - row.rank)
        assert row.max_rank_shift >= abs(row.rank_min_max - row.rank)
        # The 5–95 % band lies within the ranks the runs reached.
        assert row.rank - row.max_rank_shift <= row.rank_p5
        assert row.rank_p95 <= row.rank + row.max_rank_shift


def test_random_runs_perturb_dimension_weights() -> None:
    # One indicator per dimension, so only the dimension weights can move anything: tied at
    # equal weights, a and b swap places depending on which dimension a run makes heavier.
    matrix = build(
        {"D1": (1, {"i1": 1}), "D2": (1, {"i2": 1})},
        {"a": {"i1": 100, "i2": 0}, "b": {"i1": 0, "i2": 100}, "c": {"i1": 0, "i2": 0}},
    )
    rows = by_key(analyse(matrix, runs=200))
    assert rows["a"].rank == rows["b"].rank == 1
    assert (rows["a"].rank_p5, rows["a"].rank_p95) == (1, 2)
    assert rows["a"].max_rank_shift == 1
    assert rows["c"].rank_p5 == rows["c"].rank_p95 == 3


def test_random_runs_perturb_indicator_weights() -> None:
    # One dimension: only the indicator weights can move the tie.
    matrix = build(
        {"D": (1, {"i1": 1, "i2": 1})},
        {"a": {"i1": 100, "i2": 0}, "b": {"i1": 0, "i2": 100}},
    )
    rows = by_key(analyse(matrix, runs=200))
    assert (rows["b"].rank_p5, rows["b"].rank_p95) == (1, 2)


def test_a_dominant_ormas_keeps_rank_one_under_every_weighting() -> None:
    matrix = random_matrix(30, seed=9)
    best = dict.fromkeys(matrix.scores["o0"], 100.0)
    matrix = ScoreMatrix(
        dimensions=matrix.dimensions,
        ormas=(("best", "Terbaik"), *matrix.ormas),
        scores={"best": best, **matrix.scores},
        unanswered={"best": frozenset(), **matrix.unanswered},
    )
    row = analyse(matrix, runs=100, spread=0.5).sensitivity.ormas[0]
    assert row.key == "best"
    assert (row.rank, row.rank_equal_weights, row.rank_min_max) == (1, 1, 1)
    assert row.rank_p5 == row.median_rank == row.rank_p95 == 1 and row.max_rank_shift == 0


def test_zero_spread_leaves_every_run_at_the_baseline() -> None:
    report = analyse(random_matrix(25, seed=2), runs=20, spread=0.0)
    for row in report.sensitivity.ormas:
        assert row.median_rank == row.rank_p5 == row.rank_p95 == row.rank
    runs = scenario(report, SCENARIO_RANDOM_WEIGHTS)
    assert runs.mean_abs_rank_shift == 0 and runs.spearman == pytest.approx(1)


def test_scenario_summaries() -> None:
    report = analyse(random_matrix(30, seed=4), runs=50)
    assert [s.code for s in report.sensitivity.scenarios] == [
        SCENARIO_EQUAL_WEIGHTS,
        SCENARIO_MIN_MAX,
        SCENARIO_UNANSWERED_NA,
        SCENARIO_GEOMETRIC,
        SCENARIO_THRESHOLDS_DOWN,
        SCENARIO_THRESHOLDS_UP,
        SCENARIO_RANDOM_WEIGHTS,
    ]
    for s in report.sensitivity.scenarios:
        assert s.label
        assert -1 <= s.spearman_min <= s.spearman <= 1
        assert s.mean_abs_rank_shift >= 0
    rows = [r for r in report.sensitivity.ormas if r.rank is not None]
    equal = scenario(report, SCENARIO_EQUAL_WEIGHTS)
    assert equal.mean_abs_rank_shift == pytest.approx(
        sum(abs(r.rank_equal_weights - r.rank) for r in rows) / len(rows)
    )
    assert report.sensitivity.percentile_method == "linear"
    assert (report.sensitivity.runs, report.sensitivity.spread) == (50, 0.2)


# --- properties --------------------------------------------------------------------------------

levels = st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0])
cells = st.one_of(st.none(), st.just(U), levels, st.floats(0, 100))
weights = st.integers(1, 9).map(float) | st.floats(0.1, 10)


@st.composite
def matrices(draw) -> ScoreMatrix:
    dimensions = {
        f"D{d}": (
            draw(weights),
            {f"I{d}{i}": draw(weights) for i in range(draw(st.integers(1, 3)))},
        )
        for d in range(draw(st.integers(1, 3)))
    }
    codes = [code for _w, indicators in dimensions.values() for code in indicators]
    rows = {f"o{n}": {code: draw(cells) for code in codes} for n in range(draw(st.integers(0, 8)))}
    return build(dimensions, rows)


@settings(max_examples=60, deadline=None)
@given(matrices())
def test_index_and_ranks_follow_the_rule(matrix: ScoreMatrix) -> None:
    report = analyse(matrix, runs=5)
    rows = by_key(report)
    for equal in (False, True):
        expected = {key: reference_index(matrix, key, equal=equal) for key, _n in matrix.ormas}
        field = "index_equal_weights" if equal else "index"
        for key, value in expected.items():
            got = getattr(rows[key], field)
            assert (got is None) == (value is None)
            if value is not None:
                assert got == pytest.approx(value, abs=1e-9)
        if not equal:  # the baseline is ranked on the exact index
            expected = {key: reference_exact_index(matrix, key) for key, _n in matrix.ormas}
        ranks = reference_ranks(expected, exact=not equal)
        field = "rank_equal_weights" if equal else "rank"
        assert {key: getattr(rows[key], field) for key in expected} == ranks


@settings(max_examples=40, deadline=None)
@given(matrices(), st.randoms(use_true_random=False))
def test_order_of_ormas_never_matters(matrix: ScoreMatrix, random) -> None:
    shuffled = list(matrix.ormas)
    random.shuffle(shuffled)
    other = ScoreMatrix(matrix.dimensions, tuple(shuffled), matrix.scores, matrix.unanswered)
    first, second = by_key(analyse(matrix, runs=8)), by_key(analyse(other, runs=8))
    for key, row in first.items():
        twin = second[key]
        assert (row.rank, row.rank_equal_weights, row.rank_min_max) == (
            twin.rank,
            twin.rank_equal_weights,
            twin.rank_min_max,
        )
        assert (row.median_rank, row.rank_p5, row.rank_p95, row.max_rank_shift) == (
            twin.median_rank,
            twin.rank_p5,
            twin.rank_p95,
            twin.max_rank_shift,
        )


# --- input checks ------------------------------------------------------------------------------


def test_decimal_scores_and_weights_are_accepted() -> None:
    matrix = ScoreMatrix(
        dimensions=(
            DimensionSpec("D", "D", Decimal("2"), (IndicatorSpec("A", "A", Decimal("1.5")),)),
        ),
        ormas=(("o1", "Satu"), ("o2", "Dua")),
        scores={"o1": {"A": Decimal("66.67")}, "o2": {"A": Decimal("12.5")}},
        unanswered={},
    )
    rows = by_key(analyse(matrix, runs=2))
    assert rows["o1"].index == pytest.approx(66.67) and rows["o2"].rank == 2


@pytest.mark.parametrize(
    ("scores", "unanswered", "message"),
    [
        ({"o1": {"A": 101.0}}, {}, "0–100"),
        ({"o1": {"A": float("nan")}}, {}, "0–100"),
        ({"o1": {}}, {}, "no score"),
        ({"o1": {"A": 40.0}}, {"o1": frozenset({"A"})}, "must score 0"),
        ({"o1": {"A": 4.0, "Z": 1.0}}, {}, "unknown"),
    ],
)
def test_inconsistent_matrix_is_refused(scores, unanswered, message) -> None:
    matrix = ScoreMatrix(
        dimensions=(DimensionSpec("D", "D", 1, (IndicatorSpec("A", "A", 1),)),),
        ormas=(("o1", "Satu"),),
        scores=scores,
        unanswered=unanswered,
    )
    with pytest.raises(ValueError, match=message):
        analyse(matrix, runs=2)


def test_unanswered_may_be_left_out_of_scores() -> None:
    matrix = ScoreMatrix(
        dimensions=(DimensionSpec("D", "D", 1, (IndicatorSpec("A", "A", 1),)),),
        ormas=(("o1", "Satu"),),
        scores={},
        unanswered={"o1": frozenset({"A"})},
    )
    (a,) = analyse(matrix, runs=2).indicators
    assert a.unanswered == 1 and by_key(analyse(matrix, runs=2))["o1"].index == 0


@pytest.mark.parametrize(
    ("weight", "runs", "spread"), [(0.0, 5, 0.2), (-1.0, 5, 0.2), (1.0, 0, 0.2), (1.0, 5, 1.0)]
)
def test_bad_parameters_are_refused(weight: float, runs: int, spread: float) -> None:
    matrix = build({"D": (1, {"A": weight})}, {"o1": {"A": 10}})
    with pytest.raises(ValueError):
        analyse(matrix, runs=runs, spread=spread)


def test_empty_period() -> None:
    report = analyse(build({"D": (1, {"A": 1, "B": 1})}, {}), runs=3)
    assert report.ormas_count == 0 and report.sensitivity.ormas == ()
    assert report.indicators[0].missing_share is None
    assert all(s.spearman is None for s in report.sensitivity.scenarios)
    ET.fromstring(rank_interval_svg(report))
    assert sensitivity_csv(report).splitlines() == [",".join(CSV_COLUMNS)]
    load_workbook(io.BytesIO(report_to_xlsx(report)))


# --- exports -----------------------------------------------------------------------------------


def small_report() -> MethodologyReport:
    matrix = build(
        {"D1": (2, {"i1": 1, "i2": 3}), "D2": (1, {"i3": 1})},
        {
            "a": {"i1": 100, "i2": None, "i3": 40},
            "b": {"i1": 100, "i2": U, "i3": None},
            "c": {"i1": None, "i2": None, "i3": None},
            "d": {"i1": 50, "i2": 50, "i3": 80},
            "e": {"i1": 20, "i2": 70, "i3": 10},
        },
        names={"d": "=SUM(A1:A9)", "e": 'Paguyuban <Seni> & "Budaya"\x07'},
    )
    return analyse(matrix, runs=50)


def test_csv_reads_back() -> None:
    report = small_report()
    text = sensitivity_csv(report)
    lines = list(csv.DictReader(io.StringIO(text)))
    assert (
        tuple(lines[0])
        == CSV_COLUMNS
        == (
            "ormas",
            "nama",
            "indeks",
            "peringkat",
            "peringkat_bobot_sama",
            "peringkat_minmaks",
            "median_peringkat",
            "p5",
            "p95",
            "selisih_maks",
            "indeks_tampil",
            "predikat",
            "stabilitas_predikat",
            "peringkat_tidak_dijawab_na",
            "peringkat_geometrik",
            "predikat_ambang_turun",
            "predikat_ambang_naik",
            "se_p5",
            "se_median",
            "se_p95",
        )
    )
    assert [line["ormas"] for line in lines] == [r.key for r in report.sensitivity.ormas]
    for line, row in zip(lines, report.sensitivity.ormas, strict=True):
        if row.rank is None:
            assert line["indeks"] == line["peringkat"] == line["p95"] == ""
            continue
        assert float(line["indeks"]) == pytest.approx(row.index, abs=1e-6)
        assert int(line["peringkat"]) == row.rank
        assert int(line["peringkat_bobot_sama"]) == row.rank_equal_weights
        assert int(line["peringkat_minmaks"]) == row.rank_min_max
        assert float(line["median_peringkat"]) == pytest.approx(row.median_rank, abs=0.005)
        assert float(line["p5"]) <= float(line["median_peringkat"]) <= float(line["p95"])
        assert int(line["selisih_maks"]) == row.max_rank_shift
        assert "," not in line["indeks"]  # `.` decimals
    a = next(line for line in lines if line["ormas"] == "a")
    assert float(a["indeks"]) == pytest.approx(80)  # (2·100 + 40) / 3, as worked out above
    d = next(line for line in lines if line["ormas"] == "d")
    assert d["nama"] == "'=SUM(A1:A9)"  # never a formula in a spreadsheet


def test_xlsx_reads_back() -> None:
    report = small_report()
    book = load_workbook(io.BytesIO(report_to_xlsx(report)))
    assert book.sheetnames[:4] == ["Indikator", "Korelasi", "Konsistensi", "Sensitivitas"]

    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Kode", "Indikator", "Dimensi"]
    assert "Porsi hilang" in header and "Simpangan baku" in header
    assert header[15:20] == list(HISTOGRAM_LABELS)
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    stats = report.indicators[0]
    assert row["Kode"] == "i1"
    assert isinstance(row["Porsi hilang"], float)
    assert row["Porsi hilang"] == pytest.approx(stats.missing_share)
    assert row["Rata-rata"] == pytest.approx(stats.mean)
    assert row["Dijawab"] == stats.answered

    correlation = book["Korelasi"]
    codes = [c.value for c in correlation[1][1:4]]
    assert codes == ["i1", "i2", "i3"]
    for i, line in enumerate(correlation.iter_rows(min_row=2, max_row=4, min_col=2, max_col=4)):
        for j, cell in enumerate(line):
            assert cell.value == (
                pytest.approx(report.correlation.r[i][j])
                if report.correlation.r[i][j] is not None
                else None
            )

    consistency = book["Konsistensi"]
    assert [c.value for c in consistency[1]][:5] == [
        "Kode",
        "Dimensi",
        "Jumlah indikator",
        "Kasus lengkap",
        "Alfa Cronbach",
    ]
    assert consistency["A2"].value == "D1" and consistency["C2"].value == 2

    sensitivity = book["Sensitivitas"]
    header = [c.value for c in sensitivity[1]]
    assert header[:4] == ["Kode ormas", "Nama ormas", "Indeks", "Peringkat"]
    first = report.sensitivity.ormas[0]
    assert sensitivity["A2"].value == first.key
    assert sensitivity["C2"].value == pytest.approx(first.index)
    assert sensitivity["D2"].value == first.rank
    # A name that looks like a formula stays text.
    cells = {c.value: c for c in sensitivity["B"]}
    assert cells["=SUM(A1:A9)"].data_type == "s"
    # Characters a worksheet cannot hold are dropped, the rest of the name kept.
    assert 'Paguyuban <Seni> & "Budaya"' in cells
    last = sensitivity.max_row
    assert sensitivity.cell(last, 1).value == "c" and sensitivity.cell(last, 4).value is None

    summary = book["Skenario"]
    values = {row[0].value: row[1].value for row in summary.iter_rows(max_row=6)}
    assert values["Benih acak"] == 20250729 and values["Metode persentil"] == "linear"


# --- charts ------------------------------------------------------------------------------------


def assert_safe_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") and root.get("width") == "100%"
    assert "<script" not in svg.lower()
    assert "style=" not in svg.lower()
    assert "<style" not in svg.lower()
    assert svg.count("http") == 1 and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "href" not in svg
    return root


def test_rank_interval_svg_is_safe_and_ordered() -> None:
    report = small_report()
    svg = rank_interval_svg(report)
    root = assert_safe_svg(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for legend in ("Peringkat dasar", "Median", "Rentang 5–95%"):
        assert legend in texts
    ranked = [r for r in report.sensitivity.ormas if r.rank is not None]
    # One group per ranked ormas, each with its interval, median dot and baseline diamond.
    groups = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    assert len(groups) == len(ranked)
    for group in groups:
        assert len(group.findall(f"{SVG}line")) == 1
        assert len(group.findall(f"{SVG}circle")) == 1
        assert len(group.findall(f"{SVG}path")) == 1
    labels = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert [t.text.split(". ", 1)[0] for t in labels] == [str(r.rank) for r in ranked]
    ys = [float(t.get("y")) for t in labels]
    assert ys == sorted(ys)
    # Names come back intact (escaped, not dropped), minus characters XML cannot hold.
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert any(t.startswith('Paguyuban <Seni> & "Budaya":') for t in titles)


def test_rank_interval_svg_limit() -> None:
    report = analyse(random_matrix(30, seed=1), runs=20)
    root = assert_safe_svg(rank_interval_svg(report, limit=5))
    labels = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert len(labels) == 5
    assert labels[0].text.startswith("1. ")


def test_histogram_svg() -> None:
    report = small_report()
    stats = report.indicators[0]
    root = assert_safe_svg(histogram_svg(stats.histogram, HISTOGRAM_LABELS))
    bars = root.findall(f".//{SVG}g/{SVG}rect")
    assert len(bars) == 5
    heights = [float(b.get("height")) for b in bars]
    tallest = max(range(5), key=lambda i: stats.histogram[i])
    assert heights[tallest] == max(heights)
    assert all(h == 0 for h, c in zip(heights, stats.histogram, strict=True) if c == 0)
    assert_safe_svg(histogram_svg([0, 0, 0], ["<a>", "b&", '"c"']))
    with pytest.raises(ValueError):
        histogram_svg([1, 2], ["satu"])


# --- helpers -----------------------------------------------------------------------------------


def random_matrix(ormas: int, *, seed: int) -> ScoreMatrix:
    """A period shaped like a real one: rubric levels, some N/A and some unanswered."""
    rng = np.random.default_rng(seed)
    dimensions = {
        f"D{d}": (
            float(rng.integers(1, 5)),
            {f"I{d}{i}": float(rng.integers(1, 4)) for i in range(3)},
        )
        for d in range(3)
    }
    codes = [code for _w, indicators in dimensions.values() for code in indicators]
    rows = {}
    for n in range(ormas):
        row = {}
        for code in codes:
            draw = rng.random()
            row[code] = None if draw < 0.05 else U if draw < 0.1 else float(rng.integers(0, 5) * 25)
        rows[f"o{n}"] = row
    return build(dimensions, rows)
