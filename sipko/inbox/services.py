"""Writes of the inbox: notifications (created, e-mailed, read) and reminders sent from the web.

Notifications are created by `notify` (called from `inbox.events`, which the other apps'
services call after a state change); the e-mail, when the recipient wants one, leaves after the
transaction commits, so a rolled-back change never mails anybody.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.inbox.models import Notification

if TYPE_CHECKING:
    from sipko.accounts.models import User

logger = logging.getLogger(__name__)


def notify(recipient: User, kind: str, message: str, url: str = "") -> Notification:
    """Tell `recipient` that `message` (a `Notification.Kind`), linking to the path `url`.

    Also e-mailed, after commit, when the recipient is active, has an address and keeps e-mail
    notifications on. `message` must carry no personal data: it goes into the e-mail as is.
    """
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, message=message[:300], url=url[:300]
    )
    if recipient.is_active and recipient.email and recipient.email_notifications:
        transaction.on_commit(lambda: _email(notification.pk))
    return notification


def _email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[SIPKO] %(message)s") % {"message": notification.message}
        lines = [
            _("Yth. %(user)s,") % {"user": recipient.username},
            "",
            notification.message,
        ]
        if notification.url:
            lines += [
                "",
                _("Buka di SIPKO: %(url)s") % {"url": settings.SITE_URL + notification.url},
            ]
        lines += [
            "",
            _(
                "Anda menerima surel ini karena pemberitahuan lewat surel aktif pada akun Anda. "
                "Ubah pilihan itu di menu Akun saya."
            ),
            "",
            "SIPKO — Sistem Pengukuran Kinerja Ormas",
        ]
    try:
        send_mail(" ".join(subject.split())[:150], "\n".join(lines) + "\n", None, [recipient.email])
    except Exception:  # the notification stays in SIPKO; the mail server's trouble is logged
        logger.warning("notification %s: e-mail not sent", notification_id, exc_info=True)
        return
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


def _signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@transaction.atomic
def notification_open(*, actor: User, notification: Notification) -> str:
    """Mark the actor's own notification read; answer where it leads (a path inside SIPKO)."""
    if not _signed_in(actor) or notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return notification.url


@transaction.atomic
def notifications_read_all(*, actor: User) -> int:
    """Mark every unread notification of the actor read; answer how many."""
    if not _signed_in(actor):
        raise PermissionDenied
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- reminders from the web ---------------------------------------------------------------------


def may_send_reminders(user: User, region_code: str) -> bool:
    """The *Pengingat* page of a region: its registry administrators (an empty code, the whole
    country, is the national admin's alone)."""
    return access.can_administer_registry(user) and access.in_scope(user, region_code)


@transaction.atomic
def reminders_send(*, actor: User, region_code: str, confirmed: Collection[str]) -> int:
    """Send today's reminders about the ormas of `region_code`: exactly those the confirmation
    page listed (`confirmed`: their fingerprints), through `ReminderLog` like `send_reminders`.

    The e-mails leave in a background task after commit (a region's hundred messages would hold
    the request for a minute over SMTP). Answers how many messages were queued.
    """
    from sipko.inbox.tasks import send_region_reminders
    from sipko.reporting import reminders

    if not may_send_reminders(actor, region_code):
        raise PermissionDenied
    on = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        batch = reminders.messages(on, region_code=region_code or None)
    fingerprints = sorted(message.fingerprint for message in batch)
    if fingerprints != sorted(set(confirmed)):
        raise ValidationError(
            _("Daftar pengingat berubah sejak halaman ini dibuka. Periksa lagi sebelum mengirim."),
            code="list_changed",
        )
    if not batch:
        raise ValidationError(_("Tidak ada pengingat yang perlu dikirim hari ini."))
    transaction.on_commit(
        lambda: send_region_reminders.enqueue(actor.pk, region_code, on.isoformat(), fingerprints)
    )
    return len(batch)
