"""`manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]` — e-mail reminders (daily, cron).

Two kinds of reminders (rules in docs/planning-and-reporting.md, "Reminders"):

- To each active operator of an ormas, with an e-mail address: its activity reports due within
  14 days and those past their due date without a report (periods open or under assessment).
  One e-mail per operator listing them; each report is repeated at most every 7 days.
- To each active region_admin whose scope covers the ormas: SKTs (not replaced by an SK AHU)
  reaching 90, 30 or 0 days before expiry. A milestone missed because the job did not run is
  still sent within 7 days, and each milestone of an SKT goes out once.

Idempotent: every sent reminder is recorded in `ReminderLog` (kind, key, recipient, day) before
the mail leaves, in the same transaction, so a second run on the same day sends nothing and two
overlapping runs cannot both send. Messages carry no personal data (no NIK, no phone numbers).
Prints one summary line. Exit codes: 0 done, 1 some e-mails failed (the rest were sent and will
not be repeated), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.registry.models import Ormas, Validity
from sipko.registry.selectors import validity_expression
from sipko.reporting import selectors
from sipko.reporting.models import ReminderLog
from sipko.reporting.selectors import DueStatus, Obligation

KIND_REPORT_UPCOMING = "report_upcoming"
KIND_REPORT_OVERDUE = "report_overdue"
KIND_SKT_EXPIRY = "skt_expiry"
REPORT_KINDS = (KIND_REPORT_UPCOMING, KIND_REPORT_OVERDUE)

REPORT_REPEAT_DAYS = 7
SKT_MILESTONES = (90, 30, 0)
SKT_CATCH_UP_DAYS = 7
SIGNATURE = "SIPKO — Sistem Pengukuran Kinerja Ormas"


@dataclass
class Message:
    recipient: str
    subject: str
    body: str
    kind: str  # "report" or "skt", for the summary
    entries: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) to log


def long_date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


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
        with translation.override(settings.LANGUAGE_CODE):
            messages = report_messages(on) + skt_messages(on)
            sent, skipped, failed = self._deliver(messages, on, dry_run=options["dry_run"])
            reports = sum(1 for m in sent if m.kind == "report")
            summary = _(
                "Pengingat %(date)s: %(sent)s surel %(verb)s (laporan kegiatan: %(reports)s, "
                "SKT: %(skt)s), %(skipped)s sudah dikirim proses lain, %(failed)s gagal."
            ) % {
                "date": long_date(on),
                "sent": len(sent),
                "verb": _("akan dikirim") if options["dry_run"] else _("terkirim"),
                "reports": reports,
                "skt": len(sent) - reports,
                "skipped": skipped,
                "failed": failed,
            }
        if options["dry_run"]:
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

    def _deliver(
        self, messages: list[Message], on: dt.date, *, dry_run: bool
    ) -> tuple[list[Message], int, int]:
        sent: list[Message] = []
        skipped = failed = 0
        for message in messages:
            if dry_run:
                self.stdout.write(f"{message.recipient}: {message.subject}")
                sent.append(message)
                continue
            try:
                # Claim first: the unique log row stops an overlapping run from sending the same
                # reminder; a failed send rolls the claim back so the next run retries it.
                with transaction.atomic():
                    ReminderLog.objects.bulk_create(
                        ReminderLog(kind=kind, key=key, recipient=message.recipient, sent_on=on)
                        for kind, key in message.entries
                    )
                    send_mail(message.subject, message.body, None, [message.recipient])
            except IntegrityError:
                skipped += 1
            except Exception as exc:  # SMTP and network errors vary by backend: report, go on
                failed += 1
                self.stderr.write(
                    _("Gagal mengirim ke %(to)s: %(error)s")
                    % {"to": message.recipient, "error": exc}
                )
            else:
                sent.append(message)
        return sent, skipped, failed


# --- activity reports --------------------------------------------------------------------------


def report_messages(on: dt.date) -> list[Message]:
    """One message per operator e-mail and ormas, listing the reports not reminded of lately."""
    items_by_ormas: dict[int, list[tuple[str, Obligation]]] = defaultdict(list)
    for obligation in selectors.reminder_obligations(on=on):
        if obligation.status == DueStatus.MISSING:
            items_by_ormas[obligation.ormas.pk].append((KIND_REPORT_OVERDUE, obligation))
        elif (
            obligation.status == DueStatus.NOT_YET_DUE
            and obligation.days_left <= selectors.UPCOMING_DAYS
        ):
            items_by_ormas[obligation.ormas.pk].append((KIND_REPORT_UPCOMING, obligation))
    if not items_by_ormas:
        return []
    operators = (
        access.ormas_operators(selectors.reminder_programmes().values("ormas_id"))
        .exclude(email="")
        .values_list("email", "ormas_id")
        .distinct()
        .order_by("email", "ormas_id")
    )
    recent = set(
        ReminderLog.objects.filter(
            kind__in=REPORT_KINDS,
            sent_on__gt=on - dt.timedelta(days=REPORT_REPEAT_DAYS),
            sent_on__lte=on,
        ).values_list("kind", "key", "recipient")
    )
    messages = []
    for email, ormas_id in operators:
        items = [
            (kind, obligation)
            for kind, obligation in items_by_ormas.get(ormas_id, ())
            if (kind, obligation.key, email) not in recent
        ]
        if items:
            messages.append(_report_message(email, items))
    return messages


def _report_message(email: str, items: list[tuple[str, Obligation]]) -> Message:
    ormas = items[0][1].ormas
    overdue = [o for kind, o in items if kind == KIND_REPORT_OVERDUE]
    upcoming = [o for kind, o in items if kind == KIND_REPORT_UPCOMING]
    lines = [
        _("Yth. Operator %(ormas)s,") % {"ormas": ormas.name},
        "",
        _("Berikut laporan kegiatan yang perlu diajukan melalui SIPKO."),
    ]
    if overdue:
        lines += ["", _("Sudah lewat batas waktu:")]
        lines += [
            _("- %(programme)s — %(window)s: batas %(due)s, terlambat %(days)s hari")
            % {
                "programme": o.programme.title,
                "window": o.window.label,
                "due": long_date(o.due),
                "days": o.days_overdue,
            }
            for o in overdue
        ]
    if upcoming:
        lines += ["", _("Segera jatuh tempo:")]
        lines += [
            _("- %(programme)s — %(window)s: batas %(due)s (%(left)s)")
            % {
                "programme": o.programme.title,
                "window": o.window.label,
                "due": long_date(o.due),
                "left": _("hari ini")
                if o.days_left == 0
                else _("%(days)s hari lagi") % {"days": o.days_left},
            }
            for o in upcoming
        ]
    lines += [
        "",
        _(
            "Satu laporan untuk tiap program dan tiap masa laporan sudah cukup. Abaikan pesan "
            "ini bila laporan tersebut sudah diajukan."
        ),
        "",
        SIGNATURE,
    ]
    if overdue:
        subject = _("[SIPKO] Laporan kegiatan %(ormas)s terlambat") % {"ormas": ormas.name}
    else:
        subject = _("[SIPKO] Pengingat laporan kegiatan %(ormas)s") % {"ormas": ormas.name}
    return Message(
        recipient=email,
        subject=subject,
        body="\n".join(lines) + "\n",
        kind="report",
        entries=[(kind, o.key) for kind, o in items],
    )


# --- SKT expiry --------------------------------------------------------------------------------


def skt_milestone(days_left: int) -> int | None:
    """The milestone (90/30/0 days before expiry) reached at most SKT_CATCH_UP_DAYS − 1 ago."""
    for milestone in SKT_MILESTONES:
        if milestone - SKT_CATCH_UP_DAYS < days_left <= milestone:
            return milestone
    return None


def skt_messages(on: dt.date) -> list[Message]:
    """One message per region_admin e-mail listing the SKTs of its scope at a milestone today."""
    near_milestone = Q()
    for milestone in SKT_MILESTONES:
        near_milestone |= Q(
            skt_expires__gt=on + dt.timedelta(days=milestone - SKT_CATCH_UP_DAYS),
            skt_expires__lte=on + dt.timedelta(days=milestone),
        )
    # The validity annotation leaves out SKTs that an SK AHU makes irrelevant.
    candidates = (
        Ormas.objects.current()
        .annotate(validity=validity_expression(on))
        .filter(near_milestone, validity__in=[Validity.AKAN_HABIS, Validity.KEDALUWARSA])
        .select_related("region")
        .order_by("skt_expires", "name")
    )
    due: list[tuple[Ormas, int, str]] = []
    for ormas in candidates:
        days_left = (ormas.skt_expires - on).days
        milestone = skt_milestone(days_left)
        if milestone is not None:
            key = f"{ormas.uuid}:{ormas.skt_expires.isoformat()}:{milestone}"
            due.append((ormas, days_left, key))
    if not due:
        return []

    # Who is told of a region's expiring registrations is access's decision, asked once per
    # region (a kabupaten's ormas share a handful of kelurahan codes).
    admins_by_region: dict[str, set[str]] = {}
    for ormas, _days_left, _key in due:
        if ormas.region_id not in admins_by_region:
            admins_by_region[ormas.region_id] = set(
                access.registry_admins_over(ormas.region_id)
                .exclude(email="")
                .values_list("email", flat=True)
            )
    already = set(
        ReminderLog.objects.filter(
            kind=KIND_SKT_EXPIRY, sent_on__gt=on - dt.timedelta(days=SKT_CATCH_UP_DAYS)
        ).values_list("key", "recipient")
    )
    items_by_email: dict[str, list[tuple[Ormas, int, str]]] = defaultdict(list)
    for ormas, days_left, key in due:
        recipients = admins_by_region[ormas.region_id]
        for email in sorted(recipients):
            if (key, email) not in already:
                items_by_email[email].append((ormas, days_left, key))
    return [_skt_message(email, items) for email, items in sorted(items_by_email.items())]


def _skt_message(email: str, items: list[tuple[Ormas, int, str]]) -> Message:
    lines = [
        _("Yth. Admin Kesbangpol,"),
        "",
        _("Masa berlaku SKT ormas berikut perlu diperhatikan:"),
        "",
    ]
    for ormas, days_left, _key in items:
        if days_left > 0:
            state = _("habis dalam %(days)s hari") % {"days": days_left}
        elif days_left == 0:
            state = _("habis hari ini")
        else:
            state = _("sudah kedaluwarsa %(days)s hari") % {"days": -days_left}
        lines.append(
            _("- %(name)s (%(region)s) — SKT %(number)s berlaku sampai %(date)s: %(state)s")
            % {
                "name": ormas.name,
                "region": ormas.region.name,
                "number": ormas.skt_number,
                "date": long_date(ormas.skt_expires),
                "state": state,
            }
        )
    lines += [
        "",
        _(
            "Daftar lengkap ada di menu Masa berlaku SIPKO. Pengingat dikirim 90 dan 30 hari "
            "sebelum serta pada hari berakhirnya SKT."
        ),
        "",
        SIGNATURE,
    ]
    return Message(
        recipient=email,
        subject=_("[SIPKO] Masa berlaku SKT %(n)s ormas") % {"n": len(items)},
        body="\n".join(lines) + "\n",
        kind="skt",
        entries=[(KIND_SKT_EXPIRY, key) for _ormas, _days, key in items],
    )
