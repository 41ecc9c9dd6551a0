"""`manage.py import_ormas FILE.xlsx|.csv [--region CODE] [--dry-run] [--skip-invalid]
[--report OUT.xlsx] [--map "Header=field" ...] [--ignore-unknown]` — import a registry
spreadsheet as Kesbangpol keeps it (SPEC §6–§7).

A column whose header is unknown and that holds data is a warning listed first; it does not stop
the import (a warning is not an error). `--map` reads it as a field, `--ignore-unknown` drops it
on purpose (docs/import.md#unknown-columns).

Exit codes: 0 imported (or a clean dry run, or --skip-invalid), 1 rejected input, 2 usage error.
The last line on stdout is the JSON summary; progress and problems go to stderr.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from sipko.regions.models import Region
from sipko.registry.importer import ImportResult, import_ormas, parse_region_code, write_report
from sipko.registry.importer.columns import IGNORE, valid_target
from sipko.registry.importer.headers import SYNONYMS, header_key
from sipko.registry.importer.report import level_label

# What `--map "Header=abaikan"` may say instead of the field name `ignore`.
_IGNORE_WORDS = {IGNORE, "abaikan", "-"}


class Command(BaseCommand):
    help = "Mengimpor daftar ormas dari lembar kerja Kesbangpol (.xlsx atau .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        # Optional here so a missing file is our usage error (exit 2), not argparse's.
        parser.add_argument("file", nargs="?", help="berkas .xlsx atau .csv")
        parser.add_argument(
            "--region",
            metavar="KODE",
            help="wilayah impor, mis. 35.72: nama kecamatan/kelurahan dicari di wilayah ini",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa saja; tidak ada yang disimpan"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="simpan baris yang sah saja (bawaan: semua atau tidak sama sekali)",
        )
        parser.add_argument("--report", metavar="OUT.xlsx", help="tulis laporan XLSX ke sini")
        parser.add_argument(
            "--map",
            metavar="JUDUL=ISIAN",
            action="append",
            default=[],
            help=(
                'baca kolom berjudul JUDUL sebagai ISIAN (mis. "Tgl Pengesahan=issued"; '
                "ISIAN 'abaikan' membuang kolom itu dengan sengaja); boleh diulang. "
                "Kolom tanpa judul: #H (huruf kolom)."
            ),
        )
        parser.add_argument(
            "--ignore-unknown",
            action="store_true",
            help="abaikan dengan sengaja kolom tak dikenal yang berisi data (tanpa peringatan)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = self._check_usage(options)
        bar = tqdm(total=0, unit=" baris", disable=None, file=self.stderr._out, leave=False)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            result = import_ormas(
                path,
                filename=path.name,
                region_code=options["region"],
                actor=None,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                progress=progress,
                column_mapping=options["column_mapping"],
                ignore_unknown=options["ignore_unknown"],
            )
        except Exception as exc:
            # Whatever the file holds, the operator gets a sentence and an exit code, not a
            # traceback; the transaction has been rolled back, so nothing is half-written.
            self.stdout.write(json.dumps(ImportResult(file_error=str(exc)).summary()))
            raise CommandError(
                _("Impor gagal karena kesalahan tak terduga (%(kind)s: %(reason)s).")
                % {"kind": type(exc).__name__, "reason": exc},
                returncode=1,
            ) from exc
        finally:
            bar.close()
        self._print_problems(result)
        if options["report"]:
            self._write_report(result, Path(options["report"]))
        self._print_summary(result)
        if result.unknown_columns:
            self.stderr.write(
                _(
                    "%(count)s kolom tidak dikenali berisi data dan TIDAK diimpor: %(columns)s. "
                    'Petakan dengan --map "Judul=isian" atau abaikan dengan --ignore-unknown.'
                )
                % {
                    "count": len(result.unknown_columns),
                    "columns": ", ".join(c.header for c in result.unknown_columns),
                }
            )
        self.stdout.write(json.dumps(result.summary()))
        if result.file_error:
            raise CommandError(result.file_error, returncode=1)
        if result.error_rows and not options["skip_invalid"]:
            raise CommandError(
                _(
                    "Berkas ditolak: ada baris bergalat, tidak ada yang disimpan. Perbaiki berkas "
                    "atau pakai --skip-invalid."
                ),
                returncode=1,
            )

    def _check_usage(self, options: dict[str, Any]) -> Path:
        if not options["file"]:
            raise CommandError(
                _("Sebutkan berkas yang diimpor: import_ormas BERKAS.xlsx"), returncode=2
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Berkas tidak ditemukan: %(path)s") % {"path": path}, returncode=2)
        if options["region"]:
            code = parse_region_code(options["region"])
            if not Region.objects.filter(pk=code).exists():
                raise CommandError(
                    _("Kode wilayah tidak dikenal: %(code)s") % {"code": options["region"]},
                    returncode=2,
                )
            options["region"] = code
        options["column_mapping"] = self._mapping(options["map"])
        report = options["report"]
        if report and not Path(report).parent.is_dir():
            raise CommandError(
                _("Folder laporan tidak ada: %(folder)s") % {"folder": Path(report).parent},
                returncode=2,
            )
        return path

    @staticmethod
    def _mapping(pairs: list[str]) -> dict[str, str]:
        """`--map` values → column key → field name (or IGNORE)."""
        mapping: dict[str, str] = {}
        for pair in pairs:
            header, separator, target = pair.rpartition("=")
            header, target = header.strip(), target.strip()
            if target.lower() in _IGNORE_WORDS:
                target = IGNORE
            repeat = re.fullmatch(r"(.+?)\s*#(\d+)", header)
            if header.startswith("#") and header[1:].isalpha():
                key = "#" + header[1:].upper()
            elif repeat and int(repeat.group(2)) >= 2 and header_key(repeat.group(1)):
                # "Catatan#2": the second column headed "Catatan".
                key = f"{header_key(repeat.group(1))}#{int(repeat.group(2))}"
            else:
                key = header_key(header)
            if not separator or not key:
                raise CommandError(
                    _('--map harus berbentuk "Judul kolom=isian", bukan %(value)s.')
                    % {"value": pair},
                    returncode=2,
                )
            if not valid_target(target):
                raise CommandError(
                    _("Isian '%(field)s' tidak dikenal. Pilihan: %(fields)s, abaikan.")
                    % {"field": target, "fields": ", ".join(SYNONYMS)},
                    returncode=2,
                )
            mapping[key] = target
        return mapping

    def _print_problems(self, result: ImportResult) -> None:
        for problem in result.problems:
            where = _("baris %(row)s") % {"row": problem.row} if problem.row else _("berkas")
            if problem.column:
                where += _(", kolom %(column)s") % {"column": problem.column}
            self.stderr.write(f"{where}: {problem.message} [{level_label(problem.level)}]")

    def _write_report(self, result: ImportResult, destination: Path) -> None:
        try:
            write_report(result, destination)
        except OSError as exc:
            self.stderr.write(
                _("Laporan tidak dapat ditulis ke %(path)s: %(reason)s")
                % {"path": destination, "reason": exc.strerror}
            )
        else:
            self.stderr.write(_("Laporan: %(path)s") % {"path": destination})

    def _print_summary(self, result: ImportResult) -> None:
        counts = result.summary()
        if result.dry_run:
            state = _("uji coba, tidak ada yang disimpan")
        elif result.written:
            state = _("disimpan")
        else:
            state = _("TIDAK disimpan")
        self.stderr.write(
            _(
                "%(created)s baru, %(updated)s diperbarui, %(unchanged)s tidak berubah, "
                "%(duplicates)s duplikat, %(errors)s bergalat, %(warnings)s dengan peringatan "
                "— %(state)s."
            )
            % {**counts, "state": state}
        )
