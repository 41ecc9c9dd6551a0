"""The registry importer (SPEC §7) through its public API, on spreadsheets shaped like the ones
Kesbangpol offices keep: title rows, merged cells, odd headers, mixed dates, misspellings.

The files are generated here (in tmp_path) so every messy detail is visible in the test.
The helpers `kesbangpol_xlsx`, `write_xlsx` and `write_csv` are shared with the other
`test_import_*` modules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sipko.lib import protected
from sipko.registry.importer import ImportResult, RowOutcome, import_ormas, write_report
from sipko.registry.models import LegalForm, Ormas, Pengurus, Position
from tests.factories import OrmasFactory, PengurusFactory, UserFactory

EXCEL_EPOCH = dt.date(1899, 12, 30)
NIK = "3572011507800001"  # fictional, but shaped like a Kota Blitar NIK


def serial(day: dt.date) -> int:
    """The Excel serial number of a date, as a cell typed without date format holds it."""
    return (day - EXCEL_EPOCH).days


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data Ormas"
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    for title, sheet_rows in (extra_sheets or {}).items():
        other = book.create_sheet(title)
        for row in sheet_rows:
            other.append(list(row))
    book.save(path)
    return path


def sheet(tmp_path: Path, *rows: Sequence[object], name: str = "daftar.xlsx") -> Path:
    """A small spreadsheet: a header row then data rows, as .xlsx or (by name) .csv."""
    path = tmp_path / name
    return write_csv(path, rows) if name.endswith(".csv") else write_xlsx(path, rows)  # type: ignore[arg-type]


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> Path:
    """A CSV as Excel saves it: CRLF lines, quotes only where a cell needs them."""
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


# fmt: off
# The header row of a typical Kota Blitar register: odd spacing and case, a line break inside a
# cell, the combined registration-number column, and a column the importer does not know.
MESSY_HEADERS = [
    "NO.", "  Nama   Organisasi", "singkatan", "No. SKT /\nSK Kemenkumham", "Tgl. SKT",
    "Masa  Berlaku", "KEC.", "Kel/Desa", "Alamat Sekretariat", "Bidang Kegiatan",
    "Badan Hukum", "No. HP", "Nama Ketua", "NIK Ketua", "Keterangan",
]

# Data rows of the messy register; spreadsheet rows 5 to 11.
MESSY_ROWS = [
    [1, "Paguyuban Seni Kendang Sentul (fiktif)", "PSKS", "01-00-00/0012/I/2019",
     dt.datetime(2019, 7, 29), "29/07/2024", "Kepanjen Kidul", "Sentul", "Jl. Cempaka 3",
     "Seni Budaya", "Tidak Berbadan Hukum", "0812-3456-7890", "Budi Santoso", NIK, ""],
    [2, "Yayasan Pelita Hati (fiktif)", "YPH", "AHU-0001234.AH.01.04.Tahun 2019",
     serial(dt.date(2019, 7, 30)), None, "Kec. Sananwetaan", "Kel. Bendogerit", "Jl. Melati 7",
     "Pendidikan; Sosial", None, "62 342 801234", None, None, "baru"],
    [3, "Karang Taruna Tunas Muda (fiktif)", None, "-", None, None, "Sukorejo", "Pakunden",
     "RT 02 RW 01", "Kepemudaan", "-", None, None, None, None],
    [4, "Komunitas Kicau Merdu (fiktif)", "KKM", "220/015/409.112/2021", "29 Juli 2021",
     "29 Jul 2026", "SANANWETAN", "Gedog", "Jl. Kenari 1", "Kicau Mania, Lingkungan",
     "Perkumpulan", "0342-801235", None, None, None],
    [5, "Perkumpulan Antah Berantah (fiktif)", None, "220/016/409.112/2021", "2021-08-01",
     None, "Sukorejo", "Kelurahan Antah", None, "Sosial", None, None, None, None, None],
    [6, "PAGUYUBAN SENI KENDANG SENTUL (FIKTIF)", "PSKS", "01-00-00/0012/I/2019",
     "29-07-2019", None, "Kepanjenkidul", "Sentul", None, None, None, None, None, None, None],
    [7, "Ikatan Pemuda Baru (fiktif)", None, "220/999/409.112/2020", "01/02/2020", None,
     "Sukorejo", "Turi", None, "Kepemudaan", None, None, None, None, None],
]
# fmt: on
MESSY_STATUSES = ["created", "created", "created", "created", "error", "duplicate", "duplicate"]


def kesbangpol_xlsx(path: Path, rows: Sequence[Sequence[object]] = MESSY_ROWS) -> Path:
    """Two title rows (one merged across the table), a blank row, the header on row 4."""
    return write_xlsx(
        path,
        [
            ["DAFTAR ORMAS KOTA BLITAR TAHUN 2025"],
            ["Badan Kesatuan Bangsa dan Politik Kota Blitar"],
            [],
            MESSY_HEADERS,
            *rows,
        ],
        merges=["A1:O1", "A2:O2"],
    )


@pytest.fixture
def registered() -> Ormas:
    """An ormas already in the registry holding the SKT number used on spreadsheet row 11."""
    return OrmasFactory(
        name="Paguyuban Lama Sekali (fiktif)",
        acronym="PLS",
        skt_number="220/999/409.112/2020",
        region_id="35.72.02.1004",
    )


def run(path: Path, **options: object) -> ImportResult:
    options.setdefault("region_code", "35.72")
    options.setdefault("actor", None)
    return import_ormas(path, filename=path.name, **options)  # type: ignore[arg-type]


def outcome(result: ImportResult, row: int) -> RowOutcome:
    return next(o for o in result.rows if o.row == row)


def messages(result: ImportResult, row: int, level: str | None = None) -> str:
    return " | ".join(
        p.message for p in outcome(result, row).messages if level is None or p.level == level
    )


# --- the messy register, end to end ------------------------------------------------------------


def test_messy_register_rows_get_their_outcomes(tmp_path, registered):
    result = run(kesbangpol_xlsx(tmp_path / "ormas.xlsx"), skip_invalid=True)

    assert result.file_error is None
    assert [o.row for o in result.rows] == [5, 6, 7, 8, 9, 10, 11]  # header found on row 4
    assert [o.status for o in result.rows] == MESSY_STATUSES
    assert "Sananwetan" in messages(result, 6, "warning")
    assert "Antah" in messages(result, 9, "error")
    assert "baris 5" in messages(result, 10, "duplicate")
    assert "Paguyuban Lama Sekali" in messages(result, 11, "duplicate")
    assert result.summary() == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 2,
        "errors": 1,
        "warnings": 2,
        "written": True,
    }


def test_messy_register_values_are_cleaned(tmp_path, registered):
    run(kesbangpol_xlsx(tmp_path / "ormas.xlsx"), skip_invalid=True)

    kendang = Ormas.objects.get(name="Paguyuban Seni Kendang Sentul (fiktif)")
    assert kendang.skt_number == "01-00-00/0012/I/2019"
    assert kendang.skt_issued == dt.date(2019, 7, 29)  # a real datetime cell
    assert kendang.skt_expires == dt.date(2024, 7, 29)
    assert kendang.region_id == "35.72.01.1003"  # "Kepanjen Kidul" / Sentul
    assert kendang.phone == "+6281234567890"
    assert kendang.legal_form == LegalForm.TIDAK_BERBADAN_HUKUM
    assert {b.code for b in kendang.bidang.all()} == {"seni_budaya_adat"}

    yayasan = Ormas.objects.get(acronym="YPH")
    assert yayasan.ahu_number == "AHU-0001234.AH.01.04.Tahun 2019"
    assert yayasan.skt_number == ""
    assert yayasan.ahu_date == dt.date(2019, 7, 30)  # Excel serial, date of the AHU decree
    assert yayasan.legal_form == LegalForm.YAYASAN  # empty form: AHU series 04
    assert yayasan.region_id == "35.72.03.1007"  # misspelled kecamatan, Bendogerit
    assert yayasan.phone == "+62342801234"
    assert {b.code for b in yayasan.bidang.all()} == {"pendidikan", "sosial"}

    karang_taruna = Ormas.objects.get(name="Karang Taruna Tunas Muda (fiktif)")
    assert karang_taruna.registration_kind == "none"  # no number: unregistered, not an error

    kicau = Ormas.objects.get(acronym="KKM")
    assert kicau.skt_issued == dt.date(2021, 7, 29) and kicau.skt_expires == dt.date(2026, 7, 29)
    assert {b.code for b in kicau.bidang.all()} == {"lainnya", "lingkungan"}
    assert kicau.bidang_other == "Kicau Mania"
    assert kicau.legal_form == LegalForm.PERKUMPULAN


def test_chairman_is_recorded_with_protected_nik(tmp_path):
    run(kesbangpol_xlsx(tmp_path / "ormas.xlsx"), skip_invalid=True)

    chairman = Pengurus.objects.get(ormas__acronym="PSKS")
    assert chairman.name == "Budi Santoso"
    assert chairman.position == Position.KETUA
    assert chairman.nik_hash == protected.lookup_hash(NIK)
    assert NIK not in chairman.nik_encrypted


def test_nik_never_appears_in_problems_or_report(tmp_path):
    rows = [[*MESSY_ROWS[0][:13], "3572011507800001x", ""], MESSY_ROWS[4]]
    result = run(kesbangpol_xlsx(tmp_path / "ormas.xlsx", rows))
    report = tmp_path / "laporan.xlsx"
    write_report(result, report)

    assert "NIK" in messages(result, 5, "warning")
    text = " ".join(p.message for p in result.problems)
    assert "3572011507800001" not in text
    cells = [
        c
        for sheet in load_workbook(report)
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert not any("3572011507800001" in str(c) for c in cells)


# --- all-or-nothing, skip-invalid, dry-run -----------------------------------------------------


def test_any_error_means_nothing_is_written(tmp_path, registered):
    before = registry_counts()

    result = run(kesbangpol_xlsx(tmp_path / "ormas.xlsx"))

    assert result.written is False
    assert result.summary()["errors"] == 1
    assert [o.status for o in result.rows] == MESSY_STATUSES  # what would have happened
    assert registry_counts() == before


def test_skip_invalid_writes_the_valid_rows_only(tmp_path, registered):
    before = Ormas.objects.count()

    result = run(kesbangpol_xlsx(tmp_path / "ormas.xlsx"), skip_invalid=True)

    assert result.written is True
    assert Ormas.objects.count() == before + 4
    assert not Ormas.objects.filter(name__icontains="Antah").exists()
    assert not Ormas.objects.filter(name="Ikatan Pemuda Baru (fiktif)").exists()


def test_dry_run_validates_everything_and_writes_nothing(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", [MESSY_HEADERS, MESSY_ROWS[0], MESSY_ROWS[1]])
    before = registry_counts()

    result = run(path, dry_run=True)

    assert [o.status for o in result.rows] == ["created", "created"]
    assert result.written is False and result.dry_run is True
    assert registry_counts() == before


def test_progress_is_reported_while_planning_and_writing(tmp_path):
    rows = [
        [i, f"Kelompok Tani Uji {i} (fiktif)", None, None, None, None, "Sukorejo", "Turi"]
        for i in range(1, 121)
    ]
    path = write_xlsx(tmp_path / "banyak.xlsx", [MESSY_HEADERS[:8], *rows])
    calls: list[tuple[int, int]] = []

    result = run(path, progress=lambda done, total: calls.append((done, total)))

    assert result.summary()["created"] == 120
    assert len(calls) >= 6
    assert calls[-1][0] == calls[-1][1]  # ends full
    assert max(total for _done, total in calls) == 240  # 120 planned + 120 written


# --- idempotence and updates -------------------------------------------------------------------


def registry_counts() -> tuple[int, ...]:
    """Rows in every table an import writes, audit history included."""
    return (
        Ormas.objects.count(),
        Ormas.history.count(),
        Pengurus.objects.count(),
        Pengurus.history.count(),
        Ormas.bidang.through.objects.count(),
    )


def test_reimporting_the_same_file_changes_nothing(tmp_path, registered):
    path = kesbangpol_xlsx(tmp_path / "ormas.xlsx")
    run(path, skip_invalid=True)
    counts = registry_counts()

    again = run(path, skip_invalid=True)

    expected = ["unchanged"] * 4 + ["error", "duplicate", "duplicate"]
    assert [o.status for o in again.rows] == expected
    assert registry_counts() == counts


def test_matching_number_and_name_updates_without_clearing(tmp_path):
    ormas = OrmasFactory(
        name="Paguyuban Seni Kendang Sentul (fiktif)",
        acronym="PSKS",
        address="Alamat lama",
        email="lama@contoh.id",
        skt_number="01-00-00/0012/I/2019",
        region_id="35.72.01.1003",
    )
    headers = ["No", "Nama Ormas", "No. SKT", "Kecamatan", "Kelurahan", "Alamat", "Email", "Telp"]
    path = write_xlsx(
        tmp_path / "u.xlsx",
        [
            headers,
            [
                1,
                "PAGUYUBAN SENI KENDANG SENTUL (FIKTIF)",
                "01-00-00/0012/I/2019",
                "Kepanjenkidul",
                "Sentul",
                "Jl. Baru 9",
                None,
                "0812 1111 2222",
            ],
        ],
    )

    result = run(path)

    assert outcome(result, 2).status == "updated"
    assert "alamat" in outcome(result, 2).reason
    ormas.refresh_from_db()
    assert ormas.address == "Jl. Baru 9"
    assert ormas.phone == "+6281211112222"
    assert ormas.email == "lama@contoh.id"  # empty cell: kept
    assert ormas.name == "Paguyuban Seni Kendang Sentul (fiktif)"  # same name_key: kept
    assert ormas.history.first().history_change_reason.startswith("impor u.xlsx baris 2")


def test_name_and_kabkota_match_fills_in_a_number(tmp_path):
    ormas = OrmasFactory(name="Yayasan Pelita Hati", acronym="", region_id="35.72.03.1007")
    path = sheet(
        tmp_path,
        ["Nama Ormas", "No. SKT", "Kec.", "Kel."],
        ["Pelita Hati", "220/1/409.112/2024", "Sananwetan", "Bendogerit"],
        name="n.xlsx",
    )

    result = run(path)

    assert outcome(result, 2).status == "updated"
    ormas.refresh_from_db()
    assert ormas.skt_number == "220/1/409.112/2024"


def test_same_name_with_another_number_is_a_duplicate(tmp_path):
    OrmasFactory(
        name="Yayasan Pelita Hati", skt_number="220/1/409.112/2024", region_id="35.72.03.1007"
    )
    path = sheet(
        tmp_path,
        ["Nama Ormas", "No. SKT", "Kec."],
        ["Pelita Hati", "220/2/409.112/2024", "Sananwetan"],
        name="d.xlsx",
    )

    result = run(path)

    assert outcome(result, 2).status == "duplicate"
    assert "220/1/409.112/2024" in outcome(result, 2).reason


def test_merged_records_are_not_matched(tmp_path):
    keep = OrmasFactory(name="Ormas Tetap (fiktif)", region_id="35.72.02.1004")
    OrmasFactory(
        name="Ormas Lama (fiktif)", skt_number="SKT-1", merged_into=keep, region_id="35.72.02.1004"
    )
    path = sheet(
        tmp_path,
        ["Nama Ormas", "No. SKT", "Kec."],
        ["Ormas Lama (fiktif)", "SKT-1", "Sukorejo"],
        name="m.xlsx",
    )

    assert outcome(run(path), 2).status == "created"


def test_duplicate_by_name_inside_the_file(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec."],
        ["Yayasan Sumber Air (fiktif)", "Sukorejo"],
        ["Sumber Air (Fiktif)", "Sananwetan"],  # same name_key, same kab/kota
        name="dup.xlsx",
    )

    result = run(path)

    assert [o.status for o in result.rows] == ["created", "duplicate"]
    assert "baris 2" in outcome(result, 3).reason


def test_chairman_change_updates_the_ketua(tmp_path):
    ormas = OrmasFactory(name="Paguyuban Ketua (fiktif)", region_id="35.72.02.1004")
    PengurusFactory(ormas=ormas, name="Lama", nik=NIK)
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "Ketua", "NIK Ketua", "HP Ketua"],
        ["Paguyuban Ketua (fiktif)", "Sukorejo", "Siti Aminah", None, "0813-2222-3333"],
        name="k.xlsx",
    )

    result = run(path)

    assert outcome(result, 2).status == "updated"
    chairman = Pengurus.objects.get(ormas=ormas)
    assert (chairman.name, chairman.phone) == ("Siti Aminah", "+6281322223333")
    assert chairman.nik_hash == protected.lookup_hash(NIK)  # empty NIK cell: kept


# --- access -------------------------------------------------------------------------------------


def test_actor_rows_outside_scope_are_errors(tmp_path):
    admin = UserFactory(role="region_admin", region_id="35.72")
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kab/Kota", "Kecamatan"],
        ["Ormas Kota (fiktif)", "Kota Blitar", "Sukorejo"],
        ["Ormas Kabupaten (fiktif)", "Kabupaten Blitar", "Wlingi"],
        name="s.xlsx",
    )

    result = import_ormas(path, filename="s.xlsx", region_code=None, actor=admin, skip_invalid=True)

    assert [o.status for o in result.rows] == ["created", "error"]
    assert "cakupan" in messages(result, 3, "error")
    created = Ormas.objects.get(name="Ormas Kota (fiktif)")
    assert created.history.first().history_user == admin


def test_actor_without_import_rights_is_refused(tmp_path):
    viewer = UserFactory(role="viewer", region_id="35.72")
    path = write_xlsx(tmp_path / "v.xlsx", [["Nama Ormas", "Kec."], ["A (fiktif)", "Sukorejo"]])

    result = import_ormas(path, filename="v.xlsx", region_code="35.72", actor=viewer)

    assert result.file_error and "berhak" in result.file_error
    assert not Ormas.objects.filter(name="A (fiktif)").exists()


# --- file-level problems ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "daftar.xlsx", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "daftar.xls", ".xls"),
        (b"just some text, not a zip", "daftar.xlsx", "bukan XLSX"),
        (b"PK\x03\x04garbage", "daftar.xlsx", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.png", ".png"),
        (b"", "kosong.csv", "kosong"),
        (b"a;b;c\r\n1;2;3\r\n", "tanpa_judul.csv", "judul kolom"),
        (b"Kecamatan;Alamat;Telp\r\nSukorejo;Jl. A;0812\r\n", "tanpa_nama.csv", "nama ormas"),
        (b"Nama Ormas;Kecamatan\r\n", "hanya_judul.csv", "baris data"),
    ],
)
def test_unusable_files_get_a_clear_indonesian_error(content, name, expected):
    result = import_ormas(io.BytesIO(content), filename=name, region_code="35.72", actor=None)

    assert result.file_error is not None
    assert expected in result.file_error
    assert result.rows == [] and result.written is False
    assert result.summary()["errors"] == 1


def test_unknown_region_code_is_a_file_error(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [["Nama Ormas", "Kec."], ["A (fiktif)", "Sukorejo"]])

    result = run(path, region_code="99.99")

    assert result.file_error and "99.99" in result.file_error


# --- report -------------------------------------------------------------------------------------


def test_report_lists_summary_every_problem_and_every_row(tmp_path, registered):
    result = run(kesbangpol_xlsx(tmp_path / "ormas.xlsx"))
    report = tmp_path / "laporan.xlsx"

    write_report(result, report)

    book = load_workbook(report)
    assert book.sheetnames == ["Ringkasan", "Masalah", "Baris"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Baru"] == 4 and summary["Baris bergalat"] == 1
    assert summary["Disimpan"] == "tidak"
    problems = list(book["Masalah"].iter_rows(values_only=True))
    assert problems[0] == ("Baris", "Kolom", "Tingkat", "Pesan")
    assert (9, "Kel/Desa", "galat") in {row[:3] for row in problems}
    assert (6, "KEC.", "peringatan") in {row[:3] for row in problems}
    assert any(row[2] == "duplikat" and row[0] == 10 for row in problems)
    assert len(problems) - 1 == len(result.problems)
    lines = list(book["Baris"].iter_rows(values_only=True))[1:]
    assert [(line[0], line[2]) for line in lines][:5] == [
        (5, "baru"),
        (6, "baru"),
        (7, "baru"),
        (8, "baru"),
        (9, "galat"),
    ]


def test_report_keeps_formula_like_text_as_text(tmp_path):
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "Bidang"],
        ['=HYPERLINK("x")', "Sukorejo", "=1+1"],
        name="f.csv",
    )
    result = run(path)
    report = io.BytesIO()

    write_report(result, report)

    report.seek(0)
    rows = list(load_workbook(report)["Baris"].iter_rows(values_only=True))
    assert rows[1][1] == '=HYPERLINK("x")'


def test_report_for_a_rejected_file(tmp_path):
    result = import_ormas(io.BytesIO(b"%PDF-1.4"), filename="x.xlsx", region_code=None, actor=None)
    report = tmp_path / "laporan.xlsx"

    write_report(result, report)

    problems = list(load_workbook(report)["Masalah"].iter_rows(values_only=True))
    assert problems[1][2] == "galat" and "PDF" in problems[1][3]


def test_same_number_and_acronym_matches_despite_another_name(tmp_path):
    ormas = OrmasFactory(
        name="Gerakan Pemuda Peduli (fiktif)",
        acronym="GPP",
        skt_number="220/7/2020",
        region_id="35.72.02.1004",
    )
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Singkatan", "No. SKT", "Kec.", "Alamat"],
        ["G.P.P. Kota Blitar", "G.P.P.", "220 / 7 / 2020", "Sukorejo", "Jl. Baru"],
        name="a.xlsx",
    )

    result = run(path)

    assert outcome(result, 2).status == "updated"
    assert "nama terdaftar tidak diubah" in messages(result, 2, "info")
    ormas.refresh_from_db()
    assert (ormas.name, ormas.address) == ("Gerakan Pemuda Peduli (fiktif)", "Jl. Baru")


def test_less_precise_region_keeps_the_kelurahan_and_bidang_change_is_an_update(tmp_path):
    ormas = OrmasFactory(name="Sanggar Bidang (fiktif)", region_id="35.72.02.1004")
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec."],
        ["Sanggar Bidang (fiktif)", "Sukorejo"],
        name="b.xlsx",
    )
    assert outcome(run(path), 2).status == "unchanged"

    path = sheet(
        tmp_path,
        ["Nama Ormas", "Kec.", "Bidang"],
        ["Sanggar Bidang (fiktif)", "Sukorejo", "Seni"],
        name="c.xlsx",
    )
    result = run(path)

    assert outcome(result, 2).status == "updated"
    assert "bidang" in outcome(result, 2).reason
    ormas.refresh_from_db()
    assert ormas.region_id == "35.72.02.1004"
    assert [b.code for b in ormas.bidang.all()] == ["seni_budaya_adat"]


def _failing_save(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make the service refuse one ormas, as a constraint the plan could not foresee would."""
    from django.core.exceptions import ValidationError

    from sipko.registry import services

    real = services.ormas_save

    def save(**kwargs: object) -> Ormas:
        if kwargs["data"].get("name") == name:  # type: ignore[union-attr]
            raise ValidationError("ditolak oleh layanan")
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "ormas_save", save)


def _two_rows(tmp_path: Path) -> Path:
    return sheet(
        tmp_path,
        ["Nama Ormas", "Kec."],
        ["Baik (fiktif)", "Sukorejo"],
        ["Gagal (fiktif)", "Sukorejo"],
        name="w.xlsx",
    )


def test_a_write_failure_rolls_everything_back(tmp_path, monkeypatch):
    _failing_save(monkeypatch, "Gagal (fiktif)")

    result = run(_two_rows(tmp_path))

    assert result.written is False
    assert outcome(result, 3).status == "error"
    assert "ditolak oleh layanan" in messages(result, 3, "error")
    assert not Ormas.objects.exists()


def test_a_write_failure_with_skip_invalid_keeps_the_other_rows(tmp_path, monkeypatch):
    _failing_save(monkeypatch, "Gagal (fiktif)")

    result = run(_two_rows(tmp_path), skip_invalid=True)

    assert result.written is True
    assert [o.status for o in result.rows] == ["created", "error"]
    assert list(Ormas.objects.values_list("name", flat=True)) == ["Baik (fiktif)"]


def test_two_rows_reaching_one_registered_ormas(tmp_path):
    OrmasFactory(name="Gerakan Pemuda Peduli (fiktif)", acronym="GPP", skt_number="220/7/2020",
                 region_id="35.72.02.1004")  # fmt: skip
    path = sheet(
        tmp_path,
        ["Nama Ormas", "Singkatan", "No. SKT", "Kec."],
        ["GPP Kota Blitar", "GPP", "220/7/2020", "Sukorejo"],  # by number and acronym
        ["Gerakan Pemuda Peduli (fiktif)", None, None, "Sukorejo"],  # by name
    )

    result = run(path)

    assert [o.status for o in result.rows] == ["unchanged", "duplicate"]
    assert "baris 2" in outcome(result, 3).reason


def test_a_file_above_the_size_limit_is_refused(tmp_path, settings):
    settings.SIPKO_IMPORT_MAX_BYTES = 1000
    path = kesbangpol_xlsx(tmp_path / "besar.xlsx")

    result = run(path)

    assert result.file_error and "terlalu besar" in result.file_error
