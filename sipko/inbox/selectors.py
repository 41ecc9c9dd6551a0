"""Reads of the inbox: a user's notifications, and the reminders page of a region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from sipko.inbox.models import Notification
from sipko.regions.models import Region, within_q
from sipko.reporting import reminders
from sipko.reporting.models import ReminderLog

if TYPE_CHECKING:
    from sipko.accounts.models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's own notifications: unread first, newest first."""
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def mask_email(address: str) -> str:
    """`budi@contoh.id` → `b***@contoh.id`: enough to recognise, not to copy."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


@dataclass(frozen=True)
class ReminderPreview:
    """One e-mail `send_reminders` would send today, as the page shows it."""

    recipient: str  # masked
    account: str
    ormas: str
    subject: str
    kind: str
    items: list[str]
    fingerprint: str


def reminder_previews(region_code: str, on: dt.date | None = None) -> list[ReminderPreview]:
    """Today's unsent reminders about the ormas of `region_code` ("" for the whole country).
    The caller has checked the user may see them (`services.may_send_reminders`)."""
    with translation.override(settings.LANGUAGE_CODE):
        batch = reminders.messages(on or timezone.localdate(), region_code=region_code or None)
    return [
        ReminderPreview(
            recipient=mask_email(message.recipient),
            account=message.account,
            ormas=message.ormas_name,
            subject=message.subject,
            kind=message.kind,
            items=message.items,
            fingerprint=message.fingerprint,
        )
        for message in batch
    ]


REMINDER_KIND_LABELS = {
    reminders.KIND_REPORT_OVERDUE: gettext_lazy("Laporan kegiatan terlambat"),
    reminders.KIND_REPORT_UPCOMING: gettext_lazy("Laporan kegiatan segera jatuh tempo"),
    reminders.KIND_SKT_EXPIRY: gettext_lazy("Masa berlaku SKT"),
}


@dataclass(frozen=True)
class ReminderLogRow:
    sent_on: dt.date
    recipient: str  # masked
    kind: str
    count: int


def reminder_log(region_code: str) -> QuerySet[ReminderLog]:
    """Reminders sent about the ormas of `region_code`, one row per day, address and kind
    (values: sent_on, recipient, kind, n), newest first."""
    rows = ReminderLog.objects.all()
    if region_code:
        rows = rows.filter(within_q(region_code, "region_code"))
    return (
        rows.values("sent_on", "recipient", "kind")
        .annotate(n=Count("pk"))
        .order_by("-sent_on", "recipient", "kind")
    )


def log_rows(values: list[dict]) -> list[ReminderLogRow]:
    return [
        ReminderLogRow(
            sent_on=row["sent_on"],
            recipient=mask_email(row["recipient"]),
            kind=str(REMINDER_KIND_LABELS.get(row["kind"], row["kind"])),
            count=row["n"],
        )
        for row in values
    ]


def region_choices() -> QuerySet[Region]:
    """Kabupaten/kota and provinces, for the national admin's choice of region."""
    return Region.objects.filter(level__lte=2).order_by("code")
