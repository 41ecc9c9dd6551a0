"""Programme pages: operators plan for their own ormas, Kesbangpol reviews, nothing leaks."""

from __future__ import annotations

import datetime
import sys
import types
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sipko.planning.models import Programme, ProgrammeIndicator
from tests.factories import (
    IndicatorFactory,
    PeriodFactory,
    ProgrammeFactory,
    RpjmdFactory,
    RpjmdItemFactory,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan():
    """Kota Blitar's RPJMD (two misi, a sasaran under each) and its open period."""
    rpjmd = RpjmdFactory()
    items = {}
    for n in (1, 2):
        misi = RpjmdItemFactory(rpjmd=rpjmd, level="misi", code=f"M{n}", text=f"Misi nomor {n}")
        tujuan = RpjmdItemFactory(rpjmd=rpjmd, level="tujuan", code=f"T{n}.1", parent=misi)
        items[n] = RpjmdItemFactory(
            rpjmd=rpjmd, level="sasaran", code=f"S{n}.1.1", parent=tujuan, text=f"Sasaran {n}"
        )
    period = PeriodFactory(rpjmd=rpjmd)
    return types.SimpleNamespace(rpjmd=rpjmd, period=period, misi_tujuan=tujuan, sasaran=items)


def programme_data(plan, **overrides) -> dict:
    data = {
        "period": str(plan.period.pk),
        "title": "Pelatihan Kendang untuk Remaja",
        "objective": "Seratus remaja mampu memainkan kendang dasar.",
        "bidang": ["seni_budaya_adat", "kepemudaan"],
        "sasaran": [str(plan.sasaran[1].pk)],
        "locations": ["35.72.01.1001", "35.72.02"],
        "start_date": "2025-02-01",
        "end_date": "2025-11-30",
        "budget": "2.500.000",
        "funding_sources": ["iuran", "donasi"],
        "target_beneficiaries": "100",
        "beneficiary_description": "Remaja 16–30 tahun",
    }
    return {**data, **overrides}


def test_operator_plans_a_programme_with_every_field(operator, ormas, plan) -> None:
    client = client_for(operator)
    form = client.get(reverse("planning:programme_create", args=[ormas.uuid])).content.decode()
    assert "Misi nomor 1" in form and "S1.1.1 Sasaran 1" in form and "Kec. Sananwetan" in form
    response = client.post(
        reverse("planning:programme_create", args=[ormas.uuid]),
        programme_data(plan),
    )
    programme = Programme.objects.get()
    assert response["Location"] == reverse("planning:programme_detail", args=[programme.uuid])
    assert programme.ormas == ormas and programme.state == "draft"
    assert programme.budget == Decimal("2500000")
    assert programme.funding_sources == ["iuran", "donasi"]
    assert set(programme.bidang.values_list("code", flat=True)) == {
        "seni_budaya_adat",
        "kepemudaan",
    }
    assert list(programme.sasaran.all()) == [plan.sasaran[1]]
    assert set(programme.locations.values_list("code", flat=True)) == {"35.72.01.1001", "35.72.02"}
    page = client.get(response["Location"]).content.decode()
    assert "Rp 2.500.000" in page and "Iuran anggota, Donasi" in page
    assert "Misi M1: Misi nomor 1" in page and "S1.1.1" in page
    assert "Remaja 16–30 tahun" in page


def test_bad_programme_input_is_explained_and_nothing_written(operator, ormas, plan) -> None:
    foreign_rpjmd_item = RpjmdItemFactory(
        rpjmd=RpjmdFactory(region_id="35.07", title="Malang"), level="sasaran", code="X1"
    )
    malang_period = PeriodFactory(region_id="35.07")
    cases = [
        ({"title": "", "objective": ""}, "Wajib diisi"),
        ({"end_date": "2025-01-01"}, "Tanggal selesai tidak boleh sebelum tanggal mulai"),
        ({"budget": "-5"}, "Anggaran tidak boleh negatif"),
        ({"budget": "banyak"}, "bilangan"),
        ({"budget": "2.500.000,50"}, "desimal"),
        ({"start_date": "20250-02-01"}, "tanggal"),
        ({"sasaran": [str(foreign_rpjmd_item.pk)]}, "tidak tersedia"),
        ({"sasaran": [str(plan.misi_tujuan.pk)]}, "tidak tersedia"),
        ({"sasaran": ["abc"]}, "tidak tersedia"),
        ({"locations": ["35.07.01.2001"]}, "tidak tersedia"),
        ({"funding_sources": ["emas"]}, "tidak tersedia"),
        ({"period": str(malang_period.pk)}, "tidak tersedia"),
        ({"period": "abc"}, "tidak tersedia"),
        ({"bidang": ["bukan-bidang"]}, "bukan-bidang"),
        ({"target_beneficiaries": "-1"}, "0"),
    ]
    client = client_for(operator)
    for overrides, message in cases:
        response = client.post(
            reverse("planning:programme_create", args=[ormas.uuid]),
            programme_data(plan, **overrides),
        )
        assert response.status_code == 200, overrides
        page = response.content.decode()
        assert message.lower() in page.lower(), (overrides, message)
        assert "Periksa kembali isian" in page or "alert-danger" in page
    assert not Programme.objects.exists()


def test_sasaran_must_come_from_the_chosen_periods_rpjmd(region_admin, ormas, plan) -> None:
    """With two periods on offer, a sasaran of one period's RPJMD is refused for the other."""
    older = RpjmdFactory(start_year=2020, end_year=2024, title="RPJMD lama")
    misi = RpjmdItemFactory(rpjmd=older, level="misi", code="M1")
    tujuan = RpjmdItemFactory(rpjmd=older, level="tujuan", code="T1", parent=misi)
    old_sasaran = RpjmdItemFactory(rpjmd=older, level="sasaran", code="S-lama", parent=tujuan)
    PeriodFactory(name="Periode 2024", rpjmd=older, state="draft")
    response = client_for(region_admin).post(
        reverse("planning:programme_create", args=[ormas.uuid]),
        programme_data(plan, sasaran=[str(old_sasaran.pk)]),
    )
    assert "Pilih sasaran dari RPJMD acuan “Periode Penilaian 2025 (uji)”" in response.text
    assert not Programme.objects.exists()


def test_service_refuses_a_period_of_another_region(ormas) -> None:
    from django.core.exceptions import ValidationError

    from sipko.planning import services

    malang = PeriodFactory(region_id="35.07")
    with pytest.raises(ValidationError, match="bukan periode wilayah ormas"):
        services.programme_save(
            actor=None,
            ormas=ormas,
            data={
                "period": malang,
                "title": "x",
                "objective": "y",
                "start_date": datetime.date(2025, 2, 1),
                "end_date": datetime.date(2025, 3, 1),
            },
        )
    assert not Programme.objects.exists()


@pytest.fixture
def draft(ormas, plan):
    return ProgrammeFactory(
        ormas=ormas, period=plan.period, state="draft", title="Festival Kampung"
    )


def test_indicators_add_edit_delete_and_bad_numbers(operator, draft) -> None:
    client = client_for(operator)
    add = reverse("planning:indicator_add", args=[draft.uuid])
    bad = client.post(add, {"name": "", "unit": "orang", "target": "seratus"})
    assert (
        "Wajib diisi" in bad.content.decode() and "Masukkan sebuah bilangan" in bad.content.decode()
    )
    assert not draft.indicators.exists()
    response = client.post(
        add,
        {
            "name": "Peserta",
            "unit": "orang",
            "baseline": "10",
            "target": "1.250,5",
            "polarity": "higher",
            "aggregation": "sum",
        },
    )
    assert response.status_code == 302
    indicator = draft.indicators.get()
    assert indicator.target == Decimal("1250.5") and indicator.baseline == 10
    response = client.post(
        reverse("planning:indicator_edit", args=[draft.uuid, indicator.pk]),
        {"name": "Peserta", "unit": "orang", "target": "80", "polarity": "kira-kira"},
    )
    assert "tidak tersedia" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.polarity == "higher"
    delete = reverse("planning:indicator_delete", args=[draft.uuid, indicator.pk])
    assert "Hapus indikator" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not draft.indicators.exists()
    assert ProgrammeIndicator.history.filter(id=indicator.pk, history_type="-").exists()


def test_indicator_of_another_programme_is_not_found(operator, draft, ormas, plan) -> None:
    other = ProgrammeFactory(ormas=ormas, period=plan.period, state="draft")
    foreign = IndicatorFactory(programme=other)
    url = reverse("planning:indicator_edit", args=[draft.uuid, foreign.pk])
    assert client_for(operator).get(url).status_code == 404
    url = reverse("planning:indicator_delete", args=[draft.uuid, foreign.pk])
    assert client_for(operator).post(url).status_code == 404
    assert other.indicators.count() == 1


def test_submit_needs_an_indicator_and_an_open_period(operator, draft, plan) -> None:
    client = client_for(operator)
    submit = reverse("planning:programme_submit", args=[draft.uuid])
    assert client.get(submit).status_code == 405
    page = client.post(submit, follow=True).content.decode()
    assert "Tambahkan paling sedikit satu indikator" in page
    draft.refresh_from_db()
    assert draft.state == "draft"
    IndicatorFactory(programme=draft)
    plan.period.state = "draft"
    plan.period.save()
    page = client.post(submit, follow=True).content.decode()
    assert "Pengajuan program untuk “Periode Penilaian 2025 (uji)” tidak sedang dibuka" in page
    plan.period.state = "open"
    plan.period.save()
    page = client.post(submit, follow=True).content.decode()
    assert "diajukan ke Kesbangpol" in page
    draft.refresh_from_db()
    assert draft.state == "submitted" and draft.submitted_at is not None
    # Submitted: no more edits, and a second submit is refused in words.
    response = client.get(reverse("planning:programme_edit", args=[draft.uuid]), follow=True)
    assert "Program berstatus Diajukan tidak dapat diubah" in response.content.decode()
    page = client.post(submit, follow=True).content.decode()
    assert "program berstatus Diajukan" in page


@pytest.fixture
def submitted(ormas, plan):
    programme = ProgrammeFactory(
        ormas=ormas, period=plan.period, state="submitted", title="Kelas Gamelan"
    )
    IndicatorFactory(programme=programme, name="Siswa terlatih", target=40)
    return programme


def test_return_requires_a_note_then_operator_fixes_and_resubmits(
    region_admin, operator, submitted
) -> None:
    admin = client_for(region_admin)
    review = reverse("planning:programme_review", args=[submitted.uuid])
    response = admin.post(review, {"decision": "return", "note": "   "})
    assert "Tulis catatan perbaikan bila program dikembalikan" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    for tampered in ({"decision": "hapus"}, {}):
        assert "Pilihan tidak tersedia" in admin.post(review, tampered).content.decode() or (
            "Wajib diisi" in admin.post(review, tampered).content.decode()
        )
    submitted.refresh_from_db()
    assert submitted.state == "submitted"

    admin.post(review, {"decision": "return", "note": "Target peserta belum jelas."})
    submitted.refresh_from_db()
    assert submitted.state == "returned" and submitted.reviewed_by == region_admin
    owner = client_for(operator)
    detail = reverse("planning:programme_detail", args=[submitted.uuid])
    page = owner.get(detail).content.decode()
    assert "Target peserta belum jelas." in page and "Ajukan ulang" in page
    assert "Dikembalikan" in page and region_admin.username in page
    form = owner.get(reverse("planning:programme_edit", args=[submitted.uuid])).content.decode()
    assert "Target peserta belum jelas." in form
    owner.post(reverse("planning:programme_submit", args=[submitted.uuid]))
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    admin.post(review, {"decision": "accept", "note": ""})
    submitted.refresh_from_db()
    assert submitted.state == "accepted"
    page = owner.get(detail).content.decode()
    for step in ("Diajukan", "Dikembalikan", "Diterima"):
        assert step in page


def test_review_of_a_programme_not_waiting_is_refused(region_admin, draft) -> None:
    review = reverse("planning:programme_review", args=[draft.uuid])
    page = client_for(region_admin).get(review).content.decode()
    assert "tidak sedang menunggu tinjauan" in page
    response = client_for(region_admin).post(review, {"decision": "accept"})
    assert "program berstatus Draf" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_only_kesbangpol_reviews(operator, viewer, assessor, outside_admin, submitted) -> None:
    review = reverse("planning:programme_review", args=[submitted.uuid])
    for user in (operator, viewer, assessor):
        assert client_for(user).post(review, {"decision": "accept"}).status_code == 403
    assert client_for(outside_admin).post(review, {"decision": "accept"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_operator_never_sees_another_ormas_programmes(
    operator, other_ormas, ormas, plan, draft
) -> None:
    theirs = ProgrammeFactory(
        ormas=other_ormas, period=plan.period, title="Program Rahasia Tetangga", state="draft"
    )
    client = client_for(operator)
    page = client.get(reverse("planning:programme_list")).content.decode()
    assert draft.title in page and theirs.title not in page and other_ormas.name not in page
    page = client.get(reverse("planning:programme_list"), {"q": "Rahasia"}).content.decode()
    assert theirs.title not in page
    for name in ("programme_detail", "programme_edit", "programme_review", "indicator_add"):
        assert client.get(reverse(f"planning:{name}", args=[theirs.uuid])).status_code == 404
    assert client.post(reverse("planning:programme_submit", args=[theirs.uuid])).status_code == 404
    create = reverse("planning:programme_create", args=[other_ormas.uuid])
    assert client.post(create, programme_data(plan)).status_code == 404
    assert Programme.objects.filter(ormas=other_ormas).count() == 1


def test_staff_filter_and_review_queue(region_admin, viewer, ormas, other_ormas, plan) -> None:
    ProgrammeFactory(ormas=ormas, period=plan.period, state="submitted", title="Antre Satu")
    ProgrammeFactory(ormas=other_ormas, period=plan.period, state="accepted", title="Sudah Dua")
    older = PeriodFactory(name="Periode 2024", start=datetime.date(2024, 1, 1))
    ProgrammeFactory(ormas=ormas, period=older, state="accepted", title="Lama Tiga")
    admin = client_for(region_admin)
    url = reverse("planning:programme_list")
    page = admin.get(url).content.decode()
    assert "Perlu ditinjau" in page and "3 program ditemukan" in page
    page = admin.get(url, {"state": "submitted"}).content.decode()
    assert "Antre Satu" in page and "Sudah Dua" not in page
    page = admin.get(url, {"kecamatan": "35.72.03"}).content.decode()  # other_ormas' kecamatan
    assert "Sudah Dua" in page and "Antre Satu" not in page
    page = admin.get(url, {"period": str(older.pk)}).content.decode()
    assert "Lama Tiga" in page and "Antre Satu" not in page
    page = admin.get(url, {"ormas": str(ormas.uuid)}).content.decode()
    assert "Sudah Dua" not in page and "Buat program kerja" in page
    for junk in ({"period": "abc"}, {"state": "hilang"}, {"kecamatan": "99"}, {"ormas": "x"}):
        response = admin.get(url, junk)
        assert response.status_code == 200 and "3 program ditemukan" in response.content.decode()
    partial = admin.get(url, {"state": "submitted"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "Antre Satu" in partial.content.decode()
    page = client_for(viewer).get(url).content.decode()
    assert "Perlu ditinjau" not in page and "Buat program kerja" not in page


def test_version_history_shows_what_changed(operator, draft, plan) -> None:
    client = client_for(operator)
    client.post(
        reverse("planning:programme_edit", args=[draft.uuid]),
        programme_data(plan, title="Festival Kampung Seni", sasaran=[str(plan.sasaran[2].pk)]),
    )
    page = client.get(reverse("planning:programme_detail", args=[draft.uuid])).content.decode()
    assert "Riwayat versi" in page
    assert "<del>Festival Kampung</del>" in page and "Festival Kampung Seni" in page
    assert "S2.1.1" in page  # the sasaran that was linked
    assert operator.username in page


def test_viewer_reads_but_cannot_edit(viewer, draft) -> None:
    client = client_for(viewer)
    page = client.get(reverse("planning:programme_detail", args=[draft.uuid])).content.decode()
    assert draft.title in page and reverse("planning:programme_edit", args=[draft.uuid]) not in page
    assert client.get(reverse("planning:programme_edit", args=[draft.uuid])).status_code == 403
    assert client.post(reverse("planning:programme_submit", args=[draft.uuid])).status_code == 403


def test_achievement_block_renders_when_reporting_provides_it(operator, draft, monkeypatch) -> None:
    IndicatorFactory(programme=draft, name="Peserta", unit="orang", target=100)
    row = types.SimpleNamespace(
        name="Peserta", unit="orang", target=Decimal(100), actual=Decimal(60), percent=60, met=False
    )
    fake = types.ModuleType("sipko.reporting.selectors")
    fake.achievement_for_programme = lambda programme, provisional=False: [row]
    monkeypatch.setitem(sys.modules, "sipko.reporting.selectors", fake)
    url = reverse("planning:programme_detail", args=[draft.uuid])
    page = client_for(operator).get(url).content.decode()
    assert "Capaian terhadap target" in page and "60%" in page
    monkeypatch.setitem(sys.modules, "sipko.reporting.selectors", None)  # import fails
    page = client_for(operator).get(url).content.decode()
    assert "Capaian terhadap target" not in page
