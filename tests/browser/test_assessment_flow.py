"""Performance assessment as people use it, in a real browser (issue deliverable 11).

An ormas operator fills in its self-assessment on a phone (htmx saves, evidence photos, submit);
the assigned assessor verifies it on a desktop and changes one value with a reason; Kesbangpol
publishes the result, which the operator then reads with its trace; and an appeal (*keberatan*)
is decided by a region admin who took no part in verifying it.

Each test prepares the steps before its own through `sipko.assessment.services`, and does the
steps it is about through the browser.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from sipko.assessment import services
from sipko.assessment.models import (
    AppealState,
    Assessment,
    AssessmentState,
    Instrument,
)
from sipko.planning.services import period_move
from sipko.workflow.engine import state_log
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

TIMEOUT = 15_000  # ms: generous for a loaded CI machine, still bounded
DEFAULT_INSTRUMENT = (
    Path(__file__).resolve().parents[2]
    / "sipko"
    / "assessment"
    / "instruments"
    / "iko-default-2025.1.yaml"
)
PHONE_WIDTH = 360
SCROLL_TOLERANCE = 2  # px: sub-pixel rounding of borders
# For the failure message only: which elements stick out past the right edge of the screen.
WIDER_THAN_SCREEN = """[...document.querySelectorAll('main *, nav *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5)
  .map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 50))"""

# The ormas' own answers used where a test starts from a submitted self-assessment.
SELF_ANSWERS = {
    "KEL4": "3",  # sewa atau pinjam pakai
    "SDM1": "12",  # 12 relawan aktif: band 5–14
    "SDM2": "2",  # 2 jenis sumber pendapatan
    "SDM3": "2",  # catatan internal
    "SDM4": "ya",  # rekening atas nama ormas
    "MNF1": "120",  # penerima manfaat
    "MNF3": "1",  # kemitraan
}
# The assessor's own values for the indicators only an assessor scores.
ASSESSOR_VALUES = {"PRG1": "3", "MNF4": "2"}
CHANGED = "SDM1"
CHANGED_VALUE = "4"
CHANGE_REASON = "Daftar hadir rapat dan kegiatan hanya memuat 4 relawan yang aktif."


def assert_fits_screen(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH + SCROLL_TOLERANCE, (
        f"{page.url} scrolls sideways ({width}px): {page.evaluate(WIDER_THAN_SCREEN)}"
    )


def watch_server_errors(*pages: Any) -> list[str]:
    """Every 5xx answer the pages receive (an error page must never be what a person sees)."""
    errors: list[str] = []
    for page in pages:
        page.on(
            "response",
            lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )
    return errors


@contextmanager
def desktop(browser: Any) -> Iterator[Any]:
    """Another person's desktop browser (own cookies), beside the `page` fixture's."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def photo(tmp_path: Path, name: str = "papan-nama-sekretariat.jpg") -> Path:
    """A small real JPEG, as a phone camera would give (Pillow)."""
    path = tmp_path / name
    Image.new("RGB", (320, 240), (200, 120, 40)).save(path, format="JPEG")
    return path


def jpeg_upload(name: str = "bukti.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 160, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def card(page: Any, code: str) -> Any:
    return page.locator(f"[data-testid=indicator-{code}]")


def score_index(page: Any) -> Any:
    return page.locator("[data-testid=score-panel] [data-testid=index]")


def state_badge(page: Any) -> Any:
    # The first badge on the page is the assessment's own (the heading's).
    return page.locator("[data-testid=assessment-state]").first


# --- data prepared through the services --------------------------------------------------------


@pytest.fixture
def instrument() -> Instrument:
    """The default IKO instrument, loaded from its file and published (national)."""
    loaded = services.instrument_load(actor=None, text=DEFAULT_INSTRUMENT.read_bytes())
    return services.instrument_publish(actor=None, instrument=loaded)


@pytest.fixture
def standard(period, instrument, region_admin):
    """The open `period` assesses Kota Blitar's ormas with the default instrument."""
    return services.period_standard_set(actor=region_admin, period=period, instrument=instrument)


def open_and_assign(ormas, period, region_admin, assessor) -> Assessment:
    assessment = services.assessment_open(actor=None, ormas=ormas, period=period)
    services.assessment_assign(
        actor=region_admin, assessment=assessment, assessor=assessor, declared=True
    )
    return Assessment.objects.get(pk=assessment.pk)


def self_assess_and_submit(assessment: Assessment, operator) -> None:
    for code, value in SELF_ANSWERS.items():
        answer = assessment.answers.get(indicator=code)
        services.answer_save(actor=operator, answer=answer, value=value)
        if assessment.instrument.spec.indicator(code).evidence:
            services.answer_file_add(
                actor=operator, answer=answer, upload=jpeg_upload(f"bukti-{code}.jpg")
            )
    services.assessment_submit(actor=operator, assessment=Assessment.objects.get(pk=assessment.pk))


def verify_with_one_change(assessment: Assessment, assessor) -> None:
    """The assessor accepts every answer but CHANGED, which is lowered with CHANGE_REASON."""
    for answer in Assessment.objects.get(pk=assessment.pk).answers.all():
        value, reason = answer.value, ""
        if answer.indicator in ASSESSOR_VALUES:
            value = ASSESSOR_VALUES[answer.indicator]
        if answer.indicator == CHANGED:
            value, reason = CHANGED_VALUE, CHANGE_REASON
        services.answer_verify(actor=assessor, answer=answer, value=value, reason=reason)
    services.assessment_complete(
        actor=assessor, assessment=Assessment.objects.get(pk=assessment.pk)
    )


@pytest.fixture
def submitted(ormas, period, standard, region_admin, assessor, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files of this test only
    assessment = open_and_assign(ormas, period, region_admin, assessor)
    self_assess_and_submit(assessment, operator)
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def verified(submitted, period, region_admin, assessor):
    """Verified with SDM1 lowered, in a period moved on to its assessment stage."""
    verify_with_one_change(submitted, assessor)
    period_move(actor=region_admin, period=period, action="start_assessment")
    return Assessment.objects.get(pk=submitted.pk)


@pytest.fixture
def published(verified, region_admin):
    services.assessment_publish(actor=region_admin, assessment=verified)
    return Assessment.objects.get(pk=verified.pk)


# --- 1. self-assessment on a phone -----------------------------------------------------------


def test_operator_self_assesses_on_a_phone(
    phone_page, live_server, operator, ormas, period, standard, assessor, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    url = live_server.url
    phone = phone_page
    errors = watch_server_errors(phone)

    login(phone, url, operator.username)
    phone.wait_for_selector("[data-testid=todo-list]", timeout=TIMEOUT)
    phone.click(".navbar-toggler")  # the menu is folded on a phone
    phone.click("#nav >> text=Penilaian kinerja")
    phone.wait_for_selector("text=Mulai penilaian mandiri", timeout=TIMEOUT)
    assert period.name in phone.inner_text("main")
    assert_fits_screen(phone)
    phone.click("text=Mulai penilaian mandiri")
    phone.wait_for_selector("[data-testid=indicator-KEL4]", timeout=TIMEOUT)
    assessment = Assessment.objects.get(ormas=ormas, period=period)
    assert assessment.state == AssessmentState.DRAFT
    assert state_badge(phone).inner_text() == "Penilaian mandiri"
    assert "Skor sementara" in phone.inner_text("[data-testid=score-panel]")
    assert_fits_screen(phone)

    # Each answer is saved through htmx: the card and the score panel change, the page stays.
    phone.evaluate("window.__samePage = true")
    index = score_index(phone)
    before = index.inner_text()

    phone.fill("#id_SDM2-value", "2")  # banded: a number
    card(phone, "SDM2").locator("[data-testid=answer-form] button[type=submit]").click()
    expect(card(phone, "SDM2").locator("[data-testid=own-value]")).to_contain_text(
        "2 jenis sumber", timeout=TIMEOUT
    )
    expect(index).not_to_have_text(before, timeout=TIMEOUT)
    after_sdm2 = index.inner_text()

    phone.select_option("#id_KEL4-value", "3")  # level: a select
    card(phone, "KEL4").locator("[data-testid=answer-form] button[type=submit]").click()
    expect(card(phone, "KEL4").locator("[data-testid=own-value]")).to_contain_text(
        "Sewa atau pinjam pakai", timeout=TIMEOUT
    )
    expect(index).not_to_have_text(after_sdm2, timeout=TIMEOUT)
    after_kel4 = index.inner_text()

    phone.select_option("#id_SDM4-value", "ya")  # yes/no: a select
    card(phone, "SDM4").locator("[data-testid=answer-form] button[type=submit]").click()
    expect(card(phone, "SDM4").locator("[data-testid=own-value]")).to_contain_text(
        "Ya", timeout=TIMEOUT
    )
    expect(index).not_to_have_text(after_kel4, timeout=TIMEOUT)

    assert phone.evaluate("window.__samePage === true"), "an answer reloaded the whole page"
    assert_fits_screen(phone)
    assessment.refresh_from_db()
    values = {a.indicator: a.value for a in assessment.answers.all()}
    assert (values["SDM2"], values["KEL4"], values["SDM4"]) == ("2", "3", "ya")

    # KEL4 and SDM4 need evidence: the page says so and will not submit yet.
    phone.reload()
    warning = phone.locator("[data-testid=missing-evidence]")
    expect(warning).to_contain_text("KEL4", timeout=TIMEOUT)
    expect(warning).to_contain_text("SDM4")
    assert phone.locator("text=Ajukan ke Kesbangpol").is_disabled()
    assert_fits_screen(phone)

    phone.set_input_files("#id_KEL4-file", str(photo(tmp_path)))
    card(phone, "KEL4").locator("[data-testid=file-form] button[type=submit]").click()
    phone.wait_for_selector(".alert-success >> text=Bukti dukung KEL4 ditambahkan", timeout=TIMEOUT)
    assert "papan-nama-sekretariat.jpg" in card(phone, "KEL4").inner_text()
    assert "KEL4" not in warning.inner_text() and "SDM4" in warning.inner_text()

    phone.set_input_files("#id_SDM4-file", str(photo(tmp_path, "buku-rekening.jpg")))
    card(phone, "SDM4").locator("[data-testid=file-form] button[type=submit]").click()
    phone.wait_for_selector(".alert-success >> text=Bukti dukung SDM4 ditambahkan", timeout=TIMEOUT)
    expect(warning).to_have_count(0)
    assert_fits_screen(phone)

    phone.click("text=Ajukan ke Kesbangpol")
    phone.wait_for_selector(".alert-success >> text=Penilaian mandiri diajukan", timeout=TIMEOUT)
    assert state_badge(phone).inner_text() == AssessmentState.SUBMITTED.label
    assert phone.locator("[data-testid=answer-form]").count() == 0  # no longer editable
    assert_fits_screen(phone)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED and assessment.submitted_at
    assert [c.action for c in state_log(assessment)] == ["submit"]
    assert not errors, errors


# --- 2. verification with a changed value and its reason --------------------------------------


def test_assessor_verifies_and_changes_a_value_with_a_reason(
    browser, page, live_server, submitted, assessor, operator
):
    url = live_server.url
    errors = watch_server_errors(page)
    spec = submitted.instrument.spec

    login(page, url, assessor.username)
    page.locator("#nav").get_by_role("link", name="Penilaian", exact=True).click()
    queue = page.locator("[data-testid=verification-queue]")
    expect(queue).to_contain_text("Menunggu verifikasi Anda", timeout=TIMEOUT)
    queue.locator(f"text={submitted.ormas.name}").click()
    page.wait_for_selector("[data-testid=verify-form]", timeout=TIMEOUT)
    assert state_badge(page).inner_text() == AssessmentState.SUBMITTED.label
    assert "0 dari 16" in page.inner_text("[data-testid=verify-progress]")

    # A different value without a reason is refused, in Indonesian, on the card.
    changed = card(page, CHANGED)
    page.fill(f"#id_{CHANGED}-value", CHANGED_VALUE)
    changed.locator("[data-testid=verify-form] button[type=submit]").click()
    expect(changed.locator(".invalid-feedback")).to_contain_text("Tuliskan alasan", timeout=TIMEOUT)
    assert submitted.answers.get(indicator=CHANGED).verified_at is None
    # The typed value is kept for the second try.
    assert page.input_value(f"#id_{CHANGED}-value") == CHANGED_VALUE

    page.fill(f"#id_{CHANGED}-reason", CHANGE_REASON)
    changed.locator("[data-testid=verify-form] button[type=submit]").click()
    verified_value = changed.locator("[data-testid=verified-value]")
    expect(verified_value).to_contain_text("4 orang", timeout=TIMEOUT)
    expect(verified_value).to_contain_text(CHANGE_REASON)
    assert changed.locator(".invalid-feedback").count() == 0

    # Every other answer is accepted as the ormas gave it; the assessor scores its own two.
    for indicator in spec.indicators:
        if indicator.code == CHANGED:
            continue
        this = card(page, indicator.code)
        if indicator.code in ASSESSOR_VALUES:
            page.select_option(f"#id_{indicator.code}-value", ASSESSOR_VALUES[indicator.code])
        this.locator("[data-testid=verify-form] button[type=submit]").click()
        expect(this.locator("[data-testid=verified-value]")).to_be_visible(timeout=TIMEOUT)
        expect(this.locator(".invalid-feedback")).to_have_count(0)

    page.click("text=Selesaikan verifikasi")
    page.wait_for_selector(".alert-success >> text=Verifikasi selesai", timeout=TIMEOUT)
    assert state_badge(page).inner_text() == "Terverifikasi"
    panel = page.inner_text("[data-testid=score-panel]")
    assert "Skor verifikasi (belum diumumkan)" in panel
    verified_index = score_index(page).inner_text()

    submitted.refresh_from_db()
    assert submitted.state == AssessmentState.VERIFIED
    answer = submitted.answers.get(indicator=CHANGED)
    assert (answer.value, answer.verified_value) == (SELF_ANSWERS[CHANGED], CHANGED_VALUE)
    assert answer.verified_reason == CHANGE_REASON and answer.verified_by == assessor
    assert all(a.verified_by == assessor for a in submitted.answers.all())
    assert submitted.index is not None
    assert [c.action for c in state_log(submitted)] == ["submit", "complete"]

    # The operator sees the state, but not the verified score before it is published: at most
    # its own provisional self-assessment score, labelled as such.
    with desktop(browser) as desk:
        operator_errors = watch_server_errors(desk)
        login(desk, url, operator.username)
        desk.locator("#nav").get_by_role("link", name="Penilaian kinerja").click()
        desk.locator("[data-testid=own-assessments] a").first.click()
        desk.wait_for_selector("[data-testid=indicator-KEL4]", timeout=TIMEOUT)
        assert state_badge(desk).inner_text() == "Terverifikasi"
        own_panel = desk.locator("[data-testid=score-panel]")
        own_text = own_panel.inner_text()
        assert "Skor verifikasi" not in own_text and "Hasil penilaian" not in own_text
        if own_panel.locator("[data-testid=index]").count():
            assert "Skor sementara penilaian mandiri" in own_text
            assert score_index(desk).inner_text() != verified_index
        assert not operator_errors, operator_errors
    assert not errors, errors


# --- 3. publication -------------------------------------------------------------------------------


def test_region_admin_publishes_and_the_operator_reads_the_trace(
    page, phone_page, live_server, verified, region_admin, operator
):
    url = live_server.url
    errors = watch_server_errors(page, phone_page)

    login(page, url, region_admin.username)
    page.locator("#nav").get_by_role("link", name="Penilaian", exact=True).click()
    page.wait_for_selector("[data-testid=assessment-table]", timeout=TIMEOUT)
    page.locator("[data-testid=assessment-table]").locator(f"text={verified.ormas.name}").click()
    page.wait_for_selector("text=Umumkan hasil", timeout=TIMEOUT)
    assert state_badge(page).inner_text() == "Terverifikasi"
    page.click("text=Umumkan hasil")
    page.wait_for_selector(".alert-success >> text=Hasil penilaian diumumkan", timeout=TIMEOUT)
    assert state_badge(page).inner_text() == "Diumumkan"
    verified.refresh_from_db()
    assert verified.state == AssessmentState.PUBLISHED
    assert verified.published_by == region_admin and verified.appeal_until is not None
    admin_index = score_index(page).inner_text()

    # The operator now sees the official index and predicate, and how they were computed.
    phone = phone_page
    login(phone, url, operator.username)
    phone.wait_for_selector("[data-testid=todo-list]", timeout=TIMEOUT)  # landed after login
    phone.click(".navbar-toggler")  # the menu is folded on a phone
    phone.click("#nav >> text=Penilaian kinerja")
    own = phone.locator("[data-testid=own-assessments]")
    expect(own).to_contain_text("Indeks", timeout=TIMEOUT)
    expect(own).to_contain_text(verified.predicate)
    own.locator("a").first.click()
    phone.wait_for_selector("[data-testid=score-panel] [data-testid=predicate]", timeout=TIMEOUT)
    assert state_badge(phone).inner_text() == "Diumumkan"
    assert "Hasil penilaian" in phone.inner_text("[data-testid=score-panel]")
    assert score_index(phone).inner_text() == admin_index
    predicate = phone.inner_text("[data-testid=score-panel] [data-testid=predicate]")
    assert predicate.startswith(verified.predicate)
    assert "Keberatan dapat diajukan sampai" in phone.inner_text("main")
    assert_fits_screen(phone)

    phone.click("text=Lihat rincian perhitungan")
    phone.wait_for_selector("[data-testid=trace-summary]", timeout=TIMEOUT)
    assert phone.inner_text("[data-testid=trace-index]") == admin_index
    for indicator in verified.instrument.spec.indicators:
        row = phone.locator(f"[data-testid=trace-{indicator.code}]")
        expect(row).to_have_count(1)
        assert indicator.name in row.inner_text()
    changed_row = phone.inner_text(f"[data-testid=trace-{CHANGED}]")
    assert "diubah" in changed_row and CHANGE_REASON in changed_row
    assert "12 orang" in changed_row and "4 orang" in changed_row  # the ormas' value and the new
    assert "diubah" not in phone.inner_text("[data-testid=trace-SDM2]")  # accepted as given
    assert "Dihitung ulang sekarang: sama" in phone.inner_text("[data-testid=inputs-hash]")
    assert_fits_screen(phone)
    assert not errors, errors


# --- 4. an appeal decided by another reviewer ---------------------------------------------------


def test_appeal_is_decided_by_a_reviewer_who_did_not_verify(
    browser, page, phone_page, live_server, published, region_admin, assessor, operator, tmp_path
):
    url = live_server.url
    errors = watch_server_errors(page, phone_page)
    index_before = published.index
    detail_url = f"{url}/penilaian/{published.uuid}/"
    decide_url = f"{detail_url}keberatan/putuskan/"

    # The operator objects to SDM1, with grounds and a photo of the attendance list.
    phone = phone_page
    login(phone, url, operator.username)
    phone.goto(detail_url)
    phone.click("[data-testid=appeal-link]")
    phone.wait_for_selector("#id_grounds", timeout=TIMEOUT)
    assert_fits_screen(phone)
    grounds = (
        "Relawan aktif kami 12 orang; daftar hadir kegiatan bulan Agustus belum ikut dilampirkan."
    )
    phone.fill("#id_grounds", grounds)
    phone.check(f"input[name=indicators][value={CHANGED}]")
    phone.set_input_files("#id_files", str(photo(tmp_path, "daftar-hadir-agustus.jpg")))
    phone.get_by_role("button", name="Ajukan keberatan").click()
    phone.wait_for_selector(".alert-success >> text=Keberatan diajukan", timeout=TIMEOUT)
    assert state_badge(phone).inner_text() == "Keberatan"
    appeal_box = phone.inner_text("[data-testid=appeal]")
    assert "Menunggu keputusan" in appeal_box and "daftar-hadir-agustus.jpg" in appeal_box
    assert_fits_screen(phone)
    published.refresh_from_db()
    assert published.state == AssessmentState.APPEAL
    assert published.appeal.indicators == [CHANGED] and published.appeal.files.count() == 1

    # The assessor who verified the result may not decide: no link, and the URL is refused.
    with desktop(browser) as desk:
        assessor_errors = watch_server_errors(desk)
        login(desk, url, assessor.username)
        desk.goto(detail_url)
        desk.wait_for_selector("[data-testid=appeal]", timeout=TIMEOUT)
        assert desk.locator("[data-testid=decide-link]").count() == 0
        response = desk.goto(decide_url)
        assert response.status == 403
        assert not assessor_errors, assessor_errors

    # The region admin, who did not verify, grants it with a new value and reasons.
    login(page, url, region_admin.username)
    page.goto(detail_url)
    page.click("[data-testid=decide-link]")
    page.wait_for_selector("input[name=decision]", timeout=TIMEOUT)
    assert grounds in page.inner_text("main")
    assert CHANGE_REASON in page.inner_text("main")  # the assessor's reason, beside the claim
    decision_reason = "Daftar hadir Agustus menunjukkan 12 relawan aktif; nilai dikembalikan."
    page.check(f"input[name=decision][value={AppealState.GRANTED}]")
    page.fill("#id_reason", decision_reason)
    page.fill(f"#id_value_{CHANGED}", "12")
    page.get_by_role("button", name="Putuskan").click()
    page.wait_for_selector(".alert-success >> text=Keberatan diputuskan", timeout=TIMEOUT)
    assert state_badge(page).inner_text() == "Final"
    appeal_box = page.inner_text("[data-testid=appeal]")
    assert "Diterima" in appeal_box and decision_reason in appeal_box
    log = page.inner_text("[data-testid=state-log]")
    for step in (
        "Diajukan",
        "Verifikasi selesai",
        "Diumumkan",
        "Keberatan diajukan",
        "Keberatan diputuskan",
    ):
        assert step in log, f"{step!r} missing from the state log: {log}"
    # The grounds are on the appeal card (parties only), not in the log everyone in reach reads.
    assert grounds[:60] not in log and decision_reason in log

    published.refresh_from_db()
    assert published.state == AssessmentState.FINAL and published.finalised_at
    assert published.index > index_before  # 12 volunteers score higher than 4
    assert published.appeal.state == AppealState.GRANTED
    assert published.appeal.reviewer == region_admin
    assert published.appeal.index_before == index_before
    answer = published.answers.get(indicator=CHANGED)
    assert (answer.final_value, answer.final_by) == ("12", region_admin)
    assert [c.action for c in state_log(published)] == [
        "submit",
        "complete",
        "publish",
        "appeal",
        "decide",
    ]

    # The operator sees the final result with the new index.
    phone.goto(detail_url)
    phone.wait_for_selector("[data-testid=score-panel] [data-testid=index]", timeout=TIMEOUT)
    assert state_badge(phone).inner_text() == "Final"
    assert score_index(phone).inner_text() == page.inner_text(
        "[data-testid=score-panel] [data-testid=index]"
    )
    assert "Diterima" in phone.inner_text("[data-testid=appeal]")
    assert_fits_screen(phone)
    assert not errors, errors
