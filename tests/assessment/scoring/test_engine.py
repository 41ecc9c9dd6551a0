"""Worked examples, each computed by hand in the comments.

The test instrument UJI has two dimensions:

    A (weight 60): A1 level 1..4 (w 2) · A2 yesno (w 1) · A3 ratio cap 0.5 (w 1, N/A allowed)
    B (weight 40): B1 banded [0, 10, 20] (w 1, N/A allowed) · B2 level 0/5/10 (w 3, N/A allowed)

and the default predicates A >= 85, B >= 70, C >= 55, D >= 0.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from sipko.assessment.scoring import (
    Answer,
    AnswerError,
    Instrument,
    InstrumentError,
    Result,
    instrument_to_dict,
    parse_answer,
    score,
)

from .helpers import answers, indicator, instrument

UJI = instrument(
    {
        "code": "A",
        "name": "Dimensi A",
        "weight": 60,
        "indicators": [
            indicator(
                "A1", "level", 2, levels=[{"value": v, "label": str(v)} for v in (1, 2, 3, 4)]
            ),
            indicator("A2", "yesno", 1),
            indicator("A3", "ratio", 1, cap=0.5, allow_na=True),
        ],
    },
    {
        "code": "B",
        "name": "Dimensi B",
        "weight": 40,
        "indicators": [
            indicator("B1", "banded", 1, thresholds=[0, 10, 20], allow_na=True),
            indicator(
                "B2",
                "level",
                3,
                levels=[{"value": v, "label": str(v)} for v in (0, 5, 10)],
                allow_na=True,
            ),
        ],
    },
)
FULL = {"A1": "3", "A2": "ya", "A3": "0.4", "B1": "15", "B2": "10"}


def run(instrument: Instrument = UJI, **raw: str) -> Result:
    return score(instrument, answers(instrument, **raw))


def test_all_answered() -> None:
    # A1 = 3 -> (3-1)/(4-1)*100 = 200/3;  A2 = ya -> 100;  A3 = 0.4 -> 0.4/0.5*100 = 80
    # A = (2*200/3 + 1*100 + 1*80) / 4 = (400/3 + 180) / 4 = 235/3 = 78.333... -> 78.33
    # B1 = 15 -> level 2 of 3 -> 50;  B2 = 10 -> 100
    # B = (1*50 + 3*100) / 4 = 87.5 -> 87.50
    # index = (60*235/3 + 40*87.5) / 100 = 47 + 35 = 82 -> 82.00, band B (>= 70)
    result = run(**FULL)
    assert result.dimension("A").score == Fraction(235, 3)
    assert result.dimension("A").shown == Decimal("78.33")
    assert result.dimension("B").score == Fraction(175, 2)
    assert result.dimension("B").shown == Decimal("87.50")
    assert result.index == 82
    assert result.index_shown == Decimal("82.00")
    assert result.predicate is not None and result.predicate.code == "B"
    assert (result.instrument_code, result.instrument_version, result.decimals) == ("UJI", "1", 2)

    # Trace: A1 holds 2/4 of A, and A holds 60/100 of the index -> 0.3 of the index;
    # it contributes 0.3 * 200/3 = 20 index points.
    a1 = result.line("A1")
    assert (a1.status, a1.raw, a1.normalised) == ("answered", "3", Fraction(200, 3))
    assert a1.weight == Decimal(2)
    assert a1.weight_in_dimension == Fraction(1, 2)
    assert a1.weight_in_index == Fraction(3, 10)
    assert a1.contribution == 20
    assert [line.indicator for line in result.lines] == ["A1", "A2", "A3", "B1", "B2"]
    assert sum(line.contribution for line in result.lines) == result.index


def test_not_applicable_is_left_out_and_the_rest_reweighted() -> None:
    # A3 = NA: A = (2*200/3 + 1*100) / (2 + 1) = 700/9 = 77.777... -> 77.78
    # B as before = 87.5;  index = 0.6*700/9 + 0.4*87.5 = 140/3 + 35 = 245/3 = 81.666... -> 81.67
    result = run(**{**FULL, "A3": "NA"})
    assert result.dimension("A").score == Fraction(700, 9)
    assert result.dimension("A").shown == Decimal("77.78")
    assert result.index == Fraction(245, 3)
    assert result.index_shown == Decimal("81.67")
    a3 = result.line("A3")
    assert (a3.status, a3.raw, a3.normalised) == ("na", "NA", None)
    assert (a3.weight_in_dimension, a3.weight_in_index, a3.contribution) == (0, 0, 0)
    assert result.line("A1").weight_in_dimension == Fraction(2, 3)
    assert result.line("A2").weight_in_dimension == Fraction(1, 3)


def test_unanswered_scores_zero_and_still_counts() -> None:
    # A2 missing: A = (2*200/3 + 1*0 + 1*80) / 4 = (640/3) / 4 = 160/3 = 53.333... -> 53.33
    # index = 0.6*160/3 + 0.4*87.5 = 32 + 35 = 67 -> 67.00, band C (>= 55)
    raw = {code: text for code, text in FULL.items() if code != "A2"}
    result = run(**raw)
    assert result.dimension("A").shown == Decimal("53.33")
    assert result.index_shown == Decimal("67.00")
    assert result.predicate is not None and result.predicate.code == "C"
    a2 = result.line("A2")
    assert (a2.status, a2.raw, a2.normalised, a2.weight_in_dimension) == (
        "unanswered",
        "",
        0,
        Fraction(1, 4),
    )
    # A blank answer (parse_answer returns None) is the same as a missing one.
    assert run(**{**FULL, "A2": "  "}) == result


@pytest.mark.parametrize(
    ("ratio", "normalised"),
    [("1/4", 50), ("0.5", 100), ("3/4", 100), ("12", 100)],  # cap 0.5: at or above it is 100
)
def test_ratio_is_capped(ratio: str, normalised: int) -> None:
    assert run(**{**FULL, "A3": ratio}).line("A3").normalised == normalised


@pytest.mark.parametrize(
    ("number", "normalised"),
    [("0", 0), ("9.99", 0), ("10", 50), ("19,99", 50), ("20", 100), ("1000", 100)],
)
def test_banded_edges_are_inclusive_lower_bounds(number: str, normalised: int) -> None:
    assert run(**{**FULL, "B1": number}).line("B1").normalised == normalised


def test_dimension_all_not_applicable_leaves_the_index() -> None:
    # B1 = B2 = NA: B has no applicable indicator, so the index is A alone: 235/3 -> 78.33 (B)
    result = run(**{**FULL, "B1": "NA", "B2": "NA"})
    assert result.dimension("B").score is None
    assert result.dimension("B").shown is None
    assert result.dimension("B").weight_in_index == 0
    assert result.dimension("A").weight_in_index == 1
    assert result.index == Fraction(235, 3)
    assert result.index_shown == Decimal("78.33")
    assert result.to_dict()["dimensions"][1]["score"] is None


def test_no_applicable_indicator_at_all_gives_no_index() -> None:
    only_optional = instrument(
        {
            "code": "X",
            "name": "X",
            "weight": 1,
            "indicators": [indicator("X1", "yesno", allow_na=True)],
        }
    )
    result = run(only_optional, X1="NA")
    assert (result.index, result.index_shown, result.predicate) == (None, None, None)
    assert result.dimension("X").score is None
    data = result.to_dict()
    assert (data["index"], data["index_exact"], data["predicate"]) == (None, None, None)


def test_nothing_answered_gives_zero_not_none() -> None:
    result = score(UJI, {})
    assert result.index == 0
    assert result.index_shown == Decimal("0.00")
    assert result.predicate is not None and result.predicate.code == "D"


def _one_ratio(decimals: int = 2) -> Instrument:
    return instrument(
        {"code": "R", "name": "R", "weight": 1, "indicators": [indicator("R1", "ratio")]},
        decimals=decimals,
    )


def test_predicate_comes_from_the_rounded_index() -> None:
    # R1 = 0.84995 -> index exactly 84.995, shown 85.00 -> A (although 84.995 < 85)
    result = run(_one_ratio(), R1="0.84995")
    assert result.index == Fraction(16999, 200)
    assert result.index_shown == Decimal("85.00")
    assert result.predicate is not None and result.predicate.code == "A"
    data = result.to_dict()
    assert (data["index"], data["index_exact"]) == ("85.00", "84.995000000000")
    # 84.9949 is shown 84.99 -> B
    result = run(_one_ratio(), R1="0.849949")
    assert result.index_shown == Decimal("84.99")
    assert result.predicate is not None and result.predicate.code == "B"


def test_decimals_of_the_instrument_are_used() -> None:
    # 0 decimals: 84.5 is shown 85 -> A; 3 decimals: 2/3 of 100 is shown 66.667
    result = run(_one_ratio(decimals=0), R1="0.845")
    assert (str(result.index_shown), result.predicate and result.predicate.code) == ("85", "A")
    assert str(run(_one_ratio(decimals=3), R1="2/3").index_shown) == "66.667"


@pytest.mark.parametrize(
    ("achievement", "shown", "band"),
    [
        # index = 0.4*RNC + 0.6*CPN; RNC1 = 3 of 0..3 -> 100; CPN2 = ya -> 100
        # CPN = (3*100*r + 1*100) / 4 = 75r + 25, so index = 40 + 0.6*(75r + 25) = 55 + 45r
        ("7/9", "90.00", "A"),  # 55 + 45*7/9 = 90 exactly: "AA > 90" excludes it
        ("0.778", "90.01", "AA"),  # 55 + 45*0.778 = 90.01
        ("5834/7500", "90.00", "A"),  # 90.004: shown 90.00, still A
        ("5/9", "80.00", "BB"),  # 55 + 25 = 80: not above 80
        ("0", "55.00", "CC"),
    ],
)
def test_sakip_bands_with_exclusive_bounds(
    sakip_instrument: Instrument, achievement: str, shown: str, band: str
) -> None:
    result = run(sakip_instrument, RNC1="3", CPN1=achievement, CPN2="ya")
    assert str(result.index_shown) == shown
    assert result.predicate is not None and result.predicate.code == band


def test_sakip_lowest_band_catches_zero(sakip_instrument: Instrument) -> None:
    result = score(sakip_instrument, {})
    assert result.predicate is not None and result.predicate.code == "D"


def test_invalid_answers_are_refused_with_the_indicator_code() -> None:
    with pytest.raises(AnswerError, match=r"^A1: Indikator ini tidak boleh dijawab NA"):
        score(UJI, {"A1": Answer(raw="NA", na=True)})
    with pytest.raises(AnswerError, match="tidak ada di instrumen UJI: C9, Z1"):
        score(UJI, {"Z1": None, "C9": None})


def test_to_dict_is_json_with_documented_precision() -> None:
    data = run(**FULL).to_dict()
    json.dumps(data)
    assert data["instrument"] == {"code": "UJI", "version": "1"}
    assert data["decimals"] == 2
    assert data["index"] == "82.00"
    assert data["index_exact"] == "82.000000000000"
    assert data["predicate"] == {"code": "B", "label": "Baik"}
    assert data["dimensions"][0] == {
        "code": "A",
        "name": "Dimensi A",
        "weight": "60",
        "score": "78.33",
        "weight_in_index": "0.600000",
    }
    assert data["lines"][0] == {
        "dimension": "A",
        "indicator": "A1",
        "name": "Indikator A1",
        "status": "answered",
        "raw": "3",
        "normalised": "66.6667",  # decimals + 2
        "weight": "2",
        "weight_in_dimension": "0.500000",  # decimals + 4
        "weight_in_index": "0.300000",
        "contribution": "20.0000",  # decimals + 2
    }


def test_weakest_lines_rank_by_index_points_lost() -> None:
    # Points lost = weight_in_index * (100 - normalised):
    # A1 0.3*(100 - 66.67) = 10, A2 0.15*0 = 0, A3 0.15*20 = 3, B1 0.1*50 = 5, B2 0.3*0 = 0
    result = run(**FULL)
    assert [line.indicator for line in result.weakest(2)] == ["A1", "B1"]
    assert [line.indicator for line in result.weakest(10)] == ["A1", "B1", "A3"]
    assert result.line("A1").shortfall == 10


def test_same_inputs_same_result() -> None:
    assert run(**FULL) == run(**FULL)


def test_parse_then_score_uses_canonical_raw_in_trace() -> None:
    raw = {**FULL, "A3": " 2 / 5 ", "B1": "15,0"}
    result = run(**raw)
    assert result.line("A3").raw == "2/5"
    assert result.line("B1").raw == "15"
    assert result.index == run(**FULL).index
    assert parse_answer(UJI.indicator("B1"), "15,0") == parse_answer(UJI.indicator("B1"), "15")


# --- coverage and the minimum coverage ----------------------------------------------------------


def _covered(min_coverage: float | None) -> Instrument:
    extra = {} if min_coverage is None else {"min_coverage": min_coverage}
    return instrument(*UJI_DIMENSIONS, **extra)


UJI_DIMENSIONS = (
    {
        "code": "A",
        "name": "Dimensi A",
        "weight": 60,
        "indicators": [
            indicator("A1", "yesno", 2, allow_na=True),
            indicator("A2", "yesno", 1, allow_na=True),
            indicator("A3", "yesno", 1, allow_na=True),
        ],
    },
    {
        "code": "B",
        "name": "Dimensi B",
        "weight": 40,
        "indicators": [indicator("B1", "yesno", 1, allow_na=True)],
    },
)


def test_coverage_is_the_applicable_share_of_the_nominal_weights() -> None:
    # Nominal shares: A1 0.6·2/4 = 0.3, A2 = A3 = 0.6·1/4 = 0.15, B1 0.4.
    everything = score(_covered(None), answers(_covered(None), A1="ya", A2="ya", A3="ya", B1="ya"))
    assert everything.coverage == 1
    partial = score(_covered(None), answers(_covered(None), A1="NA", A2="ya", A3="tidak", B1="NA"))
    assert partial.coverage == Fraction(3, 10)  # 0.15 + 0.15
    # Unanswered is applicable (it scores 0), so it covers its weight.
    assert score(_covered(None), answers(_covered(None))).coverage == 1


def test_below_min_coverage_the_index_is_shown_without_a_predicate() -> None:
    strict = _covered(0.6)
    # One "ya" with everything else N/A: 100.00 on 15 % of the standard — no grade.
    thin = score(strict, answers(strict, A1="NA", A2="ya", A3="NA", B1="NA"))
    assert (thin.index_shown, thin.coverage, thin.sufficient) == (
        Decimal("100.00"),
        Fraction(3, 20),
        False,
    )
    assert thin.predicate is None
    assert thin.to_dict()["predicate"] is None
    assert (thin.to_dict()["coverage"], thin.to_dict()["sufficient"]) == ("0.150000", False)
    # A1 0.3 + B1 0.4 = 0.7 ≥ 0.6; index = 0.6·100 + 0.4·0 = 60 → C.
    enough = score(strict, answers(strict, A1="ya", A2="NA", A3="NA", B1="tidak"))
    assert (enough.coverage, enough.sufficient, enough.index, enough.predicate.code) == (
        Fraction(7, 10),
        True,
        60,
        "C",
    )
    # Exactly at the minimum is enough.
    at_edge = _covered(0.7)
    edge = score(at_edge, answers(at_edge, A1="ya", A2="NA", A3="NA", B1="ya"))
    assert (edge.coverage, edge.sufficient, edge.predicate.code) == (Fraction(7, 10), True, "A")


def test_an_instrument_without_min_coverage_grades_any_index() -> None:
    loose = _covered(None)
    thin = score(loose, answers(loose, A1="NA", A2="ya", A3="NA", B1="NA"))
    assert (thin.sufficient, thin.predicate.code) == (True, "A")
    assert "min_coverage" not in instrument_to_dict(loose)  # the old definitions stay as they were


@pytest.mark.parametrize("value", [0, -0.1, 1.5, "banyak", True])
def test_min_coverage_must_be_a_share(value: object) -> None:
    with pytest.raises(InstrumentError) as caught:
        _covered(value)  # type: ignore[arg-type]
    assert [problem.path for problem in caught.value.problems] == ["min_coverage"]


def test_a_system_indicator_may_be_not_applicable_whatever_allow_na_says() -> None:
    system = instrument(
        {
            "code": "S",
            "name": "Sistem",
            "weight": 1,
            "indicators": [
                {**indicator("S1", "ratio", 1), "source": "system", "system": "youth_share"},
                indicator("S2", "yesno", 1),
            ],
        }
    )
    result = score(system, answers(system, S1="NA", S2="ya"))
    assert (result.line("S1").status, result.index) == ("na", 100)
    with pytest.raises(AnswerError):  # a person still may not answer N/A where not allowed
        parse_answer(system.indicator("S2"), "NA")
