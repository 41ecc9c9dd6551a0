"""The registry spreadsheet importer (SPEC §7): `import_ormas` plans and writes, `write_report`
turns the outcome into an XLSX for the person who uploaded the file. See docs/import.md."""

from sipko.registry.importer.core import import_ormas, parse_region_code
from sipko.registry.importer.report import write_report
from sipko.registry.importer.result import (
    ImportFileError,
    ImportResult,
    Problem,
    RowOutcome,
)

__all__ = [
    "ImportFileError",
    "ImportResult",
    "Problem",
    "RowOutcome",
    "import_ormas",
    "parse_region_code",
    "write_report",
]
