"""Finding the header row of a registry sheet and knowing what each column means.

Headers are compared by `header_key`: case, spaces, punctuation and parenthesised notes ignored,
so `No. SKT`, `NO SKT` and `Nomor  SKT (dd/mm/yyyy)` meet. Every synonym is listed in
docs/import.md; keep the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sipko.lib.text import compact
from sipko.registry.importer.reader import Row, Table

# Field → header texts seen in Kesbangpol spreadsheets. The first is the canonical name.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "row_number": ("No", "No.", "No Urut", "Nomor Urut", "Nomor"),
    "name": (
        "Nama Ormas",
        "Nama Organisasi",
        "Nama Lembaga",
        "Nama",
        "Nama Ormas/LSM",
        "Nama Ormas/Yayasan",
        "Nama Perkumpulan",
        "Nama Yayasan",
        "Organisasi",
        "Ormas",
    ),
    "acronym": ("Singkatan", "Akronim", "Nama Singkatan"),
    "skt_number": (
        "No. SKT",
        "Nomor SKT",
        "No SKT",
        "No. Surat Keterangan Terdaftar",
        "Nomor Surat Keterangan Terdaftar",
    ),
    # One column holding either number: AHU-… is an SK AHU, anything else an SKT/local letter.
    "registration_number": (
        "No. SKT / SK Kemenkumham",
        "Nomor SKT / SK Kemenkumham",
        "No. SKT / SK AHU",
        "Nomor SKT / SK AHU",
        "No. SKT / AHU",
        "No. SK / SKT",
        "No. Registrasi",
        "Nomor Registrasi",
        "No. Pendaftaran",
        "Nomor Pendaftaran",
        "No. Legalitas",
        "Nomor Legalitas",
        "Legalitas",
        "No. Surat",
        "Nomor Surat",
    ),
    "letter_type": (
        "Jenis Surat",
        "Jenis Surat Keterangan",
        "Jenis Registrasi",
        "Jenis Legalitas",
        "Jenis Pendaftaran",
        "Jenis Dokumen",
    ),
    "local_number": (
        "No. SKL",
        "Nomor SKL",
        "No. SKTL",
        "Nomor SKTL",
        "No. STTL",
        "Nomor STTL",
        "No. SKKO",
        "Nomor SKKO",
    ),
    "issued": (
        "Tgl SKT",
        "Tanggal SKT",
        "Tanggal Terbit",
        "Tgl Terbit",
        "Tanggal Terbit SKT",
        "Tanggal Registrasi",
        "Tgl Registrasi",
        "Tanggal Surat",
        "Tgl Surat",
        "Tanggal Terdaftar",
        "Tanggal Pendaftaran",
    ),
    "expires": (
        "Masa Berlaku",
        "Berlaku s.d.",
        "Berlaku s/d",
        "Berlaku Sampai",
        "Berlaku Hingga",
        "Tgl Berakhir",
        "Tanggal Berakhir",
        "Masa Berlaku SKT",
        "Berlaku SKT s.d.",
        "Tanggal Kedaluwarsa",
        "Tanggal Kadaluarsa",
        "Akhir Masa Berlaku",
    ),
    "ahu_number": (
        "SK Kemenkumham",
        "SK AHU",
        "No. AHU",
        "No. SK AHU",
        "Nomor SK AHU",
        "Nomor AHU",
        "No. SK Kemenkumham",
        "Nomor SK Kemenkumham",
        "SK Badan Hukum",
        "No. SK Badan Hukum",
        "Nomor Badan Hukum",
    ),
    "ahu_date": (
        "Tgl SK AHU",
        "Tanggal SK AHU",
        "Tgl AHU",
        "Tanggal AHU",
        "Tgl SK Kemenkumham",
        "Tanggal SK Kemenkumham",
        "Tanggal Badan Hukum",
    ),
    "kabkota": ("Kab/Kota", "Kabupaten/Kota", "Kota/Kabupaten", "Kabupaten", "Kota", "Kab"),
    "kecamatan": ("Kec.", "Kecamatan"),
    "kelurahan": (
        "Kel.",
        "Kelurahan",
        "Desa",
        "Kel/Desa",
        "Kelurahan/Desa",
        "Desa/Kelurahan",
        "Ds.",
    ),
    "address": (
        "Alamat",
        "Alamat Sekretariat",
        "Alamat Kantor",
        "Alamat Lengkap",
        "Alamat Kesekretariatan",
        "Sekretariat",
        "Alamat Ormas",
    ),
    "bidang": (
        "Bidang",
        "Bidang Kegiatan",
        "Jenis Kegiatan",
        "Bidang Gerak",
        "Bidang Kerja",
        "Kegiatan",
        "Bidang Ormas",
    ),
    "legal_form": (
        "Bentuk",
        "Status Badan Hukum",
        "Badan Hukum",
        "Bentuk Organisasi",
        "Bentuk Badan Hukum",
        "Jenis Badan Hukum",
        "Status Hukum",
        "Bentuk Ormas",
    ),
    "phone": (
        "Telp",
        "No. HP",
        "Telepon",
        "Kontak",
        "No. Telp",
        "Nomor Telepon",
        "No. Telepon",
        "Telp/HP",
        "No. Telp/HP",
        "HP",
        "Nomor HP",
        "No. Kontak",
        "No. WA",
        "WhatsApp",
    ),
    "email": ("Email", "E-mail", "Surel", "Alamat Email", "Alamat Surel"),
    "npwp": ("NPWP", "No. NPWP", "Nomor NPWP"),
    "founding_year": (
        "Tahun Berdiri",
        "Thn Berdiri",
        "Tahun Pendirian",
        "Berdiri Tahun",
        "Tgl Berdiri",
        "Tanggal Berdiri",
        "Tanggal Pendirian",
        "Berdiri",
    ),
    "activity_status": ("Status", "Keaktifan", "Status Keaktifan", "Status Aktif", "Status Ormas"),
    "chairman_name": (
        "Ketua",
        "Nama Ketua",
        "Ketua Umum",
        "Nama Ketua Umum",
        "Pimpinan",
        "Nama Pimpinan",
        "Ketua/Pimpinan",
    ),
    "chairman_nik": ("NIK Ketua", "NIK", "NIK Pimpinan", "No. KTP Ketua"),
    "chairman_phone": (
        "HP Ketua",
        "No. HP Ketua",
        "Telp Ketua",
        "Telepon Ketua",
        "Kontak Ketua",
        "No. Telp Ketua",
        "HP Pimpinan",
    ),
    "members_count": ("Jumlah Anggota", "Jml Anggota", "Jml. Anggota", "Anggota"),
}

# How many rows from the top may hold titles before the header.
SCAN_ROWS = 30


def header_key(text: object) -> str:
    return compact(re.sub(r"\(.*?\)", " ", str(text)))


def _field_by_key() -> dict[str, str]:
    fields: dict[str, str] = {}
    for field_name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            # Spellings of one header may coincide ("No"/"No."); two fields may not.
            assert fields.setdefault(header_key(synonym), field_name) == field_name, synonym
    return fields


FIELD_BY_KEY = _field_by_key()


@dataclass
class Column:
    index: int  # 0-based position in the row
    header: str  # as written in the file (group and sub-header joined)


@dataclass
class HeaderMap:
    first_row: int
    last_row: int  # data starts below this row
    columns: dict[str, list[Column]] = field(default_factory=dict)
    unknown: list[Column] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.columns)

    def header(self, field_name: str) -> str:
        columns = self.columns.get(field_name)
        return columns[0].header if columns else ""

    def cell(self, values: list[object], field_name: str) -> tuple[object, str]:
        """The first non-empty cell of the field's columns, with that column's header."""
        for column in self.columns.get(field_name, ()):
            value = values[column.index] if column.index < len(values) else None
            if value is not None:
                return value, column.header
        return None, self.header(field_name)

    def is_header_repeat(self, values: list[object]) -> bool:
        """A header line repeated below (sheets printed over several pages)."""
        value, _header = self.cell(values, "name")
        return value is not None and FIELD_BY_KEY.get(header_key(value)) == "name"


def locate_header(table: Table) -> HeaderMap | None:
    """The most convincing header in the first rows: most recognised columns, earliest on ties.

    A two-level header (a merged group cell such as "SKT" above "Nomor" and "Tanggal") is read
    as one, the sub-header qualified by its group ("Nomor" + "SKT" → "Nomor SKT").
    """
    rows = table.rows[:SCAN_ROWS]
    best: HeaderMap | None = None
    for position, (number, values) in enumerate(rows):
        candidate = _map_row(number, values)
        following = rows[position + 1] if position + 1 < len(rows) else None
        if following and following[0] == number + 1:
            combined = _map_two_rows(number, values, following)
            if combined is not None and combined.score > candidate.score:
                candidate = combined
        if "name" in candidate.columns and (best is None or candidate.score > best.score):
            best = candidate
    return best


def recognised_elsewhere(table: Table) -> list[str]:
    """Fields recognised in the best header-like row lacking a name column (for the error)."""
    found: list[str] = []
    for number, values in table.rows[:SCAN_ROWS]:
        mapped = _map_row(number, values)
        if len(mapped.columns) > len(found):
            found = [columns[0].header for columns in mapped.columns.values()]
    return found


def _map_row(number: int, values: list[object]) -> HeaderMap:
    result = HeaderMap(first_row=number, last_row=number)
    for index, value in enumerate(values):
        if value is None:
            continue
        _add(result, FIELD_BY_KEY.get(header_key(value)), Column(index, _text(value)))
    return result


def _map_two_rows(number: int, groups: list[object], sub_row: Row) -> HeaderMap | None:
    sub_number, subs = sub_row
    result = HeaderMap(first_row=number, last_row=sub_number)
    sub_hits = 0
    for index in range(max(len(groups), len(subs))):
        group = groups[index] if index < len(groups) else None
        sub = subs[index] if index < len(subs) else None
        if group is None and sub is None:
            continue
        if group is None or sub is None or _text(group) == _text(sub):
            text = _text(group if sub is None else sub)
            field_name = FIELD_BY_KEY.get(header_key(text))
            sub_hits += sub is not None and group is None and field_name is not None
            _add(result, field_name, Column(index, text))
            continue
        group_text, sub_text = _text(group), _text(sub)
        for key in (f"{sub_text} {group_text}", f"{group_text} {sub_text}", sub_text):
            if field_name := FIELD_BY_KEY.get(header_key(key)):
                sub_hits += 1
                break
        else:
            field_name = FIELD_BY_KEY.get(header_key(group_text))
        _add(result, field_name, Column(index, f"{group_text} {sub_text}"))
    # A data row rarely holds two header words; without them this is not a sub-header.
    return result if sub_hits >= 2 else None


def _add(result: HeaderMap, field_name: str | None, column: Column) -> None:
    if field_name is None:
        result.unknown.append(column)
    else:
        result.columns.setdefault(field_name, []).append(column)


def _text(value: object) -> str:
    return " ".join(str(value).split())
