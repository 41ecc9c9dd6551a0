"""Onboarding as Kesbangpol does it before a sosialisasi meeting, and activation on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from sipko.accounts import services
from sipko.accounts.models import ActivationCode, Role, User
from tests.browser.conftest import login
from tests.factories import OrmasFactory

pytestmark = pytest.mark.browser

CODE = re.compile(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}")
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_region_admin_onboards_ten_ormas_and_downloads_the_slips(page, live_server, region_admin):
    ormas = [
        OrmasFactory(name=f"Paguyuban Sosialisasi {n:02d} (fiktif)", acronym=f"PS{n:02d}")
        for n in range(10)
    ]
    login(page, live_server.url, region_admin.username)
    page.click("[data-testid=account-menu]")
    page.click("text=Kelola pengguna")
    page.click("[data-testid=onboard-link]")
    assert page.locator("[data-testid=candidates] li").count() == 10

    page.check("#id_all_active")
    page.click("[data-testid=onboard-form] button[type=submit]")
    page.wait_for_selector("[data-testid=plan]")
    assert page.locator("[data-testid=plan] tbody tr").count() == 10
    assert not User.objects.filter(ormas__in=ormas).exists()  # nothing before confirming

    with page.expect_navigation(timeout=30_000):
        page.click("[data-testid=confirm]")
    # Had the confirmation been refused, the page would say why: show it in the failure.
    alerts = page.locator(".alert").all_inner_texts()
    assert page.locator("[data-testid=batch]").count() == 1, (page.url, alerts)
    assert page.locator("[data-testid=batch] tbody tr").count() == 10
    assert User.objects.filter(role=Role.OPERATOR, ormas__in=ormas).count() == 10

    with page.expect_download() as download:
        page.click("[data-testid=slips-link]")
    path = Path(download.value.path())
    assert path.read_bytes().startswith(b"%PDF")
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    codes = set(CODE.findall(text))
    assert len(codes) == 10
    expected = {services.format_code(services.code_clear(c)) for c in ActivationCode.objects.all()}
    assert codes == expected
    assert all(o.name in text for o in ormas)
    assert len(reader.pages) == 2  # six slips to a page


def test_operator_activates_on_a_phone_and_lands_on_its_todo_list(
    phone_page, live_server, region_admin, ormas
):
    created = services.user_create(
        region_admin, username="op_ponsel", name="", email="", role=Role.OPERATOR, ormas=ormas
    )
    page = phone_page
    # The slip's QR code and the e-mail carry the code after "#", which no server log sees.
    link = services.activation_link(services.normalise_code(created.code))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + link.removeprefix(settings.SITE_URL))
    page.wait_for_selector("[data-testid=activation-username]")
    assert page.locator("[data-testid=activation-username]").inner_text() == "op_ponsel"
    clear = services.normalise_code(created.code)
    assert not any(clear in url.replace("-", "") for url in requested)
    assert "#" not in page.url
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.fill("#id_password1", "Ritme-Kendang-2026")
    page.fill("#id_password2", "Ritme-Kendang-2026")
    page.click("[data-testid=activation-password-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=todo-list]")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert User.objects.get(username="op_ponsel").check_password("Ritme-Kendang-2026")
