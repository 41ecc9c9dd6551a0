"""Whether the registry import report grows linearly: reports for 5,000, 10,000 and 20,000 rows.

    .venv/bin/python benchmarks/import_report_bench.py [rows ...]

Each size is a generated CSV register of Kota Blitar (fictional names; one row in ten with a
misspelled kecamatan, one in fifty with an unknown one, one in forty repeating an earlier row),
imported as a dry run into a throwaway SQLite database. Three times are measured in the same
run: reading the file (`read_tables`, the floor: linear by construction), planning the import
(`import_ormas --dry-run`), and writing the XLSX report (`write_report`). The last columns divide
each time per row by the floor's time per row: when they stay flat from size to size, the work
is linear. Before the report was written in write-only mode, its ratio grew with the size
(20,000 rows took 212 s against 5 s for the import itself). Figures: docs/import.md#limits.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# A database of its own, whatever DATABASE_URL says: the benchmark migrates and loads regions.
_DATABASE = Path(tempfile.mkdtemp(prefix="sipko-bench-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_DATABASE}"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from sipko.regions.services import regions_import  # noqa: E402
from sipko.registry.importer import import_ormas, write_report  # noqa: E402
from sipko.registry.importer.reader import read_tables  # noqa: E402

REGIONS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "wilayah_blitar.csv"
PLACES = [("Sukorejo", "Pakunden"), ("Sananwetan", "Bendogerit"), ("Kepanjen Kidul", "Sentul")]
BIDANG = ["Sosial", "Pendidikan", "Seni Budaya", "Kepemudaan", "Keagamaan", "Kicau Mania"]


def register_csv(rows: int) -> bytes:
    lines = [
        "DAFTAR ORMAS KOTA BLITAR (FIKTIF)",
        "",
        "No;Nama Ormas;No. SKT;Tgl SKT;Kecamatan;Kelurahan;Bidang;No. HP",
    ]
    for n in range(1, rows + 1):
        kecamatan, kelurahan = PLACES[n % len(PLACES)]
        if n % 10 == 0:
            kecamatan = kecamatan.replace("a", "o", 1)  # close misspelling: a warning
        if n % 50 == 0:
            kecamatan = "Antah Berantah"  # unknown: an error
        source = n - 1 if n % 40 == 0 else n  # the same ormas twice: a duplicate
        lines.append(
            f"{n};Paguyuban Uji Beban {source} (fiktif);220/{source}/409.112/2021;"
            f"29/07/2021;{kecamatan};{kelurahan};{BIDANG[n % len(BIDANG)]};0812{n:08d}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(work: object, *, repeat: int = 1) -> tuple[float, object]:
    """The best of `repeat` runs (the machine may be busy), and the last run's value."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        value = work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best, value


def main(sizes: list[int]) -> None:
    call_command("migrate", verbosity=0)
    regions_import(REGIONS)
    settings.SIPKO_IMPORT_MAX_ROWS = max(sizes)
    warm_up = import_ormas(
        io.BytesIO(register_csv(100)),
        filename="ormas.csv",
        region_code="35.72",
        actor=None,
        dry_run=True,
    )
    write_report(warm_up, io.BytesIO())  # first calls import openpyxl's writer and friends
    print(
        f"{'rows':>7} {'read s':>8} {'import s':>9} {'report s':>9} {'report µs/row':>14} "
        f"{'import/read':>12} {'report/read':>12}"
    )
    for rows in sizes:
        data = register_csv(rows)
        read, _tables = timed(lambda data=data: read_tables(data, "ormas.csv"), repeat=5)
        planned, result = timed(
            lambda data=data: import_ormas(
                io.BytesIO(data),
                filename="ormas.csv",
                region_code="35.72",
                actor=None,
                dry_run=True,
            )
        )
        assert result.file_error is None and len(result.rows) == rows  # type: ignore[attr-defined]
        report, _none = timed(lambda result=result: write_report(result, io.BytesIO()))  # type: ignore[arg-type]
        print(
            f"{rows:>7} {read:>8.2f} {planned:>9.2f} {report:>9.2f} "
            f"{report / rows * 1e6:>14.0f} {planned / read:>12.1f} {report / read:>12.1f}"
        )


if __name__ == "__main__":
    try:
        main([int(arg) for arg in sys.argv[1:]] or [5_000, 10_000, 20_000])
    finally:
        shutil.rmtree(_DATABASE.parent)
