"""Dates as Indonesian offices write them (SPEC §7)."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
_NUMERIC = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-zA-Z]+)\.?\s+(\d{4})$")


class DateParseError(ValueError):
    pass


def parse_date(value: object) -> dt.date | None:
    """Parse one cell. Empty → None; unreadable → DateParseError.

    Accepts date/datetime objects, Excel serial numbers, `29/07/2025`, `29-07-2025`,
    `29.07.2025`, `2025-07-29`, `29 Juli 2025`, `29 Jul 2025`. Day-first, never month-first.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = " ".join(str(value).strip().split())
    if not text or text in {"-", "—"}:
        return None
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return _from_serial(float(text))
    if match := _NUMERIC.match(text):
        a, b, c = match.groups()
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        elif len(c) == 4:
            day, month, year = int(a), int(b), int(c)
        else:
            raise DateParseError(text)
        return _make(year, month, day, text)
    if match := _WORDS.match(text):
        day_text, month_text, year_text = match.groups()
        month = MONTHS.get(month_text.lower())
        if month is None:
            raise DateParseError(text)
        return _make(int(year_text), month, int(day_text), text)
    raise DateParseError(text)


def _from_serial(serial: float) -> dt.date:
    if not 1 <= serial <= 2958465:  # Excel's last day, 9999-12-31
        raise DateParseError(str(serial))
    return _plausible(_EXCEL_EPOCH + dt.timedelta(days=int(serial)), str(serial))


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return _plausible(dt.date(year, month, day), text)
    except ValueError as exc:
        raise DateParseError(text) from exc


def _plausible(date: dt.date, text: str) -> dt.date:
    """Years outside 1900–2100 are typing mistakes in registry papers (9999, 0001, 20225)."""
    if not EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        raise DateParseError(text)
    return date


def add_years(date: dt.date, years: int) -> dt.date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)
