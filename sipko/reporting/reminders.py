"""The reminders `send_reminders` e-mails, built once for the command and the web page.

Two kinds (rules in docs/planning-and-reporting.md, "Reminders"):

- To each active operator of an ormas, with an e-mail address: its activity reports due within
  14 days and those past their due date without a report (periods open or under assessment).
  One e-mail per operator listing them; each report is repeated at most every 7 days.
- To each active region_admin whose scope covers the ormas: SKTs (not replaced by an SK AHU)
  reaching 90, 30 or 0 days before expiry. A milestone missed because the job did not run is
  still sent within 7 days, and each milestone of an SKT goes out once.

`messages(on, region_code=…)` answers what would be sent on day `on`, optionally only about the
ormas of one region (the *Pengingat* page of a region admin); `deliver` sends them through
`ReminderLog`: every reminder is logged (kind, key, recipient, day, the ormas' region) before the
mail leaves, in the same transaction, so a second run on the same day sends nothing and two
overlapping runs cannot both send. Messages carry no personal data (no NIK, no phone numbers) and
link to the page concerned (`settings.SITE_URL`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.regions.models import within_q
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


@dataclass(frozen=True)
class Entry:
    """One reminder inside a message, as `ReminderLog` records it."""

    kind: str
    key: str
    region_code: str  # the ormas' region, so a region's page finds its log


@dataclass
class Message:
    recipient: str
    subject: str
    body: str
    kind: str  # "report" or "skt", for the summary
    entries: list[Entry] = field(default_factory=list)
    account: str = ""  # who the address belongs to (usernames), for the preview page
    ormas_name: str = ""  # the ormas of an operator's message
    items: list[str] = field(default_factory=list)  # one line per reminder, for the preview

    @property
    def fingerprint(self) -> str:
        """What confirming this message means: a digest of the recipient and its reminders (a
        confirmation form carries it without showing the address)."""
        keys = ",".join(sorted(f"{e.kind}:{e.key}" for e in self.entries))
        return hashlib.sha256(f"{self.recipient}|{keys}".encode()).hexdigest()[:24]


def long_date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def link(path: str) -> str:
    """An absolute address of a SIPKO page, for e-mails."""
    return f"{settings.SITE_URL}{path}"


def messages(on: dt.date, *, region_code: str | None = None) -> list[Message]:
    """Every reminder due on `on` and not sent yet; only those about ormas inside `region_code`
    when given. Reports first, then SKTs, each in a stable order."""
    return report_messages(on, region_code=region_code) + skt_messages(on, region_code=region_code)


# --- delivery ----------------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: list[Message] = field(default_factory=list)
    skipped: int = 0  # already claimed by another run
    failures: list[tuple[Message, Exception]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


def deliver(
    batch: list[Message],
    on: dt.date,
    *,
    send: Callable[..., Any] = send_mail,
) -> Delivery:
    """Send `batch`, each message claimed in `ReminderLog` first (see the module docstring)."""
    result = Delivery()
    for message in batch:
        try:
            # Claim first: the unique log row stops an overlapping run from sending the same
            # reminder; a failed send rolls the claim back so the next run retries it.
            with transaction.atomic():
                ReminderLog.objects.bulk_create(
                    ReminderLog(
                        kind=entry.kind,
                        key=entry.key,
                        recipient=message.recipient,
                        sent_on=on,
                        region_code=entry.region_code,
                    )
                    for entry in message.entries
                )
                send(message.subject, message.body, None, [message.recipient])
        except IntegrityError:
            result.skipped += 1
        except Exception as exc:  # SMTP and network errors vary by backend: report, go on
            result.failures.append((message, exc))
        else:
            result.sent.append(message)
    return result


# --- activity reports --------------------------------------------------------------------------


def _programmes(region_code: str | None) -> Any:
    programmes = selectors.reminder_programmes()
    if region_code:
        programmes = programmes.filter(within_q(region_code, "ormas__region__code"))
    return programmes


def report_messages(on: dt.date, *, region_code: str | None = None) -> list[Message]:
    """One message per operator e-mail and ormas, listing the reports not reminded of lately."""
    programmes = _programmes(region_code)
    items_by_ormas: dict[int, list[tuple[str, Obligation]]] = defaultdict(list)
    for obligation in selectors.obligations(programmes, on=on):
        if obligation.status == DueStatus.MISSING:
            items_by_ormas[obligation.ormas.pk].append((KIND_REPORT_OVERDUE, obligation))
        elif (
            obligation.status == DueStatus.NOT_YET_DUE
            and obligation.days_left <= selectors.UPCOMING_DAYS
        ):
            items_by_ormas[obligation.ormas.pk].append((KIND_REPORT_UPCOMING, obligation))
    if not items_by_ormas:
        return []
    accounts: dict[tuple[str, int], list[str]] = defaultdict(list)
    for email, ormas_id, username in (
        access.ormas_operators(programmes.values("ormas_id"))
        .exclude(email="")
        .values_list("email", "ormas_id", "username")
        .order_by("email", "ormas_id", "username")
    ):
        accounts[(email, ormas_id)].append(username)
    recent = set(
        ReminderLog.objects.filter(
            kind__in=REPORT_KINDS,
            sent_on__gt=on - dt.timedelta(days=REPORT_REPEAT_DAYS),
            sent_on__lte=on,
        ).values_list("kind", "key", "recipient")
    )
    result = []
    for (email, ormas_id), usernames in accounts.items():
        items = [
            (kind, obligation)
            for kind, obligation in items_by_ormas.get(ormas_id, ())
            if (kind, obligation.key, email) not in recent
        ]
        if items:
            message = _report_message(email, items)
            message.account = ", ".join(usernames)
            result.append(message)
    return result


def _report_line(kind: str, o: Obligation) -> str:
    if kind == KIND_REPORT_OVERDUE:
        return _("%(programme)s — %(window)s: batas %(due)s, terlambat %(days)s hari") % {
            "programme": o.programme.title,
            "window": o.window.label,
            "due": long_date(o.due),
            "days": o.days_overdue,
        }
    return _("%(programme)s — %(window)s: batas %(due)s (%(left)s)") % {
        "programme": o.programme.title,
        "window": o.window.label,
        "due": long_date(o.due),
        "left": _("hari ini")
        if o.days_left == 0
        else _("%(days)s hari lagi") % {"days": o.days_left},
    }


def _report_link(o: Obligation) -> str:
    return link(f"{reverse('reporting:report_create')}?program={o.programme.uuid}")


def _report_message(email: str, items: list[tuple[str, Obligation]]) -> Message:
    ormas = items[0][1].ormas
    overdue = [(kind, o) for kind, o in items if kind == KIND_REPORT_OVERDUE]
    upcoming = [(kind, o) for kind, o in items if kind == KIND_REPORT_UPCOMING]
    lines = [
        _("Yth. Operator %(ormas)s,") % {"ormas": ormas.name},
        "",
        _("Berikut laporan kegiatan yang perlu diajukan melalui SIPKO."),
    ]
    for title, group in (
        (_("Sudah lewat batas waktu:"), overdue),
        (_("Segera jatuh tempo:"), upcoming),
    ):
        if group:
            lines += ["", title]
            for kind, o in group:
                lines += [f"- {_report_line(kind, o)}", f"  {_report_link(o)}"]
    lines += [
        "",
        _(
            "Satu laporan untuk tiap program dan tiap masa laporan sudah cukup. Abaikan pesan "
            "ini bila laporan tersebut sudah diajukan."
        ),
        _("Daftar laporan kegiatan: %(url)s") % {"url": link(reverse("reporting:report_list"))},
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
        entries=[Entry(kind, o.key, ormas.region_id) for kind, o in items],
        ormas_name=ormas.name,
        items=[_report_line(kind, o) for kind, o in overdue + upcoming],
    )


# --- SKT expiry --------------------------------------------------------------------------------


def skt_milestone(days_left: int) -> int | None:
    """The milestone (90/30/0 days before expiry) reached at most SKT_CATCH_UP_DAYS − 1 ago."""
    for milestone in SKT_MILESTONES:
        if milestone - SKT_CATCH_UP_DAYS < days_left <= milestone:
            return milestone
    return None


def skt_messages(on: dt.date, *, region_code: str | None = None) -> list[Message]:
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
    if region_code:
        candidates = candidates.filter(within_q(region_code, "region__code"))
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
    admins_by_region: dict[str, dict[str, list[str]]] = {}
    for ormas, _days_left, _key in due:
        if ormas.region_id not in admins_by_region:
            accounts: dict[str, list[str]] = defaultdict(list)
            for email, username in (
                access.registry_admins_over(ormas.region_id)
                .exclude(email="")
                .values_list("email", "username")
                .order_by("email", "username")
            ):
                accounts[email].append(username)
            admins_by_region[ormas.region_id] = accounts
    already = set(
        ReminderLog.objects.filter(
            kind=KIND_SKT_EXPIRY, sent_on__gt=on - dt.timedelta(days=SKT_CATCH_UP_DAYS)
        ).values_list("key", "recipient")
    )
    items_by_email: dict[str, list[tuple[Ormas, int, str]]] = defaultdict(list)
    usernames: dict[str, list[str]] = {}
    for ormas, days_left, key in due:
        recipients = admins_by_region[ormas.region_id]
        for email in sorted(recipients):
            usernames[email] = recipients[email]
            if (key, email) not in already:
                items_by_email[email].append((ormas, days_left, key))
    result = []
    for email, items in sorted(items_by_email.items()):
        message = _skt_message(email, items)
        message.account = ", ".join(usernames[email])
        result.append(message)
    return result


def _skt_line(ormas: Ormas, days_left: int) -> str:
    if days_left > 0:
        state = _("habis dalam %(days)s hari") % {"days": days_left}
    elif days_left == 0:
        state = _("habis hari ini")
    else:
        state = _("sudah kedaluwarsa %(days)s hari") % {"days": -days_left}
    return _("%(name)s (%(region)s) — SKT %(number)s berlaku sampai %(date)s: %(state)s") % {
        "name": ormas.name,
        "region": ormas.region.name,
        "number": ormas.skt_number,
        "date": long_date(ormas.skt_expires),
        "state": state,
    }


def _skt_message(email: str, items: list[tuple[Ormas, int, str]]) -> Message:
    lines = [
        _("Yth. Admin Kesbangpol,"),
        "",
        _("Masa berlaku SKT ormas berikut perlu diperhatikan:"),
        "",
    ]
    lines += [f"- {_skt_line(ormas, days_left)}" for ormas, days_left, _key in items]
    lines += [
        "",
        _(
            "Daftar lengkap ada di menu Masa berlaku SIPKO. Pengingat dikirim 90 dan 30 hari "
            "sebelum serta pada hari berakhirnya SKT."
        ),
        link(reverse("registry:expiring")),
        "",
        SIGNATURE,
    ]
    return Message(
        recipient=email,
        subject=_("[SIPKO] Masa berlaku SKT %(n)s ormas") % {"n": len(items)},
        body="\n".join(lines) + "\n",
        kind="skt",
        entries=[Entry(KIND_SKT_EXPIRY, key, ormas.region_id) for ormas, _days, key in items],
        items=[_skt_line(ormas, days_left) for ormas, days_left, _key in items],
    )
