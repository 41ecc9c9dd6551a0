"""Background work of the inbox, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django_tasks import task

from sipko.accounts.models import User


@task()
def send_region_reminders(
    actor_id: int, region_code: str, day: str, fingerprints: list[str]
) -> dict[str, int]:
    """Send the reminders of `region_code` confirmed on the *Pengingat* page (by fingerprint).

    Built again here: whatever another run sent meanwhile is in `ReminderLog` and is left out,
    so nothing goes twice. The actor's right is checked again (it may have been withdrawn).
    """
    from sipko.inbox.services import may_send_reminders
    from sipko.reporting import reminders

    actor = User.objects.get(pk=actor_id)
    if not may_send_reminders(actor, region_code):
        return {"sent": 0, "skipped": 0, "failed": 0}
    on = dt.date.fromisoformat(day)
    wanted = set(fingerprints)
    with translation.override(settings.LANGUAGE_CODE):
        batch = [
            message
            for message in reminders.messages(on, region_code=region_code or None)
            if message.fingerprint in wanted
        ]
    delivery = reminders.deliver(batch, on)
    return {"sent": len(delivery.sent), "skipped": delivery.skipped, "failed": delivery.failed}
