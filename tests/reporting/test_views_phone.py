"""An ormas secretary files a report with two photos on a 360×740 phone, losing nothing when the
connection drops mid-form (headless Chromium; skipped when it is not installed).

tests/browser/ keeps one Chromium per session on the main thread, and Playwright's sync API allows
one instance per thread; so these steps run in a Playwright of their own, on a thread of their
own. The steps drive the browser only; the database is checked on the test's thread afterwards.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from sipko.reporting.models import ActivityReport, ReportState
from tests.access.reporting import image_bytes
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, WIDTHS_WHEN_LOADED, login

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
DRAFTS_IN_STORAGE = "Object.keys(localStorage).filter(k => k.startsWith('sipko:draft:')).length"


@pytest.fixture
def on_phone(live_server: Any) -> Callable[[Callable[[Any], None]], None]:
    """Run `steps(page)` on a cheap phone's screen (360×740, touch) and re-raise what failed."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SIPKO_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (SIPKO_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")

    def run(steps: Callable[[Any], None]) -> None:
        failures: list[BaseException] = []

        def drive() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                    )
                    context = browser.new_context(
                        locale="id-ID",
                        viewport={"width": 360, "height": 740},
                        has_touch=True,
                        is_mobile=True,
                    )
                    context.set_default_timeout(10_000)
                    try:
                        steps(context.new_page())
                    finally:
                        browser.close()
            except BaseException as exc:  # handed to the test's thread
                failures.append(exc)

        thread = threading.Thread(target=drive)
        thread.start()
        thread.join()
        if failures:
            raise failures[0]

    return run


def noisy_png(width: int = 1000, height: int = 800) -> bytes:
    """A photo-sized PNG (about 2.4 MB) that compresses badly, like a camera picture."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()


def test_operator_files_a_report_with_two_photos_on_a_phone(
    on_phone, live_server, operator, programme, settings
) -> None:
    settings.SIPKO_UPLOAD_MAX_BYTES = 500_000  # the camera photo below is far larger
    big_photo = noisy_png()
    assert len(big_photo) > 4 * settings.SIPKO_UPLOAD_MAX_BYTES

    def steps(page: Any) -> None:
        login(page, live_server.url, operator.username)
        page.goto(f"{live_server.url}/pelaporan/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.click("[data-testid=new-report]")
        page.wait_for_selector("[data-testid=report-form]")
        form_url = page.url
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.fill("#id_title", "Senam sehat lansia (fiktif)")
        page.fill("#id_start_date", "2025-04-12")
        page.fill("#id_end_date", "2025-04-12")
        page.fill("#id_narrative", "Senam bersama di balai RW, diikuti warga lanjut usia.")
        page.fill("#id_male_youth", "3")
        page.fill("#id_female_youth", "5")
        page.fill("#id_female_over30", "12")
        total = page.locator("[data-testid=participant-total]")
        assert "20" in total.inner_text() and "40%" in total.inner_text()
        page.fill("#id_cost", "750.000")
        page.wait_for_timeout(400)  # drafts are written 300 ms after the last keystroke

        # The connection drops as the secretary taps "save": the typing must survive.
        page.context.set_offline(True)
        with pytest.raises(Exception):  # noqa: B017  (the browser's own network error)
            page.click("button[type=submit]", timeout=3000)
            page.wait_for_selector("[data-testid=report-state]", timeout=3000)
        page.context.set_offline(False)
        page.goto(form_url)
        page.wait_for_selector("[data-testid=draft-notice]")
        assert page.input_value("#id_title") == "Senam sehat lansia (fiktif)"
        assert page.input_value("#id_female_over30") == "12"
        assert "20" in page.locator("[data-testid=participant-total]").inner_text()

        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=evidence-form]")
        assert page.evaluate(DRAFTS_IN_STORAGE) == 0  # saved on the server: the draft is gone
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.set_input_files(
            "input[name=photos]",
            [
                {"name": "IMG_1.png", "mimeType": "image/png", "buffer": big_photo},
                {"name": "IMG_2.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")},
            ],
        )
        page.click("[data-testid=evidence-form] button[type=submit]")
        page.wait_for_selector("img.evidence-thumb >> nth=1")
        widths = page.eval_on_selector_all("img.evidence-thumb", WIDTHS_WHEN_LOADED)
        assert len(widths) == 2 and all(w > 0 for w in widths)
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        page.click("[data-testid=submit] button[type=submit]")
        page.wait_for_selector(".alert-success")

    on_phone(steps)
    report = ActivityReport.objects.get()  # one report: the dropped "save" wrote nothing
    assert report.state == ReportState.SUBMITTED and report.evidence.count() == 2
    assert report.participants == 20 and report.cost == 750_000
    shrunk = report.evidence.get(original_name="IMG_1.jpg")  # shrunk on the phone before sending
    assert shrunk.content_type == "image/jpeg" and shrunk.size <= 500_000


def test_discarding_a_draft_restores_the_saved_values(
    on_phone, live_server, operator, programme
) -> None:
    def steps(page: Any) -> None:
        login(page, live_server.url, operator.username)
        page.goto(f"{live_server.url}/pelaporan/baru/")
        page.fill("#id_title", "Judul yang tidak jadi")
        page.wait_for_timeout(400)
        page.reload()
        page.wait_for_selector("[data-testid=draft-notice]")
        assert page.input_value("#id_title") == "Judul yang tidak jadi"
        page.click("[data-testid=draft-notice] button")
        assert page.input_value("#id_title") == ""
        assert page.evaluate(DRAFTS_IN_STORAGE) == 0
        page.reload()
        assert page.locator("[data-testid=draft-notice]").count() == 0

    on_phone(steps)
    assert not ActivityReport.objects.exists()
