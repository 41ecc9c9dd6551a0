"""`manage.py import_ormas`: exit codes, the final JSON line, problems on stderr, the report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from sipko.registry.models import Ormas
from tests.registry.test_importer import (
    MESSY_HEADERS,
    MESSY_ROWS,
    kesbangpol_xlsx,
    sheet,
    write_xlsx,
)

JSON_KEYS = ["created", "updated", "unchanged", "duplicates", "errors", "warnings", "written"]


def command(*args: str) -> tuple[int, dict[str, object], str, str]:
    """(exit code, the JSON summary, stdout, stderr) of one run."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_ormas", *args, stdout=stdout, stderr=stderr)
    except CommandError as exc:
        code = exc.returncode
    out = stdout.getvalue()
    lines = out.strip().splitlines()
    summary = json.loads(lines[-1]) if lines else {}
    return code, summary, out, stderr.getvalue()


@pytest.fixture
def clean_file(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "bersih.xlsx", [MESSY_HEADERS, MESSY_ROWS[0], MESSY_ROWS[1]])


def test_success_exits_0_and_ends_with_the_json_line(clean_file):
    code, summary, out, err = command(str(clean_file), "--region", "35.72")

    assert code == 0
    assert list(summary) == JSON_KEYS
    assert summary == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "errors": 0,
        "warnings": 1,
        "written": True,
    }
    assert out.strip().splitlines() == [out.strip().splitlines()[-1]]  # only the JSON on stdout
    assert "baris 3, kolom KEC.: Kecamatan 'Kec. Sananwetaan' tidak ada persis" in err
    assert "2 baru" in err


def test_second_run_is_all_unchanged(clean_file):
    command(str(clean_file), "--region", "35.72")
    history = Ormas.history.count()

    code, summary, _out, _err = command(str(clean_file), "--region", "35.72")

    assert code == 0
    assert (summary["unchanged"], summary["created"], summary["updated"]) == (2, 0, 0)
    assert Ormas.history.count() == history


def test_rejected_input_exits_1_writes_nothing_and_reports(tmp_path):
    report = tmp_path / "laporan.xlsx"
    before = Ormas.objects.count()

    code, summary, _out, err = command(
        str(kesbangpol_xlsx(tmp_path / "ormas.xlsx")), "--region", "35.72", "--report", str(report)
    )

    assert code == 1
    assert summary["errors"] == 1 and summary["written"] is False
    assert Ormas.objects.count() == before
    assert "baris 9, kolom Kel/Desa: Kelurahan/desa 'Kelurahan Antah' tidak ditemukan" in err
    problems = list(load_workbook(report)["Masalah"].iter_rows(values_only=True))
    assert (9, "Kel/Desa", "galat") in {row[:3] for row in problems}


def test_skip_invalid_exits_0(tmp_path):
    code, summary, _out, _err = command(
        str(kesbangpol_xlsx(tmp_path / "ormas.xlsx")), "--region", "35.72", "--skip-invalid"
    )

    assert code == 0
    # No registered ormas here: only the in-file duplicate remains a duplicate.
    assert summary["written"] is True and summary["errors"] == 1
    assert (summary["created"], summary["duplicates"]) == (5, 1)


def test_dry_run_exits_0_without_errors_and_writes_nothing(clean_file):
    code, summary, _out, err = command(str(clean_file), "--region", "35.72", "--dry-run")

    assert code == 0
    assert summary["created"] == 2 and summary["written"] is False
    assert not Ormas.objects.exists()
    assert "uji coba" in err


def test_dry_run_with_errors_exits_1(tmp_path):
    code, summary, _out, _err = command(
        str(kesbangpol_xlsx(tmp_path / "ormas.xlsx")), "--region", "35.72", "--dry-run"
    )

    assert code == 1 and summary["written"] is False


def test_non_spreadsheet_exits_1_with_a_clear_message(tmp_path):
    fake = tmp_path / "daftar.xlsx"
    fake.write_bytes(b"%PDF-1.5\n%\xb5\xb5\xb5\xb5\n1 0 obj\n<<>>\nendobj\n")
    report = tmp_path / "laporan.xlsx"

    code, summary, _out, err = command(str(fake), "--region", "35.72", "--report", str(report))

    assert code == 1
    assert summary["written"] is False and summary["errors"] == 1
    assert "PDF" in err and "Traceback" not in err
    assert report.exists()


def test_csv_without_region_uses_the_kabkota_column(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kab/Kota", "Kecamatan"],
        ["A (fiktif)", "Kabupaten Blitar", "Wlingi"],
        name="k.csv",
    )

    code, summary, _out, _err = command(str(path))

    assert code == 0 and summary["created"] == 1
    assert Ormas.objects.get().region_id == "35.05.17"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Sebutkan berkas"),
        (("/tidak/ada/berkas.xlsx",), "tidak ditemukan"),
        (("{file}", "--region", "99.99"), "Kode wilayah tidak dikenal"),
        (("{file}", "--report", "/tidak/ada/folder/laporan.xlsx"), "Folder laporan"),
    ],
)
def test_usage_errors_exit_2(clean_file, args, message):
    args = tuple(a.format(file=clean_file) for a in args)
    stdout = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_ormas", *args, stdout=stdout, stderr=io.StringIO())

    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert not Ormas.objects.exists()


def test_an_unexpected_failure_is_a_message_not_a_traceback(clean_file, monkeypatch):
    from sipko.registry.management.commands import import_ormas as module

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(module, "import_ormas", explode)

    code, summary, _out, _err = command(str(clean_file), "--region", "35.72")

    assert code == 1
    assert summary["written"] is False and summary["errors"] == 1
