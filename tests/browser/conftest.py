"""Playwright against Debian's Chromium (no browser download), on pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; Django must allow ORM calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Natural widths of images once each has loaded or failed (0 when broken): never reads too early.
WIDTHS_WHEN_LOADED = (
    "imgs => Promise.all(imgs.map(i => i.complete ? i.naturalWidth : new Promise(r => {"
    " i.onload = () => r(i.naturalWidth); i.onerror = () => r(0); })))"
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SIPKO_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (SIPKO_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: object, live_server: object) -> Iterator[object]:
    """A cheap phone's screen: 360×740, touch."""
    context = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def login(page: object, base_url: str, username: str, password: str = "rahasia-uji-123") -> None:
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
