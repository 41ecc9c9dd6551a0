"""The instrument file: what is accepted, what is refused (all problems at once), round trips."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from sipko.assessment.scoring import (
    SYSTEM_COMPUTATIONS,
    Instrument,
    InstrumentError,
    Level,
    Predicate,
    Problem,
    dump_instrument_yaml,
    instrument_to_dict,
    load_instrument_yaml,
    parse_instrument,
)

from .helpers import PREDICATES, indicator


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "UJI",
        "version": "1",
        "name": "Uji",
        "predicates": copy.deepcopy(PREDICATES),
        "dimensions": [
            {"code": "D", "name": "Dimensi", "weight": 1, "indicators": [indicator("D1", "yesno")]}
        ],
    }
    data.update(changes)
    return data


def problems_of(data: object) -> list[Problem]:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(data)
    return caught.value.problems


def paths(data: object) -> list[str]:
    return [problem.path for problem in problems_of(data)]


def test_spec_sample_is_read_with_its_defaults(spec_instrument: Instrument) -> None:
    i = spec_instrument
    assert (i.code, i.version, i.name, i.decimals, i.description) == (
        "IKO-DEFAULT",
        "2025.1",
        "Indeks Kinerja Ormas",
        2,
        "",
    )
    assert i.predicates[0] == Predicate(code="A", label="Sangat Baik", min=Decimal(85))
    assert [ind.code for ind in i.indicators] == ["KEL3", "SDM1", "MNF2", "SDM4"]
    kel3 = i.indicator("KEL3")
    assert kel3.levels[3] == Level(value=Decimal(4), label="Milik sendiri dengan papan nama")
    assert (kel3.min_level, kel3.max_level, kel3.evidence, kel3.allow_na) == (1, 4, True, False)
    sdm1 = i.indicator("SDM1")
    assert sdm1.thresholds == (0, 1, 3, 10)
    assert (sdm1.evidence, sdm1.allow_na, sdm1.labels, sdm1.system) == (False, False, (), None)
    mnf2 = i.indicator("MNF2")
    assert (mnf2.type, mnf2.cap, mnf2.source, mnf2.system) == (
        "ratio",
        Decimal(1),
        "system",
        "youth_share",
    )
    assert i.dimension_of("SDM4").code == "KEL"
    with pytest.raises(KeyError):
        i.indicator("XXX")
    with pytest.raises(KeyError):
        i.dimension_of("XXX")


def test_a_broken_instrument_lists_every_problem_with_its_path() -> None:
    broken = {
        "code": "IKO BARU",  # a space
        "version": 2025.1,  # a number
        "name": "Uji",
        "decimals": 7,
        "predicates": [
            {"code": "A", "label": "Sangat Baik", "min": 70},
            {"code": "B", "label": "Baik", "min": 85},  # not descending
            {"code": "C", "label": "Cukup", "min": 55, "above": 50},  # both bounds
            {"code": "D", "label": "Kurang", "min": 10},  # 0 gets no band
        ],
        "dimensions": [
            {
                "code": "KEL",
                "name": "Kelembagaan",
                "weight": 0,
                "indicators": [
                    indicator("KEL1", "level", levels=[{"value": 1, "label": "Satu"}]),
                    {**indicator("KEL2", "ratio"), "source": "system", "system": "board_term"},
                    {**indicator("KEL3", "ratio", cap=0), "wieght": 1},
                ],
            },
            {
                "code": "SDM",
                "name": "Sumber daya",
                "weight": 25,
                "indicators": [
                    indicator("KEL1", "yesno", -1, source="sistem"),
                    {
                        **indicator("SDM2", "banded", thresholds=[0, 3, 2], labels=["a", "b"]),
                        "name": None,
                        "system": "youth_share",
                    },
                    indicator("SDM3", "yesno", source="system", system="cuaca"),
                    indicator("SDM4", "ratio", levels=[]),
                    indicator(
                        "SDM5",
                        "level",
                        levels=[{"value": 1, "label": "a"}, {"value": 1.0, "label": "b"}],
                    ),
                ],
            },
        ],
    }
    del broken["dimensions"][0]["indicators"][2]["weight"]
    found = {(problem.path, problem.message) for problem in problems_of(broken)}
    expected_paths = {
        "code",
        "version",
        "decimals",
        "predicates[1]",
        "predicates[2]",
        "predicates[3]",
        "dimensions[0].weight",
        "dimensions[0].indicators[0].levels",
        "dimensions[0].indicators[1].type",
        "dimensions[0].indicators[2].wieght",
        "dimensions[0].indicators[2].weight",
        "dimensions[0].indicators[2].cap",
        "dimensions[1].indicators[0].code",
        "dimensions[1].indicators[0].weight",
        "dimensions[1].indicators[0].source",
        "dimensions[1].indicators[1].name",
        "dimensions[1].indicators[1].thresholds[2]",
        "dimensions[1].indicators[1].labels",
        "dimensions[1].indicators[1].system",
        "dimensions[1].indicators[2].system",
        "dimensions[1].indicators[3].levels",
        "dimensions[1].indicators[4].levels[1].value",
    }
    assert {path for path, _ in found} == expected_paths
    messages = dict(found)
    assert (
        messages["version"] == 'Versi harus berupa teks: beri tanda kutip, mis. version: "2025.1".'
    )
    assert messages["dimensions[0].indicators[2].wieght"] == (
        "Kunci tidak dikenal; maksud Anda 'weight'?"
    )
    assert messages["dimensions[0].indicators[2].weight"] == "Wajib diisi."
    assert messages["dimensions[1].indicators[0].code"] == (
        "Kode 'KEL1' sudah dipakai di dimensions[0].indicators[0].code."
    )
    assert "menghasilkan tipe yesno, bukan ratio" in messages["dimensions[0].indicators[1].type"]
    assert "tidak berlaku untuk tipe ratio" in messages["dimensions[1].indicators[3].levels"]
    assert "harus mencakup indeks 0" in messages["predicates[3]"]
    assert "urut dari yang tertinggi" in messages["predicates[1]"]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"decimals": True}, "decimals", "bilangan bulat"),
        ({"decimals": -1}, "decimals", "bilangan bulat"),
        ({"version": ""}, "version", "Tidak boleh kosong."),
        ({"version": "x" * 31}, "version", "Paling banyak 30 karakter."),
        ({"name": 12}, "name", "YAML membacanya sebagai 12"),
        ({"predicates": []}, "predicates", "sedikitnya 1 butir"),
        ({"dimensions": {}}, "dimensions", "Harus berupa daftar."),
        ({"extra": 1}, "extra", "Kunci tidak dikenal; yang boleh di sini: code, version"),
        ({"predicates": [{"code": "A", "label": "A"}]}, "predicates[0]", "Isi tepat satu batas"),
        (
            {"predicates": [{"code": "S", "label": "S", "above": 100}, *PREDICATES]},
            "predicates[0].above",
            "tidak pernah tercapai",
        ),
        (
            {
                "predicates": [
                    {"code": "A", "label": "A", "min": 50},
                    {**PREDICATES[1], "code": "a"},
                ]
            },
            "predicates[1].code",
            "sudah dipakai oleh predicates[0]",
        ),
        (
            {
                "predicates": [
                    {"code": "A", "label": "A", "min": 0},
                    {"code": "B", "label": "B", "above": 0},
                ]
            },
            "predicates[1]",
            "urut dari yang tertinggi",
        ),
    ],
)
def test_single_refusals(change: dict[str, Any], path: str, message: str) -> None:
    problems = problems_of(minimal(**change))
    assert any(p.path == path and message in p.message for p in problems), problems


def _with_indicator(**fields: Any) -> dict[str, Any]:
    data = minimal()
    data["dimensions"][0]["indicators"] = [fields]
    return data


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        (indicator("X", "likert"), "type", "Tipe 'likert' tidak dikenal"),
        (indicator("X", "level"), "levels", "Wajib diisi."),
        (indicator("X", "banded"), "thresholds", "Wajib diisi."),
        (indicator("X", "banded", thresholds=[5]), "thresholds", "sedikitnya 2 butir"),
        (indicator("X", "banded", thresholds=[-1, 5]), "thresholds[0]", "tidak boleh negatif"),
        (indicator("X", "banded", thresholds=[0, "5"]), "thresholds[1]", "Harus berupa angka"),
        (indicator("X", "banded", thresholds=[0, 5], labels=["a", ""]), "labels[1]", "teks"),
        (indicator("X", "yesno", cap=1), "cap", "tidak berlaku untuk tipe yesno"),
        (indicator("X", "yesno", evidence="ya"), "evidence", "Harus true atau false."),
        (indicator("X", "yesno", allow_na=1), "allow_na", "Harus true atau false."),
        (indicator("X", "yesno", weight="20"), "weight", "Harus berupa angka (tanpa tanda kutip)."),
        (indicator("X", "yesno", weight=float("inf")), "weight", "bukan tak hingga"),
        (indicator("X", "ratio", cap=-0.5), "cap", "Harus lebih dari 0."),
        (indicator("X", "ratio", cap=0.1234567890123456), "cap", "paling banyak 15 angka"),
        (indicator("X", "yesno", source="system"), "system", "Wajib diisi bila source: system"),
        (indicator("X", "yesno", source="self", system="board_term"), "system", "Hanya diisi"),
        (
            indicator(
                "X",
                "level",
                source="system",
                system="legal_status",
                levels=[{"value": v, "label": str(v)} for v in (1, 2, 3, 4, 5)],
            ),
            "levels",
            "memberi level 1, 2, 3, 4",
        ),
        (
            indicator("X", "level", levels=[{"value": 1}, {"value": 2, "label": "b"}]),
            "levels[0].label",
            "Wajib diisi.",
        ),
        (indicator("X", "level", levels=[1, 2]), "levels[0]", "Harus berupa pemetaan"),
        (indicator("a b", "yesno"), "code", "tidak sah"),
    ],
)
def test_indicator_refusals(fields: dict[str, Any], path: str, message: str) -> None:
    problems = problems_of(_with_indicator(**fields))
    full_path = f"dimensions[0].indicators[0].{path}"
    assert any(p.path == full_path and message in p.message for p in problems), problems


def test_codes_are_unique_across_dimensions_and_indicators_ignoring_case() -> None:
    data = minimal()
    data["dimensions"].append(
        {"code": "d1", "name": "Kedua", "weight": 1, "indicators": [indicator("d", "yesno")]}
    )
    assert paths(data) == ["dimensions[1].code", "dimensions[1].indicators[0].code"]


@pytest.mark.parametrize("code", ["index", "Predicate", "ORMAS"])
def test_dimension_codes_that_clash_with_simulate_columns_are_refused(code: str) -> None:
    data = minimal()
    data["dimensions"][0]["code"] = code
    assert paths(data) == ["dimensions[0].code"]


def test_every_system_computation_needs_its_own_type() -> None:
    for name, kind in SYSTEM_COMPUTATIONS.items():
        extra: dict[str, Any] = {}
        if kind == "level":
            extra["levels"] = [{"value": v, "label": str(v)} for v in (1, 2, 3, 4)]
        if kind == "banded":
            extra["thresholds"] = [0, 1, 2, 3]
        parse_instrument(
            _with_indicator(**indicator("X", kind, source="system", system=name, **extra))
        )
        other = "yesno" if kind != "yesno" else "ratio"
        assert paths(_with_indicator(**indicator("X", other, source="system", system=name))) == [
            "dimensions[0].indicators[0].type"
        ]


def test_root_must_be_a_mapping() -> None:
    assert problems_of(["code"]) == [
        Problem(
            "",
            "Berkas instrumen harus berupa pemetaan dengan kunci code, version, name, predicates "
            "dan dimensions.",
        )
    ]
    assert paths(None) == [""]


def test_empty_optional_values_count_as_absent() -> None:
    data = minimal(description=None, decimals=None)
    data["dimensions"][0]["indicators"][0].update(evidence=None, advice=None, system=None)
    instrument = parse_instrument(data)
    assert (instrument.description, instrument.decimals) == ("", 2)
    assert instrument.indicators[0].evidence is False


def test_min_100_and_above_at_0_are_valid_bands() -> None:
    instrument = parse_instrument(
        minimal(
            predicates=[
                {"code": "S", "label": "Sempurna", "min": 100},
                {"code": "P", "label": "Positif", "above": 0},
                {"code": "N", "label": "Nol", "min": 0},
            ]
        )
    )
    assert [p.code for p in instrument.predicates] == ["S", "P", "N"]
    assert instrument.predicate_for(Decimal("0.00")).code == "N"
    assert instrument.predicate_for(Decimal("0.01")).code == "P"


# --- YAML ---------------------------------------------------------------------------------


def test_yaml_floats_are_read_exactly() -> None:
    text = dump_instrument_yaml(parse_instrument(minimal())).replace(
        "weight: 1\n  indicators", "weight: 0.1\n  indicators"
    )
    assert load_instrument_yaml(text).dimensions[0].weight == Decimal("0.1")


def test_yaml_version_written_as_a_number_is_refused_as_written() -> None:
    text = dump_instrument_yaml(parse_instrument(minimal())).replace(
        "version: '1'", "version: 2025.10"
    )
    with pytest.raises(InstrumentError) as caught:
        load_instrument_yaml(text)
    assert caught.value.problems == [
        Problem("version", 'Versi harus berupa teks: beri tanda kutip, mis. version: "2025.10".')
    ]


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(InstrumentError) as caught:
        load_instrument_yaml("code: UJI\nversion: '1'\nname: [tidak ditutup\n")
    [problem] = caught.value.problems
    assert problem.path == ""
    assert problem.message.startswith("YAML tidak sah di baris 4")


def test_yaml_duplicate_keys_are_refused_with_both_lines() -> None:
    text = "code: UJI\nversion: '1'\nname: Uji\ncode: LAIN\n"
    with pytest.raises(InstrumentError) as caught:
        load_instrument_yaml(text)
    assert [str(p) for p in caught.value.problems] == [
        "Kunci 'code' ditulis dua kali (baris 1 dan 4)."
    ]


def test_yaml_words_read_as_booleans_get_a_hint() -> None:
    data = dump_instrument_yaml(parse_instrument(minimal())).replace("label: Baik", "label: yes")
    with pytest.raises(InstrumentError) as caught:
        load_instrument_yaml(data.encode())
    assert [str(p) for p in caught.value.problems] == [
        "predicates[1].label: Harus berupa teks; YAML membacanya sebagai true. Beri tanda kutip."
    ]


def test_yaml_bytes_with_bom_and_non_utf8() -> None:
    text = dump_instrument_yaml(parse_instrument(minimal()))
    assert load_instrument_yaml("\ufeff".encode() + text.encode()) == parse_instrument(minimal())
    with pytest.raises(InstrumentError):
        load_instrument_yaml(b"name: \xff\xfe\xfa")


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["default_instrument", "sakip_instrument", "spec_instrument"])
def test_round_trips(fixture: str, request: pytest.FixtureRequest) -> None:
    instrument: Instrument = request.getfixturevalue(fixture)
    data = instrument_to_dict(instrument)
    assert parse_instrument(data) == instrument
    assert parse_instrument(json.loads(json.dumps(data))) == instrument
    assert instrument_to_dict(parse_instrument(data)) == data
    assert load_instrument_yaml(dump_instrument_yaml(instrument)) == instrument


def test_canonical_dict_shape(spec_instrument: Instrument) -> None:
    data = instrument_to_dict(spec_instrument)
    assert list(data) == ["code", "version", "name", "decimals", "predicates", "dimensions"]
    indicators = data["dimensions"][0]["indicators"]
    assert indicators[1] == {
        "code": "SDM1",
        "name": "Pengurus dan relawan aktif",
        "type": "banded",
        "thresholds": [0, 1, 3, 10],
        "weight": 25,
        "source": "self",
        "evidence": False,
        "allow_na": False,
    }
    assert indicators[2]["cap"] == 1 and isinstance(indicators[2]["cap"], int)
    assert indicators[2]["system"] == "youth_share"


def test_dump_writes_multiline_text_as_blocks() -> None:
    instrument = parse_instrument(minimal(description="Baris satu.\nBaris dua.\n"))
    text = dump_instrument_yaml(instrument)
    assert "description: |\n  Baris satu.\n  Baris dua.\n" in text
    assert load_instrument_yaml(text) == instrument


def test_plausibility_names_a_known_check_on_a_declared_number() -> None:
    ok = parse_instrument(
        _with_indicator(**indicator("X", "banded", thresholds=[0, 10], plausibility="participants"))
    )
    assert ok.indicators[0].plausibility == "participants"
    assert paths(
        _with_indicator(**indicator("X", "banded", thresholds=[0, 10], plausibility="tebak"))
    ) == ["dimensions[0].indicators[0].plausibility"]
    assert paths(_with_indicator(**indicator("X", "yesno", plausibility="participants"))) == [
        "dimensions[0].indicators[0].plausibility"
    ]


def test_a_counting_system_computation_needs_bands_from_zero() -> None:
    data = _with_indicator(
        **indicator("X", "banded", thresholds=[1, 2], source="system", system="income_sources")
    )
    assert paths(data) == ["dimensions[0].indicators[0].thresholds"]
