"""Registry pages: what people see, and bad input answered in Indonesian without a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sipko.registry.models import Document, Ormas, Pengurus
from tests.factories import DocumentFactory, OrmasFactory, PengurusFactory

NIK = "3572014507900001"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_ormas_with_bad_input_shows_messages_and_writes_nothing(region_admin) -> None:
    before = Ormas.objects.count()
    response = client_for(region_admin).post(
        reverse("registry:create"),
        {
            "name": "",
            "legal_form": "perkumpulan",
            "scope_level": "kabupaten_kota",
            "region": "35.05.01",
            "npwp": "123",
            "ahu_number": "SK-123",
            "skt_issued": "2025-01-01",
            "skt_expires": "2024-01-01",
            "founding_year": "20",
            "email": "bukan-surel",
            "activity_status": "aktif",
            "website": "bukan url",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    for message in (
        "NPWP harus 15 atau 16 angka",
        "Nomor SK AHU harus berbentuk",
        "di luar cakupan",
        "Tahun berdiri tidak masuk akal",
        "Tanggal berakhir SKT harus setelah",
    ):
        assert message in body, message
    assert Ormas.objects.count() == before


def test_create_ormas_then_detail(region_admin) -> None:
    client = client_for(region_admin)
    response = client.post(
        reverse("registry:create"),
        {
            "name": "Perkumpulan Relawan Kali Lanang (fiktif)",
            "acronym": "PRKL",
            "legal_form": "perkumpulan",
            "scope_level": "kabupaten_kota",
            "region": "35.72.02.1001",
            "bidang": ["kebencanaan", "lingkungan"],
            "activity_status": "aktif",
            "ahu_number": "AHU-0000042.AH.01.07.Tahun 2022",
            "npwp": "01.234.567.8-653.000",
        },
    )
    ormas = Ormas.objects.get(acronym="PRKL")
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:detail", args=[ormas.uuid]
    )
    assert set(ormas.bidang.values_list("code", flat=True)) == {"kebencanaan", "lingkungan"}
    page = client.get(response["Location"]).content.decode()
    assert "Kebencanaan" in page and "SK Badan Hukum (AHU)" in page and "Berlaku" in page


def test_ahu_series_must_fit_legal_form(region_admin) -> None:
    response = client_for(region_admin).post(
        reverse("registry:create"),
        {
            "name": "Yayasan Salah Seri (fiktif)",
            "legal_form": "yayasan",
            "scope_level": "kecamatan",
            "region": "35.72.01",
            "activity_status": "aktif",
            "ahu_number": "AHU-0000042.AH.01.07.Tahun 2022",
        },
    )
    assert "adalah untuk perkumpulan, bukan yayasan" in response.content.decode()


def test_operator_form_hides_kesbangpol_fields(operator, ormas) -> None:
    body = client_for(operator).get(reverse("registry:edit", args=[ormas.uuid])).content.decode()
    assert 'name="address"' in body
    assert 'name="skt_number"' not in body and 'name="activity_status"' not in body


def test_detail_masks_nik_and_phone_for_viewer(viewer, operator, ormas) -> None:
    PengurusFactory(ormas=ormas, nik=NIK, phone="+6281234567890", name="Ketua Fiktif")
    for user, phone_visible in ((viewer, False), (operator, True)):
        body = client_for(user).get(reverse("registry:detail", args=[ormas.uuid])).content.decode()
        assert NIK not in body and "3572••••••••0001" in body
        assert ("+6281234567890" in body) is phone_visible
        assert ("+62812•••••890" in body) is not phone_visible


def test_pengurus_form_flow_and_bad_nik(operator, ormas) -> None:
    client = client_for(operator)
    url = reverse("registry:pengurus_add", args=[ormas.uuid])
    bad = client.post(
        url,
        {
            "name": "Sekretaris Fiktif",
            "position": "sekretaris",
            "nik": "12345",
            "phone": "abc",
            "term_start": "2025-01-01",
            "term_end": "2024-01-01",
        },
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "NIK harus 16 angka" in body and "Nomor telepon tidak dikenali" in body
    assert "Akhir masa bakti tidak boleh sebelum awalnya" in body
    assert not Pengurus.objects.exists()
    good = client.post(
        url,
        {
            "name": "Sekretaris Fiktif",
            "position": "sekretaris",
            "nik": "3572 0145 0790 0001",
            "phone": "0812-3456-7890",
        },
    )
    assert good.status_code == 302
    officer = Pengurus.objects.get()
    assert officer.phone == "+6281234567890" and officer.nik_masked.endswith("0001")


def test_document_upload_refuses_disguised_file(operator, ormas) -> None:
    client = client_for(operator)
    url = reverse("registry:document_add", args=[ormas.uuid])
    response = client.post(
        url, {"doc_type": "skt", "upload": SimpleUploadedFile("skt.pdf", b"MZ\x90binary")}
    )
    assert response.status_code == 200
    assert "Jenis berkas tidak diterima" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(
        url,
        {
            "doc_type": "skt",
            "number": "220/1",
            "upload": SimpleUploadedFile("skt.pdf", b"%PDF-1.4\n%%EOF"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    download = client.get(reverse("registry:document_file", args=[document.uuid]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"


def test_verify_requires_reason_for_invalid(assessor, ormas) -> None:
    document = DocumentFactory(ormas=ormas)
    client = client_for(assessor)
    url = reverse("registry:document_verify", args=[document.uuid])
    response = client.post(url, {"verdict": "invalid", "reason": ""})
    assert "Alasan wajib diisi" in response.content.decode()
    response = client.post(url, {"verdict": "nonsense"})
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.verdict == "pending"
    client.post(url, {"verdict": "invalid", "reason": "Tanda tangan tidak ada"})
    document.refresh_from_db()
    assert document.verdict == "invalid" and document.verified_by == assessor


def test_history_shows_who_changed_what_without_nik(region_admin, operator, ormas) -> None:
    client = client_for(operator)
    client.post(
        reverse("registry:edit", args=[ormas.uuid]),
        {
            "name": ormas.name,
            "acronym": ormas.acronym,
            "scope_level": "kabupaten_kota",
            "region": ormas.region_id,
            "address": "Jl. Kenanga Fiktif 3",
        },
    )
    client.post(
        reverse("registry:pengurus_add", args=[ormas.uuid]),
        {"name": "Ketua Fiktif", "position": "ketua", "nik": NIK},
    )
    body = (
        client_for(region_admin)
        .get(reverse("registry:history", args=[ormas.uuid]))
        .content.decode()
    )
    assert "Jl. Kenanga Fiktif 3" in body and "Jl. Contoh No. 1" in body
    assert operator.username in body
    assert NIK not in body and "Pengurus: Ketua Fiktif" in body


def test_registry_list_filters_with_htmx_partial(region_admin) -> None:
    OrmasFactory(name="Paguyuban Htmx Fiktif", activity_status="bubar")
    client = client_for(region_admin)
    full = client.get(reverse("registry:list"))
    assert b"<html" in full.content
    partial = client.get(
        reverse("registry:list"), {"activity_status": "bubar"}, HTTP_HX_REQUEST="true"
    )
    body = partial.content.decode()
    assert "<html" not in body and "Paguyuban Htmx Fiktif" in body and "1 ormas ditemukan" in body


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "999"},
        {"validity": "x"},
        {"sort": "drop table"},
        {"kecamatan": "99.99"},
        {"q": "x" * 500},
    ],
)
def test_registry_list_never_fails_on_tampered_query(region_admin, query) -> None:
    assert client_for(region_admin).get(reverse("registry:list"), query).status_code == 200


def test_merge_view(region_admin, ormas, other_ormas) -> None:
    client = client_for(region_admin)
    url = reverse("registry:merge", args=[ormas.uuid, other_ormas.uuid])
    assert "Alasan penggabungan" in client.post(url, {"keep": str(ormas.uuid)}).content.decode()
    response = client.post(url, {"keep": str(other_ormas.uuid), "reason": "Satu organisasi"})
    assert response.status_code == 302
    ormas.refresh_from_db()
    assert ormas.merged_into == other_ormas


def test_language_switch_to_english(region_admin) -> None:
    client = client_for(region_admin)
    # Indonesian first, whatever the browser asks for.
    page = client.get(reverse("registry:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Registri ormas" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/ormas/"})
    body = client.get(reverse("registry:list")).content.decode()
    assert "Ormas registry" in body and 'lang="en"' in body


def test_demo_banner_only_with_demo_data(region_admin) -> None:
    client = client_for(region_admin)
    assert 'data-testid="demo-banner"' not in client.get(reverse("registry:list")).content.decode()
    OrmasFactory(is_demo=True)
    assert 'data-testid="demo-banner"' in client.get(reverse("registry:list")).content.decode()


def test_history_masks_officer_phone_for_assessor_and_names_bidang(
    assessor, operator, ormas
) -> None:
    officer = PengurusFactory(ormas=ormas, nik=NIK, phone="+6281234567890", name="Bendahara Fiktif")
    client = client_for(operator)
    client.post(
        reverse("registry:pengurus_edit", args=[ormas.uuid, officer.pk]),
        {
            "name": officer.name,
            "position": "bendahara",
            "phone": "0813-1111-2222",
            "nik": "3572015507900002",
        },
    )
    client.post(
        reverse("registry:edit", args=[ormas.uuid]),
        {
            "name": ormas.name,
            "scope_level": "kabupaten_kota",
            "region": ormas.region_id,
            "bidang": ["sosial"],
        },
    )
    seen_by_assessor = client_for(assessor).get(reverse("registry:history", args=[ormas.uuid]))
    body = seen_by_assessor.content.decode()
    assert "+6281311112222" not in body and "+62813•••••222" in body
    assert "NIK" in body and "3572015507900002" not in body
    assert "Sosial" in body and "HistoricalOrmas_bidang" not in body
    own = client.get(reverse("registry:history", args=[ormas.uuid])).content.decode()
    assert "+6281311112222" in own


def test_implausible_dates_are_form_errors_not_500(region_admin, ormas) -> None:
    response = client_for(region_admin).post(
        reverse("registry:edit", args=[ormas.uuid]),
        {
            "name": ormas.name,
            "legal_form": "perkumpulan",
            "scope_level": "kabupaten_kota",
            "region": ormas.region_id,
            "activity_status": "aktif",
            "skt_number": "1/2/3",
            "skt_issued": "9999-12-31",
            "members_count": "9223372036854775807",
            "phone": "abc<>",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tanggal harus antara tahun 1900 dan 2100" in body
    assert "Jumlah anggota tidak masuk akal" in body
    assert "Nomor telepon tidak dikenali" in body
    ormas.refresh_from_db()
    assert ormas.skt_number == ""


def test_required_message_does_not_say_bidang(region_admin) -> None:
    body = client_for(region_admin).post(reverse("registry:create"), {}).content.decode()
    assert "Wajib diisi." in body and "Bidang ini tidak boleh kosong" not in body


def test_multi_chair_flag_is_for_admins_only(operator, region_admin, ormas, other_ormas) -> None:
    PengurusFactory(ormas=ormas, nik=NIK)
    PengurusFactory(ormas=other_ormas, nik=NIK)
    flag = "NIK ini juga menjadi ketua ormas lain"
    url = reverse("registry:detail", args=[ormas.uuid])
    assert flag not in client_for(operator).get(url).content.decode()
    assert flag in client_for(region_admin).get(url).content.decode()


def test_assessor_assigned_outside_scope_cannot_open_or_verify(assessor, outside_ormas) -> None:
    from sipko.registry.models import Assignment

    Assignment.objects.create(assessor=assessor, ormas=outside_ormas)
    document = DocumentFactory(ormas=outside_ormas)
    client = client_for(assessor)
    assert client.get(reverse("registry:document_verify", args=[document.uuid])).status_code == 404
    assert client.get(reverse("registry:document_file", args=[document.uuid])).status_code == 404


def test_django_admin_registry_is_read_only(national_admin, ormas) -> None:
    national_admin.is_staff = national_admin.is_superuser = True
    national_admin.save()
    client = client_for(national_admin)
    assert client.get("/admin/registry/ormas/").status_code == 200
    assert client.get("/admin/registry/ormas/add/").status_code == 403
    response = client.post(f"/admin/registry/ormas/{ormas.pk}/change/", {"name": "Diubah"})
    assert response.status_code == 403
    ormas.refresh_from_db()
    assert ormas.name != "Diubah"


def test_admin_assignment_form_applies_the_rules(national_admin, operator, ormas) -> None:
    national_admin.is_staff = national_admin.is_superuser = True
    national_admin.save()
    response = client_for(national_admin).post(
        "/admin/registry/assignment/add/", {"assessor": operator.pk, "ormas": ormas.pk}
    )
    assert response.status_code == 200
    assert "Hanya pengguna berperan penilai" in response.content.decode()


def test_delete_officer_asks_first_and_nik_can_be_cleared(operator, ormas) -> None:
    officer = PengurusFactory(ormas=ormas, nik=NIK, name="Salah Input Fiktif")
    client = client_for(operator)
    url = reverse("registry:pengurus_delete", args=[ormas.uuid, officer.pk])
    assert "Ya, hapus" in client.get(url).content.decode()
    assert Pengurus.objects.filter(pk=officer.pk).exists()
    client.post(
        reverse("registry:pengurus_edit", args=[ormas.uuid, officer.pk]),
        {"name": officer.name, "position": "ketua", "clear_nik": "on"},
    )
    officer.refresh_from_db()
    assert officer.nik_hash == "" and officer.nik_encrypted == ""
    client.post(url)
    assert not Pengurus.objects.filter(pk=officer.pk).exists()


def test_stored_file_extension_follows_content(operator, ormas) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    client_for(operator).post(
        reverse("registry:document_add", args=[ormas.uuid]),
        {
            "doc_type": "foto_kantor",
            "upload": SimpleUploadedFile("kantor" + ".p" * 80 + ".html", buffer.getvalue()),
        },
    )
    document = Document.objects.get()
    assert document.file.name.endswith(".png")
    assert document.content_type == "image/png"


def test_ormas_may_sit_at_kabkota_level(region_admin) -> None:
    response = client_for(region_admin).post(
        reverse("registry:create"),
        {
            "name": "Perkumpulan Tanpa Alamat Rinci (fiktif)",
            "legal_form": "tidak_berbadan_hukum",
            "scope_level": "kabupaten_kota",
            "region": "35.72",
            "activity_status": "aktif",
        },
    )
    assert response.status_code == 302
    assert Ormas.objects.get(name__startswith="Perkumpulan Tanpa Alamat").region_id == "35.72"


def test_english_page_names_bidang_in_english(region_admin, ormas) -> None:
    ormas.bidang.add("keagamaan")
    client = client_for(region_admin)
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("registry:detail", args=[ormas.uuid])).content.decode()
    assert "Religious" in body and "Keagamaan" not in body


def test_long_search_is_shortened_not_ignored(region_admin, ormas, other_ormas) -> None:
    response = client_for(region_admin).get(reverse("registry:list"), {"q": "Kendang" + "x" * 300})
    assert "0 ormas ditemukan" in response.content.decode()
