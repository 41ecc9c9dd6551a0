"""`manage.py load_instrument FILE.yaml [--region CODE] [--publish]` — load an instrument file.

The file is checked against the schema of docs/instrument.md; a file with problems is refused
with every problem listed and nothing is saved. Exit codes: 0 loaded, 1 rejected, 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sipko.assessment import services
from sipko.regions.models import Region


class Command(BaseCommand):
    help = "Memuat instrumen penilaian dari berkas YAML (sebagai rancangan, atau langsung berlaku)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="berkas instrumen .yaml")
        parser.add_argument("--region", metavar="KODE", help="wilayah pemilik; kosong = nasional")
        parser.add_argument(
            "--publish", action="store_true", help="langsung berlakukan (tidak dapat diubah lagi)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"]:
            raise CommandError(_("Sebutkan berkas instrumen .yaml."), returncode=2)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Berkas tidak ditemukan: %(p)s") % {"p": path}, returncode=2)
        region = options["region"]
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(_("Kode wilayah tidak dikenal: %(c)s") % {"c": region}, returncode=2)
        try:
            with transaction.atomic():
                instrument = services.instrument_load(
                    actor=None, text=path.read_bytes(), region_code=region or None
                )
                if options["publish"]:
                    services.instrument_publish(actor=None, instrument=instrument)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(f"- {message}")
            raise CommandError(
                ngettext(
                    "Instrumen ditolak: %(n)s masalah.",
                    "Instrumen ditolak: %(n)s masalah.",
                    len(exc.messages),
                )
                % {"n": len(exc.messages)},
                returncode=1,
            ) from exc
        state = instrument.get_status_display()
        self.stdout.write(f"{instrument.code} {instrument.version}: {state}")
