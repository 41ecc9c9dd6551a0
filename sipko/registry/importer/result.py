"""What an import reports back: one outcome per spreadsheet row and every problem found."""

from __future__ import annotations

from dataclasses import dataclass, field

# Row outcomes (SPEC §7).
CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
DUPLICATE = "duplicate"
ERROR = "error"

# Problem levels. Only "error" blocks an all-or-nothing import.
LEVEL_ERROR = "error"
LEVEL_WARNING = "warning"
LEVEL_DUPLICATE = "duplicate"
LEVEL_INFO = "info"


class ImportFileError(Exception):
    """The file itself cannot be used (wrong type, unreadable, no header row, no name column).

    The message is in Indonesian and meant for the person who uploaded the file.
    """


@dataclass
class Problem:
    row: int  # spreadsheet row number as the user sees it (1-based); 0 for the file as a whole
    column: str  # header text as written in the file, or ""
    level: str  # "error" | "warning" | "duplicate" | "info"
    message: str  # Indonesian


@dataclass
class UnknownColumn:
    """A column with data that is still unknown: the web page asks what it is."""

    key: str
    header: str
    samples: list[str]
    suggestion: str = ""  # a field the content points to but could not be given (taken, unsure)

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "header": self.header,
            "samples": self.samples,
            "suggestion": self.suggestion,
        }


@dataclass
class RowOutcome:
    row: int
    status: str  # "created" | "updated" | "unchanged" | "duplicate" | "error"
    name: str
    messages: list[Problem] = field(default_factory=list)
    reason: str = ""  # one Indonesian sentence saying why this outcome

    @property
    def has_warning(self) -> bool:
        return any(p.level == LEVEL_WARNING for p in self.messages)


@dataclass
class ImportResult:
    rows: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    file_error: str | None = None
    filename: str = ""
    sheet: str = ""
    dry_run: bool = False
    # Columns holding data that no header, mapping or content settled (docs/import.md#columns).
    unknown_columns: list[UnknownColumn] = field(default_factory=list)
    # Set when the caller asked for every column to be settled first: nothing was written.
    needs_mapping: bool = False

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.rows if outcome.status == status)

    @property
    def error_rows(self) -> int:
        # A file that could not be read at all counts as one error, so `errors == 0` never
        # passes for a rejected file.
        return self.count(ERROR) + (1 if self.file_error else 0)

    def summary(self) -> dict[str, int | bool]:
        """The counts of SPEC §6, in its key order; `errors` and `warnings` count rows."""
        return {
            "created": self.count(CREATED),
            "updated": self.count(UPDATED),
            "unchanged": self.count(UNCHANGED),
            "duplicates": self.count(DUPLICATE),
            "errors": self.error_rows,
            "warnings": sum(1 for outcome in self.rows if outcome.has_warning),
            "written": self.written,
        }
