"""Scoring a file of answers without the database: the engine behind `manage.py simulate`.

A region trying a standard before adopting it (or a methodologist testing alternative
weights) writes answers in a spreadsheet, saves it as CSV and gets one row of scores per
ormas back. File formats: docs/instrument.md#simulate.

Reading is all-or-nothing like the instrument file: every problem in the answers file is
collected with its line number, and a file with any problem yields no results at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .answers import Answer, AnswerError, parse_answer
from .engine import Result, score
from .instrument import Instrument
from .rounding import format_fixed

ANSWER_COLUMNS = ("ormas", "indicator", "value")
DELIMITERS = (",", ";")  # ";" is what spreadsheets write in an Indonesian locale

# Answers per ormas, ormas in the order they first appear in the file; within an ormas, answers
# per indicator code. None is a row with an empty value (unanswered, like a missing row).
AnswerSheets = dict[str, dict[str, Answer | None]]


@dataclass(frozen=True)
class FileProblem:
    """A problem in the answers file: the 1-based line (0 for the file as a whole) and why."""

    line: int
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return _("baris %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class AnswersFileError(ValueError):
    """The answers file was refused; `problems` lists every problem found."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def read_answers_csv(content: str | bytes, instrument: Instrument) -> AnswerSheets:
    """The answers of an `ormas,indicator,value` CSV file, checked against `instrument`.

    Bytes must be UTF-8 (a BOM is allowed). The delimiter is "," or ";", whichever makes the
    first line hold the three columns, matched ignoring case and spaces; extra columns are
    ignored. Indicator codes are matched ignoring case. Blank lines are skipped; a blank value
    means unanswered. Raises AnswersFileError listing every problem with its line.
    """
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AnswersFileError(
                [FileProblem(0, _("Berkas jawaban bukan teks UTF-8; simpan sebagai CSV UTF-8."))]
            ) from exc
    text = content.removeprefix("\ufeff")
    first_line = text.splitlines()[0] if text.strip() else ""
    if not first_line.strip():
        raise AnswersFileError(
            [
                FileProblem(
                    1, _("Baris pertama harus judul kolom: %(columns)s.") % {"columns": _columns()}
                )
            ]
        )
    delimiter, positions = _header(first_line)
    if positions is None:
        raise AnswersFileError(
            [
                FileProblem(
                    1,
                    _("Kolom wajib tidak ada: %(missing)s. Judul kolom harus %(columns)s.")
                    % {"missing": ", ".join(_missing_columns(first_line)), "columns": _columns()},
                )
            ]
        )
    return _read_rows(text, delimiter, positions, instrument)


def _columns() -> str:
    return ",".join(ANSWER_COLUMNS)


def _header_cells(line: str, delimiter: str) -> list[str]:
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return ["".join(cell.split()).casefold() for cell in cells]


def _header(line: str) -> tuple[str, dict[str, int] | None]:
    """The delimiter and the position of each required column; None when one is missing."""
    for delimiter in DELIMITERS:
        cells = _header_cells(line, delimiter)
        if all(column in cells for column in ANSWER_COLUMNS):
            return delimiter, {column: cells.index(column) for column in ANSWER_COLUMNS}
    return DELIMITERS[0], None


def _missing_columns(line: str) -> list[str]:
    found = {cell for delimiter in DELIMITERS for cell in _header_cells(line, delimiter)}
    return [column for column in ANSWER_COLUMNS if column not in found]


def _read_rows(
    text: str, delimiter: str, positions: dict[str, int], instrument: Instrument
) -> AnswerSheets:
    indicators = {indicator.code.casefold(): indicator for indicator in instrument.indicators}
    sheets: AnswerSheets = {}
    first_line_of: dict[tuple[str, str], int] = {}
    problems: list[FileProblem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # Problems name the line a row starts on; a quoted value may run over several lines.
    next_line = 2
    try:
        width = len(next(reader))
        for row in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                # Usually an unquoted decimal comma with "," as delimiter: "A,KEL3,0,75" would
                # otherwise quietly read 0 and drop the 75.
                problems.append(
                    FileProblem(
                        line,
                        _(
                            "Ada %(found)d kolom, judul punya %(expected)d. Angka berkoma harus "
                            'diberi tanda kutip ("0,75") atau pakai ; sebagai pemisah kolom.'
                        )
                        % {"found": len(row), "expected": width},
                    )
                )
                continue
            ormas = row[positions["ormas"]].strip()
            code = row[positions["indicator"]].strip()
            raw = row[positions["value"]]
            if not ormas:
                problems.append(FileProblem(line, _("Kolom ormas kosong.")))
                continue
            answers = sheets.setdefault(ormas, {})
            indicator = indicators.get(code.casefold())
            if indicator is None:
                problems.append(
                    FileProblem(
                        line,
                        _("Indikator '%(code)s' tidak ada di instrumen %(instrument)s.")
                        % {"code": code, "instrument": instrument.code},
                    )
                )
                continue
            first = first_line_of.setdefault((ormas, indicator.code), line)
            if first != line:
                problems.append(
                    FileProblem(
                        line,
                        _("%(ormas)s sudah menjawab %(code)s di baris %(first)d.")
                        % {"ormas": ormas, "code": indicator.code, "first": first},
                    )
                )
                continue
            try:
                answers[indicator.code] = parse_answer(indicator, raw)
            except AnswerError as exc:
                problems.append(
                    FileProblem(
                        line,
                        _("%(code)s: %(message)s")
                        % {"code": indicator.code, "message": exc.message},
                    )
                )
    except csv.Error as exc:
        problems.append(FileProblem(next_line, _("CSV rusak: %(reason)s.") % {"reason": exc}))
    if not sheets and not problems:
        problems.append(FileProblem(0, _("Berkas jawaban tidak berisi satu baris jawaban pun.")))
    if problems:
        raise AnswersFileError(problems)
    return sheets


def simulate(instrument: Instrument, sheets: AnswerSheets) -> list[tuple[str, Result]]:
    """Each ormas with its result, in the order of `sheets`."""
    return [(ormas, score(instrument, answers)) for ormas, answers in sheets.items()]


def results_csv(instrument: Instrument, results: Iterable[tuple[str, Result]]) -> str:
    """`ormas,index,predicate,<dimension codes…>` with "\\n" line ends; numbers with a "."
    and exactly `decimals` places; empty cells where there is no value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["ormas", "index", "predicate", *(d.code for d in instrument.dimensions)])
    for ormas, result in results:
        writer.writerow(
            [
                ormas,
                format_fixed(result.index_shown, instrument.decimals),
                result.predicate.code if result.predicate else "",
                *(format_fixed(d.shown, instrument.decimals) for d in result.dimensions),
            ]
        )
    return buffer.getvalue()
