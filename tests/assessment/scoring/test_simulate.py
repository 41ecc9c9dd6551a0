"""`simulate`: answers CSV in, results CSV out, without the database.

Hand computation of data/default-answers.csv with the default instrument (weights in brackets):

Perkumpulan Contoh Sejahtera (fiktif)
  KEL: KEL1 4 -> 100 [30], KEL2 ya -> 100 [20], KEL3 5/6 -> 83.33 [25], KEL4 3 -> 66.67 [25]
       = (3000 + 2000 + 25*250/3 + 25*200/3) / 100 = (5000 + 3750) / 100 = 87.50
  SDM: SDM1 20 -> band 3 of [0,5,15,30] -> 66.67 [30], SDM2 2 -> band 3 of [0,1,2,3] -> 66.67
       [25], SDM3 3 -> 66.67 [25], SDM4 ya -> 100 [20] = (80*200/3 + 2000) / 100 = 220/3 = 73.33
  PRG: 66.67, 50, 80, 75, equal weights = (200/3 + 205) / 4 = 815/12 = 67.9166... -> 67.92
  MNF: MNF1 300 -> band 3 -> 66.67 [30], MNF2 0.15 of cap 0.3 -> 50 [20], MNF3 5 -> 100 [25],
       MNF4 2 -> 33.33 [25] = (2000 + 1000 + 2500 + 2500/3) / 100 = 190/3 = 63.33
  index = (20*87.5 + 25*220/3 + 30*815/12 + 25*190/3) / 100
        = (1750 + 2037.5 + 10250/3) / 100 = 72.041666... -> 72.04, B
Paguyuban Contoh, Kota (fiktif)   (MNF2 N/A; PRG1 blank = unanswered; the rest unanswered)
  KEL = 30 * 100/3 / 100 = 10.00; SDM = 20 * 100 / 100 = 20.00; PRG = 0.00; MNF = 0.00
  index = (20*10 + 25*20) / 100 = 7.00, D
Yayasan Contoh Maju (fiktif): every best answer (PRG3 1.2 is capped) -> 100.00 everywhere, A
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sipko.assessment.scoring import IKO_2025_FILE, Instrument, parse_answer
from sipko.assessment.scoring.simulate import (
    AnswersFileError,
    FileProblem,
    read_answers_csv,
    results_csv,
    simulate,
)

from .helpers import DATA, indicator, instrument

ROOT = Path(__file__).resolve().parents[3]
SPEC_YAML = DATA / "spec-sample.yaml"


def run(*args: str) -> tuple[str, str]:
    """call_command; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("simulate", *args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


def problems_of(content: str | bytes, instrument: Instrument) -> list[str]:
    with pytest.raises(AnswersFileError) as caught:
        read_answers_csv(content, instrument)
    return [str(problem) for problem in caught.value.problems]


# --- the command ---------------------------------------------------------------------------


def test_spec_sample_to_stdout() -> None:
    # Hand computation, SPEC §6 instrument (one dimension, four indicators of weight 25):
    # Ormas B: KEL3 4 -> 100, SDM1 12 -> band 4 of [0,1,3,10] -> 100, MNF2 3/4 -> 75,
    #          SDM4 tidak -> 0: 275/4 = 68.75, C
    # Ormas A: KEL3 3 -> 66.67, SDM1 4 -> band 3 -> 66.67, MNF2 0,5 -> 50, SDM4 ya -> 100:
    #          (400/3 + 150) / 4 = 70.8333... -> 70.83, B
    # Ormas C: SDM4 Ya -> 100, the rest unanswered: 25.00, D
    # Rows come in the order each ormas first appears: B, A, C.
    out, err = run(str(SPEC_YAML), str(DATA / "spec-sample-answers.csv"))
    assert out == (DATA / "spec-sample-results.csv").read_text()
    assert err == ""


def test_default_instrument_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "hasil.csv"
    out, err = run(str(IKO_2025_FILE), str(DATA / "default-answers.csv"), "--out",
                   str(target))  # fmt: skip
    assert out == ""
    assert "3 ormas dinilai" in err
    written = target.read_bytes()
    assert written == (DATA / "default-results.csv").read_bytes()
    assert b"\r\n" not in written


def test_rejected_answers_exit_1_list_every_problem_and_write_nothing(tmp_path: Path) -> None:
    answers = tmp_path / "jawaban.csv"
    answers.write_text(
        "ormas,indicator,value\n"
        "A,KEL3,5\n"  # line 2: not a level
        "A,KEL3,4\n"  # line 3: duplicate
        "A,XYZ,1\n"  # line 4: unknown indicator
        "A,SDM1,0,75\n"  # line 5: unquoted decimal comma
        "A,SDM4,NA\n"  # line 6: N/A not allowed
        ",SDM4,ya\n",  # line 7: no ormas
        encoding="utf-8",
    )
    target = tmp_path / "hasil.csv"
    error, err = refused(str(SPEC_YAML), str(answers), "--out", str(target))
    assert error.returncode == 1
    assert not target.exists()
    assert err.splitlines() == [
        f"{answers}: baris 2: KEL3: Level '5' tidak ada di rubrik; pilih salah satu: 1, 2, 3, 4.",
        f"{answers}: baris 3: A sudah menjawab KEL3 di baris 2.",
        f"{answers}: baris 4: Indikator 'XYZ' tidak ada di instrumen IKO-DEFAULT.",
        f"{answers}: baris 5: Ada 4 kolom, judul punya 3. Angka berkoma harus diberi tanda kutip "
        '("0,75") atau pakai ; sebagai pemisah kolom.',
        f"{answers}: baris 6: SDM4: Indikator ini tidak boleh dijawab NA (tidak berlaku).",
        f"{answers}: baris 7: Kolom ormas kosong.",
    ]
    assert str(error) == "Berkas jawaban.csv ditolak (6 masalah); tidak ada hasil yang ditulis."


def test_rejected_instrument_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "instrumen.yaml"
    broken.write_text(
        SPEC_YAML.read_text()
        .replace('version: "2025.1"', "version: 2025.1")
        .replace("weight: 20", "weight: 0"),
        encoding="utf-8",
    )
    error, err = refused(str(broken), str(DATA / "spec-sample-answers.csv"))
    assert error.returncode == 1
    assert err.splitlines() == [
        f'{broken}: version: Versi harus berupa teks: beri tanda kutip, mis. version: "2025.1".',
        f"{broken}: dimensions[0].weight: Harus lebih dari 0.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Pemakaian: simulate INSTRUMEN.yaml JAWABAN.csv [--out HASIL.csv]"),
        ((str(SPEC_YAML),), "Pemakaian: simulate"),
        (("tidak-ada.yaml", str(DATA / "spec-sample-answers.csv")), "Berkas tidak ditemukan"),
        ((str(SPEC_YAML), str(DATA)), "Berkas tidak ditemukan"),  # a folder is not a file
        (
            (str(SPEC_YAML), str(DATA / "spec-sample-answers.csv"), "--out", "/tidak/ada/h.csv"),
            "Folder hasil tidak ada: /tidak/ada",
        ),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    error, _ = refused(*args)
    assert error.returncode == 2
    assert message in str(error)


def test_runs_as_a_process_without_any_database(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sipko.settings",
        "DATABASE_URL": "sqlite:////nonexistent/dir/db.sqlite3",
    }

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "simulate", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    done = manage(str(SPEC_YAML), str(DATA / "spec-sample-answers.csv"))
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        (DATA / "spec-sample-results.csv").read_text(),
        "",
    )
    bad = tmp_path / "buruk.csv"
    bad.write_text("ormas,indicator,value\nA,KEL3,9\n", encoding="utf-8")
    done = manage(str(SPEC_YAML), str(bad), "--out", str(tmp_path / "hasil.csv"))
    assert done.returncode == 1
    assert "baris 2: KEL3: Level '9' tidak ada" in done.stderr
    assert not (tmp_path / "hasil.csv").exists()
    # Exit 2 travels the same way (CommandError.returncode), tested in-process above.


# --- reading answers -----------------------------------------------------------------------


def test_header_delimiter_bom_and_blank_lines(spec_instrument: Instrument) -> None:
    content = "\ufeff ORMAS ;Indi cator; VALUE \n\nX;kel3;3,0\n;;\nX;SDM1;\n".encode()
    sheets = read_answers_csv(content, spec_instrument)
    kel3 = spec_instrument.indicator("KEL3")
    assert sheets == {"X": {"KEL3": parse_answer(kel3, "3"), "SDM1": None}}


def test_problems_name_the_line_a_row_starts_on(spec_instrument: Instrument) -> None:
    content = 'ormas,indicator,value\n"Ormas\ndua baris",KEL3,3\nY,KEL3,7\n'
    assert problems_of(content, spec_instrument) == [
        "baris 4: KEL3: Level '7' tidak ada di rubrik; pilih salah satu: 1, 2, 3, 4."
    ]


def test_columns_in_any_order_extra_columns_ignored(spec_instrument: Instrument) -> None:
    sheets = read_answers_csv(
        'catatan,value,indicator,ormas\nbaik,ya,SDM4,X\n,"0,5",MNF2,Y\n', spec_instrument
    )
    assert list(sheets) == ["X", "Y"]
    assert sheets["X"]["SDM4"] is not None and sheets["X"]["SDM4"].raw == "ya"
    assert sheets["Y"]["MNF2"] is not None and sheets["Y"]["MNF2"].raw == "0.5"


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        ("", ["baris 1: Baris pertama harus judul kolom: ormas,indicator,value."]),
        (
            "ormas;indikator;nilai\nX;KEL3;3\n",
            [
                "baris 1: Kolom wajib tidak ada: indicator, value. Judul kolom harus "
                "ormas,indicator,value."
            ],
        ),
        ("ormas,indicator,value\n", ["Berkas jawaban tidak berisi satu baris jawaban pun."]),
        (
            b"ormas,indicator,value\nOrmas \xe9,KEL3,3\n",
            ["Berkas jawaban bukan teks UTF-8; simpan sebagai CSV UTF-8."],
        ),
        ('ormas,indicator,value\nX,KEL3,"3\n', ["baris 2: CSV rusak: unexpected end of data."]),
        (
            "ormas,indicator,value\nX,KEL3,1.000\nX,SDM1,NA\n",
            [
                "baris 2: KEL3: '1.000' bisa dibaca 1000 atau 1. Tulis 1000 bila maksudnya "
                "ribuan, atau 1 bila maksudnya pecahan desimal.",
                "baris 3: SDM1: Indikator ini tidak boleh dijawab NA (tidak berlaku).",
            ],
        ),
    ],
)
def test_refused_answer_files(
    spec_instrument: Instrument, content: str | bytes, problems: list[str]
) -> None:
    assert problems_of(content, spec_instrument) == problems


def test_file_problem_text() -> None:
    assert str(FileProblem(0, "Berkas kosong.")) == "Berkas kosong."
    assert str(FileProblem(3, "Salah.")) == "baris 3: Salah."


def test_results_csv_leaves_empty_cells_where_nothing_applies() -> None:
    optional = instrument(
        {"code": "P", "name": "P", "weight": 1, "indicators": [indicator("P1", "ratio")]},
        {
            "code": "Q",
            "name": "Q",
            "weight": 1,
            "indicators": [indicator("Q1", "yesno", allow_na=True)],
        },
        decimals=3,
    )
    sheets = read_answers_csv(
        "ormas,indicator,value\n"
        "Semua NA,Q1,NA\n"
        '"Koma, dalam nama",P1,1/3\n'
        '"Koma, dalam nama",Q1,N/A\n'
        "Hanya Q,Q1,ya\n",
        optional,
    )
    # "Semua NA": P1 unanswered -> P = 0.000; Q all N/A -> empty, index = P alone = 0.000
    # "Koma, dalam nama": P1 = 1/3 -> 33.333; Q empty; index = 33.333
    # "Hanya Q": P = 0, Q = 100, equal weights -> 50.000, D
    assert results_csv(optional, simulate(optional, sheets)) == (
        "ormas,index,predicate,P,Q\n"
        "Semua NA,0.000,D,0.000,\n"
        '"Koma, dalam nama",33.333,D,33.333,\n'
        "Hanya Q,50.000,D,0.000,100.000\n"
    )
