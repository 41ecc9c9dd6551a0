"""Two-factor sign-in in a real browser: codes computed like an authenticator app computes them."""

from __future__ import annotations

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipko.accounts.models import AccountEvent
from tests.accounts.test_two_factor import totp_code
from tests.browser.conftest import WIDTHS_WHEN_LOADED, login

pytestmark = pytest.mark.browser


@pytest.fixture
def required(settings) -> None:
    settings.SIPKO_TWO_FACTOR_REQUIRED = True
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = False


def test_region_admin_signs_in_with_a_totp_code_and_reaches_home(
    page, live_server, region_admin, required
) -> None:
    device = TOTPDevice.objects.create(user=region_admin, name="ponsel", confirmed=True)
    login(page, live_server.url, region_admin.username)
    # The password alone is not enough: the code page asks for the app's code.
    page.wait_for_selector("#id_code")
    assert page.url == f"{live_server.url}/akun/masuk/verifikasi/"
    assert page.locator("[data-testid=account-menu]").count() == 0  # not signed in yet

    page.fill("#id_code", totp_code(device.bin_key))
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=account-menu]")
    assert page.url == f"{live_server.url}/"
    assert region_admin.username in page.locator("[data-testid=account-menu]").inner_text()


def test_a_region_admin_without_a_device_sets_one_up_on_a_phone(
    phone_page, live_server, region_admin, required
) -> None:
    page = phone_page
    login(page, live_server.url, region_admin.username)
    # Every page leads to the setup first.
    page.wait_for_selector("[data-testid=two-factor-key]")
    assert "/akun/dua-langkah/pasang/" in page.url
    widths = page.eval_on_selector_all("[data-testid=two-factor-qr]", WIDTHS_WHEN_LOADED)
    assert widths and widths[0] > 0  # the QR code shows
    key = page.locator("[data-testid=two-factor-key]").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))

    page.fill("#id_code", totp_code(secret))
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert TOTPDevice.objects.get(user=region_admin).confirmed
    assert AccountEvent.objects.filter(
        user=region_admin, kind=AccountEvent.Kind.TWO_FACTOR_ENABLED
    ).exists()

    page.click("text=Sudah saya simpan, lanjutkan")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
