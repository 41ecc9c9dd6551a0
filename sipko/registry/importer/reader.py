"""Reading a registry spreadsheet (.xlsx or .csv) into plain rows of cell values.

The type is decided by content, never by the file name alone: clerks rename files, and a PDF
called `daftar.xlsx` must get a clear message rather than a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sipko.lib.uploads import is_xlsx
from sipko.registry.importer.result import ImportFileError

# Wider than any registry sheet; guards against sheets formatted out to column XFD.
MAX_COLUMNS = 100
CSV_DELIMITERS = (";", ",", "\t")
# C0 controls and DEL, except tab and line breaks (a cell may hold several lines).
_CONTROL_CHARACTERS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])
_EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"}

Row = tuple[int, list[object]]  # (row number as the user sees it, cell values; None = empty)


@dataclass
class Table:
    """One sheet, or the CSV file."""

    name: str
    rows: list[Row]
    # Rows whose only content is one horizontally merged cell: titles and section headings
    # ("KECAMATAN SUKOREJO") inside the data, which are not ormas.
    banner_rows: set[int] = field(default_factory=set)


def read_tables(
    data: bytes,
    filename: str,
    *,
    max_rows: int | None = None,
    max_unzipped_bytes: int | None = None,
) -> list[Table]:
    """Every candidate table in the file, the most likely first. Raises ImportFileError.

    `max_unzipped_bytes` refuses an XLSX whose parts would unpack to more than that, before
    openpyxl reads anything. `max_rows` stops reading a CSV as soon as it certainly holds more
    data rows than that; the caller checks the chosen table exactly with `check_row_count`.
    """
    if not data.strip():
        raise ImportFileError(_("Berkas kosong."))
    if _detect_kind(data, filename) == "xlsx":
        if max_unzipped_bytes is not None:
            check_unzipped_size(data, max_unzipped_bytes)
        return _read_xlsx(data)
    return _read_csv(data, max_rows=max_rows)


# --- limits (docs/import.md#limits-and-performance) ------------------------------------------


def check_unzipped_size(data: bytes, limit: int) -> None:
    """Refuse an XLSX that would unpack to more than `limit` bytes: a zip bomb, or a sheet far
    larger than any register. Reads the zip directory only.

    The sizes in the directory are what the parts may grow to: Python's zipfile, which openpyxl
    reads through, stops at the declared size and fails the CRC check for a part that lies.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except Exception as exc:  # zipfile raises many types for damaged archives (version, names…)
        raise ImportFileError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    if unzipped > limit:
        raise ImportFileError(
            _(
                "Isi berkas XLSX terlalu besar setelah dibuka (%(size)s; batasnya %(limit)s). "
                "Pecah berkas (mis. per kecamatan) atau simpan sebagai .csv."
            )
            % {"size": filesizeformat(unzipped), "limit": filesizeformat(limit)}
        )


def check_row_count(rows: int, limit: int) -> None:
    """Refuse a table with more than `limit` data rows, before any row is cleaned or matched."""
    if rows > limit:
        raise ImportFileError(too_many_rows_message(limit))


def too_many_rows_message(limit: int) -> str:
    return _(
        "Berkas berisi lebih dari %(limit)s baris data; satu impor paling banyak %(limit)s "
        "baris. Pecah berkas (mis. per kecamatan), atau minta administrator menaikkan batas "
        "SIPKO_IMPORT_MAX_ROWS."
    ) % {"limit": number_format(limit, force_grouping=True)}


def _detect_kind(data: bytes, filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(b"PK"):
        if is_xlsx(data):
            return "xlsx"
        raise ImportFileError(
            _(
                "Berkas ini arsip ZIP tetapi bukan lembar kerja XLSX (mungkin .ods atau .docx). "
                "Simpan ulang sebagai .xlsx atau .csv."
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Format Excel lama (.xls) tidak didukung. Buka berkas di Excel lalu simpan "
                "sebagai .xlsx (Excel Workbook) atau .csv."
            )
        )
    if data.startswith(b"%PDF"):
        raise ImportFileError(_("Berkas ini PDF, bukan lembar kerja. Unggah .xlsx atau .csv."))
    if suffix in (".xlsx", ".xlsm"):
        raise ImportFileError(
            _("Berkas bernama %(name)s tetapi isinya bukan XLSX yang sah.")
            % {"name": PurePath(filename).name}
        )
    if suffix not in (".csv", ".txt", ""):
        raise ImportFileError(
            _("Jenis berkas %(suffix)s tidak diterima. Yang diterima: .xlsx dan .csv.")
            % {"suffix": suffix}
        )
    if _looks_binary(data):
        raise ImportFileError(_("Isi berkas bukan teks CSV yang dapat dibaca."))
    return "csv"


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(head) // 20


def clean_value(value: object) -> object:
    """Text trimmed (non-breaking spaces too), empty and Excel error values as None.

    Control characters are dropped: a NUL that slipped past `_looks_binary` (it reads only the
    head of the file) would otherwise reach PostgreSQL, which refuses it in any text.
    """
    if isinstance(value, str):
        text = value.translate(_CONTROL_CHARACTERS).replace("\xa0", " ").replace("\u200b", "")
        text = text.strip()
        return None if not text or text in _EXCEL_ERRORS else text
    return value


# --- XLSX ------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> list[Table]:
    import openpyxl  # imported here: only xlsx imports pay for it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about every unsupported extension (data validation, slicers…).
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportFileError(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    sheets = list(book.worksheets)
    active = book.active
    if active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    tables = [_sheet_table(sheet) for sheet in sheets]
    if not any(table.rows for table in tables):
        raise ImportFileError(_("Lembar kerja tidak berisi data."))
    return tables


def _sheet_table(sheet: object) -> Table:
    grid: dict[int, dict[int, object]] = {}
    # `_cells` holds only cells present in the file; the public iterators would create every
    # coordinate up to max_row × max_column, which explodes on sheets formatted to row 1048576.
    for (row, column), cell in sheet._cells.items():  # type: ignore[attr-defined]
        value = clean_value(cell.value)
        if column <= MAX_COLUMNS and value is not None:
            grid.setdefault(row, {})[column] = value
    last_row = max(grid, default=0)
    spans: list[tuple[int, int, int, int]] = []
    for merged in sheet.merged_cells.ranges:  # type: ignore[attr-defined]
        top = grid.get(merged.min_row, {}).get(merged.min_col)
        if top is None:
            continue
        max_col = min(merged.max_col, MAX_COLUMNS)
        max_row = min(merged.max_row, last_row)
        for row in range(merged.min_row, max_row + 1):
            for column in range(merged.min_col, max_col + 1):
                grid.setdefault(row, {})[column] = top
        if max_col > merged.min_col:
            spans.append((merged.min_row, max_row, merged.min_col, max_col))
    banner_rows = {
        row
        for first_row, end_row, first_col, end_col in spans
        for row in range(first_row, end_row + 1)
        if all(first_col <= column <= end_col for column in grid.get(row, {}))
    }
    return Table(name=sheet.title, rows=_rows_from_grid(grid), banner_rows=banner_rows)  # type: ignore[attr-defined]


def _rows_from_grid(grid: dict[int, dict[int, object]]) -> list[Row]:
    width = max((max(cells) for cells in grid.values() if cells), default=0)
    return [
        (row, [grid[row].get(column) for column in range(1, width + 1)])
        for row in sorted(grid)
        if grid[row]
    ]


# --- CSV -------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as Excel writes it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _read_csv(data: bytes, *, max_rows: int | None = None) -> list[Table]:
    text = decode_text(data)
    try:
        delimiter = _sniff_delimiter(text)
        records = _csv_records(text, delimiter, max_rows=max_rows)
    except csv.Error as exc:
        raise ImportFileError(
            _("CSV tidak dapat dibaca: %(reason)s") % {"reason": str(exc)}
        ) from exc
    return [_csv_table(records)]


def _csv_table(records: Iterable[list[str]]) -> Table:
    grid = {
        number: {
            column: value
            for column, raw in enumerate(record[:MAX_COLUMNS], start=1)
            if (value := clean_value(raw)) is not None
        }
        for number, record in enumerate(records, start=1)
    }
    return Table(name="", rows=_rows_from_grid(grid))


def _sniff_delimiter(text: str) -> str:
    """The delimiter under which the header is recognised best, judged on the first rows only.

    Only the top of the file is parsed once per candidate; the file itself is parsed once.
    """
    from sipko.registry.importer.headers import (  # headers imports this module
        SCAN_ROWS,
        locate_header,
        recognised_elsewhere,
    )

    candidates = [d for d in CSV_DELIMITERS if d in text] or [","]
    if len(candidates) == 1:
        return candidates[0]
    best, best_score = candidates[0], (-1, -1)
    for delimiter in candidates:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        sample = _csv_table(itertools.islice(reader, SCAN_ROWS + 2))
        headers = locate_header(sample)
        score = (1, headers.score) if headers else (0, len(recognised_elsewhere(sample)))
        if score > best_score:  # the first candidate wins ties: `;` as Excel writes it here
            best, best_score = delimiter, score
    return best


def _csv_records(text: str, delimiter: str, *, max_rows: int | None) -> list[list[str]]:
    from sipko.registry.importer.headers import SCAN_ROWS  # headers imports this module

    # The header is among the first SCAN_ROWS filled rows, so past `max_rows + SCAN_ROWS`
    # filled rows the data rows exceed `max_rows` whichever row the header turns out to be.
    most = None if max_rows is None else max_rows + SCAN_ROWS
    records = []
    filled = 0
    for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        records.append(record)
        if most is not None and any(clean_value(cell) is not None for cell in record):
            filled += 1
            if filled > most:
                raise ImportFileError(too_many_rows_message(max_rows or 0))
    return records


def is_column_numbering(values: list[object]) -> bool:
    """The "(1) (2) (3)…" row Indonesian government tables put under their headers."""
    filled = [v for v in values if v is not None]
    return len(filled) >= 3 and all(
        re.fullmatch(r"\(?\d{1,2}\)?\.?", str(v).strip()) for v in filled
    )
