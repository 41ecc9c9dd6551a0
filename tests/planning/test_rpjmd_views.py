"""RPJMD pages: a readable tree for everyone in the region, maintained by its Kesbangpol."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sipko.planning.models import Rpjmd, RpjmdItem
from tests.factories import RpjmdFactory, RpjmdItemFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rpjmd():
    plan = RpjmdFactory(legal_basis="Perda 5/2025")
    misi = RpjmdItemFactory(rpjmd=plan, level="misi", code="M1", text="Kota Pancasilais")
    RpjmdItemFactory(rpjmd=plan, level="misi", code="M10", text="Misi kesepuluh")
    RpjmdItemFactory(rpjmd=plan, level="misi", code="M2", text="Kota sehat dan sejahtera")
    tujuan = RpjmdItemFactory(
        rpjmd=plan, level="tujuan", code="T1.1", parent=misi, text="Kerukunan", illustrative=True
    )
    sasaran = RpjmdItemFactory(
        rpjmd=plan, level="sasaran", code="S1.1.1", parent=tujuan, text="Konflik sosial turun"
    )
    RpjmdItemFactory(
        rpjmd=plan,
        level="indikator",
        code="I1.1.1.1",
        parent=sasaran,
        text="Jumlah konflik sosial",
        unit="kejadian",
    )
    return plan


def test_tree_reads_visi_to_indikator_with_codes_in_order(viewer, rpjmd) -> None:
    body = client_for(viewer).get(reverse("planning:rpjmd_detail", args=[rpjmd.pk])).content
    page = body.decode()
    assert "Kota Blitar yang Maju, Sehat, dan Sejahtera" in page
    for code in ("M1", "T1.1", "S1.1.1", "I1.1.1.1"):
        assert code in page
    assert page.index("Kota sehat dan sejahtera") < page.index("Misi kesepuluh")  # M2 before M10
    assert page.index("Kerukunan") < page.index("Konflik sosial turun") < page.index("kejadian")
    assert "ilustratif" in page and "bukan rumusan resmi" in page
    assert reverse("planning:rpjmd_edit", args=[rpjmd.pk]) not in page  # a viewer only reads


def test_list_shows_rpjmd_in_reach_only(operator, outside_admin, rpjmd) -> None:
    malang = RpjmdFactory(region_id="35.07", title="RPJMD Kabupaten Malang (uji)")
    page = client_for(operator).get(reverse("planning:rpjmd_list")).content.decode()
    assert rpjmd.title in page and malang.title not in page
    page = client_for(outside_admin).get(reverse("planning:rpjmd_list")).content.decode()
    assert malang.title in page and rpjmd.title not in page


def test_region_admin_creates_rpjmd_and_adds_a_misi(region_admin) -> None:
    client = client_for(region_admin)
    response = client.post(
        reverse("planning:rpjmd_create"),
        {
            "region": "35.72",
            "title": "RPJMD Kota Blitar",
            "start_year": "2025",
            "end_year": "2029",
            "visi": "Kota Blitar yang Maju",
        },
    )
    rpjmd = Rpjmd.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:rpjmd_detail", args=[rpjmd.pk])
    response = client.post(
        reverse("planning:rpjmd_item_add", args=[rpjmd.pk]),
        {"level": "misi", "code": "M1", "text": "Kota Pancasilais", "order": "1"},
    )
    assert response.status_code == 302
    assert rpjmd.items.get().history.first().history_user == region_admin


def test_rpjmd_bad_input_is_explained_and_nothing_written(region_admin) -> None:
    response = client_for(region_admin).post(
        reverse("planning:rpjmd_create"),
        {"region": "35.07", "title": "", "start_year": "2029", "end_year": "2025", "visi": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilihan tidak tersedia" in page  # a region outside the admin's scope
    assert "Wajib diisi" in page
    assert not Rpjmd.objects.exists()
    response = client_for(region_admin).post(
        reverse("planning:rpjmd_create"),
        {
            "region": "35.72",
            "title": "RPJMD",
            "start_year": "2029",
            "end_year": "2025",
            "visi": "x",
        },
    )
    assert "Tahun akhir tidak boleh sebelum tahun awal" in response.content.decode()
    assert not Rpjmd.objects.exists()


def test_second_rpjmd_for_same_years_is_refused(region_admin, rpjmd) -> None:
    response = client_for(region_admin).post(
        reverse("planning:rpjmd_create"),
        {
            "region": "35.72",
            "title": "Ganda",
            "start_year": "2025",
            "end_year": "2029",
            "visi": "x",
        },
    )
    assert response.status_code == 200 and "sudah ada" in response.content.decode()
    assert Rpjmd.objects.count() == 1


def test_item_parent_must_be_one_level_up(region_admin, rpjmd) -> None:
    misi = rpjmd.items.get(code="M1")
    before = RpjmdItem.objects.count()
    response = client_for(region_admin).post(
        reverse("planning:rpjmd_item_add", args=[rpjmd.pk]),
        {"level": "sasaran", "parent": misi.pk, "code": "S9", "text": "Sasaran salah induk"},
    )
    assert response.status_code == 200
    assert "Induk Sasaran harus sebuah Tujuan dari RPJMD yang sama" in response.content.decode()
    assert RpjmdItem.objects.count() == before


def test_item_parent_from_another_rpjmd_is_refused(region_admin, rpjmd) -> None:
    other_plan = RpjmdFactory(start_year=2020, end_year=2024)
    foreign_misi = RpjmdItemFactory(rpjmd=other_plan, level="misi", code="M1")
    before = RpjmdItem.objects.count()
    response = client_for(region_admin).post(
        reverse("planning:rpjmd_item_add", args=[rpjmd.pk]),
        {"level": "tujuan", "parent": foreign_misi.pk, "code": "T9", "text": "Tujuan"},
    )
    assert response.status_code == 200 and "Pilihan tidak tersedia" in response.content.decode()
    assert RpjmdItem.objects.count() == before


def test_duplicate_code_and_level_change_with_children_are_refused(region_admin, rpjmd) -> None:
    client = client_for(region_admin)
    response = client.post(
        reverse("planning:rpjmd_item_add", args=[rpjmd.pk]),
        {"level": "misi", "code": "M1", "text": "Misi kembar"},
    )
    assert "Kode M1 sudah dipakai di RPJMD ini" in response.content.decode()
    tujuan = rpjmd.items.get(code="T1.1")
    response = client.post(
        reverse("planning:rpjmd_item_edit", args=[rpjmd.pk, tujuan.pk]),
        {"level": "misi", "code": "T1.1", "text": "Kerukunan"},
    )
    assert "sudah memiliki turunan tidak dapat diubah" in response.content.decode()
    tujuan.refresh_from_db()
    assert tujuan.level == "tujuan" and tujuan.parent_id is not None


def test_add_form_preselects_parent_and_ignores_junk(region_admin, rpjmd) -> None:
    client = client_for(region_admin)
    misi = rpjmd.items.get(code="M1")
    url = reverse("planning:rpjmd_item_add", args=[rpjmd.pk])
    page = client.get(f"{url}?parent={misi.pk}").content.decode()
    assert 'value="tujuan" selected' in page
    for junk in ("abc", "99999999999999999999", "-1"):
        assert client.get(f"{url}?parent={junk}").status_code == 200


def test_only_the_regions_admin_maintains_it(viewer, operator, outside_admin, rpjmd) -> None:
    edit = reverse("planning:rpjmd_edit", args=[rpjmd.pk])
    assert client_for(viewer).post(edit, {"title": "x"}).status_code == 403
    assert client_for(operator).get(edit).status_code == 403
    assert client_for(outside_admin).get(edit).status_code == 404
    rpjmd.refresh_from_db()
    assert rpjmd.title == "RPJMD Kota Blitar (uji)"
