"""Planning and reporting as people use them, in a real browser (issue 3, item 10).

An ormas secretary plans a work programme on a phone, Kesbangpol accepts it on a desktop, the
secretary files an activity report with a photo, the assessor returns it with a reason, the
secretary fixes and resubmits it; and the region admin sees who is overdue with reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from sipko.planning.models import Programme, ProgrammeState
from sipko.reporting.models import ActivityReport, ReportState
from sipko.workflow.engine import state_log
from tests.browser.conftest import WIDTHS_WHEN_LOADED, login
from tests.factories import (
    IndicatorFactory,
    ProgrammeFactory,
    ReportFactory,
    RpjmdFactory,
    RpjmdItemFactory,
)

pytestmark = pytest.mark.browser


TIMEOUT = 15_000  # ms: generous for a loaded CI machine, still bounded
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# For the failure message only: which elements stick out past the right edge of the screen.
WIDER_THAN_SCREEN = """[...document.querySelectorAll('main *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5)
  .map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 50))"""


def assert_fits_screen(page: Any) -> None:
    assert page.evaluate(NO_SIDEWAYS_SCROLL), (
        f"{page.url} scrolls sideways: {page.evaluate(WIDER_THAN_SCREEN)}"
    )


@contextmanager
def desktop(browser: Any) -> Iterator[Any]:
    """Another person's desktop browser (own cookies), beside the `page` fixture's."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def photo(tmp_path: Path) -> Path:
    """A small real JPEG, as a phone camera would give (Pillow)."""
    path = tmp_path / "kegiatan-posyandu.jpg"
    Image.new("RGB", (320, 240), (40, 120, 200)).save(path, format="JPEG")
    return path


@pytest.fixture
def rpjmd(period):
    """Kota Blitar's RPJMD (misi → tujuan → sasaran), the reference of the open period."""
    plan = RpjmdFactory(region_id="35.72")
    misi = RpjmdItemFactory(
        rpjmd=plan, level="misi", code="M2", text="Mewujudkan masyarakat yang sehat (uji)"
    )
    tujuan = RpjmdItemFactory(
        rpjmd=plan,
        level="tujuan",
        parent=misi,
        code="T2.1",
        text="Meningkatkan derajat kesehatan (uji)",
    )
    RpjmdItemFactory(
        rpjmd=plan,
        level="sasaran",
        parent=tujuan,
        code="S2.1.1",
        text="Meningkatnya partisipasi kader posyandu (uji)",
        illustrative=True,
    )
    RpjmdItemFactory(
        rpjmd=plan,
        level="sasaran",
        parent=tujuan,
        code="S2.1.2",
        text="Menurunnya angka stunting (uji)",
    )
    period.rpjmd = plan
    period.save()
    return plan


def test_operator_plans_reports_gets_returned_and_resubmits(
    browser,
    page,
    phone_page,
    live_server,
    operator,
    region_admin,
    assessor,
    period,
    rpjmd,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files of this test only
    url = live_server.url
    phone = phone_page
    admin = page

    # --- 1. The operator plans a programme on a phone ------------------------------------------
    login(phone, url, operator.username)
    phone.wait_for_selector("[data-testid=todo-list]", timeout=TIMEOUT)
    phone.click(".navbar-toggler")  # the menu is folded on a phone
    phone.click("#nav >> text=Program kerja")
    phone.wait_for_selector("[data-testid=programmes]", timeout=TIMEOUT)
    assert "0 program ditemukan" in phone.inner_text("[data-testid=result-count]")
    assert_fits_screen(phone)

    phone.click("text=Buat program kerja")
    phone.wait_for_selector("[data-testid=programme-form]", timeout=TIMEOUT)
    assert_fits_screen(phone)
    # The only open period is chosen already; its RPJMD's sasaran are offered under their misi.
    assert phone.input_value("#id_period") == str(period.pk)
    sasaran = phone.locator("#fieldset-sasaran")
    assert "M2 Mewujudkan masyarakat yang sehat (uji)" in sasaran.inner_text()
    phone.fill("#id_title", "Pelatihan kader posyandu (fiktif)")
    phone.fill(
        "#id_objective", "Kader posyandu di Kepanjenkidul mampu menimbang dan mencatat balita."
    )
    phone.get_by_label("S2.1.1 Meningkatnya partisipasi kader posyandu (uji) (ilustratif)").check()
    phone.click("#fieldset-locations summary:has-text('Kec. Kepanjenkidul')")
    phone.check("#fieldset-locations input[value='35.72.01.1004']")  # Kauman
    phone.fill("#id_start_date", "2025-02-01")
    phone.fill("#id_end_date", "2025-11-30")
    phone.fill("#id_budget", "2.500.000")
    phone.fill("#id_target_beneficiaries", "40")
    assert_fits_screen(phone)
    phone.click("[data-testid=programme-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=programme-title]", timeout=TIMEOUT)
    assert_fits_screen(phone)
    programme = Programme.objects.get(ormas=operator.ormas)
    assert programme.state == ProgrammeState.DRAFT
    assert programme.budget == 2_500_000 and programme.target_beneficiaries == 40
    assert [s.code for s in programme.sasaran.all()] == ["S2.1.1"]
    assert [r.code for r in programme.locations.all()] == ["35.72.01.1004"]
    assert "S2.1.1" in phone.inner_text("[data-testid=programme-sasaran]")
    versions = phone.inner_text("[data-testid=versions]")  # locations by name, not a manager
    assert "Kauman" in versions and "Historical" not in versions

    phone.click("text=Tambah indikator")
    phone.wait_for_selector("#id_name", timeout=TIMEOUT)
    assert_fits_screen(phone)
    phone.fill("#id_name", "Kader terlatih")
    phone.fill("#id_unit", "orang")
    phone.fill("#id_baseline", "5")
    phone.fill("#id_target", "40")
    phone.click("main button[type=submit]")
    phone.wait_for_selector("[data-testid=indicators] >> text=Kader terlatih", timeout=TIMEOUT)
    indicator = programme.indicators.get()
    assert indicator.target == 40 and indicator.baseline == 5

    phone.click("[data-testid=programme-actions] >> text=Ajukan ke Kesbangpol")
    phone.wait_for_selector(".alert-success >> text=Program diajukan", timeout=TIMEOUT)
    assert phone.inner_text("[data-testid=state]") == "Diajukan"
    assert_fits_screen(phone)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.SUBMITTED

    # --- 2. Kesbangpol reviews and accepts it on a desktop --------------------------------------
    login(admin, url, region_admin.username)
    admin.goto(f"{url}/perencanaan/program/")
    admin.click("[data-testid=review-queue]")
    admin.wait_for_selector("[data-testid=programmes] >> text=Pelatihan kader posyandu (fiktif)")
    admin.click("[data-testid=programmes] >> text=Pelatihan kader posyandu (fiktif)")
    admin.click("[data-testid=programme-actions] >> text=Tinjau", timeout=TIMEOUT)
    admin.wait_for_selector("#id_note", timeout=TIMEOUT)
    admin.check("input[name=decision][value=accept]")
    admin.fill("#id_note", "Program sesuai sasaran RPJMD. Silakan dilaksanakan.")
    admin.click("text=Simpan keputusan")
    admin.wait_for_selector(".alert-success >> text=Program diterima", timeout=TIMEOUT)
    assert admin.inner_text("[data-testid=state]") == "Diterima"
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.ACCEPTED and programme.reviewed_by == region_admin

    # --- 3. The operator files a report with a photo on the phone -------------------------------
    phone.reload()
    phone.wait_for_selector(
        "[data-testid=review-note] >> text=Silakan dilaksanakan", timeout=TIMEOUT
    )
    assert phone.inner_text("[data-testid=state]") == "Diterima"
    phone.click("[data-testid=programme-actions] >> text=Laporkan kegiatan")
    phone.wait_for_selector("[data-testid=report-form]", timeout=TIMEOUT)
    assert_fits_screen(phone)
    assert phone.input_value("#id_location") == "35.72.01.1004"  # from the programme
    phone.fill("#id_title", "Pelatihan kader angkatan 1 (fiktif)")
    phone.fill("#id_start_date", "2025-05-10")
    phone.fill("#id_end_date", "2025-05-10")
    phone.fill("#id_location_detail", "Balai Kelurahan Kauman")
    phone.fill("#id_narrative", "Pelatihan menimbang balita untuk kader.")
    phone.fill("#id_female_youth", "6")
    phone.fill("#id_female_over30", "9")
    phone.fill("#id_cost", "1.200.000")
    phone.fill(f"#id_value_{indicator.pk}", "15")
    assert "15" in phone.inner_text("[data-testid=participant-total]")
    phone.click("[data-testid=report-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=evidence-form]", timeout=TIMEOUT)
    assert_fits_screen(phone)
    report = ActivityReport.objects.get(programme=programme)
    assert report.state == ReportState.DRAFT and report.participants == 15

    phone.set_input_files("#id_photos", str(photo(tmp_path)))
    phone.fill("#id_caption", "Kader berlatih menimbang")
    phone.click("[data-testid=evidence-form] button[type=submit]")
    phone.wait_for_selector("img.evidence-thumb", timeout=TIMEOUT)
    # Wait for each thumbnail to finish loading (a slow run may still be fetching it).
    widths = phone.eval_on_selector_all(
        "img.evidence-thumb",
        WIDTHS_WHEN_LOADED,
    )
    assert len(widths) == 1 and widths[0] > 0  # the thumbnail is served and decodes
    assert_fits_screen(phone)

    phone.click("[data-testid=submit] button[type=submit]")
    phone.wait_for_selector(".alert-success >> text=Laporan diajukan", timeout=TIMEOUT)
    assert phone.inner_text("[data-testid=report-state]") == "Diajukan"
    assert_fits_screen(phone)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.evidence.count() == 1

    # --- 4. The assigned assessor returns it with a reason --------------------------------------
    reason = "Jumlah peserta laki-laki belum dicatat; uraian terlalu singkat."
    with desktop(browser) as desk:
        login(desk, url, assessor.username)
        desk.goto(f"{url}/pelaporan/")
        desk.click("[data-testid=verification-queue] >> text=Pelatihan kader angkatan 1 (fiktif)")
        desk.wait_for_selector("[data-testid=review]", timeout=TIMEOUT)
        assert desk.locator("img.evidence-thumb").count() == 1  # the assessor sees the photo
        desk.click("text=Kembalikan dengan catatan")  # without a reason: refused
        desk.wait_for_selector("[data-testid=review] .invalid-feedback", timeout=TIMEOUT)
        assert ActivityReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED
        desk.fill("#id_reason", reason)
        desk.click("text=Kembalikan dengan catatan")
        desk.wait_for_selector(".alert-success >> text=dikembalikan", timeout=TIMEOUT)
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.return_reason == reason

    # --- 5. The operator sees the reason, fixes the report and resubmits ------------------------
    phone.click(".navbar-toggler")
    phone.click("#nav >> text=Laporan kegiatan")
    phone.wait_for_selector("[data-testid=reports]", timeout=TIMEOUT)
    assert "Jumlah peserta laki-laki belum dicatat" in phone.inner_text("[data-testid=reports]")
    assert_fits_screen(phone)
    phone.click("[data-testid=reports] >> text=Pelatihan kader angkatan 1 (fiktif)")
    phone.wait_for_selector("[data-testid=return-reason]", timeout=TIMEOUT)
    assert reason in phone.inner_text("[data-testid=return-reason]")
    assert phone.inner_text("[data-testid=report-state]") == "Dikembalikan"
    assert_fits_screen(phone)

    phone.click("text=Ubah isian")
    phone.wait_for_selector("[data-testid=report-form]", timeout=TIMEOUT)
    assert phone.input_value("#id_female_youth") == "6"  # the saved values, not blanks
    new_narrative = (
        "Pelatihan menimbang balita dan mencatat KMS untuk kader posyandu, dipandu bidan kelurahan."
    )
    phone.fill("#id_narrative", new_narrative)
    phone.fill("#id_male_youth", "3")
    phone.fill("#id_male_over30", "2")
    phone.fill(f"#id_value_{indicator.pk}", "20")
    assert "20" in phone.inner_text("[data-testid=participant-total]")
    assert_fits_screen(phone)
    phone.click("[data-testid=report-form] button[type=submit]")
    phone.wait_for_selector(".alert-success >> text=Perubahan laporan tersimpan", timeout=TIMEOUT)
    phone.click("[data-testid=submit] >> text=Ajukan kembali")
    phone.wait_for_selector(".alert-success >> text=Laporan diajukan", timeout=TIMEOUT)
    assert phone.inner_text("[data-testid=report-state]") == "Diajukan"
    assert phone.locator("[data-testid=return-reason]").count() == 0
    changes = phone.inner_text("[data-testid=changes-since-return]")
    assert "Perubahan sejak dikembalikan" in changes
    assert "dipandu bidan kelurahan" in changes  # the new narrative beside the old one
    assert "Pelatihan menimbang balita untuk kader." in changes
    assert "laki-laki 16–30 th" in changes and "laki-laki > 30 th" in changes
    assert "Kader terlatih (orang)" in changes  # the realised value went from 15 to 20
    assert "Dikembalikan" in phone.inner_text("[data-testid=state-log]")
    assert reason in phone.inner_text("[data-testid=state-log]")
    assert_fits_screen(phone)

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.narrative == new_narrative
    assert (report.male_youth, report.male_over30, report.female_youth) == (3, 2, 6)
    assert report.participants == 20
    assert report.values.get().value == Decimal(20)
    assert report.evidence.count() == 1
    assert report.first_submitted_at < report.submitted_at
    log = state_log(report)
    assert [(c.action, c.old_state, c.new_state) for c in log] == [
        ("submit", ReportState.DRAFT, ReportState.SUBMITTED),
        ("return", ReportState.SUBMITTED, ReportState.RETURNED),
        ("submit", ReportState.RETURNED, ReportState.SUBMITTED),
    ]
    assert [c.actor for c in log] == [operator, assessor, operator]
    assert log[1].reason == reason
    assert [c.action for c in state_log(programme)] == ["submit", "accept"]


def test_region_admin_sees_the_overdue_ormas(
    page, live_server, region_admin, ormas, other_ormas, period
):
    # `other_ormas` has an accepted programme for semester 1 of 2025 (due 15 July 2025) and never
    # reported; `ormas` reported on time for its own semester-1 programme.
    late = ProgrammeFactory(
        ormas=other_ormas,
        period=period,
        title="Bakti sosial Sanankulon (fiktif)",
        end_date=dt.date(2025, 6, 30),
    )
    IndicatorFactory(programme=late)
    punctual = ProgrammeFactory(
        ormas=ormas, period=period, title="Latihan kendang (fiktif)", end_date=dt.date(2025, 6, 30)
    )
    IndicatorFactory(programme=punctual)
    ReportFactory(
        programme=punctual,
        state=ReportState.SUBMITTED,
        submitted_at=dt.datetime(2025, 7, 1, 3, tzinfo=dt.UTC),
        first_submitted_at=dt.datetime(2025, 7, 1, 3, tzinfo=dt.UTC),
    )

    login(page, live_server.url, region_admin.username)
    page.click("#nav >> text=Kepatuhan")
    page.wait_for_selector("[data-testid=overdue]", timeout=TIMEOUT)
    overdue = page.locator("[data-testid=overdue]")
    assert "(1)" in overdue.locator("h2").inner_text()  # one report overdue
    assert overdue.locator(".list-group-item").count() == 1
    assert other_ormas.name in overdue.inner_text()
    assert "Bakti sosial Sanankulon (fiktif)" in overdue.inner_text()
    assert "Semester 1 2025" in overdue.inner_text()
    assert ormas.name not in overdue.inner_text()
    by_ormas = page.inner_text("[data-testid=by-ormas]")
    assert other_ormas.name in by_ormas and ormas.name in by_ormas
    assert page.inner_text("[data-testid=total-due]") == "2"

    # The overdue ormas' name leads to its registry page.
    overdue.locator(f"text={other_ormas.name}").click()
    page.wait_for_selector("[data-testid=ormas-name]", timeout=TIMEOUT)
    assert other_ormas.name in page.inner_text("[data-testid=ormas-name]")
