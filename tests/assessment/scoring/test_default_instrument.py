"""The shipped instrument files: what other code and docs/instrument.md rely on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sipko.assessment.scoring import Instrument, score

from .helpers import answers

# (code, type, weight, source, system) per dimension, as SPEC §3.6 and docs/instrument.md say.
EXPECTED = {
    ("KEL", "Kelembagaan dan Legalitas", 20): [
        ("KEL1", "level", 30, "system", "legal_status"),
        ("KEL2", "yesno", 20, "system", "board_term"),
        ("KEL3", "ratio", 25, "system", "documents_complete"),
        ("KEL4", "level", 25, "self", None),
    ],
    ("SDM", "Sumber Daya", 25): [
        ("SDM1", "banded", 30, "self", None),
        ("SDM2", "banded", 25, "self", None),
        ("SDM3", "level", 25, "self", None),
        ("SDM4", "yesno", 20, "self", None),
    ],
    ("PRG", "Program", 30): [
        ("PRG1", "level", 25, "assessor", None),
        ("PRG2", "ratio", 25, "system", "rpjmd_alignment"),
        ("PRG3", "ratio", 25, "system", "programme_achievement"),
        ("PRG4", "ratio", 25, "system", "reporting_on_time"),
    ],
    ("MNF", "Manfaat", 25): [
        ("MNF1", "banded", 30, "self", None),
        ("MNF2", "ratio", 20, "system", "youth_share"),
        ("MNF3", "banded", 25, "self", None),
        ("MNF4", "level", 25, "assessor", None),
    ],
}
BEST = {
    "KEL1": "4", "KEL2": "ya", "KEL3": "1", "KEL4": "4",
    "SDM1": "30", "SDM2": "3", "SDM3": "4", "SDM4": "ya",
    "PRG1": "4", "PRG2": "1", "PRG3": "1", "PRG4": "1",
    "MNF1": "1000", "MNF2": "0.3", "MNF3": "5", "MNF4": "4",
}  # fmt: skip


def test_identity_and_predicates(default_instrument: Instrument) -> None:
    i = default_instrument
    assert (i.code, i.version, i.name, i.decimals) == (
        "IKO-DEFAULT",
        "2025.1",
        "Indeks Kinerja Ormas",
        2,
    )
    assert [(p.code, p.label, p.min, p.above) for p in i.predicates] == [
        ("A", "Sangat Baik", 85, None),
        ("B", "Baik", 70, None),
        ("C", "Cukup", 55, None),
        ("D", "Kurang", 0, None),
    ]


def test_dimensions_and_indicators(default_instrument: Instrument) -> None:
    actual = {
        (d.code, d.name, d.weight): [
            (ind.code, ind.type, ind.weight, ind.source, ind.system) for ind in d.indicators
        ]
        for d in default_instrument.dimensions
    }
    assert actual == EXPECTED
    assert list(actual) == list(EXPECTED)  # and in this order


def test_rubrics_thresholds_and_caps(default_instrument: Instrument) -> None:
    i = default_instrument
    for code in ("KEL1", "KEL4", "SDM3", "PRG1", "MNF4"):
        assert [level.value for level in i.indicator(code).levels] == [1, 2, 3, 4], code
    assert [lv.label for lv in i.indicator("KEL4").levels] == [
        "Tidak ada",
        "Menumpang",
        "Sewa atau pinjam pakai",
        "Milik sendiri dengan papan nama",
    ]
    assert [lv.label for lv in i.indicator("SDM3").levels] == [
        "Tidak ada",
        "Catatan internal",
        "Dilaporkan ke anggota dan Kesbangpol",
        "Diaudit",
    ]
    assert i.indicator("SDM1").thresholds == (0, 5, 15, 30)
    assert i.indicator("SDM2").thresholds == (0, 1, 2, 3)
    assert i.indicator("MNF1").thresholds == (0, 50, 250, 1000)
    assert i.indicator("MNF3").thresholds == (0, 1, 3, 5)
    assert (i.indicator("SDM1").unit, i.indicator("MNF1").unit) == ("orang", "orang")
    assert i.indicator("MNF2").cap == Decimal("0.3")
    for code in ("KEL3", "PRG2", "PRG3", "PRG4"):
        assert i.indicator(code).cap == 1
    assert [ind.code for ind in i.indicators if ind.allow_na] == ["MNF2"]
    assert {ind.code for ind in i.indicators if ind.evidence} == {
        "KEL4",
        "SDM1",
        "SDM3",
        "SDM4",
        "MNF1",
        "MNF3",
    }


def test_every_indicator_is_explained(default_instrument: Instrument) -> None:
    for ind in default_instrument.indicators:
        assert ind.description.strip() and ind.advice.strip(), ind.code
        assert all(level.label and level.description for level in ind.levels), ind.code
        if ind.type == "banded":
            assert len(ind.labels) == len(ind.thresholds), ind.code


def test_best_answers_score_100_and_nothing_scores_0(default_instrument: Instrument) -> None:
    best = score(default_instrument, answers(default_instrument, **BEST))
    assert best.index == 100
    assert best.predicate is not None and best.predicate.code == "A"
    assert {d.shown for d in best.dimensions} == {Decimal("100.00")}
    nothing = score(default_instrument, {})
    assert nothing.index == 0
    assert nothing.predicate is not None and nothing.predicate.code == "D"


@pytest.mark.parametrize(
    ("share", "normalised"),
    # MNF2: the share of pengurus aged 16–30; cap 0.3, so 30 % and more is the full score.
    [("0", 0), ("0.15", 50), ("3/10", 100), ("0.6", 100), ("NA", None)],
)
def test_youth_share_target(default_instrument: Instrument, share: str, normalised: int) -> None:
    result = score(default_instrument, answers(default_instrument, MNF2=share))
    assert result.line("MNF2").normalised == normalised
