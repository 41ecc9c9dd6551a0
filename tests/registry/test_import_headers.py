"""Header matching (docs/import.md#headers): abbreviations, combined columns in any order, notes
in brackets, line breaks, close spellings — and no match across fields."""

from __future__ import annotations

import datetime as dt

import pytest

from sipko.registry.importer.headers import SYNONYMS, match_header
from sipko.registry.models import Ormas
from tests.registry.test_importer import messages, run, sheet, write_csv, write_xlsx

# fmt: off
VARIANTS = {
    "row_number": ["No", "NO.", "Nmr", "Nomor Urut", "No. Urut", "NOMER"],
    "name": ["NAMA ORMAS", "Nama\nOrganisasi", "Nama Ormas / Organisasi", "NamaOrmas",
             "Nama Ormas (sesuai AD/ART)", "Nama Lengkap Ormas", "Nama Organisasi Kemasyarakatan"],
    "acronym": ["Singk.", "AKRONIM", "Nama Singkatan Ormas"],
    "skt_number": ["No SKT", "NOMOR SKT\n(Kesbangpol)", "Nmr. SKT", "SKT", "NoSKT",
                   "Nomor Surat Keterangan Terdaftar (SKT)", "No. SKT [terbaru]"],
    "registration_number": ["SK / SKT", "SKT-SK AHU", "Nomor SK/SKT", "SK AHU / SKT",
                            "No. SKT & SK Kemenkumham", "SKT / AHU", "NO. SK KEMENKUMHAM / SKT",
                            "Nomor Registrasi Kesbangpol", "No.\nSK/SKT", "No. Register"],
    "issued": ["Tgl SKT", "TGL. TERBIT SKT", "Tanggal\nSKT", "Tanggal SKT (dd/mm/yyyy)",
               "Tgl Pengesahan SKT", "Tgl SKT/SK AHU", "Tanggal Pendaftaran",
               "TglSKT", "Tanggal Terdaftar"],
    "expires": ["Berlaku s/d", "MASA BERLAKU SKT", "Berlaku S.D", "Tgl Kadaluarsa",
                "Berlaku hingga (tgl)", "Tgl. Berakhir SKT",
                "Tanggal SKT dan Masa Berlaku"],  # a range "A s.d. B": start and end
    "ahu_number": ["No. SK AHU", "SK KEMENKUMHAM", "Nomor SK Kemenkumham RI", "No AHU",
                   "Nmr SK Badan Hukum"],
    "ahu_date": ["Tgl SK AHU", "Tanggal SK Kemenkumham", "TGL AHU"],
    "kabkota": ["Kab/Kota", "KAB. / KOTA", "Kabupaten / Kota"],
    "kecamatan": ["Kec", "KEC.", "Kecamatan", "Kecamtan", "Wilayah Kecamatan",
                  "Kecamatan Sekretariat"],
    "kelurahan": ["Kel", "Kel.", "Desa", "Ds.", "Desa/Kel.", "KELURAHAN / DESA", "Kelurahn"],
    "address": ["Alamat", "ALAMAT SEKRETARIAT", "Alamt Sekretariat",
                "Alamat Sekretariat Ormas Lengkap", "Sekertariat", "Almt Kantor"],
    "bidang": ["Bidang Kegiatan Ormas", "BIDANG\nKEGIATAN"],
    "legal_form": ["Bentuk Ormas", "Badan Hukum Ormas", "STATUS BADAN HUKUM"],
    "phone": ["Telp", "No. Telp / WA", "No. HP", "Tlp Kantor", "Telepon", "Nomor WhatsApp"],
    "email": ["E-Mail", "Surel", "Alamat E-mail"],
    "npwp": ["NPWP Ormas", "No NPWP"],
    "founding_year": ["Thn Berdiri", "Tahun Pendirian", "Tgl Didirikan"],
    "activity_status": ["Status", "Status Keaktifan Ormas", "KEAKTIFAN"],
    "chairman_name": ["Nama Ketua", "KETUA UMUM", "Ketum", "Nama Ketua Umum"],
    "chairman_nik": ["NIK", "NIK Ketua", "No. KTP", "No KTP Ketua", "NIK Ketua Umum"],
    "chairman_phone": ["HP Ketua", "No. HP/WA Ketua", "Telp. Ketua"],
    "members_count": ["Jml Anggota", "JUMLAH ANGGOTA (orang)", "Jml. Anggota Aktif"],
}
# Headers that must not be read as any field: another officer, notes, a count of ormas, two
# fields in one header, a bare word that could be several things.
NO_FIELD = ["Sekretaris", "Nama Sekretaris", "Nama Bendahara", "Keterangan", "Jumlah Ormas",
            "Tanggal", "SK", "Nama Ketua & No HP", "Nama dan Alamat", "Catatan",
            # a number and its date in one column: neither field alone
            "Nomor dan Tanggal SKT", "No/Tgl SKT", "No. & Tgl. SK AHU",
            "Periode Kepengurusan", "Jabatan"]
# fmt: on


@pytest.mark.parametrize(
    ("header", "field_name"),
    [(header, field_name) for field_name, headers in VARIANTS.items() for header in headers],
)
def test_header_variants_name_their_field(header, field_name):
    assert match_header(header).field == field_name


@pytest.mark.parametrize("header", NO_FIELD)
def test_headers_of_nothing_we_store_match_no_field(header):
    assert match_header(header).field is None


def test_two_fields_matching_equally_is_no_match():
    found = match_header("Nama Ketua / No. HP")
    assert found.field is None
    assert set(found.ambiguous) == {"chairman_name", "chairman_phone"}


def test_a_date_header_never_becomes_the_number_beside_it():
    assert match_header("Tanggal SKT").field == "issued"
    assert match_header("Tangal SKT").field == "issued"  # a typo is read, still as the date
    assert match_header("Tgl SK AHU").field == "ahu_date"
    assert match_header("No. SKT").field == "skt_number"


def _typos(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)]


def test_one_letter_typos_of_every_synonym_never_reach_another_field():
    """The fuzzy threshold, over the whole synonym table: a synonym with one letter dropped from
    its longest word is its own field or no field, never someone else's."""
    crossed = []
    for field_name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            longest = max(synonym.split(), key=len)
            if len(longest) < 6:
                continue
            for typo in _typos(longest):
                header = synonym.replace(longest, typo, 1)
                found = match_header(header).field
                if found not in (None, field_name):
                    crossed.append((header, field_name, found))
    assert crossed == []


def test_every_synonym_in_capitals_with_a_note_and_a_line_break():
    for field_name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            header = synonym.upper().replace(" ", "\n", 1) + " (lihat catatan)"
            assert match_header(header).field == field_name, header


# --- layouts ----------------------------------------------------------------------------------


def test_abbreviated_and_combined_headers_import_the_legitimacy_data(tmp_path):
    path = sheet(
        tmp_path,
        ["NO", "NAMA\nORMAS", "SKT-SK AHU", "TGL.\nSKT / AHU", "KEC", "DS/KEL", "TLP/WA"],
        [1, "Paguyuban Singkat Satu (fiktif)", "220/015/409.112/2021", "29/07/2021", "Sukorejo",
         "Pakunden", "0812-3456-7890"],
        [2, "Yayasan Singkat Dua (fiktif)", "AHU-0001234.AH.01.04.Tahun 2019", "30-07-2019",
         "Sananwetan", "Gedog", None],
    )  # fmt: skip
    result = run(path)

    assert [o.status for o in result.rows] == ["created", "created"]
    first = Ormas.objects.get(name="Paguyuban Singkat Satu (fiktif)")
    assert (first.skt_number, first.skt_issued) == ("220/015/409.112/2021", dt.date(2021, 7, 29))
    assert (first.region_id, first.phone) == ("35.72.02.1001", "+6281234567890")
    second = Ormas.objects.get(name="Yayasan Singkat Dua (fiktif)")
    assert second.ahu_date == dt.date(2019, 7, 30)
    assert not [p for p in result.problems if p.level == "warning" and p.row == 0]


def test_two_row_header_with_abbreviated_groups(tmp_path):
    path = write_xlsx(
        tmp_path / "dua.xlsx",
        [
            ["No", "Nama Ormas", "SKT", None, "Wilayah", None],
            [None, None, "Nmr", "Tgl", "Kec", "Kel"],
            [
                1,
                "Perkumpulan Dua Baris (fiktif)",
                "220/1/410/2024",
                "02/01/2024",
                "Sukorejo",
                "Turi",
            ],
        ],
        merges=["C1:D1", "E1:F1", "A1:A2", "B1:B2"],
    )
    result = run(path)

    ormas = Ormas.objects.get(name="Perkumpulan Dua Baris (fiktif)")
    assert (ormas.skt_number, ormas.skt_issued) == ("220/1/410/2024", dt.date(2024, 1, 2))
    assert ormas.region_id == "35.72.02.1004"
    assert result.summary()["errors"] == 0


def test_an_impossible_date_in_a_once_dropped_column_is_an_error(tmp_path):
    """`Tgl. Pengesahan SKT` was not a synonym: its column was dropped, so 31 February passed."""
    path = sheet(
        tmp_path,
        ["Nama Ormas", "No. SKT", "Tgl. Pengesahan SKT", "Kec."],
        ["Perkumpulan Tanggal Mustahil (fiktif)", "220/7/410/2024", "31/02/2024", "Sukorejo"],
        name="mustahil.csv",
    )
    result = run(path)

    assert result.rows[0].status == "error"
    assert "31/02/2024" in messages(result, 2, "error")
    assert not result.written


def test_comma_csv_with_semicolons_in_cells_and_quoted_multiline_headers(tmp_path):
    path = write_csv(
        tmp_path / "koma.csv",
        [
            ["No.", "Nama\nOrmas", "Bidang", "Kec."],
            ["1", "Perkumpulan Koma (fiktif)", "Sosial; Pendidikan", "Sukorejo"],
        ],
        delimiter=",",
    )
    result = run(path)

    assert [o.status for o in result.rows] == ["created"]
    names = set(
        Ormas.objects.get(name="Perkumpulan Koma (fiktif)").bidang.values_list("name", flat=True)
    )
    assert len(names) == 2
