"""`manage.py export_instrument CODE VERSION [--out FILE.yaml]` — write an instrument as YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sipko.assessment import services
from sipko.assessment.models import Instrument


class Command(BaseCommand):
    help = "Menulis instrumen penilaian sebagai berkas YAML (ke stdout atau --out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?")
        parser.add_argument("version", nargs="?")
        parser.add_argument("--out", metavar="FILE.yaml")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["code"] or not options["version"]:
            raise CommandError(_("Sebutkan KODE dan VERSI instrumen."), returncode=2)
        instrument = Instrument.objects.filter(
            code=options["code"], version=options["version"]
        ).first()
        if instrument is None:
            raise CommandError(
                _("Instrumen %(code)s versi %(version)s tidak ada.")
                % {"code": options["code"], "version": options["version"]},
                returncode=1,
            )
        text = services.instrument_export(instrument)
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
