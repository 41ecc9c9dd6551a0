"""How the importer reads single cells and headers: synonyms, dates, regions, numbers, phones,
bidang and legal forms. Each goes through a real (small) spreadsheet, so the whole path from
cell to stored value is exercised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sipko.registry.importer.headers import FIELD_BY_KEY, SYNONYMS, header_key
from sipko.registry.models import ActivityStatus, LegalForm, Ormas
from tests.registry.test_importer import (
    messages,
    outcome,
    run,
    serial,
    sheet,
    write_csv,
    write_xlsx,
)

# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field_name", "synonym"),
    [(field_name, synonym) for field_name, synonyms in SYNONYMS.items() for synonym in synonyms],
)
def test_every_synonym_matches_regardless_of_case_space_and_punctuation(field_name, synonym):
    variants = [
        synonym,
        synonym.upper(),
        synonym.lower(),
        f"  {synonym.replace(' ', '   ')} ",
        synonym.replace(".", ""),
        f"{synonym}\n(wajib)",
    ]
    assert {FIELD_BY_KEY.get(header_key(v)) for v in variants} == {field_name}


def test_docs_list_every_header_synonym():
    docs = (Path(__file__).parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    missing = [s for synonyms in SYNONYMS.values() for s in synonyms if f"`{s}`" not in docs]
    assert missing == []


def test_alternative_headers_fill_every_field(tmp_path):
    """One spreadsheet using a second synonym from every group."""
    cells = [
        ("No.", 1),
        ("Nama Lembaga", "Perkumpulan Guru Ngaji Nusantara (fiktif)"),
        ("Akronim", "PGNN"),
        ("Nomor SKT", "01-00-00/77/VII/2022"),
        ("Tanggal Terbit", "1 Agustus 2022"),
        ("Berlaku s.d.", "01/08/2027"),
        ("SK AHU", "AHU-0000077.AH.01.07.TAHUN 2021"),
        ("Tgl SK AHU", "5 Mei 2021"),
        ("Kab/Kota", "Kota Blitar"),
        ("Kecamatan", "Kec. Kepanjenkidul"),
        ("Kelurahan/Desa", "Kel. Bendo"),
        ("Alamat Kantor", "Jl. Kenanga 10"),
        ("Jenis Kegiatan", "Keagamaan"),
        ("Status Badan Hukum", "Perkumpulan Berbadan Hukum"),
        ("Telepon", "(0342) 801234"),
        ("E-mail", "PGNN@Contoh.id"),
        ("NPWP", "01.234.567.8-654.000"),
        ("Thn Berdiri", "Tahun 2001"),
        ("Keaktifan", "Vakum"),
        ("Ketua Umum", "H. Ahmad"),
        ("NIK Ketua", "3572014107900002"),
        ("Telp Ketua", "0857 1234 5678"),
        ("Jml Anggota", "1.250 orang"),
    ]
    headers, row = zip(*cells, strict=True)
    result = run(write_xlsx(tmp_path / "alt.xlsx", [headers, row]), region_code=None)

    assert outcome(result, 2).status == "created", outcome(result, 2).messages
    ormas = Ormas.objects.get(acronym="PGNN")
    assert ormas.skt_number == "01-00-00/77/VII/2022"
    assert (ormas.skt_issued, ormas.skt_expires) == (dt.date(2022, 8, 1), dt.date(2027, 8, 1))
    assert ormas.ahu_number == "AHU-0000077.AH.01.07.Tahun 2021"
    assert ormas.ahu_date == dt.date(2021, 5, 5)
    assert ormas.region_id == "35.72.01.1006"
    assert ormas.address == "Jl. Kenanga 10"
    assert {b.code for b in ormas.bidang.all()} == {"keagamaan"}
    assert ormas.legal_form == LegalForm.PERKUMPULAN
    assert ormas.phone == "+62342801234"
    assert ormas.email == "pgnn@contoh.id"
    assert ormas.npwp == "012345678654000"
    assert ormas.founding_year == 2001
    assert ormas.activity_status == ActivityStatus.TIDAK_AKTIF
    assert ormas.members_count == 1250
    chairman = ormas.pengurus.get()
    assert (chairman.name, chairman.phone) == ("H. Ahmad", "+6285712345678")
    assert chairman.nik_masked.startswith("3572")


def test_two_level_header_with_merged_group_cells(tmp_path):
    rows = [
        ["DAFTAR ORMAS"],
        ["No", "Nama Ormas", "SKT", None, "Ketua", None, "Kecamatan"],
        [None, None, "Nomor", "Tanggal", "Nama", "HP"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],  # column numbering under headers
        [
            1,
            "Sanggar Tari Melati (fiktif)",
            "220/5/2023",
            "03/01/2023",
            "Rina",
            "081234567890",
            "Sukorejo",
        ],
        ["KECAMATAN SANANWETAN"],  # a section heading merged across the table
        [2, "Sanggar Tari Mawar (fiktif)", "220/6/2023", "04/01/2023", None, None, "Sananwetan"],
    ]
    merges = ["A1:G1", "A2:A3", "B2:B3", "C2:D2", "E2:F2", "G2:G3", "A6:G6"]
    result = run(write_xlsx(tmp_path / "dua.xlsx", rows, merges=merges))

    assert [(o.row, o.status) for o in result.rows] == [(5, "created"), (7, "created")]
    melati = Ormas.objects.get(name="Sanggar Tari Melati (fiktif)")
    assert (melati.skt_number, melati.skt_issued) == ("220/5/2023", dt.date(2023, 1, 3))
    assert melati.pengurus.get().name == "Rina"
    assert Ormas.objects.get(name="Sanggar Tari Mawar (fiktif)").region_id == "35.72.03"


def test_vertically_merged_kecamatan_applies_to_every_row(tmp_path):
    rows = [["Nama Ormas", "Kecamatan"], ["A (fiktif)", "Sukorejo"], ["B (fiktif)", None]]
    run(write_xlsx(tmp_path / "v.xlsx", rows, merges=["B2:B3"]))

    assert Ormas.objects.get(name="B (fiktif)").region_id == "35.72.02"


def test_unknown_columns_are_reported_first(tmp_path):
    """An unknown column holding data is a warning (its data is not imported); an empty one
    is a note. Both come before the rows' problems (tests/registry/test_import_columns.py)."""
    result = run(
        sheet(
            tmp_path,
            ["Nama Ormas", "Kec.", "Catatan Petugas", "Paraf"],
            ["A (fiktif)", "Sukorejo", "ok", None],
            name="u.csv",
        )
    )

    assert [(p.row, p.column, p.level) for p in result.problems] == [
        (0, "Catatan Petugas", "warning"),
        (0, "Paraf", "info"),
    ]


def test_sheet_with_the_register_is_chosen_among_several(tmp_path):
    path = write_xlsx(
        tmp_path / "multi.xlsx",
        [["Rekap jumlah ormas per kecamatan"], ["Sukorejo", 3]],
        extra_sheets={"Daftar": [["Nama Ormas", "Kec."], ["A (fiktif)", "Sukorejo"]]},
    )

    result = run(path)

    assert result.sheet == "Daftar"
    assert [o.status for o in result.rows] == ["created"]


# --- dates --------------------------------------------------------------------------------------

JULY_29 = dt.date(2025, 7, 29)


@pytest.mark.parametrize(
    "cell",
    [
        serial(JULY_29),
        float(serial(JULY_29)),
        dt.datetime(2025, 7, 29, 0, 0),
        "29/07/2025",
        "29-07-2025",
        "2025-07-29",
        "29 Juli 2025",
        "29 Jul 2025",
        " 29  JULI 2025 ",
        "Selasa, 29 Juli 2025",
        "2025-07-29 00:00:00",  # exported from another system
        "29/07/2025 0:00",
        str(serial(JULY_29)),
    ],
)
def test_every_date_format(tmp_path, cell):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "No. SKT", "Tanggal SKT"],
        ["A (fiktif)", "Sukorejo", "220/1/2025", cell],
        name="d.xlsx",
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    ormas = Ormas.objects.get(name="A (fiktif)")
    assert ormas.skt_issued == JULY_29
    assert ormas.skt_expires == dt.date(2030, 7, 29)  # SKT: five years by default


@pytest.mark.parametrize("cell", ["31/02/2025", "07/29/2025", "kemarin", "29 Juliani 2025"])
def test_an_unreadable_date_is_an_error_naming_the_column(tmp_path, cell):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "No. SKT", "Tgl SKT"],
        ["A (fiktif)", "Sukorejo", "220/1/2025", cell],
        name="d.csv",
    )
    result = run(path)

    problem = next(p for p in outcome(result, 2).messages if p.level == "error")
    assert problem.column == "Tgl SKT"
    assert cell in problem.message


@pytest.mark.parametrize(
    ("cell", "issued", "expires"),
    [
        ("5 tahun", dt.date(2020, 1, 2), dt.date(2025, 1, 2)),
        ("02/01/2020 s.d. 02/01/2023", dt.date(2020, 1, 2), dt.date(2023, 1, 2)),
        ("02/01/2020 s/d 02/01/2023", dt.date(2020, 1, 2), dt.date(2023, 1, 2)),
    ],
)
def test_validity_written_as_a_range_or_a_duration(tmp_path, cell, issued, expires):
    path = write_csv(
        tmp_path / "m.csv",
        [
            ["Nama Ormas", "Kec.", "No. SKT", "Tgl SKT", "Masa Berlaku"],
            ["A (fiktif)", "Sukorejo", "1/2020", "02/01/2020", cell],
        ],
    )
    run(path)

    ormas = Ormas.objects.get(name="A (fiktif)")
    assert (ormas.skt_issued, ormas.skt_expires) == (issued, expires)


# --- regions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kecamatan", "kelurahan", "code"),
    [
        ("Sukorejo", "Pakunden", "35.72.02.1001"),
        ("KEC. SUKOREJO", "KEL. PAKUNDEN", "35.72.02.1001"),
        ("Kecamatan Kepanjen Kidul", "Kelurahan Kepanjen Lor", "35.72.01.1007"),
        ("sananwetan", "Desa Gedog", "35.72.03.1001"),
        ("Sananwetan", None, "35.72.03"),  # only the kecamatan: the ormas sits there
        (None, "Tlumpu", "35.72.02.1003"),  # kelurahan alone, unique in the city
        (None, None, "35.72"),
    ],
)
def test_region_names_match_exactly(tmp_path, kecamatan, kelurahan, code):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "Kel."], ["A (fiktif)", kecamatan, kelurahan], name="r.csv"
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    assert not outcome(result, 2).messages
    assert Ormas.objects.get(name="A (fiktif)").region_id == code


@pytest.mark.parametrize(
    ("kecamatan", "kelurahan", "column", "matched", "code"),
    [
        ("Sananwetaan", "Gedog", "Kec.", "Kecamatan Sananwetan", "35.72.03.1001"),
        ("Sukorejo", "Pakundenn", "Kel.", "Kelurahan Pakunden", "35.72.02.1001"),
        ("Kepanjenkidull", None, "Kec.", "Kecamatan Kepanjenkidul", "35.72.01"),
    ],
)
def test_close_misspelling_matches_with_a_warning(
    tmp_path, kecamatan, kelurahan, column, matched, code
):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "Kel."], ["A (fiktif)", kecamatan, kelurahan], name="r.csv"
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    warning = next(p for p in outcome(result, 2).messages if p.level == "warning")
    assert warning.column == column and matched in warning.message
    assert Ormas.objects.get(name="A (fiktif)").region_id == code


@pytest.mark.parametrize(
    ("kecamatan", "kelurahan", "column", "text"),
    [
        ("Sukorejo", "Antah Berantah", "Kel.", "tidak ditemukan"),
        ("Kecamatan Nusantara", "Gedog", "Kec.", "tidak ditemukan"),
        ("Sukorejo", "Gedog", "Kel.", "Kecamatan Sananwetan"),  # Gedog is in another kecamatan
        ("Wlingi", None, "Kec.", "tidak ditemukan"),  # a Kabupaten Blitar kecamatan
    ],
)
def test_unknown_region_names_are_errors(tmp_path, kecamatan, kelurahan, column, text):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "Kel."], ["A (fiktif)", kecamatan, kelurahan], name="r.csv"
    )
    result = run(path)

    error = next(p for p in outcome(result, 2).messages if p.level == "error")
    assert error.column == column and text in error.message


def test_without_region_or_kabkota_column_every_row_asks_for_region(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["Nama Ormas", "Kec."], ["A (fiktif)", "Sukorejo"]])

    result = run(path, region_code=None)

    assert outcome(result, 2).status == "error"
    assert "--region" in messages(result, 2, "error")


def test_kabkota_column_resolves_names_without_region(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kabupaten/Kota", "Kecamatan", "Desa"],
        ["A (fiktif)", "Kab. Blitar", "Wonodadi", "Kunir"],
        ["B (fiktif)", "KOTA BLITAR", "Sukorejo", None],
        ["C (fiktif)", "Blitar", "Sukorejo", None],  # Kota or Kabupaten? ambiguous
        name="r.csv",
    )

    result = run(path, region_code=None, skip_invalid=True)

    assert Ormas.objects.get(name="A (fiktif)").region_id == "35.05.01.2010"
    assert Ormas.objects.get(name="B (fiktif)").region_id == "35.72.02"
    assert outcome(result, 4).status == "error"
    assert "Kota Blitar" in messages(result, 4) and "Kabupaten Blitar" in messages(result, 4)


def test_region_option_disambiguates_and_restricts(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kab/Kota", "Kecamatan"],
        ["A (fiktif)", "Blitar", "Sukorejo"],
        ["B (fiktif)", "Kabupaten Malang", "Pagak"],
        name="r.csv",
    )

    result = run(path, region_code="35.72")

    assert [o.status for o in result.rows] == ["created", "error"]
    assert "di luar wilayah impor Kota Blitar" in messages(result, 3, "error")


def test_region_code_of_kabupaten_blitar(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kecamatan", "Desa"],
        ["A (fiktif)", "Srengat", "Togogan"],
        name="r.csv",
    )
    run(path, region_code="3505")

    assert Ormas.objects.get(name="A (fiktif)").region_id == "35.05.03.1004"


# --- registration numbers -----------------------------------------------------------------------

COMBINED = "No. SKT / SK Kemenkumham"


@pytest.mark.parametrize(
    ("cell", "letter_type", "field_name", "stored"),
    [
        ("AHU-0012345.AH.01.07.Tahun 2020", None, "ahu_number", "AHU-0012345.AH.01.07.Tahun 2020"),
        ("ahu-12345.ah.01.07.tahun2020", None, "ahu_number", "AHU-12345.AH.01.07.Tahun 2020"),
        (
            "No. AHU-0012345.AH.01.04.TAHUN 2020",
            None,
            "ahu_number",
            "AHU-0012345.AH.01.04.Tahun 2020",
        ),
        ("01-00-00/0012/I/2019", None, "skt_number", "01-00-00/0012/I/2019"),
        ("No. 220/15/409.112/2021", None, "skt_number", "220/15/409.112/2021"),
        ("220/15/409.112/2021", "SKL", "local_letter_number", "220/15/409.112/2021"),
        ("SKTL No. 45/2022", None, "local_letter_number", "45/2022"),
        ("220/15/409.112/2021", "SKT", "skt_number", "220/15/409.112/2021"),
    ],
)
def test_combined_number_column_tells_ahu_from_skt_and_local(
    tmp_path, cell, letter_type, field_name, stored
):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", COMBINED, "Jenis Surat"],
        ["A (fiktif)", "Sukorejo", cell, letter_type],
        name="n.xlsx",
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    ormas = Ormas.objects.get(name="A (fiktif)")
    numbers = {f: getattr(ormas, f) for f in ("ahu_number", "skt_number", "local_letter_number")}
    assert numbers == {f: (stored if f == field_name else "") for f in numbers}


def test_local_letter_type_is_recorded(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", COMBINED, "Jenis Surat"],
        ["A (fiktif)", "Sukorejo", "12/2020", "STTL"],
        name="n.xlsx",
    )
    run(path)

    assert Ormas.objects.get(name="A (fiktif)").local_letter_type == "STTL"


def test_both_numbers_in_one_cell(tmp_path):
    cell = "AHU-0012345.AH.01.07.Tahun 2020\n220/15/409.112/2021"
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", COMBINED], ["A (fiktif)", "Sukorejo", cell], name="n.xlsx"
    )
    run(path)

    ormas = Ormas.objects.get(name="A (fiktif)")
    assert ormas.ahu_number == "AHU-0012345.AH.01.07.Tahun 2020"
    assert ormas.skt_number == "220/15/409.112/2021"


@pytest.mark.parametrize("cell", ["AHU-12.AH.01.07", "AHU 0012345 tahun 2020"])
def test_malformed_ahu_number_is_an_error(tmp_path, cell):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "SK AHU"], ["A (fiktif)", "Sukorejo", cell], name="n.xlsx"
    )
    result = run(path)

    assert outcome(result, 2).status == "error"
    assert outcome(result, 2).messages[0].column == "SK AHU"


@pytest.mark.parametrize("cell", ["-", "Belum terdaftar", "proses", "tidak ada", None])
def test_no_number_is_an_unregistered_ormas(tmp_path, cell):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "No. SKT"], ["A (fiktif)", "Sukorejo", cell], name="n.xlsx"
    )
    result = run(path)

    assert outcome(result, 2).status == "created" and not outcome(result, 2).messages
    assert Ormas.objects.get(name="A (fiktif)").registration_kind == "none"


@pytest.mark.parametrize(
    ("form_cell", "ahu", "legal_form", "warns"),
    [
        (None, "AHU-0000001.AH.01.07.Tahun 2020", LegalForm.PERKUMPULAN, False),
        (None, "AHU-0000001.AH.01.04.Tahun 2020", LegalForm.YAYASAN, False),
        (None, None, LegalForm.TIDAK_BERBADAN_HUKUM, False),
        ("Yayasan", "AHU-0000001.AH.01.07.Tahun 2020", LegalForm.YAYASAN, True),  # mismatch
        ("Belum Berbadan Hukum", None, LegalForm.TIDAK_BERBADAN_HUKUM, False),
        ("Non Badan Hukum", None, LegalForm.TIDAK_BERBADAN_HUKUM, False),
        ("-", None, LegalForm.TIDAK_BERBADAN_HUKUM, False),
        ("Berbadan Hukum", "AHU-0000001.AH.01.04.Tahun 2020", LegalForm.YAYASAN, False),
        ("Ormas Asing", None, LegalForm.ORMAS_ASING, False),
        ("Koperasi", None, LegalForm.LAINNYA, True),  # unknown word: kept as lainnya
    ],
)
def test_legal_form(tmp_path, form_cell, ahu, legal_form, warns):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "Bentuk", "SK AHU"],
        ["A (fiktif)", "Sukorejo", form_cell, ahu],
        name="f.xlsx",
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    assert outcome(result, 2).has_warning is warns
    ormas = Ormas.objects.get(name="A (fiktif)")
    assert ormas.legal_form == legal_form
    assert ormas.legal_form_other == ("Koperasi" if legal_form == LegalForm.LAINNYA else "")


# --- phones and other profile cells ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 342 801234", "+62342801234"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("(0342) 801234", "+62342801234"),
        (81234567890, "+6281234567890"),  # a number cell lost its leading zero
        ("0812-3456-7890 / 0342-801234", "+6281234567890"),
    ],
)
def test_phones_are_normalised(tmp_path, cell, stored):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "No. HP"], ["A (fiktif)", "Sukorejo", cell], name="p.xlsx"
    )
    run(path)

    assert Ormas.objects.get(name="A (fiktif)").phone == stored


def test_unreadable_phone_is_a_warning_and_dropped(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "Telp"],
        ["A (fiktif)", "Sukorejo", "hubungi ketua"],
        name="p.csv",
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    assert "hubungi ketua" in messages(result, 2, "warning")
    assert Ormas.objects.get(name="A (fiktif)").phone == ""


@pytest.mark.parametrize(
    ("column", "cell", "field_name"),
    [
        ("NPWP", "12.345.678", "npwp"),
        ("Tahun Berdiri", "1750", "founding_year"),
        ("Tahun Berdiri", "tidak tahu", "founding_year"),
        ("Email", "bukan-surel", "email"),
        ("Jumlah Anggota", "banyak", "members_count"),
        ("Status", "entahlah", "activity_status"),
    ],
)
def test_bad_profile_values_are_warnings_and_dropped(tmp_path, column, cell, field_name):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", column], ["A (fiktif)", "Sukorejo", cell], name="w.csv"
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    warning = next(p for p in outcome(result, 2).messages if p.level == "warning")
    assert warning.column == column
    default = Ormas._meta.get_field(field_name).get_default()
    assert getattr(Ormas.objects.get(name="A (fiktif)"), field_name) == default


@pytest.mark.parametrize(
    ("cell", "codes", "other"),
    [
        ("Sosial", {"sosial"}, ""),
        ("Sosial Keagamaan", {"sosial", "keagamaan"}, ""),
        ("Seni, budaya dan adat", {"seni_budaya_adat"}, ""),
        ("pendidikan/ kesehatan", {"pendidikan", "kesehatan"}, ""),
        ("Pemuda dan Olahraga", {"kepemudaan", "olahraga_hobi"}, ""),
        ("Kicau Mania", {"lainnya"}, "Kicau Mania"),
        ("Lingkungan; Pecinta Kereta Api", {"lingkungan", "lainnya"}, "Pecinta Kereta Api"),
    ],
)
def test_bidang_words(tmp_path, cell, codes, other):
    path = sheet(
        tmp_path, ["Nama Ormas", "Kec.", "Bidang"], ["A (fiktif)", "Sukorejo", cell], name="b.xlsx"
    )
    result = run(path)

    assert outcome(result, 2).status == "created"
    assert outcome(result, 2).has_warning is bool(other)
    ormas = Ormas.objects.get(name="A (fiktif)")
    assert {b.code for b in ormas.bidang.all()} == codes
    assert ormas.bidang_other == other


def test_windows_1252_csv_with_semicolons(tmp_path):
    path = write_csv(
        tmp_path / "cp1252.csv",
        [
            ["DAFTAR ORMAS KOTA BLITAR"],
            [],
            ["No", "Nama Ormas", "Kecamatan", "Kelurahan", "Alamat", "Bidang", "Telepon"],
            [
                1,
                "Sanggar Tari Péni Café (fiktif)",
                "Sukorejo",
                "Turi",
                "Jl. Ngéblak 2",
                "Seni Budaya",
                "0812-3456-7890",
            ],
        ],
        encoding="cp1252",
    )
    result = run(path)

    assert outcome(result, 4).status == "created"
    ormas = Ormas.objects.get(region_id="35.72.02.1004")
    assert ormas.name == "Sanggar Tari Péni Café (fiktif)"
    assert ormas.address == "Jl. Ngéblak 2"


def test_utf8_bom_csv_with_commas_and_quotes(tmp_path):
    text = (
        "\ufeffNama Ormas,Kecamatan,Alamat\r\n"
        '"Paguyuban ""Rukun"", Sejahtera (fiktif)",Sananwetan,"Jl. A, No. 1"\r\n'
    )
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))

    run(path)

    ormas = Ormas.objects.get(region_id="35.72.03")
    assert (ormas.name, ormas.address) == ('Paguyuban "Rukun", Sejahtera (fiktif)', "Jl. A, No. 1")


def test_blank_footer_and_repeated_header_rows_are_skipped(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Kecamatan"],
        [1, "A (fiktif)", "Sukorejo"],
        [],
        ["No", "Nama Ormas", "Kecamatan"],  # printed over two pages
        [2, "B (fiktif)", "Sukorejo"],
        ["", "Jumlah", "2"],
        ["", "", "Blitar, 1 Agustus 2025"],
        ["", "", "Kepala Badan Kesbangpol"],
        name="s.csv",
    )
    result = run(path)

    assert [(o.row, o.status) for o in result.rows] == [(2, "created"), (5, "created")]


def test_row_without_name_but_with_data_is_an_error(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kecamatan", "No. SKT"],
        ["", "Sukorejo", "220/1/2020"],
        name="s.csv",
    )
    result = run(path)

    assert outcome(result, 2).status == "error"
    assert outcome(result, 2).messages[0].column == "Nama Ormas"


def test_signature_block_below_the_table_is_not_an_ormas(tmp_path):
    path = sheet(
        tmp_path,
        ["No", "Nama Ormas", "Kecamatan"],
        [1, "A (fiktif)", "Sukorejo"],
        [2, "B (fiktif)", None],  # numbered: an ormas even with a single cell
        [],
        [None, "Mengetahui,"],
        [None, "Kepala Badan Kesbangpol Kota Blitar"],
        [None, "Drs. Nama Pejabat, M.Si."],
        name="ttd.xlsx",
    )
    result = run(path)

    assert [(o.row, o.status) for o in result.rows] == [(2, "created"), (3, "created")]
    notes = [p for p in result.problems if p.level == "info"]
    assert [p.row for p in notes] == [5, 6, 7]
    assert not Ormas.objects.filter(name__icontains="Mengetahui").exists()
