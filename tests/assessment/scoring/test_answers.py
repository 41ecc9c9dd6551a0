"""parse_answer: the text people type, per indicator type, and the messages they get back."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sipko.assessment.scoring import Answer, AnswerError, normalised_score, parse_answer

from .helpers import indicator, instrument

UJI = instrument(
    {
        "code": "D",
        "name": "Dimensi",
        "weight": 1,
        "indicators": [
            indicator(
                "LVL",
                "level",
                levels=[{"value": v, "label": f"Level {v}"} for v in (1, 2, 3, 4)],
            ),
            indicator("YN", "yesno"),
            indicator("RAT", "ratio", cap=0.5, allow_na=True),
            indicator("BAN", "banded", thresholds=[0, 10, 20]),
            indicator(
                "FRAC",
                "level",
                levels=[
                    {"value": 0.5, "label": "Setengah"},
                    {"value": 1.5, "label": "Satu setengah"},
                ],
            ),
        ],
    }
)


def parse(code: str, raw: str) -> Answer | None:
    return parse_answer(UJI.indicator(code), raw)


@pytest.mark.parametrize(
    ("code", "raw", "canonical", "value"),
    [
        ("LVL", "3", "3", Fraction(3)),
        ("LVL", " 3.0 ", "3", Fraction(3)),
        ("LVL", "3,0", "3", Fraction(3)),
        ("LVL", "+4", "4", Fraction(4)),
        ("FRAC", "0,5", "0.5", Fraction(1, 2)),
        ("FRAC", ".5", "0.5", Fraction(1, 2)),
        ("YN", "ya", "ya", Fraction(1)),
        ("YN", "YA", "ya", Fraction(1)),
        ("YN", "Yes", "ya", Fraction(1)),
        ("YN", "1", "ya", Fraction(1)),
        ("YN", "Tidak", "tidak", Fraction(0)),
        ("YN", "no", "tidak", Fraction(0)),
        ("YN", "0", "tidak", Fraction(0)),
        ("RAT", "0.75", "0.75", Fraction(3, 4)),
        ("RAT", "0,75", "0.75", Fraction(3, 4)),
        ("RAT", "3/4", "3/4", Fraction(3, 4)),
        ("RAT", " 3 / 4 ", "3/4", Fraction(3, 4)),
        ("RAT", "1,5/2", "1.5/2", Fraction(3, 4)),
        ("RAT", "0/5", "0/5", Fraction(0)),
        ("RAT", "2", "2", Fraction(2)),  # above the cap is a valid ratio; the score is capped
        ("BAN", "12", "12", Fraction(12)),
        ("BAN", "12.5", "12.5", Fraction(25, 2)),
        ("BAN", "12,5", "12.5", Fraction(25, 2)),
        ("BAN", "0", "0", Fraction(0)),
        ("BAN", "1250", "1250", Fraction(1250)),
        ("BAN", "0,250", "0.25", Fraction(1, 4)),  # a leading 0 cannot be a thousands group
        ("BAN", "1234.567", "1234.567", Fraction(1234567, 1000)),  # nor can 4 digits
    ],
)
def test_accepted_answers(code: str, raw: str, canonical: str, value: Fraction) -> None:
    assert parse(code, raw) == Answer(raw=canonical, na=False, value=value)


@pytest.mark.parametrize("raw", ["NA", "na", "N/A", " n/a "])
def test_not_applicable_where_allowed(raw: str) -> None:
    assert parse("RAT", raw) == Answer(raw="NA", na=True, value=None)


@pytest.mark.parametrize("raw", ["", "   ", "\t"])
def test_blank_is_unanswered(raw: str) -> None:
    assert parse("LVL", raw) is None


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("LVL", "NA", "tidak boleh dijawab NA"),
        ("LVL", "5", "Level '5' tidak ada di rubrik; pilih salah satu: 1, 2, 3, 4."),
        ("LVL", "2.5", "Level '2.5' tidak ada"),
        ("LVL", "tiga", "'tiga' bukan angka."),
        ("YN", "t", "Jawab 'ya' atau 'tidak', bukan 't'."),
        ("YN", "2", "Jawab 'ya' atau 'tidak'"),
        ("RAT", "-0.5", "tidak boleh negatif"),
        ("RAT", "-1/4", "tidak boleh negatif"),
        ("RAT", "3/0", "Target tidak boleh 0: '3/0'."),
        ("RAT", "1/2/3", "aktual/target"),
        ("RAT", "75%", "Tulis tanpa persen"),
        ("BAN", "-1", "tidak boleh negatif"),
        ("BAN", "1.250.000", "pemisah ribuan"),
        ("BAN", "1.250,5", "pemisah ribuan"),
        ("BAN", "1 250", "pemisah ribuan"),
        ("BAN", "1.250", "'1.250' bisa dibaca 1250 atau 1.25."),
        ("BAN", "2,000", "'2,000' bisa dibaca 2000 atau 2."),
        ("BAN", "12..5", "bukan angka"),
        ("BAN", ",", "bukan angka"),
    ],
)
def test_refused_answers(code: str, raw: str, message: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse(code, raw)
    assert message in caught.value.message


def test_banded_below_first_threshold_is_refused() -> None:
    banded = instrument(
        {
            "code": "D",
            "name": "D",
            "weight": 1,
            "indicators": [indicator("B", "banded", thresholds=[5, 10])],
        }
    ).indicator("B")
    with pytest.raises(AnswerError, match=r"Angka 4.9 di bawah ambang terendah \(5\)"):
        parse_answer(banded, "4,9")
    assert parse_answer(banded, "5") == Answer(raw="5", value=Fraction(5))


def test_normalised_score_holds_hand_built_answers_to_the_same_rules() -> None:
    # The ORM layer builds answers of system indicators itself; they get no special treatment.
    with pytest.raises(AnswerError, match="Level '7'"):
        normalised_score(UJI.indicator("LVL"), Answer(raw="7", value=Fraction(7)))
    with pytest.raises(AnswerError, match="tidak boleh dijawab NA"):
        normalised_score(UJI.indicator("YN"), Answer(raw="NA", na=True))
    with pytest.raises(AnswerError, match="Jawab ya atau tidak"):
        normalised_score(UJI.indicator("YN"), Answer(raw="2", value=Fraction(2)))
    with pytest.raises(AnswerError, match="tanpa nilai"):
        normalised_score(UJI.indicator("RAT"), Answer(raw="?"))


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        # level 1..4: (v - 1) / 3 * 100
        ("LVL", "1", Fraction(0)),
        ("LVL", "2", Fraction(100, 3)),
        ("LVL", "4", Fraction(100)),
        # level 0.5..1.5: min and max are the smallest and largest values
        ("FRAC", "1.5", Fraction(100)),
        ("YN", "ya", Fraction(100)),
        ("YN", "tidak", Fraction(0)),
        # ratio, cap 0.5: min(r, 0.5) / 0.5 * 100
        ("RAT", "0.25", Fraction(50)),
        ("RAT", "1/2", Fraction(100)),
        ("RAT", "3/4", Fraction(100)),
        ("RAT", "0", Fraction(0)),
        # banded [0, 10, 20]: levels 1..3 scored (k - 1) / 2 * 100
        ("BAN", "9.99", Fraction(0)),
        ("BAN", "10", Fraction(50)),
        ("BAN", "19,99", Fraction(50)),
        ("BAN", "20", Fraction(100)),
        ("BAN", "100000", Fraction(100)),
    ],
)
def test_normalised_scores(code: str, raw: str, expected: Fraction) -> None:
    answer = parse(code, raw)
    assert answer is not None
    assert normalised_score(UJI.indicator(code), answer) == expected


def test_not_applicable_has_no_score() -> None:
    answer = parse("RAT", "NA")
    assert answer is not None
    assert normalised_score(UJI.indicator("RAT"), answer) is None
