"""Evidence of activity reports: type by content, size, thumbnails, all-or-nothing uploads,
removal while editable, and files that only reach those allowed to see them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from sipko.accounts.models import Role
from sipko.registry.models import Assignment
from sipko.reporting import services
from sipko.reporting.models import Evidence
from tests.access.reporting import image_bytes, image_upload
from tests.factories import ProgrammeFactory, ReportFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(programme):
    return ReportFactory(programme=programme, title="Kerja bakti kali (fiktif)")


def add_url(report) -> str:
    return reverse("reporting:evidence_add", args=[report.uuid])


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_two_photos_from_the_camera_get_thumbnails(operator, report, _media) -> None:
    response = client_for(operator).post(
        add_url(report),
        {
            "photos": [image_upload("IMG_0001.png"), image_upload("IMG_0002.jpg", fmt="JPEG")],
            "caption": "Suasana kerja bakti",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("reporting:report_detail", args=[report.uuid]) + "#bukti"
    )
    items = list(report.evidence.order_by("original_name"))
    assert [e.content_type for e in items] == ["image/png", "image/jpeg"]
    for evidence in items:
        assert evidence.thumbnail and evidence.uploaded_by == operator
        with evidence.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
            assert thumb.format == "JPEG" and max(thumb.size) <= 320
        # Stored under a random name, never the one the phone gave it.
        assert "IMG_000" not in evidence.file.name
    assert len(stored_files(_media)) == 4


def test_gallery_file_and_pdf(operator, report) -> None:
    client = client_for(operator)
    client.post(
        add_url(report),
        {"files": [SimpleUploadedFile("daftar-hadir.pdf", PDF, "application/pdf")]},
    )
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf" and not evidence.thumbnail
    download = client.get(reverse("reporting:evidence_file", args=[evidence.uuid]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    thumb = client.get(reverse("reporting:evidence_thumbnail", args=[evidence.uuid]))
    assert thumb.status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 a renamed program"),
            "Jenis berkas tidak diterima",
        ),
        (
            SimpleUploadedFile("foto.png", b"just some text, not a picture"),
            "Jenis berkas tidak diterima",
        ),
        (SimpleUploadedFile("foto.png", image_bytes("GIF")), "Jenis berkas tidak diterima"),
        (SimpleUploadedFile("foto.png", image_bytes()[:60]), "Gambar rusak"),
        (SimpleUploadedFile("kosong.jpg", b""), "kosong"),
    ],
)
def test_bad_files_are_refused_by_content_and_nothing_is_stored(
    operator, report, _media, upload, message
) -> None:
    response = client_for(operator).post(add_url(report), {"photos": [upload]})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert not Evidence.objects.exists() and stored_files(_media) == []


def test_one_bad_file_among_good_ones_adds_none(operator, report, _media) -> None:
    renamed = SimpleUploadedFile("foto-kedua.jpg", b"<html>not a photo</html>")
    response = client_for(operator).post(
        add_url(report), {"photos": [image_upload("baik.png")], "files": [renamed]}
    )
    assert response.status_code == 200
    assert "foto-kedua.jpg: Jenis berkas tidak diterima" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(_media) == []


def test_picture_that_cannot_be_decoded_leaves_no_file(operator, report, _media) -> None:
    """Passes Pillow's quick check but breaks on decoding: refused, no 500, nothing stored."""
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (10, 120, 200)).save(out, format="JPEG")
    truncated = out.getvalue()[:-400]
    response = client_for(operator).post(
        add_url(report), {"photos": [SimpleUploadedFile("potong.jpg", truncated)]}
    )
    assert response.status_code == 200
    assert "Gambar rusak" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(_media) == []


def test_size_and_count_limits(operator, report, settings) -> None:
    settings.SIPKO_UPLOAD_MAX_BYTES = 100
    client = client_for(operator)
    response = client.post(add_url(report), {"photos": [image_upload()]})
    assert "Berkas terlalu besar" in response.content.decode()
    settings.SIPKO_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    response = client.post(
        add_url(report), {"photos": [image_upload(f"{i}.png") for i in range(11)]}
    )
    assert "Paling banyak 10 bukti per laporan" in response.content.decode()
    assert not Evidence.objects.exists()
    response = client.post(add_url(report), {"caption": "tanpa berkas"})
    assert "Pilih foto atau berkas terlebih dahulu" in response.content.decode()


def test_remove_while_editable_but_not_after_submitting(operator, report) -> None:
    client = client_for(operator)
    client.post(add_url(report), {"photos": [image_upload("a.png"), image_upload("b.png")]})
    first, second = report.evidence.order_by("original_name")
    url = reverse("reporting:evidence_remove", args=[first.uuid])
    assert "Hapus bukti ini?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert list(report.evidence.all()) == [second]
    assert Evidence.history.filter(id=first.id, history_type="-").exists()

    services.report_submit(actor=operator, report=report)
    url = reverse("reporting:evidence_remove", args=[second.uuid])
    response = client.post(url, follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    assert report.evidence.count() == 1
    response = client.post(add_url(report), {"photos": [image_upload("c.png")]}, follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    assert report.evidence.count() == 1


def test_evidence_files_reach_only_those_allowed(
    operator, other_operator, viewer, assessor, region_admin, outside_admin, report, ormas
) -> None:
    services.evidence_add(actor=operator, report=report, upload=image_upload("rahasia.png"))
    evidence = Evidence.objects.get()
    unassigned = UserFactory(
        username="penilai_tak_ditugaskan", role=Role.ASSESSOR, region_id="35.72"
    )
    file_url = reverse("reporting:evidence_file", args=[evidence.uuid])
    thumb_url = reverse("reporting:evidence_thumbnail", args=[evidence.uuid])
    for user, status in (
        (operator, 200),
        (assessor, 200),
        (region_admin, 200),
        (other_operator, 404),
        (viewer, 404),
        (unassigned, 404),
        (outside_admin, 404),
    ):
        client = client_for(user)
        assert client.get(file_url).status_code == status, user
        assert client.get(thumb_url).status_code == status, user
    assert Client().get(file_url).status_code == 302  # to the login page

    # Guessing: the stored names are random, never in a page, and no URL serves the media folder.
    page = client_for(operator).get(reverse("reporting:report_detail", args=[report.uuid]))
    body = page.content.decode()
    stored = evidence.file.name
    assert stored.rsplit("/", 1)[-1] not in body and evidence.thumbnail.name not in body
    for prefix in ("/no-public-media/", "/media/", "/static/"):
        assert client_for(other_operator).get(prefix + stored).status_code == 404
        assert client_for(operator).get(prefix + stored).status_code == 404
    # Another ormas' operator cannot add to, or remove from, this report either.
    neighbour = client_for(other_operator)
    assert neighbour.post(add_url(report), {"photos": [image_upload()]}).status_code == 404
    remove_url = reverse("reporting:evidence_remove", args=[evidence.uuid])
    assert neighbour.post(remove_url).status_code == 404
    assert Evidence.objects.count() == 1


def test_detail_gallery_shows_thumbnails_to_those_who_may_open_them(
    operator, viewer, report
) -> None:
    services.evidence_add(
        actor=operator, report=report, upload=image_upload("suasana.png"), caption="Suasana"
    )
    evidence = Evidence.objects.get()
    thumb_url = reverse("reporting:evidence_thumbnail", args=[evidence.uuid])
    own = client_for(operator).get(reverse("reporting:report_detail", args=[report.uuid]))
    assert (
        thumb_url in own.content.decode() and 'data-testid="evidence-form"' in own.content.decode()
    )
    seen = client_for(viewer).get(reverse("reporting:report_detail", args=[report.uuid]))
    body = seen.content.decode()
    assert thumb_url not in body and "1 berkas bukti; hanya pengelola" in body


def test_assessor_sees_evidence_only_of_assigned_ormas(assessor, other_ormas, period) -> None:
    Assignment.objects.filter(assessor=assessor).delete()
    report = ReportFactory(programme=ProgrammeFactory(ormas=other_ormas, period=period))
    evidence = services.evidence_add(actor=None, report=report, upload=image_upload())
    client = client_for(assessor)
    assert client.get(reverse("reporting:report_detail", args=[report.uuid])).status_code == 200
    assert client.get(reverse("reporting:evidence_file", args=[evidence.uuid])).status_code == 404
