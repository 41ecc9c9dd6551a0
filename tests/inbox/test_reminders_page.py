"""Reminders from the web: a region admin previews what `send_reminders` would send today about
its region, sends exactly that once, and reads the log; nobody reaches another region's.

Time is frozen on 20 July 2025 (`on_day`): `programme`'s first-semester report is 5 days overdue.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from sipko.accounts.models import Role
from sipko.inbox import services
from sipko.inbox.selectors import mask_email, reminder_previews
from sipko.reporting.models import ReminderLog
from tests.factories import OrmasFactory, ProgrammeFactory, UserFactory
from tests.inbox.conftest import ON, client_for


@pytest.fixture
def reminders_due(on_day, operator, programme, region_admin, outside_admin, outside_ormas, period):
    """A report reminder for `ormas`' operator and an SKT reminder for Kota Blitar's admin; the
    same in Kabupaten Malang for its own operator and admin."""
    operator.email = "budi@contoh.id"
    operator.save()
    region_admin.email = "kesbangpol@blitarkota.example"
    region_admin.save()
    OrmasFactory(name="Perkumpulan SKT Kota (fiktif)", skt_number="SKT/1", skt_expires=ON)
    outside_admin.email = "kesbangpol@malangkab.example"
    outside_admin.save()
    UserFactory(
        username="operator_malang",
        role=Role.OPERATOR,
        ormas=outside_ormas,
        email="ani@malang.example",
    )
    ProgrammeFactory(ormas=outside_ormas, period=period, title="Program Lereng Kawi")
    OrmasFactory(
        name="Perkumpulan SKT Malang (fiktif)",
        region_id="35.07.01.2001",
        skt_number="SKT/2",
        skt_expires=ON,
    )


def test_the_address_is_masked() -> None:
    assert mask_email("budi@contoh.id") == "b***@contoh.id"


def test_the_preview_is_the_regions_share_of_what_the_command_sends(
    reminders_due, region_admin
) -> None:
    previews = reminder_previews("35.72")
    assert [(p.recipient, p.kind) for p in previews] == [
        ("b***@contoh.id", "report"),
        ("k***@blitarkota.example", "skt"),
    ]
    assert previews[0].account == "operator_ormas"
    assert previews[0].items == [
        "Program Uji Operator — Semester 1 2025: batas 15 Juli 2025, terlambat 5 hari"
    ]
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "4 surel akan dikirim" in out.getvalue()  # both regions


def test_the_page_shows_the_preview_without_full_addresses(reminders_due, region_admin) -> None:
    body = client_for(region_admin).get(reverse("inbox:reminders")).content.decode()
    assert "b***@contoh.id" in body and "budi@contoh.id" not in body
    assert "[SIPKO] Laporan kegiatan Paguyuban Seni Kendang Kepanjen (fiktif) terlambat" in body
    assert "Perkumpulan Lereng Kawi" not in body and "malang" not in body.lower()


def test_confirm_then_send_exactly_once(
    reminders_due, region_admin, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = client_for(region_admin)
    confirm = client.get(reverse("inbox:reminders_send"))
    assert confirm.status_code == 200
    fingerprints = [p.fingerprint for p in confirm.context["previews"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inbox:reminders_send"), {"pesan": fingerprints})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == [
        "budi@contoh.id",
        "kesbangpol@blitarkota.example",
    ]
    assert set(ReminderLog.objects.values_list("region_code", flat=True)) == {"35.72.01.1001"}

    # A second send finds nothing left: the page says so and nothing more leaves.
    assert reminder_previews("35.72") == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inbox:reminders_send"), {"pesan": fingerprints})
    assert len(mailoutbox) == 2
    # Nor does the daily command repeat them; it still sends Kabupaten Malang's.
    call_command("send_reminders", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mailoutbox[2:]) == [
        "ani@malang.example",
        "kesbangpol@malangkab.example",
    ]


def test_reminder_e_mails_link_to_sipko(
    reminders_due, region_admin, programme, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    fingerprints = [p.fingerprint for p in reminder_previews("35.72")]
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(actor=region_admin, region_code="35.72", confirmed=fingerprints)
    by_recipient = {m.to[0]: m.body for m in mailoutbox}
    report_link = f"https://sipko.example.test{reverse('reporting:report_create')}"
    assert f"{report_link}?program={programme.uuid}" in by_recipient["budi@contoh.id"]
    assert (
        f"https://sipko.example.test{reverse('registry:expiring')}"
        in by_recipient["kesbangpol@blitarkota.example"]
    )


def test_a_changed_list_is_not_sent(reminders_due, region_admin, mailoutbox) -> None:
    with pytest.raises(ValidationError):
        services.reminders_send(actor=region_admin, region_code="35.72", confirmed=["lama"])
    assert not ReminderLog.objects.exists()


def test_an_outside_admin_can_neither_send_nor_see_another_regions_reminders(
    reminders_due, outside_admin, operator, viewer, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    fingerprints = [p.fingerprint for p in reminder_previews("35.72")]
    for person in (outside_admin, operator, viewer):
        with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
            services.reminders_send(actor=person, region_code="35.72", confirmed=fingerprints)
    assert mailoutbox == [] and not ReminderLog.objects.exists()

    client = client_for(outside_admin)
    assert client.get(reverse("inbox:reminders"), {"wilayah": "35.72"}).status_code == 404
    response = client.post(
        reverse("inbox:reminders_send"), {"wilayah": "35.72", "pesan": fingerprints}
    )
    assert response.status_code == 404
    # Its own page shows Kabupaten Malang's reminders only.
    own = client.get(reverse("inbox:reminders")).content.decode()
    assert "a***@malang.example" in own and "b***@contoh.id" not in own


def test_the_log_lists_the_regions_reminders_only(reminders_due, region_admin) -> None:
    ReminderLog.objects.create(
        kind="report_overdue",
        key="x",
        recipient="budi@contoh.id",
        sent_on=ON - dt.timedelta(days=1),
        region_code="35.72.01.1001",
    )
    ReminderLog.objects.create(
        kind="report_overdue",
        key="y",
        recipient="ani@malang.example",
        sent_on=ON - dt.timedelta(days=1),
        region_code="35.07.01.2001",
    )
    body = client_for(region_admin).get(reverse("inbox:reminders")).content.decode()
    log = body[body.index('data-testid="reminder-log"') :]
    assert "b***@contoh.id" in log and "19 Juli 2025" in log
    assert "malang" not in log


def test_the_national_admin_chooses_a_region(reminders_due, national_admin) -> None:
    client = client_for(national_admin)
    everything = client.get(reverse("inbox:reminders")).context["previews"]
    assert len(everything) == 4
    malang = client.get(reverse("inbox:reminders"), {"wilayah": "35.07"}).context["previews"]
    assert [p.recipient for p in malang] == ["a***@malang.example", "k***@malangkab.example"]
