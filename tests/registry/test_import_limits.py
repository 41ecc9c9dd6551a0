"""Limits of the registry import (docs/import.md#limits): too many rows, an XLSX that unpacks
to far more than a register, NUL bytes in cells, and a report whose cost grows with the rows.
Each refusal is one Indonesian sentence, from the command (exit 1) and the web page, with
nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl.worksheet.worksheet import Worksheet

from sipko.registry.importer import import_ormas, write_report
from sipko.registry.importer.result import ImportResult, Problem, RowOutcome
from sipko.registry.models import ImportJob, Ormas
from tests.hostile import xlsx_bomb
from tests.registry.test_importer import write_xlsx

HEADER = "No;Nama Ormas;Kecamatan;Kelurahan"
TOO_MANY_ROWS = "Berkas berisi lebih dari 5 baris data; satu impor paling banyak 5 baris."
TOO_BIG_UNZIPPED = "Isi berkas XLSX terlalu besar setelah dibuka"


def register_csv(rows: int, *, title_rows: int = 2) -> bytes:
    titles = ["DAFTAR ORMAS KOTA BLITAR (FIKTIF)"] * title_rows
    lines = [f"{n};Paguyuban Batas {n} (fiktif);Sukorejo;Pakunden" for n in range(1, rows + 1)]
    return "\n".join([*titles, HEADER, *lines, ""]).encode()


def run(content: bytes, name: str = "ormas.csv") -> ImportResult:
    return import_ormas(io.BytesIO(content), filename=name, region_code="35.72", actor=None)


def command(path: Path) -> tuple[int, dict[str, object], str]:
    """(exit code, the JSON summary, stderr and the error) of one `import_ormas` run."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code, message = 0, ""
    try:
        call_command("import_ormas", str(path), "--region", "35.72", stdout=stdout, stderr=stderr)
    except CommandError as exc:
        code, message = exc.returncode, str(exc)
    return code, json.loads(stdout.getvalue().strip().splitlines()[-1]), stderr.getvalue() + message


# --- rows --------------------------------------------------------------------------------------


@pytest.fixture
def five_rows(settings) -> None:
    settings.SIPKO_IMPORT_MAX_ROWS = 5


def test_a_file_at_the_row_limit_is_imported(five_rows) -> None:
    result = run(register_csv(5))
    assert result.file_error is None and result.written
    assert Ormas.objects.filter(name__startswith="Paguyuban Batas").count() == 5


@pytest.mark.parametrize("rows", [6, 5_000])
def test_a_csv_over_the_row_limit_is_refused_before_any_row_is_read(five_rows, rows) -> None:
    result = run(register_csv(rows))
    assert result.file_error == (
        f"{TOO_MANY_ROWS} Pecah berkas (mis. per kecamatan), atau minta administrator menaikkan "
        "batas SIPKO_IMPORT_MAX_ROWS."
    )
    assert result.rows == [] and not result.written
    assert result.summary()["errors"] == 1
    assert not Ormas.objects.exists()


def test_title_rows_above_the_header_do_not_count(five_rows) -> None:
    result = run(register_csv(5, title_rows=20))
    assert result.file_error is None and len(result.rows) == 5


def test_an_xlsx_over_the_row_limit_is_refused(five_rows, tmp_path) -> None:
    rows = [["Nama Ormas", "Kecamatan"]] + [[f"Ormas {n} (fiktif)", "Sukorejo"] for n in range(6)]
    path = write_xlsx(tmp_path / "ormas.xlsx", rows)
    code, summary, err = command(path)
    assert code == 1
    assert summary["errors"] == 1 and summary["written"] is False
    assert TOO_MANY_ROWS in err
    assert not Ormas.objects.exists()


def test_the_command_refuses_a_long_csv_with_exit_1(five_rows, tmp_path) -> None:
    path = tmp_path / "ormas.csv"
    path.write_bytes(register_csv(300))
    code, summary, err = command(path)
    assert code == 1
    assert summary == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "errors": 1,
        "warnings": 0,
        "written": False,
    }
    assert TOO_MANY_ROWS in err


# --- unzipped size -----------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path, monkeypatch) -> None:
    bomb = xlsx_bomb(40 * 1024 * 1024)  # over the default 32 MB, about 40 KB on disk
    assert len(bomb) < 100_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a file over the limit")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    path = tmp_path / "bom.xlsx"
    path.write_bytes(bomb)
    code, summary, err = command(path)

    assert code == 1 and summary["written"] is False
    assert f"{TOO_BIG_UNZIPPED} (40,0 MB; batasnya 32,0 MB)" in err.replace("\xa0", " ")
    assert not Ormas.objects.exists()


def test_the_unzipped_limit_is_a_setting(settings) -> None:
    bomb = xlsx_bomb(200_000)
    assert run(bomb, "ormas.xlsx").file_error is None
    settings.SIPKO_IMPORT_MAX_UNZIPPED_BYTES = 200_000
    assert TOO_BIG_UNZIPPED in (run(bomb, "ormas.xlsx").file_error or "")


def test_the_web_import_shows_the_refusal_and_writes_nothing(
    region_admin, five_rows, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(region_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:import"),
            {"file": SimpleUploadedFile("ormas.csv", register_csv(50)), "region": "35.72"},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    page = client.get(response["Location"]).content.decode()
    assert TOO_MANY_ROWS in page
    assert not Ormas.objects.exists()


# --- control characters in cells ---------------------------------------------------------------


def test_nul_bytes_deep_in_a_csv_are_dropped_from_the_values() -> None:
    # `_looks_binary` reads the head of the file only; a NUL further down must not reach the
    # database (PostgreSQL refuses NUL in any text).
    filler = "".join(f"{n};Paguyuban Isi {n} (fiktif);Sukorejo;Pakunden\n" for n in range(1, 200))
    content = (
        f"{HEADER}\n{filler}200;Paguyuban\x00 Nol\x07 (fiktif);Suko\x00rejo;Pakunden\x00\n"
    ).encode()
    assert b"\x00" not in content[:8192]

    result = run(content)

    assert result.file_error is None and result.written, result.problems[:3]
    assert Ormas.objects.filter(name="Paguyuban Nol (fiktif)").exists()
    names = Ormas.objects.values_list("name", "region__name")
    assert not [text for row in names for text in row if "\x00" in text]


# --- the report --------------------------------------------------------------------------------


def test_the_report_is_written_row_by_row(monkeypatch) -> None:
    # The report used to look up the sheet's last row and column after every appended row,
    # which scans every cell so far: quadratic. Write-only sheets cannot do that at all.
    result = ImportResult(filename="ormas.csv")
    for row in range(2, 2002):
        problem = Problem(row, "Kecamatan", "warning", "Kecamatan 'Sukoreja' tidak ada persis")
        result.rows.append(RowOutcome(row, "created", f"Ormas {row} (fiktif)", [problem]))
        result.problems.append(problem)
    buffer = io.BytesIO()

    def scan(sheet: object) -> int:
        raise AssertionError("the report must not scan the sheet for its size")

    with monkeypatch.context() as patched:
        patched.setattr(Worksheet, "max_row", property(scan))
        patched.setattr(Worksheet, "max_column", property(scan))
        write_report(result, buffer)

    book = openpyxl.load_workbook(buffer)
    assert book.sheetnames == ["Ringkasan", "Masalah", "Baris"]
    assert book["Baris"].max_row == 2001 and book["Masalah"].max_row == 2001
    assert book["Baris"]["A1"].font.bold and book["Baris"].freeze_panes == "A2"


def test_the_web_form_refuses_a_zip_bomb_before_queueing_a_job(region_admin) -> None:
    client = Client()
    client.force_login(region_admin)
    response = client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("ormas.xlsx", xlsx_bomb(40 * 1024 * 1024)), "region": "35.72"},
    )
    assert response.status_code == 200
    assert TOO_BIG_UNZIPPED in response.content.decode().replace("\xa0", " ")
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "damage",
    [
        (6, 0xFF),  # "version needed to extract" of the first local header: NotImplementedError
        (7, 0xFF),
    ],
)
def test_a_damaged_xlsx_is_a_message_not_a_500(
    region_admin, damage, django_capture_on_commit_callbacks
) -> None:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")  # the central directory entry of the last part
    offset, value = damage
    data[central + offset] = value
    client = Client()
    client.force_login(region_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:import"),
            {"file": SimpleUploadedFile("ormas.xlsx", bytes(data)), "region": "35.72"},
        )
    assert response.status_code in (200, 302)  # refused on the form, or by the job it queued
    for job in ImportJob.objects.all():
        assert job.status == ImportJob.Status.REJECTED
    result = import_ormas(
        io.BytesIO(bytes(data)), filename="ormas.xlsx", region_code=None, actor=None
    )
    assert result.file_error  # the command and the job: a message, never an exception
