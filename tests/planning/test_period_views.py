"""Period pages: windows and deadlines, guarded transitions, and a frozen closed period."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from sipko.planning.models import Period
from tests.factories import IndicatorFactory, PeriodFactory, ProgrammeFactory, RpjmdFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def period_data(**overrides: str) -> dict[str, str]:
    data = {
        "region": "35.72",
        "name": "Periode Penilaian 2026",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "programme_due": "2026-03-31",
        "report_frequency": "semester",
        "report_due_days": "15",
        "self_assessment_due": "2027-01-31",
        "verification_due": "2027-02-28",
        "appeal_due": "2027-03-15",
    }
    return {**data, **overrides}


def test_region_admin_creates_a_period_with_semester_windows(region_admin) -> None:
    client = client_for(region_admin)
    response = client.post(reverse("planning:period_create"), period_data())
    period = Period.objects.get()
    assert response["Location"] == reverse("planning:period_detail", args=[period.pk])
    assert period.state == "draft" and period.region_id == "35.72"
    page = client.get(response["Location"]).content.decode()
    assert "Semester 1 2026" in page and "Semester 2 2026" in page
    assert "15 Juli 2026" in page and "15 Januari 2027" in page  # due 15 days after each half
    assert "31 Maret 2026" in page and "15 Maret 2027" in page
    assert "Buka periode" in page  # the one move allowed from draft


def test_yearly_reports_make_one_window(region_admin) -> None:
    period = PeriodFactory(report_frequency="yearly", report_due_days=30)
    page = client_for(region_admin).get(reverse("planning:period_detail", args=[period.pk]))
    body = page.content.decode()
    assert "Tahunan" in body and "30 Januari 2026" in body and "Semester" not in body


def test_bad_period_input_is_explained_and_nothing_written(region_admin) -> None:
    response = client_for(region_admin).post(
        reverse("planning:period_create"),
        period_data(
            end="2025-06-30",
            programme_due="2027-01-01",
            report_due_days="9999",
            appeal_due="20260-01-01",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Paling lama 365 hari" in page
    assert not Period.objects.exists()
    response = client_for(region_admin).post(
        reverse("planning:period_create"),
        period_data(end="2025-06-30", programme_due="2027-01-01"),
    )
    page = response.content.decode()
    assert "Akhir periode harus setelah awalnya" in page
    assert "Batas pengajuan program harus di dalam periode" in page
    assert not Period.objects.exists()


def test_period_cannot_lean_on_another_regions_rpjmd(national_admin) -> None:
    malang = RpjmdFactory(region_id="35.07", title="RPJMD Malang")
    response = client_for(national_admin).post(
        reverse("planning:period_create"), period_data(rpjmd=str(malang.pk))
    )
    assert "RPJMD acuan harus milik wilayah periode ini" in response.content.decode()
    assert not Period.objects.exists()


def test_region_admin_cannot_create_outside_scope(region_admin) -> None:
    response = client_for(region_admin).post(
        reverse("planning:period_create"), period_data(region="35.07")
    )
    assert response.status_code == 200 and "Pilihan tidak tersedia" in response.content.decode()
    assert not Period.objects.exists()


def test_full_life_of_a_period_with_confirmation_and_log(region_admin) -> None:
    period = PeriodFactory(state="draft")
    client = client_for(region_admin)
    for action, state in (
        ("open", "open"),
        ("start_assessment", "assessment"),
        ("publish", "published"),
        ("close", "closed"),
    ):
        url = reverse("planning:period_move", args=[period.pk, action])
        confirm = client.get(url)
        assert confirm.status_code == 200 and "Ya," in confirm.content.decode()
        period.refresh_from_db()
        assert period.state != state  # a GET changes nothing
        response = client.post(url, {"reason": f"langkah {action}"})
        assert response.status_code == 302
        period.refresh_from_db()
        assert period.state == state
    page = client.get(reverse("planning:period_detail", args=[period.pk])).content.decode()
    assert "langkah close" in page and "Dibuka" in page and "Ditutup" in page
    assert "sudah ditutup dan dibekukan" in page


def test_illegal_transition_is_refused_with_a_message(region_admin) -> None:
    period = PeriodFactory(state="draft")
    client = client_for(region_admin)
    response = client.post(reverse("planning:period_move", args=[period.pk, "close"]), follow=True)
    page = response.content.decode()
    assert "Tutup periode tidak dapat dilakukan: “Periode Penilaian 2025 (uji)”" in page
    assert "berstatus Rancangan" in response.content.decode()
    period.refresh_from_db()
    assert period.state == "draft"
    response = client.get(reverse("planning:period_move", args=[period.pk, "publish"]), follow=True)
    assert "Umumkan hasil tidak dapat dilakukan" in response.content.decode()
    assert (
        client.post(reverse("planning:period_move", args=[period.pk, "hapus"])).status_code == 404
    )


def test_only_region_admins_move_periods(viewer, operator, assessor, outside_admin) -> None:
    period = PeriodFactory(state="draft")
    url = reverse("planning:period_move", args=[period.pk, "open"])
    for user in (viewer, operator, assessor):
        assert client_for(user).post(url).status_code == 403
    assert client_for(outside_admin).post(url).status_code == 404
    period.refresh_from_db()
    assert period.state == "draft"


@pytest.fixture
def closed_period(ormas):
    period = PeriodFactory(state="closed", name="Periode 2024 (ditutup)")
    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft", title="Program Lama")
    IndicatorFactory(programme=programme)
    return period


def test_closed_period_is_frozen(region_admin, operator, closed_period) -> None:
    admin = client_for(region_admin)
    edit = reverse("planning:period_edit", args=[closed_period.pk])
    response = admin.get(edit, follow=True)
    assert "sudah ditutup; datanya tidak dapat diubah lagi" in response.content.decode()
    admin.post(edit, period_data(name="Diubah"))
    closed_period.refresh_from_db()
    assert closed_period.name == "Periode 2024 (ditutup)"

    programme = closed_period.programmes.get()
    owner = client_for(operator)
    for url in (
        reverse("planning:programme_edit", args=[programme.uuid]),
        reverse("planning:indicator_add", args=[programme.uuid]),
    ):
        response = owner.post(url, {"title": "Diubah", "name": "x"}, follow=True)
        assert "sudah ditutup" in response.content.decode()
    response = owner.post(reverse("planning:programme_submit", args=[programme.uuid]), follow=True)
    assert "sudah ditutup" in response.content.decode()
    programme.refresh_from_db()
    assert programme.title == "Program Lama" and programme.state == "draft"
    assert programme.indicators.count() == 1


def test_edit_keeps_region_and_saves(region_admin) -> None:
    period = PeriodFactory(state="open")
    response = client_for(region_admin).post(
        reverse("planning:period_edit", args=[period.pk]),
        period_data(
            region="35.07",
            name="Periode 2025 (diperbarui)",
            start="2025-01-01",
            end="2025-12-31",
            programme_due="2025-04-30",
        ),
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.name == "Periode 2025 (diperbarui)" and period.region_id == "35.72"
    assert period.programme_due == datetime.date(2025, 4, 30)


def test_operator_sees_periods_of_own_region_only(operator) -> None:
    mine = PeriodFactory(name="Periode Kota Blitar")
    PeriodFactory(region_id="35.07", name="Periode Kabupaten Malang")
    page = client_for(operator).get(reverse("planning:period_list")).content.decode()
    assert mine.name in page and "Periode Kabupaten Malang" not in page
    assert "Tambah periode" not in page
