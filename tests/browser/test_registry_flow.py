"""The registry as people use it, in a real browser."""

from __future__ import annotations

import pytest

from sipko.registry.models import Ormas, Validity
from tests.browser.conftest import login
from tests.factories import OrmasFactory

pytestmark = pytest.mark.browser


def test_region_admin_filters_registry_and_opens_an_ormas(page, live_server, region_admin):
    expired = OrmasFactory(
        name="Paguyuban Kedaluwarsa Fiktif",
        skt_number="220/1/410/2015",
        skt_issued="2015-01-02",
        skt_expires="2020-01-02",
        region_id="35.72.02.1001",
    )
    OrmasFactory(
        name="Perkumpulan Berlaku Fiktif",
        skt_number="220/2/410/2024",
        skt_issued="2024-01-02",
        skt_expires="2029-01-02",
    )
    login(page, live_server.url, region_admin.username)
    page.wait_for_selector("[data-testid=todo-list]")  # lands on what is waiting
    page.click("#nav >> text=Registri")
    assert page.locator("h1").inner_text() == "Registri ormas"
    assert "2 ormas ditemukan" in page.locator("[data-testid=result-count]").inner_text()

    page.select_option("#id_validity", Validity.KEDALUWARSA)
    page.wait_for_selector("[data-testid=result-count]:has-text('1 ormas ditemukan')")
    assert "validity=kedaluwarsa" in page.url  # the filter is in the address, shareable
    assert page.locator("table.table-registry tbody tr").count() == 1

    page.click(f"text={expired.name}")
    page.wait_for_selector("[data-testid=ormas-name]")
    assert expired.name in page.locator("[data-testid=ormas-name]").inner_text()
    assert "Kedaluwarsa" in page.content()


def test_operator_edits_own_ormas_and_cannot_open_another(
    phone_page, live_server, operator, ormas, other_ormas
):
    page = phone_page
    login(page, live_server.url, operator.username)
    # An operator lands on what is waiting, then opens its own ormas from the menu.
    page.wait_for_selector("[data-testid=todo-list]")
    page.click(".navbar-toggler")  # the menu is folded on a phone
    page.click("#nav >> text=Ormas saya")
    page.wait_for_selector("[data-testid=ormas-name]")
    assert ormas.name in page.locator("[data-testid=ormas-name]").inner_text()

    page.click("text=Ubah profil")
    page.fill("#id_address", "Jl. Melati Fiktif No. 7")
    page.fill("#id_members_count", "45")
    page.click("button[type=submit]")
    page.wait_for_selector(".alert-success")
    ormas.refresh_from_db()
    assert ormas.address == "Jl. Melati Fiktif No. 7"
    assert ormas.members_count == 45
    assert ormas.history.first().history_user == operator

    response = page.goto(f"{live_server.url}/ormas/{other_ormas.uuid}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/ormas/{other_ormas.uuid}/ubah/")
    assert response.status == 404
    assert Ormas.objects.get(pk=other_ormas.pk).address == other_ormas.address
