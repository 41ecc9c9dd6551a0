"""Cases found by trying real-shaped sheets: the first ormas under a one-row header, two columns
read as one field, repeated headers, masked dates, an impossible founding date, a NIK header."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sipko.regions.models import Region
from sipko.registry import services
from sipko.registry.importer.columns import mask_personal
from sipko.registry.models import Ormas, Pengurus
from tests.registry.test_importer import NIK, run, sheet

DRY = {"dry_run": True}


def _unknown(result):
    return [p for p in result.problems if p.row == 0 and p.level == "warning"]


def test_the_first_ormas_is_never_read_as_a_second_header_row(tmp_path):
    path = sheet(
        tmp_path,
        ["DAFTAR ORMAS KOTA BLITAR (fiktif)"],
        ["No", "Nama Ormas", "Alamat", "Nama Ketua", "Ket."],
        [1, "Paguyuban Seni Reog (fiktif)", "Jl. Merdeka 5", "Budi Santoso", "Aktif"],
        [2, "Forum Pemuda (fiktif)", "Jl. Bali 7", "Siti Aminah", "Aktif"],
        [3, "LSM Cahaya (fiktif)", "Jl. Jawa 1", "Ahmad Dahlan", "Tidak Aktif"],
    )
    result = run(path)
    assert set(Ormas.objects.values_list("name", flat=True)) == {
        "Paguyuban Seni Reog (fiktif)",
        "Forum Pemuda (fiktif)",
        "LSM Cahaya (fiktif)",
    }
    assert result.summary()["created"] == 3


def test_a_first_row_holding_a_nik_never_becomes_a_header(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Nama Ketua", "Ket."],
        [1, "Paguyuban Satu (fiktif)", "Budi Santoso", f"rahasia {NIK}"],
        [2, "Paguyuban Dua (fiktif)", "Siti Aminah", "Aktif"],
    )
    result = run(path, **DRY)
    text = " ".join(f"{p.column} {p.message}" for p in result.problems)
    assert NIK not in text
    assert result.summary()["created"] == 2


def test_a_second_column_read_as_the_same_field_is_not_lost(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "No. Telp Kantor", "No. HP"],
        [1, "Paguyuban Telepon (fiktif)", "0342801234", "081234567890"],
        name="telp.csv",
    )
    result = run(path, **DRY)
    [warning] = _unknown(result)
    assert warning.column == "No. HP"
    assert "Telepon ormas" in warning.message and "nilai yang berbeda" in warning.message
    assert "+62812•••••890" in warning.message  # masked sample


def test_the_same_column_twice_with_the_same_values_stays_quiet(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Telp", "HP"],
        [1, "Paguyuban Sama (fiktif)", "081234567890", "081234567890"],
        name="sama.csv",
    )
    assert _unknown(run(path, **DRY)) == []


def test_repeated_headers_are_mapped_one_by_one(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Catatan", "Alamat", "Catatan"],
        [1, "Paguyuban Catatan (fiktif)", "a", "Jl. Satu", "b"],
        name="catatan.csv",
    )
    result = run(path, **DRY)
    keys = [column.key for column in result.unknown_columns]
    assert keys == ["catatan", "catatan#2"]
    assert [p.column for p in _unknown(result)] == ["Catatan", "Catatan (kolom E)"]
    # Each can be settled on its own.
    mapped = run(path, column_mapping={"catatan": "ignore", "catatan#2": "ignore"}, **DRY)
    assert _unknown(mapped) == []


def test_dates_in_samples_are_not_masked_as_phones():
    assert mask_personal("220/16/410.207/2022, 01-04-2022") == "220/16/410.207/2022, 01-04-2022"
    assert mask_personal("12-03-2021") == "12-03-2021"
    assert mask_personal(f"KTP {NIK}") != f"KTP {NIK}"


def test_an_impossible_founding_date_is_not_read_for_its_year(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Tgl\nBerdiri"],
        [1, "Paguyuban Februari (fiktif)", "31-02-2024"],
        [2, "Paguyuban Maret (fiktif)", "01-03-2001"],
        name="berdiri.csv",
    )
    run(path)
    years = dict(Ormas.objects.values_list("name", "founding_year"))
    assert years == {"Paguyuban Februari (fiktif)": None, "Paguyuban Maret (fiktif)": 2001}


def test_the_long_name_of_a_nik_header_is_known(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Nama Ketua", "Nomor Induk Kependudukan Ketua"],
        [1, "Paguyuban NIK (fiktif)", "Budi Santoso", NIK],
    )
    result = run(path)
    assert _unknown(result) == []
    chair = Pengurus.objects.get(ormas__name="Paguyuban NIK (fiktif)")
    assert chair.nik_hash and chair.nik_masked.endswith(NIK[-4:])


@pytest.mark.parametrize("code", ["35", "35.72.01"])
def test_mappings_are_saved_for_a_kabupaten_or_kota_only(code, national_admin):
    with pytest.raises(ValidationError):
        services.import_column_mapping_save(
            actor=national_admin,
            region=Region.objects.get(code=code),
            mapping={"catatan": "ignore"},
            headers={"catatan": "Catatan"},
        )


def test_the_command_maps_the_second_of_two_repeated_headers(tmp_path):
    from tests.registry.test_import_command import command

    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Catatan", "Catatan"],
        [1, "Paguyuban Ulang (fiktif)", "a", "b"],
        name="ulang.csv",
    )
    code, _summary, out, err = command(
        str(path),
        "--region",
        "35.72",
        "--dry-run",
        "--map",
        "Catatan=abaikan",
        "--map",
        "Catatan#2=abaikan",
    )
    assert code == 0 and "TIDAK diimpor" not in out + err
