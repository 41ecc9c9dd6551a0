"""`manage.py import_regions FILE.csv [--only 35 …]` — load or update Kemendagri regions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from sipko.regions.services import BUNDLED_CSV, RegionFileError, regions_import


class Command(BaseCommand):
    help = "Memuat/memperbarui wilayah Kemendagri dari CSV berbentuk wilayah_kemendagri.csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help="CSV (atau .csv.gz); tanpa argumen: salinan bawaan SIPKO"
        )
        parser.add_argument(
            "--only",
            nargs="*",
            default=[],
            metavar="KODE",
            help="hanya wilayah ini, induknya dan semua di bawahnya (mis. 35 untuk Jawa Timur)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else BUNDLED_CSV
        if not path.exists():
            raise CommandError(f"Berkas tidak ditemukan: {path}", returncode=2)
        bar = tqdm(total=0, unit=" wilayah", disable=None, file=self.stderr._out)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            result = regions_import(path, prefixes=tuple(options["only"]), progress=progress)
        except RegionFileError as exc:
            bar.close()
            for problem in exc.problems[:200]:
                self.stderr.write(problem)
            if len(exc.problems) > 200:
                self.stderr.write(f"… dan {len(exc.problems) - 200} masalah lain")
            raise CommandError("Berkas ditolak; tidak ada yang disimpan.", returncode=1) from exc
        bar.close()
        self.stdout.write(
            json.dumps(
                {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )
