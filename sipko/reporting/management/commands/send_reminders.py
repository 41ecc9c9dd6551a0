"""`manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]` — e-mail reminders (daily, cron).

What is sent to whom, and how a second run stays silent, is `sipko/reporting/reminders.py` (the
region admins' *Pengingat* page sends the same messages for one region). Prints one summary
line. Exit codes: 0 done, 1 some e-mails failed (the rest were sent and will not be repeated),
2 usage error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sipko.reporting import reminders
from sipko.reporting.reminders import long_date


class Command(BaseCommand):
    help = (
        "Mengirim surel pengingat laporan kegiatan kepada operator ormas dan pengingat masa "
        "berlaku SKT kepada admin wilayah. Aman dijalankan berulang (sekali sehari dari cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="anggap hari ini tanggal ini (bawaan: hari ini)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="tampilkan surel yang akan dikirim; tidak ada yang dikirim atau dicatat",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = self._date(options["date"])
        dry_run = options["dry_run"]
        with translation.override(settings.LANGUAGE_CODE):
            batch = reminders.messages(on)
            if dry_run:
                for message in batch:
                    self.stdout.write(f"{message.recipient}: {message.subject}")
                sent, skipped, failed = batch, 0, 0
            else:
                # `send_mail` is looked up here, so a test can stand in for the mail server.
                delivery = reminders.deliver(batch, on, send=send_mail)
                for message, exc in delivery.failures:
                    self.stderr.write(
                        _("Gagal mengirim ke %(to)s: %(error)s")
                        % {"to": message.recipient, "error": exc}
                    )
                sent, skipped, failed = delivery.sent, delivery.skipped, delivery.failed
            reports = sum(1 for m in sent if m.kind == "report")
            summary = _(
                "Pengingat %(date)s: %(sent)s surel %(verb)s (laporan kegiatan: %(reports)s, "
                "SKT: %(skt)s), %(skipped)s sudah dikirim proses lain, %(failed)s gagal."
            ) % {
                "date": long_date(on),
                "sent": len(sent),
                "verb": _("akan dikirim") if dry_run else _("terkirim"),
                "reports": reports,
                "skt": len(sent) - reports,
                "skipped": skipped,
                "failed": failed,
            }
        if dry_run:
            summary = _("Uji coba, tidak ada yang dikirim. %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
        if failed:
            raise CommandError(
                _("%(n)s surel gagal dikirim; jalankan lagi nanti.") % {"n": failed}, returncode=1
            )

    def _date(self, raw: str | None) -> dt.date:
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise CommandError(
                _("Tanggal %(value)s tidak dikenali; gunakan format YYYY-MM-DD.") % {"value": raw},
                returncode=2,
            ) from None
