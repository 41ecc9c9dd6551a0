"""The web import and unknown columns: nothing is written until each is mapped or ignored; the
choices are saved for the region's next imports (docs/import.md#unknown-columns)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sipko.registry.models import ImportColumnMapping, ImportJob, Ormas
from tests.registry.test_importer import NIK

CSV = (
    "No;Nama Ormas;Kecamatan;Kegiatan Pokok;Catatan Petugas\n"
    "1;Paguyuban Peta Satu (fiktif);Sukorejo;Sosial;KTP " + NIK + "\n"
    "2;Perkumpulan Peta Dua (fiktif);Sananwetan;Pendidikan;ok\n"
).encode()


@pytest.fixture
def client(region_admin) -> Client:
    client = Client()
    client.force_login(region_admin)
    return client


def _upload(client: Client, content: bytes = CSV, region: str = "35.72", **extra: str):
    return client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("ormas.csv", content), "region": region, **extra},
    )


def _latest() -> ImportJob:
    return ImportJob.objects.order_by("-pk").first()


def test_unknown_columns_hold_the_write_until_mapped(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client)
    job = _latest()
    assert job.status == ImportJob.Status.NEEDS_MAPPING
    assert job.summary["written"] is False and not Ormas.objects.filter(name__contains="Peta")
    assert [c["header"] for c in job.summary["unknown_columns"]] == [
        "Kegiatan Pokok",
        "Catatan Petugas",
    ]
    assert job.summary["problems"][0]["column"] == "Kegiatan Pokok"

    page = client.get(reverse("registry:import_status", args=[job.uuid])).content.decode()
    assert 'data-testid="column-mapping"' in page and "Abaikan kolom ini" in page
    assert "3572••••••••0001" in page and NIK not in page
    assert 'data-testid="import-apply"' not in page  # never offered while columns are open

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:import_columns", args=[job.uuid]),
            {"kolom_0": "bidang", "kolom_1": "ignore"},
        )
    dry = _latest()
    assert response["Location"] == reverse("registry:import_status", args=[dry.uuid])
    assert dry.dry_run and dry.status == ImportJob.Status.DONE
    assert dry.summary["unknown_columns"] == [] and dry.summary["created"] == 2
    assert set(ImportColumnMapping.objects.values_list("header_key", "field")) == {
        ("kegiatanpokok", "bidang"),
        ("catatanpetugas", "ignore"),
    }
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-apply"' in page and "pemetaan tersimpan" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_apply", args=[dry.uuid]))
    written = _latest()
    assert not written.dry_run and written.status == ImportJob.Status.DONE
    assert written.summary["written"] is True
    ormas = Ormas.objects.get(name="Perkumpulan Peta Dua (fiktif)")
    assert list(ormas.bidang.values_list("name", flat=True)) == ["Pendidikan"]

    # The next import into Kota Blitar reads the same columns the same way, on its own.
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, CSV.replace(b"Peta", b"Lagi"))
    again = _latest()
    assert again.status == ImportJob.Status.DONE and again.summary["written"] is True
    assert Ormas.objects.get(name="Perkumpulan Lagi Dua (fiktif)").bidang.exists()


def test_another_region_does_not_get_the_mapping(
    client, national_admin, django_capture_on_commit_callbacks
):
    ImportColumnMapping.objects.create(
        region_id="35.72", header_key="kegiatanpokok", header="Kegiatan Pokok", field="bidang"
    )
    other = Client()
    other.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(other, CSV.replace(b"Sukorejo", b"Sukorejo").replace(b"Sananwetan", b"Wlingi"),
                region="35.05")  # fmt: skip
    job = _latest()
    assert "Kegiatan Pokok" in [c["header"] for c in job.summary["unknown_columns"]]


def test_bad_choices_are_messages_not_errors(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, dry_run="on")
    job = _latest()
    url = reverse("registry:import_columns", args=[job.uuid])

    response = client.post(url, {"kolom_0": "gaji_ketua", "kolom_1": "ignore"})
    assert response.status_code == 200
    assert "tidak tersedia" in response.content.decode()
    response = client.post(url, {"kolom_1": "ignore"})  # one column left open
    assert (
        response.status_code == 200 and "Pilih isian untuk kolom ini" in response.content.decode()
    )
    # A header that is not in the job cannot be smuggled in: only the job's columns are read.
    response = client.post(url, {"kolom_0": "bidang", "kolom_1": "ignore", "kolom_9": "phone"})
    assert response.status_code == 302
    assert set(ImportColumnMapping.objects.values_list("header_key", flat=True)) == {
        "kegiatanpokok",
        "catatanpetugas",
    }


def test_apply_is_refused_while_columns_are_open(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, dry_run="on")
    job = _latest()
    response = client.post(reverse("registry:import_apply", args=[job.uuid]), follow=True)

    assert _latest().pk == job.pk
    assert "belum dapat disimpan" in response.content.decode()
    response = client.post(reverse("registry:import_columns", args=[job.uuid]))
    assert response.status_code == 200  # an empty choice list is a form error, not a 500


def test_saved_mappings_are_listed_and_can_be_forgotten(client, outside_admin):
    kept = ImportColumnMapping.objects.create(
        region_id="35.72", header_key="catatan petugas", header="Catatan Petugas", field="ignore"
    )
    elsewhere = ImportColumnMapping.objects.create(
        region_id="35.07", header_key="keterangan", header="Keterangan", field="ignore"
    )
    page = client.get(reverse("registry:import")).content.decode()
    assert "Catatan Petugas" in page and "diabaikan" in page
    assert "Keterangan" not in page  # another region's mapping is not listed

    # An admin of another region cannot remove Kota Blitar's mapping, even by its number.
    outsider = Client()
    outsider.force_login(outside_admin)
    assert (
        outsider.post(reverse("registry:import_mapping_delete", args=[kept.pk])).status_code == 404
    )

    response = client.post(reverse("registry:import_mapping_delete", args=[kept.pk]), follow=True)
    assert "impor berikutnya akan menanyakannya lagi" in response.content.decode()
    assert not ImportColumnMapping.objects.filter(pk=kept.pk).exists()
    assert ImportColumnMapping.objects.filter(pk=elsewhere.pk).exists()
