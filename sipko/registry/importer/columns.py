"""What to do with the columns whose header `headers.py` did not recognise (docs/import.md#columns).

An import never drops data silently. After the header is read, each unknown column is settled,
in this order:

1. a **mapping** given for this import (`--map`, the web page's choices), then one **saved** for
   the import's region: the column is read as that field, or ignored on purpose;
2. **recognition by content**: up to SAMPLE_ROWS data rows are looked at; when at least
   CONTENT_SHARE of the column's filled cells are of one kind (SK AHU numbers, SKT-like numbers,
   dates, phone numbers, NIKs, e-mail addresses, NPWPs, kecamatan or kelurahan names of the
   region) and the field that kind belongs to has no column yet, the column is read as that
   field, with a warning naming the field and the reason;
3. otherwise a column holding data is a **warning**, listed first, with up to three (masked)
   sample values; an empty one is an info line.

Nothing here writes; the result is a list of problems for the report and the unresolved columns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sipko.lib import protected
from sipko.lib.dates import DateParseError
from sipko.lib.phones import normalise_phone
from sipko.regions.models import Level, Region
from sipko.registry.importer import parse
from sipko.registry.importer.headers import (
    FIELD_LABELS,
    SYNONYMS,
    Column,
    HeaderMap,
    words,
)
from sipko.registry.importer.reader import Table
from sipko.registry.importer.regions import RegionNames
from sipko.registry.importer.result import LEVEL_INFO, LEVEL_WARNING, Problem, UnknownColumn

IGNORE = "ignore"  # a mapping that drops the column on purpose
DUPLICATE = "duplicate"  # Column.how of a second column read as a field another one fills
SAMPLE_ROWS = 300  # data rows looked at for recognition by content, spread over the file
CONTENT_SHARE = 0.8  # share of a column's filled cells that must be of one kind
SAMPLES_SHOWN = 3
SAMPLE_LENGTH = 40
DISTINCT_NAMES = 60  # distinct region names looked up per column

# How a column was settled (Column.how for columns given a field here).
CONTENT, MAPPED, SAVED = "content", "mapping", "saved"

# Cell kinds recognised by content.
AHU, NUMBER, DATE, PHONE, NIK, EMAIL, NPWP = (
    "ahu",
    "number",
    "date",
    "phone",
    "nik",
    "email",
    "npwp",
)
KECAMATAN, KELURAHAN = "kecamatan", "kelurahan"

_SKT_LIKE = re.compile(r"^[\w.\-]*\d[\w.\-]*(?:\s*/\s*[\w.\-]+){2,}$")
_AHU = re.compile(r"\bAHU\s*[-.]")
_NPWP = re.compile(r"^\d{2}\.\d{3}\.\d{3}\.\d[.\-]\d{3}\.\d{3}$")
_DIGITS = re.compile(r"\+?\d[\d\s.\-()]{7,}\d")
_EMBEDDED_DATE = re.compile(r"\d{1,2}[-.]\d{1,2}[-.](?:\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2}")
_DATE_SHAPE = re.compile(
    r"^(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})$"
)
_PHONE_TEXT = re.compile(r"^[+()\d\s.\-/]+$")
# Words in a header that say which date a date column is.
_DATE_WORDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"ahu", "hukum"}), "ahu_date"),
    (frozenset({"berlaku", "sampai", "kedaluwarsa", "akhir", "berakhir", "habis"}), "expires"),
    (frozenset({"berdiri"}), "founding_year"),
    (
        frozenset(
            {"skt", "sk", "terbit", "registrasi", "surat", "pengesahan", "penerbitan", "legalitas"}
        ),
        "issued",
    ),
)
# The date column to the right of a number column is that number's date.
_DATE_AFTER = {
    "ahu_number": "ahu_date",
    "skt_number": "issued",
    "registration_number": "issued",
    "local_number": "issued",
    "letter_type": "issued",
    "issued": "expires",
}
_CHAIRMAN_WORDS = frozenset({"ketua", "pimpinan", "pengurus"})


@dataclass
class Recognition:
    field: str | None = None  # the field the content points to (it may have a column already)
    reason: str = ""  # "9 dari 10 isian berupa tanggal"; set whenever a kind was recognised


@dataclass
class Settled:
    problems: list[Problem] = field(default_factory=list)  # for the report, most urgent first
    unresolved: list[UnknownColumn] = field(default_factory=list)


def field_label(field_name: str) -> str:
    return str(FIELD_LABELS.get(field_name, field_name))


def valid_target(field_name: str) -> bool:
    return field_name == IGNORE or field_name in SYNONYMS


def settle_columns(
    table: Table,
    headers: HeaderMap,
    *,
    mapping: dict[str, str],
    saved: dict[str, str],
    names: RegionNames,
    scope: Region | None,
    ignore_unknown: bool = False,
) -> Settled:
    """Give the unknown columns of `headers` a field where a mapping or their content says which.

    `mapping` (this import) and `saved` (the region's remembered choices) map a column key
    (`Column.key`) to a field name or IGNORE. Changes `headers` in place. The problems come
    most urgent first: unknown columns holding data, columns read by content, then notes.
    """
    rows = _sample_rows(table, headers)
    _add_headerless_columns(headers, rows)
    _number_repeats(headers)
    _release_duplicates(headers, rows, mapping, saved)
    unknown: list[Problem] = []
    by_content: list[Problem] = []
    notes: list[Problem] = []
    empty: list[Problem] = []
    unresolved: list[UnknownColumn] = []
    _release_remapped(headers, mapping, saved)
    header_notes = _header_notes(headers)
    for column in list(headers.unknown):
        target, how = mapping.get(column.key), MAPPED
        if target is None or not valid_target(target):
            target, how = saved.get(column.key), SAVED
        if target is not None and valid_target(target):
            notes.append(_mapped_note(headers, column, target, how))
            continue
        values = [v for v in (_at(row, column.index) for row in rows) if not parse.is_empty(v)]
        if not values:
            empty.append(
                Problem(
                    0, column.label, LEVEL_INFO, _("Kolom tidak dikenali dan kosong; diabaikan.")
                )
            )
            continue
        seen = _recognise(headers, column, values, rows, names, scope)
        if seen.field and seen.field not in headers.columns:
            headers.assign(seen.field, column, CONTENT)
            by_content.append(
                Problem(
                    0,
                    column.label,
                    LEVEL_WARNING,
                    _(
                        "Judul kolom tidak dikenali; dari isinya kolom ini dibaca sebagai "
                        "%(field)s (%(reason)s). Bila keliru, petakan kolom ini."
                    )
                    % {"field": field_label(seen.field), "reason": seen.reason},
                )
            )
            continue
        if ignore_unknown:
            headers.unknown = [c for c in headers.unknown if c.index != column.index]
            notes.append(
                Problem(
                    0,
                    column.label,
                    LEVEL_INFO,
                    _("Kolom tidak dikenali berisi data; diabaikan atas permintaan."),
                )
            )
            continue
        samples = sample_values(values)
        unresolved.append(UnknownColumn(column.key, column.label, samples, seen.field or ""))
        unknown.append(
            Problem(0, column.label, LEVEL_WARNING, _unknown_message(samples, seen, column))
        )
    return Settled(
        problems=unknown + by_content + notes + header_notes + empty, unresolved=unresolved
    )


def _unknown_message(samples: list[str], seen: Recognition, column: Column) -> str:
    message = _(
        "Kolom tidak dikenali berisi data; isinya TIDAK diimpor. Contoh isi: %(samples)s. "
        "Petakan kolom ini ke isian yang sesuai atau abaikan dengan sengaja."
    ) % {"samples": "; ".join(f"'{s}'" for s in samples)}
    if column.how == DUPLICATE:
        message += " " + _(
            "Judulnya juga dibaca sebagai %(field)s, tetapi kolom lain sudah mengisi isian itu "
            "dengan nilai yang berbeda."
        ) % {"field": field_label(column.ambiguous[0])}
    elif seen.field:
        message += " " + _(
            "Isinya mirip %(field)s (%(reason)s), tetapi isian itu sudah ada kolomnya."
        ) % {"field": field_label(seen.field), "reason": seen.reason}
    elif seen.reason:
        message += " " + _("%(reason)s, tetapi tidak jelas untuk isian yang mana.") % {
            "reason": seen.reason[:1].upper() + seen.reason[1:]
        }
    elif column.ambiguous:
        message += " " + _("Judulnya cocok dengan lebih dari satu isian: %(fields)s.") % {
            "fields": ", ".join(field_label(f) for f in column.ambiguous)
        }
    return message


def _number_repeats(headers: HeaderMap) -> None:
    """Two columns with the same header get distinct keys, so each can be mapped on its own."""
    seen: dict[str, int] = {}
    columns = [c for cs in headers.columns.values() for c in cs] + list(headers.unknown)
    for column in sorted(columns, key=lambda c: c.index):
        base = column.key
        column.repeat = seen.get(base, 0)
        seen[base] = column.repeat + 1


def _release_duplicates(
    headers: HeaderMap, rows: list[list[object]], mapping: dict[str, str], saved: dict[str, str]
) -> None:
    """A second column read as the same field, holding other values than the first in the same
    rows, would lose its data (a row takes the first non-empty cell): it becomes unknown, to be
    mapped or ignored on purpose, unless a mapping put it there."""
    for field_name, columns in list(headers.columns.items()):
        if len(columns) < 2:
            continue
        first = columns[0]
        for column in list(columns[1:]):
            if mapping.get(column.key, saved.get(column.key)) == field_name:
                continue
            clash = any(
                not parse.is_empty(_at(row, first.index))
                and not parse.is_empty(_at(row, column.index))
                and parse.text(_at(row, first.index)) != parse.text(_at(row, column.index))
                for row in rows
            )
            if clash:
                columns.remove(column)
                headers.unknown.append(replace(column, how=DUPLICATE, ambiguous=(field_name,)))
    headers.unknown.sort(key=lambda c: c.index)


def _release_remapped(headers: HeaderMap, mapping: dict[str, str], saved: dict[str, str]) -> None:
    """A recognised column that a mapping reads otherwise becomes unknown, to be mapped below:
    a mapping can correct a header read by a close spelling or by part of its words."""
    for field_name, columns in list(headers.columns.items()):
        for column in list(columns):
            target = mapping.get(column.key, saved.get(column.key))
            if target is not None and target != field_name and valid_target(target):
                columns.remove(column)
                headers.unknown.append(column)
        if not columns:
            del headers.columns[field_name]
    headers.unknown.sort(key=lambda c: c.index)


def _mapped_note(headers: HeaderMap, column: Column, target: str, how: str) -> Problem:
    if target == IGNORE:
        headers.unknown = [c for c in headers.unknown if c.index != column.index]
        message = (
            _("Kolom diabaikan (pemetaan tersimpan).")
            if how == SAVED
            else _("Kolom diabaikan sesuai pemetaan.")
        )
    else:
        headers.assign(target, column, how)
        message = (
            _("Kolom %(column)s dipetakan ke %(field)s (pemetaan tersimpan).")
            if how == SAVED
            else _("Kolom %(column)s dipetakan ke %(field)s.")
        ) % {"column": column.label, "field": field_label(target)}
    return Problem(0, column.label, LEVEL_INFO, message)


def _header_notes(headers: HeaderMap) -> list[Problem]:
    """Headers read by a close spelling or by part of their words: said, so they can be checked."""
    notes = []
    for field_name, columns in headers.columns.items():
        for column in columns:
            if column.how in ("fuzzy", "partial"):
                notes.append(
                    Problem(
                        0,
                        column.label,
                        LEVEL_INFO,
                        _("Judul kolom dibaca sebagai %(field)s.")
                        % {"field": field_label(field_name)},
                    )
                )
    return notes


# --- the data looked at ------------------------------------------------------------------------


def _sample_rows(table: Table, headers: HeaderMap) -> list[list[object]]:
    """Up to SAMPLE_ROWS rows that hold an ormas (a name), spread evenly over the file."""
    rows = [
        values
        for number, values in table.rows
        if number > headers.last_row
        and number not in table.banner_rows
        and not parse.is_empty(headers.cell(values, "name")[0])
        and not headers.is_header_repeat(values)
    ]
    step = max(1, -(-len(rows) // SAMPLE_ROWS))
    return rows[::step][:SAMPLE_ROWS]


def _at(values: list[object], index: int) -> object:
    return values[index] if index < len(values) else None


def _add_headerless_columns(headers: HeaderMap, rows: list[list[object]]) -> None:
    """Columns without any header text that hold data in ormas rows are unknown columns too."""
    known = {c.index for columns in headers.columns.values() for c in columns}
    known |= {c.index for c in headers.unknown}
    width = max((len(values) for values in rows), default=0)
    for index in range(width):
        if index not in known and any(not parse.is_empty(_at(v, index)) for v in rows):
            headers.unknown.append(Column(index, "", how=""))
    headers.unknown.sort(key=lambda c: c.index)


def sample_values(values: Iterable[object]) -> list[str]:
    """Up to three distinct values as text, shortened, with NIK- and phone-like digits masked."""
    shown: list[str] = []
    for value in values:
        text = mask_personal(parse.text(value))
        if len(text) > SAMPLE_LENGTH:
            text = text[: SAMPLE_LENGTH - 1] + "…"
        if text and text not in shown:
            shown.append(text)
        if len(shown) == SAMPLES_SHOWN:
            break
    return shown


def mask_personal(text: str) -> str:
    """Runs of eight digits or more (NIK, phone, NPWP) masked as `protected` masks them."""

    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) < 8 or _EMBEDDED_DATE.fullmatch(match.group(0).strip()):
            return match.group(0)  # a date ("01-04-2022") is not personal data
        if len(digits) == 16:
            return protected.mask_nik(digits)
        phone = normalise_phone(match.group(0))
        return protected.mask_phone(phone) if phone else protected.mask_phone("+" + digits)

    return _DIGITS.sub(mask, text)


# --- recognition by content -------------------------------------------------------------------


def kinds_of(value: object) -> set[str]:
    """What one cell looks like: an AHU number, an SKT-like number, a date, a phone …"""
    if isinstance(value, bool):
        return set()
    if isinstance(value, dt.date):
        return {DATE}
    if isinstance(value, int | float):
        if not float(value).is_integer() or value <= 0:
            return set()
        digits = str(int(value))
        if len(digits) >= 15:
            return {NIK}  # a NIK typed as a number (it has lost digits; the row says so)
        if 9 <= len(digits) <= 13 and normalise_phone(value):
            return {PHONE}
        # Excel serial numbers of 1950–2099: a date cell without a date format.
        return {DATE} if 18264 <= value <= 73050 else set()
    text = " ".join(str(value).split())
    upper = text.upper()
    if _AHU.search(upper):
        return {AHU}  # checked, and refused when malformed, as the row is read
    if "@" in text:
        try:
            validate_email(text.split()[0])
        except ValidationError:
            return set()
        return {EMAIL}
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isdigit() and len(digits) == 16:
        return {NIK}
    if _NPWP.match(text):
        return {NPWP}
    if _DATE_SHAPE.match(text):
        return {DATE}  # 31/02/2024 too: read as a date, the row reports it impossible
    if not re.fullmatch(r"\d{1,5}", text):  # a bare count or year is not a date
        try:
            if parse.parse_day(text) is not None:
                return {DATE}
        except DateParseError:
            pass
    if _PHONE_TEXT.match(text) and 9 <= len(re.sub(r"\D", "", text)) <= 14:
        try:
            parse.parse_phone(text)
        except ValueError:
            pass
        else:
            return {PHONE}
    number, prefix = parse.strip_number_prefix(text)
    if _SKT_LIKE.match(number) or (prefix and "/" in number and re.search(r"\d", number)):
        return {NUMBER}
    return set()


def _recognise(
    headers: HeaderMap,
    column: Column,
    values: list[object],
    rows: list[list[object]],
    names: RegionNames,
    scope: Region | None,
) -> Recognition:
    """The field the column's content points to, with the reason."""
    total = len(values)
    kinds = [kinds_of(value) for value in values]
    counts = Counter(kind for found in kinds for kind in found)

    def reason(count: int, what: str) -> str:
        return _("%(count)s dari %(total)s isian berupa %(what)s") % {
            "count": count,
            "total": total,
            "what": what,
        }

    taken = set(headers.columns)
    tokens = set(words(column.header))
    registered = sum(1 for found in kinds if found & {AHU, NUMBER})
    if registered >= CONTENT_SHARE * total:
        if counts[NUMBER] == 0:
            options = ["ahu_number", "registration_number"]
        elif counts[AHU] == 0:
            options = ["skt_number", "registration_number"]
        else:
            options = ["registration_number", "skt_number"]
        return Recognition(_first_free(options, taken), reason(registered, _("nomor SKT/SK AHU")))
    for kind, field_name, what in (
        (NIK, "chairman_nik", _("NIK")),
        (NPWP, "npwp", _("NPWP")),
        (EMAIL, "email", _("alamat surel")),
    ):
        if counts[kind] >= CONTENT_SHARE * total:
            return Recognition(field_name, reason(counts[kind], what))
    if counts[PHONE] >= CONTENT_SHARE * total:
        left = headers.field_at(column.index - 1)
        chairman = tokens & _CHAIRMAN_WORDS or left in ("chairman_name", "chairman_nik")
        options = ["chairman_phone", "phone"] if chairman else ["phone"]
        return Recognition(_first_free(options, taken), reason(counts[PHONE], _("nomor telepon")))
    if counts[DATE] >= CONTENT_SHARE * total:
        return Recognition(_date_field(headers, column, tokens), reason(counts[DATE], _("tanggal")))
    return _region_names(headers, values, rows, names, scope, taken)


def _first_free(options: list[str], taken: set[str]) -> str:
    return next((o for o in options if o not in taken), options[0])


def _date_field(headers: HeaderMap, column: Column, tokens: set[str]) -> str | None:
    for hints, field_name in _DATE_WORDS:
        if tokens & hints:
            return field_name
    left = headers.field_at(column.index - 1)
    return _DATE_AFTER.get(left or "")


def _region_names(
    headers: HeaderMap,
    values: list[object],
    rows: list[list[object]],
    names: RegionNames,
    scope: Region | None,
    taken: set[str],
) -> Recognition:
    """Kecamatan or kelurahan names of the import's kab/kota (looked up once per distinct name)."""
    texts = [
        parse.text(v) for v in values if isinstance(v, str) and not any(c.isdigit() for c in v)
    ]
    if not texts or len(texts) < CONTENT_SHARE * len(values):
        return Recognition()
    kabkota = _kabkota_of(headers, rows, names, scope)
    if kabkota is None:
        return Recognition()
    common = Counter(texts).most_common(DISTINCT_NAMES)
    looked_at = sum(count for _text, count in common)
    kecamatan = kelurahan = 0
    for text, count in common:
        if names.find_kecamatan(kabkota, text).region is not None:
            kecamatan += count
        if names.find_kelurahan(kabkota, None, text).region is not None:
            kelurahan += count
    best = max(kecamatan, kelurahan)
    if best < CONTENT_SHARE * looked_at:
        return Recognition()
    if kecamatan > kelurahan or (kecamatan == kelurahan and "kecamatan" not in taken):
        field_name, what = "kecamatan", _("nama kecamatan di %(region)s")
    else:
        field_name, what = "kelurahan", _("nama kelurahan/desa di %(region)s")
    return Recognition(
        field_name,
        _("%(count)s dari %(total)s isian berupa %(what)s")
        % {"count": best, "total": looked_at, "what": what % {"region": kabkota.name}},
    )


def _kabkota_of(
    headers: HeaderMap, rows: list[list[object]], names: RegionNames, scope: Region | None
) -> Region | None:
    """The import's kab/kota: from its region, else the most common name in the Kab/Kota column."""
    if scope is not None and scope.level >= Level.KABUPATEN_KOTA:
        return names.get(scope.code[:5])
    written = Counter(
        text for values in rows if (text := parse.value_text(headers.cell(values, "kabkota")[0]))
    )
    if not written:
        return None
    return names.find_kabkota(written.most_common(1)[0][0], scope).region


__all__ = [
    "CONTENT",
    "IGNORE",
    "MAPPED",
    "SAVED",
    "Settled",
    "UnknownColumn",
    "field_label",
    "kinds_of",
    "mask_personal",
    "sample_values",
    "settle_columns",
    "valid_target",
]
