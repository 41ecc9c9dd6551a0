"""Access expectations of the inbox: notifications and the reminders page (the landing page is
`HOME` in tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sipko.accounts.models import Role
from sipko.inbox.models import Notification
from sipko.inbox.selectors import reminder_previews
from tests.access import NOT_ADMIN, action, form_page, page, row
from tests.factories import OrmasFactory, UserFactory

SIGNED_IN = row(
    **dict.fromkeys(("operator", "other_operator", "viewer", "assessor"), 200),
    region_admin=200,
    national_admin=200,
    outside_admin=200,
)
# Every signed-in user acts on its own notifications.
OWN_ACTION = {persona: 302 if status == 200 else status for persona, status in SIGNED_IN.items()}
# The reminders of a region: its admins (the outside admin its own region, Kabupaten Malang).
REMINDER_ADMINS = row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=200)
REMINDER_POST = row(**NOT_ADMIN, region_admin=302, national_admin=302, outside_admin=302)

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "inbox:notifications": page(SIGNED_IN),
    # `operator`'s notification: others do not find it.
    "inbox:open": action(
        row(
            operator=302,
            other_operator=404,
            viewer=404,
            assessor=404,
            region_admin=404,
            national_admin=404,
            outside_admin=404,
        )
    ),
    "inbox:read_all": action(OWN_ACTION),
    "inbox:reminders": page(REMINDER_ADMINS),
    "inbox:reminders_send": form_page(REMINDER_ADMINS, REMINDER_POST),
}

NO_WRITE = {
    "inbox:open": "marks the notification read: an update, no row added",
    "inbox:read_all": "marks notifications read: an update, no row added",
    "inbox:reminders_send": "the e-mails leave in a task after commit; the test never commits",
}


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    if name == "inbox:reminders_send":
        region = (user.region_id or "") if user and user.is_authenticated else "35.72"
        return {"pesan": [p.fingerprint for p in reminder_previews(region)]}
    if name in ("inbox:open", "inbox:read_all"):
        return {}
    return None


def setup(world: dict[str, Any]) -> None:
    world["notification"] = Notification.objects.create(
        recipient=world["users"]["operator"],
        kind=Notification.Kind.RETURNED,
        message="Program kerja “Uji” dikembalikan untuk diperbaiki.",
        url="/",
    )
    # Something for Kota Blitar's reminders page to send: an SKT 30 days before it expires, told
    # to a fellow admin of the city who has an address.
    UserFactory(
        username="admin_kota_surel",
        role=Role.REGION_ADMIN,
        region_id="35.72",
        email="kesbangpol@blitarkota.example",
    )
    OrmasFactory(
        name="Perkumpulan SKT Tiga Puluh Hari (fiktif)",
        skt_number="220/30/410.207/2020",
        skt_expires=timezone.localdate() + dt.timedelta(days=30),
    )


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    return {"inbox:open": {"pk": world["notification"].pk}}.get(name)
