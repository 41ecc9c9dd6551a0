"""Finding the header row of a registry sheet and knowing what each column means.

A header is matched to a field in steps, the first that decides wins (docs/import.md#headers):

1. **exact**: `header_key` (case, spaces, punctuation and bracketed notes ignored) equals the key
   of a synonym, so `No. SKT`, `NO SKT` and `Nomor  SKT (dd/mm/yyyy)` meet;
2. **tokens**: the header's words, each through the abbreviation table (`Tgl` → tanggal,
   `Kel`/`Ds`/`Desa` → kelurahan, `Kemenkumham` → ahu …), compared as a *set* with a synonym's:
   order and separators do not matter (`SKT-SK AHU`, `SK AHU / SKT`, `Nomor SK/SKT`). Then the
   same without filler words (`ormas`, `lengkap`, `dd`, years …), then also without `nomor`;
3. **fuzzy**: a word outside the vocabulary is replaced by the one vocabulary word it is close to
   (SequenceMatcher ratio ≥ FUZZY_WORD, words of five letters or more) and step 2 is retried;
4. **partial**: the largest synonym (two words or more) contained in the header, when it covers
   at least half the header's words (`Tanggal SKT Terakhir Diperpanjang` → issue date).

Two fields matching equally is no match: the column falls to recognition by content
(`columns.py`) or is reported. Every synonym is listed in docs/import.md; keep the two in step.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sipko.lib.text import compact, fold
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
        "Organisasi Kemasyarakatan",
        "Nama Organisasi Kemasyarakatan",
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
        # The date of the combined number column (SKT or SK AHU), whichever it holds.
        "Tanggal SKT / SK AHU",
        "Tgl SKT / AHU",
        "Tanggal SK / SKT",
        "Tanggal Legalitas",
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
        "Tanggal Berakhir SKT",
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
    "kecamatan": ("Kec.", "Kecamatan", "Kecamatan Sekretariat"),
    "kelurahan": (
        "Kel.",
        "Kelurahan",
        "Desa",
        "Kel/Desa",
        "Kelurahan/Desa",
        "Desa/Kelurahan",
        "Ds.",
        "Kelurahan/Desa Sekretariat",
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
    "chairman_nik": (
        "NIK Ketua",
        "NIK",
        "NIK Pimpinan",
        "No. KTP Ketua",
        "No. KTP",
        "Nomor Induk Kependudukan",
        "Nomor Induk Kependudukan Ketua",
    ),
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

# What each field is called in messages and in the web import's column choices.
FIELD_LABELS: dict[str, Promise] = {
    "row_number": _("Nomor urut (tidak disimpan)"),
    "name": _("Nama ormas"),
    "acronym": _("Singkatan"),
    "skt_number": _("Nomor SKT"),
    "registration_number": _("Nomor SKT atau SK AHU (kolom gabungan)"),
    "letter_type": _("Jenis surat"),
    "local_number": _("Nomor surat keterangan daerah (SKL, SKTL …)"),
    "issued": _("Tanggal terbit SKT/surat"),
    "expires": _("Masa berlaku SKT"),
    "ahu_number": _("Nomor SK AHU"),
    "ahu_date": _("Tanggal SK AHU"),
    "kabkota": _("Kabupaten/kota"),
    "kecamatan": _("Kecamatan"),
    "kelurahan": _("Kelurahan/desa"),
    "address": _("Alamat sekretariat"),
    "bidang": _("Bidang kegiatan"),
    "legal_form": _("Bentuk badan hukum"),
    "phone": _("Telepon ormas"),
    "email": _("Surel"),
    "npwp": _("NPWP"),
    "founding_year": _("Tahun berdiri"),
    "activity_status": _("Status keaktifan"),
    "chairman_name": _("Nama ketua"),
    "chairman_nik": _("NIK ketua"),
    "chairman_phone": _("HP ketua"),
    "members_count": _("Jumlah anggota"),
}

# Word → the word it stands for. Several spellings of one word meet here, so that `Tgl`,
# `Tanggal` and `Tggl`, or `Kel`, `Ds` and `Desa`, compare equal. Keep docs/import.md in step.
ABBREVIATIONS: dict[str, str] = {
    **dict.fromkeys(("no", "nmr", "nomer", "nomor", "num", "nr"), "nomor"),
    **dict.fromkeys(("tgl", "tggl", "tg", "tanggal", "tangal", "date"), "tanggal"),
    **dict.fromkeys(("kel", "kelurahan", "desa", "ds", "kalurahan", "kelur"), "kelurahan"),
    **dict.fromkeys(("kec", "kecamatan", "kecam"), "kecamatan"),
    **dict.fromkeys(("kab", "kabupaten"), "kabupaten"),
    **dict.fromkeys(("thn", "th", "tahun"), "tahun"),
    **dict.fromkeys(("jml", "jmlh", "jlh", "jumlah"), "jumlah"),
    **dict.fromkeys(
        (
            "telp",
            "tlp",
            "tlpn",
            "telpon",
            "telepon",
            "telefon",
            "telephone",
            "phone",
            "hp",
            "hape",
            "handphone",
            "ponsel",
            "wa",
            "whatsapp",
            "kontak",
            "contact",
        ),
        "telepon",
    ),
    **dict.fromkeys(("email", "surel", "mail"), "email"),
    **dict.fromkeys(("ahu", "kemenkumham", "kumham", "menkumham", "kemenkum", "kemkumham"), "ahu"),
    **dict.fromkeys(("almt", "alamat", "address"), "alamat"),
    **dict.fromkeys(("sekretariat", "kesekretariatan", "sekret"), "sekretariat"),
    **dict.fromkeys(("berdiri", "pendirian", "didirikan"), "berdiri"),
    **dict.fromkeys(
        ("registrasi", "reg", "regis", "register", "pendaftaran", "terdaftar", "daftar"),
        "registrasi",
    ),
    **dict.fromkeys(("nik", "ktp"), "nik"),
    **dict.fromkeys(("ketua", "ketum"), "ketua"),
    **dict.fromkeys(("singkatan", "akronim", "singk"), "singkatan"),
    **dict.fromkeys(
        ("kedaluwarsa", "kadaluarsa", "kadaluwarsa", "kedaluarsa", "expired"), "kedaluwarsa"
    ),
    **dict.fromkeys(("sampai", "hingga", "sd"), "sampai"),
    **dict.fromkeys(("aktif", "keaktifan"), "aktif"),
    **dict.fromkeys(("org", "organisasi"), "organisasi"),
}
# Word sequences that are one word for matching (after `fold`: lower case, punctuation gone).
_PHRASES = (
    (re.compile(r"\bsurat keterangan terdaftar\b"), "skt"),
    (re.compile(r"\bsurat keputusan\b"), "sk"),
    (re.compile(r"\be mail\b"), "email"),
    (re.compile(r"\bs d\b"), "sampai"),
    (re.compile(r"\bno hp\b"), "hp"),
)
# Words that say nothing about which field a column is.
FILLER_WORDS = frozenset(
    {
        "ormas",
        "organisasi",
        "lembaga",
        "lsm",
        "kemasyarakatan",
        "lengkap",
        "umum",
        "kantor",
        "yang",
        "dan",
        "atau",
        "dari",
        "di",
        "ke",
        "oleh",
        "untuk",
        "dengan",
        "kesbangpol",
        "bakesbangpol",
        "wilayah",
        "data",
        "terakhir",
        "terbaru",
        "sekarang",
        "saat",
        "ini",
        "asli",
        "resmi",
        "dd",
        "mm",
        "yy",
        "yyyy",
        "hh",
        "bb",
        "tttt",
    }
)
NUMBER_WORD = "nomor"
# A word outside the vocabulary is read as the vocabulary word it is this close to. 0.88 takes
# `Kecamtan`, `Alamt`, `Telpon`, `Sekertariat`; it keeps `Sekretaris` (0.857) off `Sekretariat`.
FUZZY_WORD = 0.88
FUZZY_MIN_LENGTH = 5
FUZZY_MAX_WORDS = 6

# How a header was matched.
EXACT, TOKENS, FUZZY, PARTIAL = "exact", "tokens", "fuzzy", "partial"


def header_key(text: object) -> str:
    return compact(_BRACKETS.sub(" ", str(text)))


_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]|\{.*?\}")


def _field_by_key() -> dict[str, str]:
    fields: dict[str, str] = {}
    for field_name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            # Spellings of one header may coincide ("No"/"No."); two fields may not.
            assert fields.setdefault(header_key(synonym), field_name) == field_name, synonym
    return fields


FIELD_BY_KEY = _field_by_key()


def words(text: object) -> list[str]:
    """The header's words, lower case, brackets dropped, abbreviations expanded, in order."""
    folded = fold(_BRACKETS.sub(" ", str(text)))
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    found: list[str] = []
    for word in folded.split():
        found.extend(_split_glued(word))
    return [ABBREVIATIONS.get(word, word) for word in found]


def _split_glued(word: str) -> list[str]:
    """`noskt` → [`no`, `skt`], `namaormas` → [`nama`, `ormas`]: words typed without a space."""
    if word in _vocabulary() or word in ABBREVIATIONS or len(word) < 4 or word.isdigit():
        return [word]
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if _known(head) and _known(tail):
            return [head, tail]
    return [word]


def _known(word: str) -> bool:
    return word in ABBREVIATIONS or word in _vocabulary()


def _without_fillers(tokens: frozenset[str]) -> frozenset[str]:
    kept = frozenset(t for t in tokens if t not in FILLER_WORDS and not t.isdigit())
    return kept or tokens


def _without_number_word(tokens: frozenset[str]) -> frozenset[str]:
    kept = tokens - {NUMBER_WORD}
    return kept or tokens


def _tiers(tokens: frozenset[str]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    plain = _without_fillers(tokens)
    return tokens, plain, _without_number_word(plain)


@cache
def _indexes() -> tuple[dict[frozenset[str], set[str]], ...]:
    """Per tier, the synonyms' word sets → the fields they name."""
    indexes: tuple[dict[frozenset[str], set[str]], ...] = ({}, {}, {})
    for field_name, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            for index, tokens in zip(indexes, _tiers(frozenset(words(synonym))), strict=True):
                index.setdefault(tokens, set()).add(field_name)
    return indexes


@cache
def _vocabulary() -> frozenset[str]:
    vocabulary = set(ABBREVIATIONS.values()) | FILLER_WORDS
    for synonyms in SYNONYMS.values():
        for synonym in synonyms:
            vocabulary.update(fold(_BRACKETS.sub(" ", synonym)).split())
    return frozenset(vocabulary)


@dataclass(frozen=True)
class HeaderMatch:
    field: str | None
    how: str = ""  # EXACT | TOKENS | FUZZY | PARTIAL; "" when unmatched
    ambiguous: tuple[str, ...] = ()  # the fields that matched equally, when that was the end


def match_header(text: object) -> HeaderMatch:
    """The field a header names, and how it was recognised (see the module docstring)."""
    return _match_header(" ".join(str(text).split()))


@cache
def _match_header(text: str) -> HeaderMatch:
    if field_name := FIELD_BY_KEY.get(header_key(text)):
        return HeaderMatch(field_name, EXACT)
    tokens = frozenset(words(text))
    if not tokens:
        return HeaderMatch(None)
    found = _by_tokens(tokens, TOKENS)
    if found.field or found.ambiguous:
        return found
    # Headers are short; a long cell is data (an address, a note), not worth a fuzzy look.
    if _number_and_date(tokens):
        return _by_tokens(tokens, TOKENS)
    if len(tokens) > FUZZY_MAX_WORDS:
        return _partial(tokens)
    corrected = frozenset(_closest_word(t) for t in tokens)
    if corrected != tokens:
        found = _by_tokens(corrected, FUZZY)
        if found.field or found.ambiguous:
            return found
    return _partial(corrected)


def _number_and_date(tokens: frozenset[str]) -> bool:
    """`Nomor dan Tanggal SKT`, `No/Tgl SK AHU`: one column holding a number and its date."""
    return {NUMBER_WORD, "tanggal"} <= tokens


def _by_tokens(tokens: frozenset[str], how: str) -> HeaderMatch:
    tiers = _tiers(tokens)
    if _number_and_date(tokens):
        tiers = tiers[:2]  # without `nomor` it would pass for the date column alone
    for index, key in zip(_indexes(), tiers, strict=False):
        fields = index.get(key)
        if fields and len(fields) == 1:
            return HeaderMatch(next(iter(fields)), how)
        if fields:
            return HeaderMatch(None, ambiguous=tuple(sorted(fields)))
    return HeaderMatch(None)


@cache
def _closest_word(word: str) -> str:
    if len(word) < FUZZY_MIN_LENGTH or word in _vocabulary() or word.isdigit():
        return word
    # get_close_matches skips most candidates on cheap upper bounds before the real ratio.
    close = difflib.get_close_matches(word, _vocabulary(), n=2, cutoff=FUZZY_WORD)
    if not close:
        return word
    if len(close) > 1:
        ratios = [difflib.SequenceMatcher(None, word, known).ratio() for known in close]
        if ratios[0] == ratios[1]:
            return word
    return ABBREVIATIONS.get(close[0], close[0])


def _partial(tokens: frozenset[str]) -> HeaderMatch:
    """The largest synonym inside the header, when it says most of what the header says."""
    if _number_and_date(tokens):
        return HeaderMatch(None)
    tokens = _tiers(tokens)[2]
    best_size = 0
    fields: set[str] = set()
    for key, named in _indexes()[2].items():
        if len(key) >= 2 and key <= tokens:
            if len(key) > best_size:
                best_size, fields = len(key), set(named)
            elif len(key) == best_size:
                fields |= named
    if not fields or best_size * 2 < len(tokens):
        return HeaderMatch(None)
    if len(fields) > 1:
        return HeaderMatch(None, ambiguous=tuple(sorted(fields)))
    return HeaderMatch(next(iter(fields)), PARTIAL)


def field_of(text: object) -> str | None:
    return match_header(text).field


@dataclass
class Column:
    index: int  # 0-based position in the row
    header: str  # as written in the file (group and sub-header joined); "" when it has none
    how: str = EXACT  # how the header was recognised (or "content", "mapping")
    ambiguous: tuple[str, ...] = ()  # fields the header matched equally, for unknown columns
    repeat: int = 0  # earlier columns with the same header key (two "Catatan" columns: 0, 1)

    @property
    def key(self) -> str:
        """What a saved column mapping is keyed by: the header's key, else the column letter;
        a repeated header gets its occurrence ("catatan#2"), so each can be mapped."""
        base = header_key(self.header) or f"#{column_letter(self.index)}"
        return f"{base}#{self.repeat + 1}" if self.repeat else base

    @property
    def label(self) -> str:
        """The header for messages; a column without one is named by its letter."""
        if self.header and self.repeat:
            return str(
                _("%(header)s (kolom %(letter)s)")
                % {"header": self.header, "letter": column_letter(self.index)}
            )
        return self.header or str(
            _("(tanpa judul, kolom %(letter)s)") % {"letter": column_letter(self.index)}
        )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
        return columns[0].label if columns else ""

    def field_at(self, index: int) -> str | None:
        for field_name, columns in self.columns.items():
            if any(column.index == index for column in columns):
                return field_name
        return None

    def assign(self, field_name: str, column: Column, how: str) -> None:
        """Give an unknown column a field (by content or by a mapping)."""
        self.unknown = [c for c in self.unknown if c.index != column.index]
        column.how = how
        self.columns.setdefault(field_name, []).append(column)

    def cell(self, values: list[object], field_name: str) -> tuple[object, str]:
        """The first non-empty cell of the field's columns, with that column's header."""
        for column in self.columns.get(field_name, ()):
            value = values[column.index] if column.index < len(values) else None
            if value is not None:
                return value, column.label
        return None, self.header(field_name)

    def is_header_repeat(self, values: list[object]) -> bool:
        """A header line repeated below (sheets printed over several pages).

        Compared exactly: a repeated header is a copy, and this runs on every row's name, where
        the close-spelling step would cost a fuzzy comparison per word of every name.
        """
        value, _header = self.cell(values, "name")
        if value is None:
            return False
        key = header_key(value)
        return key == self.name_key or FIELD_BY_KEY.get(key) == "name"

    @property
    def name_key(self) -> str:
        columns = self.columns.get("name")
        return header_key(columns[0].header) if columns else ""


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
        _add(result, match_header(value), index, _text(value))
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
        if sub is not None and group is not None and any(c.isdigit() for c in _text(sub)):
            # Sub-headers are words; a cell with a number in it is data ("KTP 3572…").
            _add(result, match_header(_text(group)), index, _text(group))
            continue
        if group is None or sub is None or _text(group) == _text(sub):
            text = _text(group if sub is None else sub)
            match = match_header(text)
            sub_hits += sub is not None and group is None and match.field is not None
            _add(result, match, index, text)
            continue
        group_text, sub_text = _text(group), _text(sub)
        for key in (f"{sub_text} {group_text}", f"{group_text} {sub_text}", sub_text):
            match = match_header(key)
            # Only a sure reading counts as a sub-header: "Budi Santoso" under "Nama Ketua"
            # is read as the chair's name by the partial step, but it is data.
            if match.field and match.how in (EXACT, TOKENS):
                sub_hits += 1
                break
        else:
            match = match_header(group_text)
            if match.field == "name":
                # Under the name header of a two-row header sits nothing, the same text or a
                # header word; anything else is the first ormas, and the row is data.
                return None
        _add(result, match, index, f"{group_text} {sub_text}")
    # A data row rarely holds two header words; without them this is not a sub-header.
    return result if sub_hits >= 2 else None


def _add(result: HeaderMap, match: HeaderMatch, index: int, text: str) -> None:
    if match.field is None:
        result.unknown.append(Column(index, text, how="", ambiguous=match.ambiguous))
    else:
        result.columns.setdefault(match.field, []).append(Column(index, text, how=match.how))


def _text(value: object) -> str:
    return " ".join(str(value).split())
