"""The registry import as a web upload: a queued job, progress, outcome and report download."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from sipko.registry.models import ImportJob, Ormas

CSV = (
    "DAFTAR ORMAS KOTA BLITAR (FIKTIF)\n"
    "\n"
    "No;Nama Ormas;Kecamatan;Kelurahan;No. SKT / SK Kemenkumham;Tgl SKT;Telp\n"
    "1;Paguyuban Unggah Satu (fiktif);Kec. Sukorejo;Pakunden;220/1/410/2024;02/01/2024;"
    "0812-3456-7890\n"
    "2;Perkumpulan Unggah Dua (fiktif);Sananwetan;Gedog;;;\n"
)


@pytest.fixture
def client(region_admin) -> Client:
    client = Client()
    client.force_login(region_admin)
    return client


def _upload(client: Client, content: bytes, name: str = "ormas.csv", **extra: str):
    return client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile(name, content), "region": "35.72", **extra},
    )


def test_upload_runs_the_job_and_shows_the_outcome(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, CSV.encode("utf-8"))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_status", args=[job.uuid])
    assert job.status == ImportJob.Status.DONE
    assert job.summary["created"] == 2 and job.summary["written"] is True
    assert job.percent == 100
    assert Ormas.objects.get(name="Paguyuban Unggah Satu (fiktif)").phone == "+6281234567890"

    page = client.get(response["Location"]).content.decode()
    assert "Data tersimpan" in page and "Unduh laporan" in page
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'data-status="done"' in fragment
    assert 'hx-trigger="every 1s"' not in fragment  # polling stops when finished

    report = client.get(reverse("registry:import_report", args=[job.uuid]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    assert workbook.sheetnames


def test_a_row_error_rejects_everything(client, django_capture_on_commit_callbacks):
    bad = CSV + "3;Perkumpulan Unggah Tiga (fiktif);Kecamatan Antah;Berantah;;;\n"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, bad.encode("utf-8"))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert job.summary["errors"] == 1 and job.summary["written"] is False
    assert not Ormas.objects.filter(name__contains="Unggah").exists()
    page = client.get(reverse("registry:import_status", args=[job.uuid])).content.decode()
    assert "Tidak ada yang disimpan" in page and "Antah" in page


def test_skip_invalid_and_dry_run(client, django_capture_on_commit_callbacks):
    bad = CSV + "3;Perkumpulan Unggah Tiga (fiktif);Kecamatan Antah;Berantah;;;\n"
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, bad.encode("utf-8"), dry_run="on")
    assert not Ormas.objects.filter(name__contains="Unggah").exists()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, bad.encode("utf-8"), skip_invalid="on")
    assert Ormas.objects.filter(name__contains="Unggah").count() == 2


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4\n%%EOF", "ormas.xlsx"),
        (b"MZ\x90\x00\x00binary", "ormas.csv"),
        (b"", "ormas.csv"),
    ],
)
def test_wrong_files_are_refused_on_the_form(client, content, name):
    response = _upload(client, content, name)
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert "invalid-feedback" in response.content.decode()


def test_unreadable_csv_is_rejected_with_a_message(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, b"just,some\nwords,here\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED and job.summary["file_error"]
    page = client.get(reverse("registry:import_status", args=[job.uuid])).content.decode()
    assert escape(job.summary["file_error"]) in page


def test_region_outside_scope_is_not_offered(client):
    response = _upload(client, CSV.encode(), region="35.05")
    assert response.status_code == 200 and not ImportJob.objects.exists()
