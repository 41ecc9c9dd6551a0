"""Cell parsers: one spreadsheet cell in, a clean value out (or ValueError with the reason).

They know nothing of rows, columns or the database; `rows.py` turns their failures into
problems attached to a row and column.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from sipko.lib import protected
from sipko.lib.dates import DateParseError, add_years, parse_date
from sipko.lib.phones import normalise_phone
from sipko.lib.text import fold
from sipko.registry.validators import normalise_npwp

# Cell contents that mean "nothing here".
_EMPTY = {
    "",
    "-",
    "--",
    "---",
    "—",
    "–",
    ".",
    "nihil",
    "tidak ada",
    "tdk ada",
    "belum ada",
    "n a",
    "na",
    "null",
    "none",
    "kosong",
}
# Registration-number cells that say "not registered (yet)".
_NO_NUMBER = _EMPTY | {
    "0",
    "belum",
    "belum terdaftar",
    "tidak terdaftar",
    "belum memiliki",
    "belum punya",
    "tidak punya",
    "proses",
    "dalam proses",
    "sedang proses",
    "on proses",
    "on process",
    "tidak memiliki",
    "belum ada skt",
    "tidak ada skt",
}
_PERPETUAL = {
    "seumur hidup",
    "selamanya",
    "tidak terbatas",
    "tanpa batas",
    "tidak ada batas",
    "selama berbadan hukum",
}
# Exports from other systems add a time of day ("2025-07-29 00:00:00", "29/07/2025 0:00 WIB").
_TIME_OF_DAY = re.compile(
    r"[\sT]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*(?:WIB|WITA|WIT|AM|PM))?$", re.IGNORECASE
)
_WEEKDAY = re.compile(r"^(senin|selasa|rabu|kamis|jum.?at|sabtu|minggu|ahad),?\s+", re.IGNORECASE)
_RANGE = re.compile(r"\s+(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga|-|–|—)\s+", re.IGNORECASE)
_YEARS = re.compile(r"^(\d{1,2})\s*(?:tahun|thn|th)\.?$", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(
    r"^(?:(SKTL|STTL|SKKO|SKL|SKT)\b\.?\s*)?(?:(?:NO|NOMOR|NOMER)\b\.?\s*)?:?\s*", re.IGNORECASE
)


def text(value: object) -> str:
    """The cell as one line of text; integral numbers without `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def is_empty(value: object) -> bool:
    return fold(text(value)) in _EMPTY


def value_text(value: object) -> str:
    """Text of a cell, "" when it only says "nothing here" (`-`, `tidak ada` …)."""
    return "" if is_empty(value) else text(value)


def parse_day(value: object) -> dt.date | None:
    """A date cell. Raises DateParseError."""
    if isinstance(value, str):
        if is_empty(value):
            return None
        value = _TIME_OF_DAY.sub("", _WEEKDAY.sub("", value.strip())).rstrip(".")
    return parse_date(value)


def parse_period(value: object, issued: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """A *masa berlaku* cell → (start, end). Accepts a date, a range `A s.d. B`, or `5 tahun`.

    Raises DateParseError when unreadable, ValueError when `N tahun` has no issue date.
    """
    if not isinstance(value, str):
        return None, parse_day(value)
    cleaned = " ".join(value.split())
    if is_empty(cleaned) or fold(cleaned) in _PERPETUAL:
        return None, None
    if match := _YEARS.match(cleaned):
        if issued is None:
            raise ValueError(cleaned)
        return None, add_years(issued, int(match.group(1)))
    parts = _RANGE.split(cleaned)
    if len(parts) == 2:
        return parse_day(parts[0]), parse_day(parts[1])
    return None, parse_day(cleaned)


def split_numbers(value: object) -> list[str]:
    """Registration numbers in one cell: one per line, or separated by `;` or ` dan `."""
    if value is None:
        return []
    raw = text(value) if not isinstance(value, str) else value
    parts = re.split(r"\s*(?:\n|;|\bdan\b)\s*", raw, flags=re.IGNORECASE)
    return [" ".join(part.split()) for part in parts if fold(part) not in _NO_NUMBER]


def strip_number_prefix(number: str) -> tuple[str, str]:
    """`SKL No. 12/2020` → (`12/2020`, `SKL`); `No: 220/1` → (`220/1`, ``)."""
    match = _NUMBER_PREFIX.match(number)
    if not match or not number[match.end() :].strip():
        return number, ""
    return number[match.end() :].strip(), (match.group(1) or "").upper()


_DATE_LIKE = re.compile(r"^\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}\s*$")


def parse_year(value: object) -> int | None:
    """A founding year (a year, or a date whose year counts). Raises ValueError if implausible."""
    if is_empty(value):
        return None
    if isinstance(value, dt.date):
        year = value.year
    elif isinstance(value, int | float) and not isinstance(value, bool):
        year = int(value)
    elif _DATE_LIKE.search(text(value)):
        # A whole date ("31-02-2024") must be a real one: its year is not read past an
        # impossible day, as an issue date would not be.
        try:
            day = parse_day(value)
        except DateParseError as exc:
            raise ValueError(text(value)) from exc
        if day is None:
            return None
        year = day.year
    elif match := re.search(r"\b(\d{4})\b", text(value)):
        year = int(match.group(1))
    else:
        raise ValueError(text(value))
    if not 1800 <= year <= timezone.localdate().year:
        raise ValueError(text(value))
    return year


def parse_count(value: object) -> int | None:
    """A head count: `150`, `1.234`, `± 200 orang`. Raises ValueError."""
    if is_empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or not float(value).is_integer():
            raise ValueError(text(value))
        return int(value)
    match = re.search(r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+", text(value))
    if not match:
        raise ValueError(text(value))
    return int(re.sub(r"\D", "", match.group(0)))


def parse_phone(value: object) -> str | None:
    """The first readable number in the cell as `+62…`. Raises ValueError when none is."""
    if is_empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        phone = normalise_phone(value)
        if phone is None:
            raise ValueError(text(value))
        return phone
    for part in re.split(r"\s*(?:/|,|;|\n|\batau\b|&)\s*", str(value)):
        if phone := normalise_phone(part):
            return phone
    raise ValueError(text(value))


def parse_email(value: object) -> str | None:
    if is_empty(value):
        return None
    first = re.split(r"[\s,;/]+", text(value).strip())[0].lower()
    try:
        validate_email(first)
    except ValidationError as exc:
        raise ValueError(first) from exc
    return first


def parse_npwp(value: object) -> str | None:
    """15 or 16 digits. A numeric cell lost its leading zero in Excel; it is put back."""
    if is_empty(value):
        return None
    digits = normalise_npwp(text(value))
    if isinstance(value, int | float) and len(digits) == 14:
        digits = "0" + digits
    if len(digits) not in (15, 16):
        raise ValueError(str(len(digits)))
    return digits


class NikAsNumber(ValueError):
    """Excel keeps 15 significant digits: a NIK typed as a number has lost its last digit."""


def parse_nik(value: object) -> str | None:
    """A chairman's NIK, validated. Raises NikAsNumber or ValueError (never with the NIK in it)."""
    if is_empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise NikAsNumber()
    nik = protected.normalise_nik(text(value))
    if not protected.is_valid_nik(nik):
        raise ValueError()
    return nik


__all__ = [
    "DateParseError",
    "NikAsNumber",
    "is_empty",
    "parse_count",
    "parse_day",
    "parse_email",
    "parse_nik",
    "parse_npwp",
    "parse_period",
    "parse_phone",
    "parse_year",
    "split_numbers",
    "strip_number_prefix",
    "text",
    "value_text",
]
