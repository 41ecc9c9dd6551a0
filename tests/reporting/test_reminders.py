"""`send_reminders`: who is e-mailed about what, and that a second run on the same day is silent.

Dates follow the `period` fixture: semester 1 of 2025 is due on 15 July 2025.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from sipko.accounts.models import Role
from sipko.reporting.management.commands import send_reminders
from sipko.reporting.models import ReminderLog
from tests.factories import (
    OrmasFactory,
    PengurusFactory,
    ProgrammeFactory,
    ReportFactory,
    UserFactory,
)

JAKARTA = dt.timezone(dt.timedelta(hours=7))
ON = dt.date(2025, 7, 20)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_on(day: dt.date, *args: str) -> str:
    return run("--date", day.isoformat(), *args)


@pytest.fixture
def operator_with_email(operator):
    operator.email = "sekretaris@pskk.example"
    operator.save()
    return operator


@pytest.fixture
def admin_with_email(region_admin):
    region_admin.email = "kesbangpol@blitarkota.example"
    region_admin.save()
    return region_admin


# --- activity reports --------------------------------------------------------------------------


def test_operator_is_told_of_overdue_and_upcoming_reports(
    operator_with_email, programme, ormas, period, mailoutbox
) -> None:
    # Accepted on 10 July, so its first report is due 15 days later, on 25 July.
    ProgrammeFactory(
        ormas=ormas,
        period=period,
        title="Bank Sampah RW 03",
        reviewed_at=dt.datetime(2025, 7, 10, 9, tzinfo=JAKARTA),
    )

    summary = run_on(ON)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sekretaris@pskk.example"]
    assert "terlambat" in mail.subject
    assert ormas.name in mail.subject
    assert "Program Uji Operator — Semester 1 2025: batas 15 Juli 2025, terlambat 5 hari" in (
        mail.body
    )
    assert "Bank Sampah RW 03 — Semester 1 2025: batas 25 Juli 2025 (5 hari lagi)" in mail.body
    assert "1 surel terkirim" in summary
    assert set(ReminderLog.objects.values_list("kind", "recipient", "sent_on")) == {
        ("report_overdue", "sekretaris@pskk.example", ON),
        ("report_upcoming", "sekretaris@pskk.example", ON),
    }


def test_second_run_on_the_same_day_sends_nothing(
    operator_with_email, admin_with_email, programme, mailoutbox
) -> None:
    OrmasFactory(skt_number="SKT/1", skt_expires=ON + dt.timedelta(days=30))
    run_on(ON)
    assert len(mailoutbox) == 2
    logged = ReminderLog.objects.count()

    summary = run_on(ON)

    assert len(mailoutbox) == 2
    assert ReminderLog.objects.count() == logged
    assert "0 surel terkirim" in summary


def test_a_report_reminder_is_repeated_weekly_not_daily(
    operator_with_email, programme, mailoutbox
) -> None:
    for day in range(20, 28):
        run_on(dt.date(2025, 7, day))
    # 20 July, then again 27 July.
    assert len(mailoutbox) == 2
    assert "terlambat 12 hari" in mailoutbox[1].body


def test_upcoming_then_due_day_then_overdue(operator_with_email, programme, mailoutbox) -> None:
    sent_on = []
    for offset in range(-16, 3):
        day = dt.date(2025, 7, 15) + dt.timedelta(days=offset)
        before = len(mailoutbox)
        run_on(day)
        if len(mailoutbox) > before:
            sent_on.append(offset)
    # 14 and 7 days before, on the due day, then the day after as overdue.
    assert sent_on == [-14, -7, 0, 1]
    assert "(hari ini)" in mailoutbox[2].body


def test_a_submitted_report_stops_the_reminders(operator_with_email, programme, mailoutbox) -> None:
    ReportFactory(
        programme=programme,
        state="submitted",
        first_submitted_at=dt.datetime(2025, 7, 18, 9, tzinfo=JAKARTA),
    )
    run_on(ON)
    assert mailoutbox == []


def test_only_operators_of_the_ormas_with_an_address_are_written_to(
    operator, programme, ormas, other_ormas, mailoutbox
) -> None:
    UserFactory(role=Role.OPERATOR, ormas=other_ormas, email="lain@yps.example")
    UserFactory(role=Role.OPERATOR, ormas=ormas, email="lama@pskk.example", is_active=False)
    UserFactory(role=Role.OPERATOR, ormas=ormas, email="bendahara@pskk.example")
    run_on(ON)  # `operator` has no e-mail address
    assert [mail.to for mail in mailoutbox] == [["bendahara@pskk.example"]]


@pytest.mark.parametrize("state", ["draft", "published", "closed"])
def test_periods_no_longer_open_send_no_report_reminders(
    operator_with_email, programme, period, mailoutbox, state
) -> None:
    period.state = state
    period.save()
    run_on(ON)
    assert mailoutbox == []


def test_dry_run_sends_and_records_nothing(operator_with_email, programme, mailoutbox) -> None:
    out = run_on(ON, "--dry-run")
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()
    assert "sekretaris@pskk.example: [SIPKO]" in out
    assert "Uji coba, tidak ada yang dikirim." in out
    assert "1 surel akan dikirim" in out


def test_today_is_the_default_date(operator_with_email, programme, mailoutbox) -> None:
    # 19 July 20:00 UTC is already 20 July in Blitar.
    with time_machine.travel(dt.datetime(2025, 7, 19, 20, tzinfo=dt.UTC), tick=False):
        run()
    assert ReminderLog.objects.get().sent_on == ON
    assert "terlambat 5 hari" in mailoutbox[0].body


def test_a_failed_send_is_reported_and_retried_next_run(
    operator_with_email, admin_with_email, programme, monkeypatch, mailoutbox
) -> None:
    OrmasFactory(skt_number="SKT/1", skt_expires=ON)
    real_send = send_reminders.send_mail

    def flaky(subject, body, sender, recipients):
        if recipients == ["sekretaris@pskk.example"]:
            raise OSError("connection refused")
        return real_send(subject, body, sender, recipients)

    monkeypatch.setattr(send_reminders, "send_mail", flaky)
    with pytest.raises(CommandError) as failure:
        run_on(ON)
    assert failure.value.returncode == 1
    assert [mail.to for mail in mailoutbox] == [["kesbangpol@blitarkota.example"]]
    assert not ReminderLog.objects.filter(recipient="sekretaris@pskk.example").exists()

    monkeypatch.setattr(send_reminders, "send_mail", real_send)
    run_on(ON)
    assert [mail.to for mail in mailoutbox][1:] == [["sekretaris@pskk.example"]]


def test_a_bad_date_is_a_usage_error() -> None:
    with pytest.raises(CommandError) as failure:
        run("--date", "20/07/2025")
    assert failure.value.returncode == 2


# --- SKT expiry --------------------------------------------------------------------------------


def skt(days_left: int, **fields) -> object:
    return OrmasFactory(
        skt_number=f"220/{days_left + 500}/410.207/2020",
        skt_expires=ON + dt.timedelta(days=days_left),
        **fields,
    )


def test_region_admins_in_scope_hear_of_skts_at_90_30_and_0_days(
    admin_with_email, outside_admin, mailoutbox
) -> None:
    outside_admin.email = "kesbangpol@malangkab.example"
    outside_admin.save()
    UserFactory(role=Role.REGION_ADMIN, region_id="35", email="provinsi@jatim.example")
    at_90, at_30, today, expired = skt(90), skt(30), skt(0), skt(-3)
    quiet = [
        skt(60),
        skt(91),
        skt(-10),
        skt(30, ahu_number="AHU-0001234.AH.01.07.Tahun 2019"),  # an SK AHU makes the SKT moot
    ]

    run_on(ON)

    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "kesbangpol@blitarkota.example",
        "provinsi@jatim.example",
    ]
    body = mailoutbox[0].body
    for ormas in (at_90, at_30, today, expired):
        assert ormas.name in body
    for ormas in quiet:
        assert ormas.name not in body
    assert "habis dalam 90 hari" in body
    assert "habis hari ini" in body
    assert "sudah kedaluwarsa 3 hari" in body
    assert "berlaku sampai 19 Agustus 2025" in body
    assert mailoutbox[0].subject == "[SIPKO] Masa berlaku SKT 4 ormas"


def test_each_skt_milestone_is_sent_once_and_caught_up_within_a_week(
    admin_with_email, mailoutbox
) -> None:
    ormas = skt(88)  # the 90-day milestone passed two days ago, while the job did not run
    run_on(ON)
    assert len(mailoutbox) == 1
    assert "habis dalam 88 hari" in mailoutbox[0].body

    for day in range(1, 8):
        run_on(ON + dt.timedelta(days=day))
    assert len(mailoutbox) == 1

    run_on(ormas.skt_expires - dt.timedelta(days=30))
    assert len(mailoutbox) == 2
    assert "habis dalam 30 hari" in mailoutbox[1].body


def test_reminders_carry_no_personal_data(
    operator_with_email, admin_with_email, programme, ormas, mailoutbox
) -> None:
    ormas.skt_number = "SKT/7"
    ormas.skt_expires = ON
    ormas.save()
    PengurusFactory(ormas=ormas, name="Siti Rahayu", nik="3572014107800001", phone="081234567890")
    run_on(ON)
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        for private in ("3572014107800001", "Siti Rahayu", "081234567890"):
            assert private not in mail.body
            assert private not in mail.subject
