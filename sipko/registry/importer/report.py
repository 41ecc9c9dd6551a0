"""The import report: an XLSX the uploader can open, sort and fix their file from."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sipko.registry.importer.result import (
    CREATED,
    DUPLICATE,
    ERROR,
    LEVEL_DUPLICATE,
    LEVEL_ERROR,
    LEVEL_INFO,
    LEVEL_WARNING,
    UNCHANGED,
    UPDATED,
    ImportResult,
)


def level_label(level: str) -> str:
    return {
        LEVEL_ERROR: _("galat"),
        LEVEL_WARNING: _("peringatan"),
        LEVEL_DUPLICATE: _("duplikat"),
        LEVEL_INFO: _("info"),
    }.get(level, level)


def status_label(status: str) -> str:
    return {
        CREATED: _("baru"),
        UPDATED: _("diperbarui"),
        UNCHANGED: _("tidak berubah"),
        DUPLICATE: _("duplikat"),
        ERROR: _("galat"),
    }.get(status, status)


def write_report(result: ImportResult, destination: Path | IO[bytes]) -> None:
    """Sheets "Ringkasan" (counts), "Masalah" (one line per problem) and "Baris" (each row).

    Written in openpyxl's write-only mode: rows stream out one after the other, so time and
    memory grow with the number of rows and nothing else (docs/import.md#limits-and-performance).
    """
    book = Workbook(write_only=True)
    counts = result.summary()
    outcome = (
        _("Berkas ditolak")
        if result.file_error
        else _("Uji coba (tidak disimpan)")
        if result.dry_run
        else _("Disimpan")
        if result.written
        else _("Ditolak: tidak ada yang disimpan")
    )
    lines: list[tuple[str, object]] = [
        (_("Berkas"), result.filename),
        (_("Lembar"), result.sheet),
        (_("Hasil"), outcome),
        (_("Baru"), counts["created"]),
        (_("Diperbarui"), counts["updated"]),
        (_("Tidak berubah"), counts["unchanged"]),
        (_("Duplikat"), counts["duplicates"]),
        (_("Baris bergalat"), counts["errors"]),
        (_("Baris dengan peringatan"), counts["warnings"]),
        (_("Disimpan"), _("ya") if result.written else _("tidak")),
    ]
    if result.file_error:
        lines.append((_("Galat berkas"), result.file_error))
    summary_sheet = _sheet(book, _("Ringkasan"), (26, 60), frozen=False)
    for line in lines:
        _append(summary_sheet, line)

    problems = _sheet(book, _("Masalah"), (8, 24, 12, 90))
    _append(problems, (_("Baris"), _("Kolom"), _("Tingkat"), _("Pesan")), bold=True)
    for problem in result.problems:
        _append(
            problems,
            (problem.row or "", problem.column, level_label(problem.level), problem.message),
        )

    rows = _sheet(book, _("Baris"), (8, 45, 14, 80))
    _append(rows, (_("Baris"), _("Nama ormas"), _("Hasil"), _("Keterangan")), bold=True)
    for row in result.rows:
        _append(rows, (row.row, row.name, status_label(row.status), row.reason))
    book.save(destination)


def _sheet(
    book: Workbook, title: str, widths: tuple[int, ...], *, frozen: bool = True
) -> WriteOnlyWorksheet:
    # Column widths and panes must be set before the first row of a write-only sheet.
    sheet = book.create_sheet(title)
    for letter, width in zip("ABCD", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    if frozen:
        sheet.freeze_panes = "A2"
    return sheet


def _append(sheet: WriteOnlyWorksheet, values: tuple[object, ...], *, bold: bool = False) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        # Text from the uploaded file is never a formula: "=HYPERLINK(…)" stays text.
        if isinstance(value, str):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
