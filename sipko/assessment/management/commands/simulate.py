"""`manage.py simulate INSTRUMENT.yaml ANSWERS.csv [--out RESULTS.csv]` — score a file of
answers with an instrument file, without the database (SPEC §6, docs/instrument.md#simulate).

Exit codes: 0 scored, 1 rejected input (every problem listed on stderr, nothing written),
2 usage error (missing argument, unreadable file, missing output folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Only the plain-Python engine: importing models here would tie the command to a database.
from sipko.assessment.scoring import InstrumentError, load_instrument_yaml
from sipko.assessment.scoring.simulate import (
    AnswersFileError,
    read_answers_csv,
    results_csv,
    simulate,
)


class Command(BaseCommand):
    help = (
        "Menilai berkas jawaban (CSV ormas,indicator,value) dengan berkas instrumen (YAML) "
        "tanpa basis data."
    )
    # System checks may query the database; this command must run where none exists.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        # Optional here so that a missing argument gets our Indonesian usage error (exit 2).
        parser.add_argument("instrument", nargs="?", help="berkas instrumen .yaml")
        parser.add_argument("answers", nargs="?", help="berkas jawaban .csv")
        parser.add_argument(
            "--out", metavar="RESULTS.csv", help="tulis hasil ke berkas ini (bawaan: stdout)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instrument_path, answers_path, out_path = self._check_usage(options)
        instrument_bytes = self._read(instrument_path)
        answers_bytes = self._read(answers_path)

        try:
            instrument = load_instrument_yaml(instrument_bytes)
        except InstrumentError as exc:
            self._reject(instrument_path, [str(problem) for problem in exc.problems])
        try:
            sheets = read_answers_csv(answers_bytes, instrument)
        except AnswersFileError as exc:
            self._reject(answers_path, [str(problem) for problem in exc.problems])

        text = results_csv(instrument, simulate(instrument, sheets))
        if out_path is None:
            self.stdout.write(text, ending="")
            return
        try:
            # newline="" keeps the "\n" line ends on every platform.
            out_path.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(
                _("Tidak dapat menulis %(path)s: %(reason)s") % {"path": out_path, "reason": exc},
                returncode=2,
            ) from exc
        self.stderr.write(
            _("%(count)d ormas dinilai; hasil ditulis ke %(path)s.")
            % {"count": len(sheets), "path": out_path}
        )

    def _check_usage(self, options: dict[str, Any]) -> tuple[Path, Path, Path | None]:
        if not options["instrument"] or not options["answers"]:
            raise CommandError(
                _("Pemakaian: simulate INSTRUMEN.yaml JAWABAN.csv [--out HASIL.csv]"),
                returncode=2,
            )
        paths = Path(options["instrument"]), Path(options["answers"])
        for path in paths:
            if not path.is_file():
                raise CommandError(
                    _("Berkas tidak ditemukan: %(path)s") % {"path": path}, returncode=2
                )
        out = Path(options["out"]) if options["out"] else None
        if out is not None and not out.parent.is_dir():
            raise CommandError(
                _("Folder hasil tidak ada: %(folder)s") % {"folder": out.parent}, returncode=2
            )
        return paths[0], paths[1], out

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Berkas tidak dapat dibaca: %(path)s (%(reason)s)")
                % {"path": path, "reason": exc.strerror or exc},
                returncode=2,
            ) from exc

    def _reject(self, path: Path, problems: list[str]) -> None:
        for problem in problems:
            self.stderr.write(f"{path}: {problem}")
        raise CommandError(
            ngettext(
                "Berkas %(path)s ditolak (%(count)d masalah); tidak ada hasil yang ditulis.",
                "Berkas %(path)s ditolak (%(count)d masalah); tidak ada hasil yang ditulis.",
                len(problems),
            )
            % {"path": path.name, "count": len(problems)},
            returncode=1,
        )
