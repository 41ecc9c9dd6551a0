"""Hostile instrument files: refused in a few milliseconds with a short Indonesian problem that
names the line, never expanded, never echoed back whole. No database (see conftest.py)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sipko.assessment.scoring import IKO_2025_FILE, load_instrument_yaml
from sipko.assessment.scoring.schema import (
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    MAX_QUOTED_CHARS,
    InstrumentError,
)
from tests.hostile import billion_laughs

from .helpers import DATA

SPEC_YAML = (DATA / "spec-sample.yaml").read_text()


def problems(content: str | bytes, **kwargs: int) -> list[str]:
    started = time.perf_counter()
    with pytest.raises(InstrumentError) as caught:
        load_instrument_yaml(content, **kwargs)
    assert time.perf_counter() - started < 5
    return [str(problem) for problem in caught.value.problems]


ALIASES = [
    pytest.param(billion_laughs(), 1, id="billion-laughs"),
    pytest.param(SPEC_YAML.replace("weight: 20", "weight: &w 20", 1), 13, id="anchor-only"),
    pytest.param(
        SPEC_YAML.replace("source: self         #", "source: *s         #"), 24, id="alias-only"
    ),
    pytest.param(
        "base: &base {weight: 1}\ndimensions:\n  - <<: *base\n    code: A\n", 1, id="merge-key"
    ),
]


@pytest.mark.parametrize(("content", "line"), ALIASES)
def test_anchors_and_aliases_are_refused_naming_the_line(content: str, line: int) -> None:
    assert problems(content) == [
        f"Baris {line} memakai anchor atau alias YAML (&nama, *nama, <<); berkas instrumen "
        "tidak boleh memakainya. Tulis setiap nilai apa adanya."
    ]


def test_the_default_instrument_is_well_within_the_size_limit() -> None:
    assert IKO_2025_FILE.stat().st_size * 8 < MAX_FILE_BYTES


def test_an_oversized_file_is_refused_before_it_is_read() -> None:
    padding = "# " + "x" * 1000 + "\n"
    content = SPEC_YAML + padding * (MAX_FILE_BYTES // len(padding))
    assert problems(content) == ["Berkas instrumen terlalu besar (257 KB); batasnya 256 KB."]
    assert problems(SPEC_YAML, max_bytes=1024) == [
        "Berkas instrumen terlalu besar (2 KB); batasnya 1 KB."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code: X\nversion: " + "1" * 5000 + "\n", "baris 2, kolom 10: angka terlalu panjang"),
        ("code: X\n? " + ":".join(["59"] * 3000) + "\n: 1\n", "baris 2, kolom 3: angka terlalu"),
        ("code: X\nversion: 2025-02-30\n", "baris 2, kolom 10: nilai '2025-02-30' tidak dapat"),
        ("code: " + "[" * 500 + "]" * 500 + "\n", "Baris 1: susunan bertingkat terlalu dalam"),
    ],
    ids=["5000-digits", "base-60", "impossible-date", "deep-nesting"],
)
def test_values_yaml_cannot_build_are_problems_not_crashes(content: str, message: str) -> None:
    (problem,) = problems(content)
    assert message in problem


def test_quoted_values_are_cut_short() -> None:
    long = "x" * 50_000
    content = SPEC_YAML.replace("code: IKO-DEFAULT", f"code: {long}").replace(
        "type: level ", f"type: {long} "
    )
    found = problems(content + f"{long[:1000]}: 1\n")  # YAML keys stop at 1,024 characters
    assert all(len(problem) < 12 * MAX_QUOTED_CHARS for problem in found)
    assert any(f"Kode '{'x' * (MAX_QUOTED_CHARS - 1)}…' tidak sah" in p for p in found)
    assert any(f"{'x' * (MAX_QUOTED_CHARS - 1)}…: Kunci tidak dikenal" in p for p in found)


def test_thousands_of_problems_are_listed_up_to_a_limit() -> None:
    content = "".join(f"kunci{n}: 1\n" for n in range(5000))
    found = problems(content)
    assert len(found) == MAX_PROBLEMS + 1
    # 5,000 unknown keys and the 5 required ones missing
    assert found[-1] == f"… dan {5005 - MAX_PROBLEMS} masalah lain yang tidak ditampilkan."
    assert sum(len(problem) for problem in found) < 20_000


def test_simulate_refuses_an_alias_bomb_with_exit_1(tmp_path: Path) -> None:
    bomb = tmp_path / "bom.yaml"
    bomb.write_text(billion_laughs())
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "simulate",
            str(bomb),
            str(DATA / "spec-sample-answers.csv"),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert caught.value.returncode == 1
    assert "anchor atau alias" in err.getvalue()
    assert len(err.getvalue()) < 1000


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("name: Indeks Kinerja Ormas", 'name: "Indeks\\0 Kinerja"', "name"),
        ("label: Sewa}", 'label: "Se\\x07wa"}', "dimensions[0].indicators[0].levels[2].label"),
    ],
)
def test_control_characters_spelled_in_yaml_escapes_are_refused(old, new, path) -> None:
    # A raw NUL is not YAML; "\0" in a quoted string is, and PostgreSQL refuses it when stored.
    assert problems(SPEC_YAML.replace(old, new)) == [
        f"{path}: Tidak boleh berisi karakter kendali (mis. \\0 atau \\x07); hanya tab dan "
        "baris baru."
    ]
    tabs_and_lines = 'name: "Indeks\\tKinerja\\nOrmas"'
    assert load_instrument_yaml(SPEC_YAML.replace("name: Indeks Kinerja Ormas", tabs_and_lines))
