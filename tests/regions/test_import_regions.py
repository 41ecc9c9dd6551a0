from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sipko.regions.models import Kind, Region
from sipko.regions.services import BUNDLED_CSV, RegionFileError, regions_import
from tests.conftest import REGION_FIXTURE

HEADER = "kode,nama,tingkat,jenis,kode_induk,penduduk,luas_km2\n"


def _run(*args: str) -> dict[str, int]:
    from io import StringIO

    out = StringIO()
    call_command("import_regions", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_fixture_is_loaded_with_hierarchy_and_desa_adat() -> None:
    blitar = Region.objects.get(code="35.72")
    assert blitar.name == "Kota Blitar" and blitar.parent_id == "35"
    assert Region.objects.within("35.72").filter(level=3).count() == 3
    assert Region.objects.within("35.72").filter(level=4).count() == 21
    assert Region.objects.within("35.05").filter(level=3).count() == 22
    assert Region.objects.filter(kind=Kind.DESA_ADAT).exists()
    assert blitar.population and blitar.area_km2


def test_reimport_is_idempotent_and_reports_unchanged() -> None:
    total = Region.objects.count()
    assert _run(str(REGION_FIXTURE)) == {"created": 0, "updated": 0, "unchanged": total}
    assert Region.objects.count() == total


def test_update_changes_only_what_differs(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        HEADER + "35.72,Kota Blitar Baru,kabupaten_kota,kota,35,1,2.5\n", encoding="utf-8"
    )
    assert _run(str(path)) == {"created": 0, "updated": 1, "unchanged": 0}
    assert Region.objects.get(code="35.72").name == "Kota Blitar Baru"


def test_bundled_file_loads_a_province_subset() -> None:
    result = regions_import(BUNDLED_CSV, prefixes=("35.73",))  # Kota Malang and its ancestors
    assert result.created > 0
    assert Region.objects.filter(code__startswith="35.73.").exists()
    assert not Region.objects.filter(code__startswith="36").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("35.99.01.9,Salah,kelurahan_desa,desa,35.99.01,,\n", "kode"),
        ("35.99,X,kecamatan,kota,35,,\n", "tingkat"),
        ("35.99,X,kabupaten_kota,kampung,35,,\n", "jenis"),
        ("35.99,X,kabupaten_kota,kota,36,,\n", "kode induk"),
        ("35.99,,kabupaten_kota,kota,35,,\n", "nama kosong"),
        ("35.99,X,kabupaten_kota,kota,35,banyak,\n", "bukan angka"),
        ("77.01,X,kabupaten_kota,kota,77,,\n", "induk 77 tidak ada"),
    ],
)
def test_bad_rows_refuse_the_whole_file(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    good = "35.98,Kota Baik,kabupaten_kota,kota,35,,\n"
    path.write_text(HEADER + good + body, encoding="utf-8")
    with pytest.raises(RegionFileError) as info:
        regions_import(path)
    assert any(message in problem for problem in info.value.problems)
    assert not Region.objects.filter(code="35.98").exists()  # nothing half-written


def test_command_exit_codes(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as missing:
        call_command("import_regions", str(tmp_path / "nope.csv"))
    assert missing.value.returncode == 2
    path = tmp_path / "cols.csv"
    path.write_text("kode,nama\n35,Jawa Timur\n", encoding="utf-8")
    with pytest.raises(CommandError) as bad:
        call_command("import_regions", str(path))
    assert bad.value.returncode == 1
    binary = tmp_path / "binary.csv.gz"
    binary.write_bytes(gzip.compress(b"\xff\xfe\x00garbage"))
    with pytest.raises(CommandError):
        call_command("import_regions", str(binary))
