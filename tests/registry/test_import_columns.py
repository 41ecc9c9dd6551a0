"""Columns whose header is unknown (docs/import.md#unknown-columns): recognised by content, or a
warning listed first with masked samples; `--map` and `--ignore-unknown`; saved mappings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sipko.regions.models import Region
from sipko.registry import services
from sipko.registry.importer.columns import kinds_of, mask_personal
from sipko.registry.models import ImportColumnMapping, Ormas, Pengurus
from tests.registry.test_import_command import command
from tests.registry.test_importer import NIK, messages, run, sheet, write_xlsx

ORMAS = [
    "Perkumpulan Isi Satu (fiktif)",
    "Perkumpulan Isi Dua (fiktif)",
    "Yayasan Isi Tiga (fiktif)",
]


def _register(tmp_path, header: list[str], *columns: list[object], name: str = "isi.xlsx"):
    """A sheet with `Nama Ormas` first, then one column per list in `columns`."""
    rows = [["Nama Ormas", *header]]
    for number, ormas in enumerate(ORMAS):
        rows.append([ormas, *(column[number] for column in columns)])
    return sheet(tmp_path, *rows, name=name)


def column_problems(result, level: str | None = None):
    return [p for p in result.problems if p.row == 0 and (level is None or p.level == level)]


# --- recognition by content -------------------------------------------------------------------


def test_ahu_numbers_under_an_unknown_header(tmp_path):
    numbers = [f"AHU-000{n}234.AH.01.07.Tahun 2019" for n in range(1, 4)]
    result = run(_register(tmp_path, ["Legalitas Pusat", "Kec."], numbers, ["Sukorejo"] * 3))

    assert Ormas.objects.get(name=ORMAS[0]).ahu_number == "AHU-0001234.AH.01.07.Tahun 2019"
    [warning] = column_problems(result, "warning")
    assert warning.column == "Legalitas Pusat"
    assert "Nomor SK AHU" in warning.message and "3 dari 3" in warning.message


def test_skt_numbers_and_their_dates_under_unknown_headers(tmp_path):
    numbers = ["220/015/409.112/2021", "01-00-00/0012/I/2019", "SKT No. 12/2020"]
    dates = ["29/07/2021", "2019-07-30", "1 Agustus 2020"]
    result = run(
        _register(tmp_path, ["Nomor Induk", "Tanggal", "Kec."], numbers, dates, ["Sukorejo"] * 3)
    )

    ormas = Ormas.objects.get(name=ORMAS[0])
    assert (ormas.skt_number, ormas.skt_issued) == ("220/015/409.112/2021", dt.date(2021, 7, 29))
    fields = " | ".join(p.message for p in column_problems(result, "warning"))
    assert "Nomor SKT" in fields and "Tanggal terbit" in fields


def test_a_mix_of_skt_and_ahu_numbers_is_the_combined_column(tmp_path):
    numbers = ["220/015/409.112/2021", "AHU-0001234.AH.01.04.Tahun 2019", "220/016/409.112/2021"]
    run(_register(tmp_path, ["Dokumen", "Kec."], numbers, ["Sukorejo"] * 3))

    assert Ormas.objects.get(name=ORMAS[1]).ahu_number.startswith("AHU-0001234")
    assert Ormas.objects.get(name=ORMAS[2]).skt_number == "220/016/409.112/2021"


def test_an_impossible_date_in_a_column_recognised_by_content_is_an_error(tmp_path):
    numbers = ["220/1/410/2024", "220/2/410/2024", "220/3/410/2024", "220/4/410/2024"]
    dates = ["02/01/2024", "03/01/2024", "31/02/2024", "05/01/2024"]
    rows = [["Nama Ormas", "No. SKT", "Tgl. Pengesahan", "Kec."]]
    rows += [[f"Ormas Tanggal {n} (fiktif)", numbers[n], dates[n], "Sukorejo"] for n in range(4)]
    result = run(sheet(tmp_path, *rows))

    assert [o.status for o in result.rows] == ["created", "created", "error", "created"]
    assert "31/02/2024" in messages(result, 4, "error")
    assert not result.written


def test_phones_niks_emails_and_region_names_by_content(tmp_path):
    path = _register(
        tmp_path,
        ["Kontak Person", "Surat Elektronik", "Ketua", "Identitas", "Lokasi", "Lingkungan"],
        ["0812-3456-7890", "0342 801234", "+62 813 1111 2222"],
        ["a@contoh.id", "b@contoh.id", "c@contoh.id"],
        ["Budi (fiktif)", "Sari (fiktif)", "Tono (fiktif)"],
        [NIK, None, None],
        ["Sukorejo", "Kec. Sananwetan", "Kepanjenkidul"],
        ["Turi", "Gedog", "Sentul"],
    )
    result = run(path)

    first = Ormas.objects.get(name=ORMAS[0])
    assert (first.phone, first.email, first.region_id) == (
        "+6281234567890",
        "a@contoh.id",
        "35.72.02.1004",
    )
    assert Ormas.objects.get(name=ORMAS[1]).region_id == "35.72.03.1001"
    ketua = Pengurus.objects.get(ormas=first)
    assert ketua.nik_hash  # the NIK column was read (and stored protected)
    read = {p.column: p.message for p in column_problems(result, "warning")}
    assert "Telepon ormas" in read["Kontak Person"]
    assert "Surel" in read["Surat Elektronik"]
    assert "NIK ketua" in read["Identitas"]
    assert "Kecamatan" in read["Lokasi"] and "Kelurahan/desa" in read["Lingkungan"]
    assert NIK not in str(result.problems)


def test_content_never_takes_a_field_that_has_its_column(tmp_path):
    result = run(
        _register(
            tmp_path,
            ["Telp", "Nomor Lain", "Kec."],
            ["0812-3456-7890", None, None],
            ["0813-1111-2222", "0813-1111-3333", "0813-1111-4444"],
            ["Sukorejo"] * 3,
        )
    )

    assert Ormas.objects.get(name=ORMAS[0]).phone == "+6281234567890"
    [warning] = column_problems(result, "warning")
    assert warning.column == "Nomor Lain"
    assert "TIDAK diimpor" in warning.message and "HP ketua" not in warning.message


def test_a_date_column_nobody_can_place_is_a_warning_saying_it_holds_dates(tmp_path):
    result = run(_register(tmp_path, ["Kec.", "Dicatat"], ["Sukorejo"] * 3, ["01/02/2024"] * 3))

    [warning] = column_problems(result, "warning")
    assert "tanggal" in warning.message and "tidak jelas untuk isian yang mana" in warning.message


@pytest.mark.parametrize(
    ("value", "kinds"),
    [
        ("AHU-0001234.AH.01.07.Tahun 2019", {"ahu"}),
        ("220/123/409.xx/2023", {"number"}),
        ("01-00-00/012/II/2024", {"number"}),
        ("29/07/2025", {"date"}),
        ("29 Juli 2025", {"date"}),
        (dt.date(2025, 7, 29), {"date"}),
        (45867, {"date"}),
        ("0812-3456-7890", {"phone"}),
        (81234567890, {"phone"}),
        (NIK, {"nik"}),
        ("01.234.567.8-901.000", {"npwp"}),
        ("sekretariat@contoh.id", {"email"}),
        ("2019", set()),
        (150, set()),
        ("Sosial", set()),
    ],
)
def test_what_a_cell_looks_like(value, kinds):
    assert kinds_of(value) == kinds


# --- unknown columns --------------------------------------------------------------------------


def test_an_unknown_column_with_data_is_the_first_warning_with_masked_samples(tmp_path):
    notes = [f"KTP {NIK}", "hub. 0812-3456-7890", "lengkap"]
    result = run(
        _register(tmp_path, ["Kec.", "Catatan Petugas"], ["Sukorejo", "Antah", "Sukorejo"], notes)
    )

    first = result.problems[0]
    assert (first.row, first.column, first.level) == (0, "Catatan Petugas", "warning")
    assert "TIDAK diimpor" in first.message
    assert "3572••••••••0001" in first.message and "+62812•••••890" in first.message
    assert NIK not in first.message and "3456-7890" not in first.message
    assert result.unknown_columns[0].samples == [
        "KTP 3572••••••••0001",
        "hub. +62812•••••890",
        "lengkap",
    ]
    # A warning, not an error: the rows get their outcomes as before (SPEC §7).
    assert [o.status for o in result.rows] == ["created", "error", "created"]


def test_an_empty_unknown_column_is_only_a_note(tmp_path):
    result = run(_register(tmp_path, ["Kec.", "Paraf"], ["Sukorejo"] * 3, [None, "-", None]))

    assert [(p.column, p.level) for p in column_problems(result)] == [("Paraf", "info")]
    assert result.written


def test_a_column_without_a_header_holding_data_is_reported(tmp_path):
    path = write_xlsx(
        tmp_path / "tanpa.xlsx",
        [["Nama Ormas", "Kec.", None], [ORMAS[0], "Sukorejo", "catatan penting"]],
    )
    result = run(path)

    [warning] = column_problems(result, "warning")
    assert warning.column == "(tanpa judul, kolom C)"
    assert result.unknown_columns[0].key == "#C"


def test_masking_keeps_registration_numbers_readable():
    assert mask_personal("220/015/409.112/2021") == "220/015/409.112/2021"
    assert mask_personal("AHU-0001234.AH.01.07.Tahun 2019") == "AHU-0001234.AH.01.07.Tahun 2019"
    assert mask_personal(NIK) == "3572••••••••0001"


# --- mappings -------------------------------------------------------------------------------


def test_a_mapping_reads_or_drops_an_unknown_column(tmp_path):
    path = _register(tmp_path, ["Kec.", "Kegiatan Utama Ormas", "Catatan"], ["Sukorejo"] * 3,
                     ["Sosial", "Pendidikan", "Sosial"], ["a", "b", "c"])  # fmt: skip
    result = run(path, column_mapping={"kegiatanutamaormas": "bidang", "catatan": "ignore"})

    assert not column_problems(result, "warning")
    notes = " | ".join(p.message for p in column_problems(result, "info"))
    assert "dipetakan ke Bidang kegiatan" in notes and "diabaikan sesuai pemetaan" in notes
    assert list(Ormas.objects.get(name=ORMAS[1]).bidang.values_list("name", flat=True)) == [
        "Pendidikan"
    ]


def test_a_saved_mapping_applies_to_its_region_only(tmp_path, region_admin):
    services.import_column_mapping_save(
        actor=region_admin,
        region=Region.objects.get(code="35.72"),
        mapping={"catatan": "ignore", "telpsekre": "phone"},
        headers={"catatan": "Catatan", "telpsekre": "Telp Sekre"},
    )
    path = _register(tmp_path, ["Kec.", "Catatan", "Telp Sekre"], ["Sukorejo"] * 3, ["x"] * 3,
                     ["0812-3456-7890", None, None])  # fmt: skip
    result = run(path)

    notes = " | ".join(p.message for p in column_problems(result))
    assert "(pemetaan tersimpan)" in notes and "Telepon ormas" in notes
    assert Ormas.objects.get(name=ORMAS[0]).phone == "+6281234567890"

    elsewhere = run(path, region_code="35.05", column_mapping=None)
    assert "Catatan" in [p.column for p in column_problems(elsewhere, "warning")]


def test_the_mapping_service_refuses_an_out_of_region_actor_and_bad_fields(
    outside_admin, region_admin, viewer
):
    kota = Region.objects.get(code="35.72")
    for actor in (outside_admin, viewer):
        with pytest.raises(PermissionDenied):
            services.import_column_mapping_save(
                actor=actor, region=kota, mapping={"catatan": "ignore"}, headers={}
            )
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.import_column_mapping_save(
            actor=region_admin, region=kota, mapping={"catatan": "gaji"}, headers={}
        )
    assert not ImportColumnMapping.objects.exists()


# --- the command ------------------------------------------------------------------------------


def test_command_lists_the_unknown_column_first_and_still_imports(tmp_path):
    path = _register(tmp_path, ["Kec.", "Catatan"], ["Sukorejo"] * 3, ["a", "b", "c"])
    code, summary, _out, err = command(str(path), "--region", "35.72")

    assert code == 0 and summary["written"] is True
    lines = err.strip().splitlines()
    assert lines[0].startswith("berkas, kolom Catatan: Kolom tidak dikenali berisi data")
    assert "[peringatan]" in lines[0]
    assert "--ignore-unknown" in lines[-1]


def test_command_map_and_ignore_unknown(tmp_path):
    path = _register(tmp_path, ["Kec.", "Catatan", "Tgl Sah"], ["Sukorejo"] * 3, ["a", "b", "c"],
                     ["01/02/2024"] * 3)  # fmt: skip
    code, _summary, _out, err = command(
        str(path),
        "--region",
        "35.72",
        "--map",
        "Catatan=abaikan",
        "--map",
        "TGL. SAH=founding_year",
    )
    assert code == 0 and "peringatan" not in err.split("\n")[0]
    assert Ormas.objects.get(name=ORMAS[0]).founding_year == 2024

    code, _summary, _out, err = command(
        str(path), "--region", "35.72", "--ignore-unknown", "--dry-run"
    )
    assert code == 0
    assert "diabaikan atas permintaan" in err and "TIDAK diimpor" not in err


@pytest.mark.parametrize("value", ["Catatan", "Catatan=gaji", "=phone"])
def test_command_refuses_a_bad_map(tmp_path, value):
    path = _register(tmp_path, ["Kec."], ["Sukorejo"] * 3)
    code, _summary, _out, _err = command(str(path), "--map", value)
    assert code == 2
