"""Verification statistics, the uncertainty scenarios, predicate stability and the Monte-Carlo
error of the rank percentiles (pure: no database).

Every expected number is worked out by hand in the test, never copied from the code's output.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from openpyxl import load_workbook

from sipko.assessment.methodology import (
    BLANK_RATING,
    GEOMETRIC_OFFSET,
    NOT_APPLICABLE_RATING,
    SCENARIO_RANDOM_WEIGHTS,
    SCENARIO_THRESHOLDS_DOWN,
    SCENARIO_THRESHOLDS_UP,
    SCENARIO_UNANSWERED_NA,
    THRESHOLD_SHIFT,
    DimensionSpec,
    IndicatorSpec,
    Official,
    Rating,
    ReviewedAnswer,
    ScoreMatrix,
    analyse,
    percentile_standard_error,
    report_to_xlsx,
    sensitivity_csv,
    weighted_kappa,
)
from sipko.assessment.scoring import Predicate


@pytest.fixture(autouse=True)
def _regions() -> None:
    """Overrides the shared fixture: these tests need no database."""


U = "unanswered"
DEFAULT_BANDS = (
    Predicate("A", "Sangat Baik", min=Decimal(85)),
    Predicate("B", "Baik", min=Decimal(70)),
    Predicate("C", "Cukup", min=Decimal(55)),
    Predicate("D", "Kurang", min=Decimal(0)),
)


def build(dimensions, rows, **extra) -> ScoreMatrix:
    """`dimensions`: code → (weight, {indicator: weight}); `rows`: ormas → indicator → score,
    None for N/A, `U` for unanswered."""
    return ScoreMatrix(
        dimensions=tuple(
            DimensionSpec(
                code,
                code,
                weight,
                tuple(IndicatorSpec(i, i, w) for i, w in indicators.items()),
            )
            for code, (weight, indicators) in dimensions.items()
        ),
        ormas=tuple((key, key) for key in rows),
        scores={key: {c: 0 if v == U else v for c, v in row.items()} for key, row in rows.items()},
        unanswered={
            key: frozenset(c for c, v in row.items() if v == U) for key, row in rows.items()
        },
        **extra,
    )


def rows_of(report):
    return {row.key: row for row in report.sensitivity.ormas}


def summary(report, code):
    return next(s for s in report.sensitivity.scenarios if s.code == code)


def level(score: int | Fraction) -> Rating:
    return Rating(score=Fraction(score), value=Fraction(score))


# --- weighted κ --------------------------------------------------------------------------------

# Two raters, 40 answers on a three-level rubric (categories 0, 1, 2 = scores 0, 50, 100).
TABLE = [
    [10, 4, 1],
    [3, 8, 4],
    [1, 2, 7],
]


def test_weighted_kappa_matches_the_textbook_formula_on_a_3x3_table() -> None:
    # By hand, linear agreement weights w_ij = 1 − |i − j| / (k − 1) with k = 3:
    #   n = 40; row totals 15, 15, 10; column totals 14, 14, 12
    #   p_o = [(10 + 8 + 7)·1 + (4 + 3 + 4 + 2)·0.5 + (1 + 1)·0] / 40 = 31.5 / 40 = 0.7875
    #   p_e = [(15·14 + 15·14 + 10·12)·1 + (15·14 + 15·14 + 15·12 + 10·14)·0.5] / 40²
    #       = (540 + 370) / 1600 = 0.56875
    #   κ_w = (p_o − p_e) / (1 − p_e) = 0.21875 / 0.43125 = 35/69
    expected = (0.7875 - 0.56875) / (1 - 0.56875)
    assert expected == pytest.approx(35 / 69)
    first = [
        50 * i for i, row in enumerate(TABLE) for j, count in enumerate(row) for _ in range(count)
    ]
    second = [
        50 * j for i, row in enumerate(TABLE) for j, count in enumerate(row) for _ in range(count)
    ]

    assert weighted_kappa(first, second) == pytest.approx(35 / 69)
    assert weighted_kappa(second, first) == pytest.approx(35 / 69)  # symmetric


def test_weighted_kappa_edges() -> None:
    assert weighted_kappa([0, 50, 100], [0, 50, 100]) == pytest.approx(1.0)
    assert weighted_kappa([0, 100], [100, 0]) == pytest.approx(-1.0)  # 1 − 2/1, see below
    assert weighted_kappa([50], [50]) is None  # n < 2
    assert weighted_kappa([50, 50, 50], [50, 50, 50]) is None  # nobody varies: D_e = 0
    assert weighted_kappa([], []) is None


def verification_matrix(reviews) -> ScoreMatrix:
    matrix = build({"D": (1, {"LV": 1, "AS": 1})}, {"o1": {"LV": 50, "AS": 50}})
    return dataclasses.replace(matrix, reviews=tuple(reviews))


def test_verification_counts_changes_and_differences_per_indicator() -> None:
    reviews = [
        # LV (level 1..5: 0, 25, 50, 75, 100)
        ReviewedAnswer("LV", own=level(50), first=level(50)),  # kept, difference 0
        ReviewedAnswer("LV", own=level(75), first=level(25)),  # changed, +50
        ReviewedAnswer("LV", own=NOT_APPLICABLE_RATING, first=level(25)),  # changed, no difference
        ReviewedAnswer("LV", own=level(100), first=BLANK_RATING),  # changed, +100 (blank = 0)
        ReviewedAnswer("LV", own=level(25), first=None),  # not verified yet: not counted
        ReviewedAnswer("AS", own=None, first=level(50)),  # the assessor's own indicator
    ]
    report = analyse(verification_matrix(reviews), runs=2)
    lv, as_ = report.verification.indicators

    assert (lv.self_verified, lv.changed, lv.changed_share) == (4, 3, 0.75)
    assert lv.compared == 3 and lv.mean_difference == pytest.approx((0 + 50 + 100) / 3)
    assert (as_.self_verified, as_.changed_share, as_.mean_difference) == (0, None, None)
    total = report.verification.total
    assert (total.self_verified, total.changed, total.compared) == (4, 3, 3)


def test_kappa_per_indicator_and_pooled() -> None:
    category = [0, 50, 100]
    reviews = [
        ReviewedAnswer("LV", own=None, first=level(category[i]), second=level(category[j]))
        for i, row in enumerate(TABLE)
        for j, count in enumerate(row)
        for _ in range(count)
    ]
    report = analyse(verification_matrix(reviews), runs=2)
    lv = report.verification.indicators[0]
    assert lv.pairs == 40
    assert lv.agreement == pytest.approx(25 / 40)
    assert lv.kappa == pytest.approx(35 / 69)

    # Pooled over indicators, chance disagreement taken within each indicator:
    #   LV pairs (0, 0), (100, 100): n·D_o = 0, n·D_e = (0 + 1 + 1 + 0) / 2 = 1 → κ = 1
    #   AS pairs (0, 100), (100, 0): n·D_o = 2, n·D_e = (1 + 0 + 0 + 1) / 2 = 1 → κ = −1
    #   pooled κ = 1 − (0 + 2) / (1 + 1) = 0
    reviews = [
        ReviewedAnswer("LV", None, level(0), level(0)),
        ReviewedAnswer("LV", None, level(100), level(100)),
        ReviewedAnswer("AS", None, level(0), level(100)),
        ReviewedAnswer("AS", None, level(100), level(0)),
        # Not pairs: N/A, a blank value, or no second assessor.
        ReviewedAnswer("AS", None, NOT_APPLICABLE_RATING, level(0)),
        ReviewedAnswer("AS", None, BLANK_RATING, level(0)),
        ReviewedAnswer("AS", None, level(0), None),
    ]
    report = analyse(verification_matrix(reviews), runs=2)
    lv, as_ = report.verification.indicators
    assert (lv.kappa, as_.kappa) == (pytest.approx(1.0), pytest.approx(-1.0))
    assert (lv.pairs, as_.pairs) == (2, 2)
    total = report.verification.total
    assert total.kappa == pytest.approx(0.0) and total.pairs == 4
    assert total.agreement == pytest.approx(2 / 4)


def test_a_review_of_an_unknown_indicator_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown indicator"):
        analyse(verification_matrix([ReviewedAnswer("ZZ", None, level(0))]), runs=2)


# --- scenarios ---------------------------------------------------------------------------------


def test_unanswered_as_na_reweights_the_unanswered_indicator_away() -> None:
    # a: (80 + 0) / 2 = 40 → D; as N/A only A counts: 80 → B.   b: 60 → C.   c: 10 → D.
    matrix = build(
        {"D": (1, {"A": 1, "B": 1})},
        {"a": {"A": 80, "B": U}, "b": {"A": 60, "B": 60}, "c": {"A": 10, "B": 10}},
        predicates=(
            Predicate("B", "Baik", min=Decimal(70)),
            Predicate("C", "Cukup", min=Decimal(50)),
            Predicate("D", "Kurang", min=Decimal(0)),
        ),
    )
    report = analyse(matrix, runs=20)
    rows = rows_of(report)
    assert rows["a"].index_unanswered_na == pytest.approx(80)
    assert rows["a"].index_unanswered_na - rows["a"].index == pytest.approx(40)
    assert rows["b"].index_unanswered_na == pytest.approx(60)
    # Baseline ranks b 1, a 2, c 3; N/A ranks a 1, b 2, c 3.
    assert [rows[k].rank for k in "abc"] == [2, 1, 3]
    assert [rows[k].rank_unanswered_na for k in "abc"] == [1, 2, 3]
    na = summary(report, SCENARIO_UNANSWERED_NA)
    assert na.mean_abs_rank_shift == pytest.approx(2 / 3)
    # ρ = 1 − 6 Σd² / (n (n² − 1)) = 1 − 6·2 / 24 = 0.5
    assert na.spearman == pytest.approx(0.5)
    assert na.predicate_change_share == pytest.approx(1 / 3)  # only a: D → B


def test_unanswered_as_na_can_drop_coverage_below_the_minimum() -> None:
    # x: (100 + 0) / 2 = 50 → B; as N/A 100 → B as well, but only half of the weight applies.
    rows = {"x": {"A": 100, "B": U}, "y": {"A": 90, "B": 90}, "z": {"A": 0, "B": 0}}
    bands = (Predicate("B", "Baik", min=Decimal(40)), Predicate("K", "Kurang", min=Decimal(0)))
    plain = analyse(build({"D": (1, {"A": 1, "B": 1})}, rows, predicates=bands), runs=2)
    strict = analyse(
        build(
            {"D": (1, {"A": 1, "B": 1})},
            rows,
            predicates=bands,
            min_coverage=Decimal("0.75"),
        ),
        runs=2,
    )
    assert summary(plain, SCENARIO_UNANSWERED_NA).predicate_change_share == 0
    assert summary(strict, SCENARIO_UNANSWERED_NA).predicate_change_share == pytest.approx(1 / 3)


def test_geometric_aggregation_by_hand() -> None:
    # W = (1, 3). g: D = (0, 80): arithmetic (0 + 240) / 4 = 60;
    #   geometric (0 + 1)^(1/4) · (80 + 1)^(3/4) − 1 = 27 − 1 = 26.
    # h: D = (50, 50): geometric (51^(1/4) · 51^(3/4)) − 1 = 50.
    assert GEOMETRIC_OFFSET == 1.0
    matrix = build(
        {"P": (1, {"p": 1}), "Q": (3, {"q": 1})},
        {"g": {"p": 0, "q": 80}, "h": {"p": 50, "q": 50}, "k": {"p": None, "q": 30}},
    )
    rows = rows_of(analyse(matrix, runs=2))
    assert rows["g"].index == pytest.approx(60) and rows["g"].index_geometric == pytest.approx(26)
    assert rows["h"].index_geometric == pytest.approx(50)
    assert rows["k"].index_geometric == pytest.approx(30)  # only Q applies
    # Arithmetic: g 60, h 50, k 30; geometric: h 50, k 30, g 26.
    assert (rows["g"].rank, rows["g"].rank_geometric) == (1, 3)
    assert (rows["h"].rank_geometric, rows["k"].rank_geometric) == (1, 2)


def test_thresholds_moved_down_and_up() -> None:
    # Shown 90 A, 86 A, 80 B, 66 C, 52 D. Thresholds −5 (80, 65, 50): A, A, A, B, C → 3 change.
    # Thresholds +5 (90, 75, 60): A, B, B, C, D → 1 changes. The lowest band never moves.
    assert THRESHOLD_SHIFT == 5
    scores = {"v": 90, "w": 86, "x": 80, "y": 66, "z": 52}
    matrix = build(
        {"D": (1, {"A": 1})},
        {key: {"A": s} for key, s in scores.items()},
        predicates=DEFAULT_BANDS,
    )
    report = analyse(matrix, runs=20)
    rows = rows_of(report)
    assert [rows[k].predicate for k in "vwxyz"] == ["A", "A", "B", "C", "D"]
    assert [rows[k].predicate_thresholds_down for k in "vwxyz"] == ["A", "A", "A", "B", "C"]
    assert [rows[k].predicate_thresholds_up for k in "vwxyz"] == ["A", "B", "B", "C", "D"]
    down, up = summary(report, SCENARIO_THRESHOLDS_DOWN), summary(report, SCENARIO_THRESHOLDS_UP)
    assert down.predicate_change_share == pytest.approx(3 / 5)
    assert up.predicate_change_share == pytest.approx(1 / 5)
    assert down.mean_abs_rank_shift == 0 and down.spearman == pytest.approx(1)


# --- exactness and predicate stability ---------------------------------------------------------


def test_an_exact_half_rounds_up_in_the_baseline_and_in_every_run() -> None:
    # 84.995 exactly is shown 85.00, an A; a float holds it as 84.99499999999999.
    matrix = build(
        {"D": (1, {"A": 1})},
        {"edge": {"A": Fraction(84995, 1000)}, "low": {"A": 40}},
        predicates=DEFAULT_BANDS,
    )
    report = analyse(matrix, runs=50)
    edge = rows_of(report)["edge"]
    assert edge.index_shown == Decimal("85.00") and edge.predicate == "A"
    # One indicator: no weighting can change anything, so the predicate holds in every run.
    assert edge.predicate_stability == 1.0
    assert rows_of(report)["low"].predicate_stability == 1.0
    assert summary(report, SCENARIO_RANDOM_WEIGHTS).predicate_change_share == 0


def test_the_official_index_decides_the_baseline_and_exact_ties() -> None:
    # Two ormas with the same exact index (50) reached by different scores; floats could differ.
    third = Fraction(100, 3)
    matrix = build(
        {"D": (1, {"A": 1, "B": 1})},
        {"p": {"A": third, "B": 2 * third}, "q": {"A": 50, "B": 50}, "r": {"A": 0, "B": 10}},
        official={
            "p": Official(Fraction(50), "C"),
            "q": Official(Fraction(50), "C"),
            "r": Official(Fraction(5), "D"),
        },
        predicates=(
            Predicate("C", "Cukup", min=Decimal(40)),
            Predicate("D", "Kurang", min=Decimal(0)),
        ),
    )
    rows = rows_of(analyse(matrix, runs=10))
    assert (rows["p"].rank, rows["q"].rank, rows["r"].rank) == (1, 1, 3)
    assert rows["p"].index_exact == Fraction(50) and rows["p"].index_shown == Decimal("50.00")


def test_an_official_index_that_does_not_follow_from_the_scores_is_refused() -> None:
    matrix = build(
        {"D": (1, {"A": 1})},
        {"p": {"A": 50}},
        official={"p": Official(Fraction(51), None)},
    )
    with pytest.raises(ValueError, match="official index"):
        analyse(matrix, runs=2)


def test_insufficient_coverage_has_no_predicate_and_no_stability() -> None:
    # Coverage of s: 1/4 of the weight applies (B, C, D are N/A) < 0.5: no predicate.
    matrix = build(
        {"D": (1, {"A": 1, "B": 1, "C": 1, "D": 1})},
        {
            "s": {"A": 100, "B": None, "C": None, "D": None},
            "t": {"A": 80, "B": 80, "C": 80, "D": 80},
        },
        predicates=DEFAULT_BANDS,
        min_coverage=Decimal("0.5"),
    )
    report = analyse(matrix, runs=30)
    rows = rows_of(report)
    assert rows["s"].predicate is None and rows["s"].predicate_stability is None
    assert rows["s"].predicate_thresholds_down is None
    assert rows["t"].predicate == "B" and rows["t"].predicate_stability == 1.0
    assert report.sensitivity.with_predicate == 1


def test_an_ormas_on_a_threshold_keeps_its_predicate_only_in_some_runs() -> None:
    # D1 = 100, D2 = 40, equal weights: 70.00 exactly, a B; any run giving D2 more weight than
    # D1 makes it a C, and the factors favour either side about equally often.
    matrix = build(
        {"D1": (1, {"a": 1}), "D2": (1, {"b": 1})},
        {"edge": {"a": 100, "b": 40}, "top": {"a": 100, "b": 100}},
        predicates=DEFAULT_BANDS,
    )
    runs = 400
    rows = rows_of(analyse(matrix, runs=runs))
    stability = rows["edge"].predicate_stability
    assert 0.3 < stability < 0.7
    assert (stability * runs) == pytest.approx(round(stability * runs))  # a share of the runs
    assert rows["top"].predicate_stability == 1.0


# --- Monte-Carlo error of the percentiles ------------------------------------------------------


def test_percentile_standard_error_by_the_order_statistic_rule() -> None:
    ordered = np.arange(1, 101, dtype=float)[:, None]  # N = 100 runs, ranks 1..100
    # p = 0.05: √(100·0.05·0.95) = 2.18; L = ⌊5 − 2.18⌋ = 2, U = ⌈5 + 2.18⌉ = 8 → (8 − 2)/2 = 3
    assert percentile_standard_error(ordered, 0.05)[0] == 3
    # p = 0.5: √25 = 5; L = 45, U = 55 → 5
    assert percentile_standard_error(ordered, 0.5)[0] == 5
    # p = 0.95: L = ⌊95 − 2.18⌋ = 92, U = ⌈97.18⌉ = 98 → 3
    assert percentile_standard_error(ordered, 0.95)[0] == 3


def test_standard_errors_need_enough_runs() -> None:
    matrix = build(
        {"D1": (1, {"a": 1}), "D2": (2, {"b": 1})},
        {f"o{n}": {"a": (n * 37) % 101, "b": (n * 53) % 101} for n in range(12)},
    )
    few = analyse(matrix, runs=10).sensitivity
    assert few.percentile_errors == () and few.ormas[0].median_rank_se is None
    many = analyse(matrix, runs=200).sensitivity
    assert [e.percentile for e in many.percentile_errors] == [5, 50, 95]
    for error in many.percentile_errors:
        assert 0 <= error.mean <= error.maximum
    assert all(row.median_rank_se is not None for row in many.ormas)


# --- exports -----------------------------------------------------------------------------------


def test_exports_carry_the_new_columns_and_sheets() -> None:
    matrix = build(
        {"D": (1, {"A": 1, "B": 1})},
        {
            "=x": {"A": Fraction(84995, 1000), "B": Fraction(84995, 1000)},
            "y": {"A": 40, "B": U},
            "z": {"A": 100, "B": 60},
        },
        predicates=DEFAULT_BANDS,
        reviews=(ReviewedAnswer("A", level(100), level(50), level(50)),),
    )
    report = analyse(matrix, runs=30)

    lines = {line["ormas"]: line for line in csv.DictReader(io.StringIO(sensitivity_csv(report)))}
    assert set(lines) == {"'=x", "y", "z"}  # never a formula
    x = lines["'=x"]
    assert x["indeks"] == "84.995000" and x["indeks_tampil"] == "85.00" and x["predikat"] == "A"
    assert x["stabilitas_predikat"] == "1.0000"
    assert lines["y"]["peringkat_tidak_dijawab_na"] == "3"  # 40 as N/A, below 84.995 and 80
    assert lines["y"]["predikat_ambang_turun"] == "D" and lines["z"]["predikat_ambang_turun"] == "A"

    book = load_workbook(io.BytesIO(report_to_xlsx(report)))
    assert book.sheetnames == [
        "Indikator",
        "Korelasi",
        "Konsistensi",
        "Sensitivitas",
        "Skenario",
        "Verifikasi",
    ]
    sheet = book["Sensitivitas"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["Kode ormas"] == "=x" and sheet["A2"].data_type == "s"
    assert first["Indeks tampil"] == pytest.approx(85.0) and first["Predikat"] == "A"
    assert first["Stabilitas predikat"] == 1.0
    verification = book["Verifikasi"]
    header = [c.value for c in verification[1]]
    row = dict(zip(header, [c.value for c in verification[2]], strict=True))
    assert row["Kode"] == "A" and row["Diubah penilai"] == 1
    assert row["Rata-rata selisih (jawaban ormas − verifikasi)"] == pytest.approx(50)
    scenarios = [r[0].value for r in book["Skenario"].iter_rows()]
    assert "Porsi ormas berganti predikat" in [c.value for r in book["Skenario"] for c in r]
    assert any(str(v).startswith("Ambang predikat") for v in scenarios if v)
