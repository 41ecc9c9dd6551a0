"""Access expectations of the registry (ormas, pengurus, documents, worklists, imports)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from sipko.registry.models import ImportJob
from tests.access import ADMINS, NOT_ADMIN, OWN_EDIT, row
from tests.factories import DocumentFactory, PengurusFactory

EXPECTED: dict[str, dict[str, int]] = {
    "registry:list": row(operator=200, other_operator=200, viewer=200, assessor=200, **ADMINS),
    "registry:create": row(**NOT_ADMIN, **ADMINS),
    "registry:detail": row(
        operator=200,
        other_operator=404,
        viewer=200,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:edit": OWN_EDIT,
    "registry:history": row(
        operator=200,
        other_operator=404,
        viewer=403,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:pengurus_add": OWN_EDIT,
    "registry:pengurus_edit": OWN_EDIT,
    "registry:pengurus_delete": {
        **OWN_EDIT,
        "operator": 302,
        "region_admin": 302,
        "national_admin": 302,
    },
    "registry:document_add": OWN_EDIT,
    "registry:document_file": row(
        operator=200,
        other_operator=404,
        viewer=404,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:document_verify": row(
        operator=403,
        other_operator=404,
        viewer=404,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:expiring": row(**NOT_ADMIN, **ADMINS),
    "registry:ended_terms": row(**NOT_ADMIN, **ADMINS),
    "registry:duplicates": row(**NOT_ADMIN, **ADMINS),
    "registry:merge": row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404),
    "registry:dismiss": row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404),
    "registry:import": row(**NOT_ADMIN, **ADMINS),
    # Import jobs belong to the admin who started them (`region_admin` here).
    "registry:import_status": row(
        **NOT_ADMIN, region_admin=200, national_admin=404, outside_admin=404
    ),
    "registry:import_report": row(
        **NOT_ADMIN, region_admin=200, national_admin=404, outside_admin=404
    ),
}
# Routes exercised with the destructive POST rather than the GET confirmation page.
POST_ONLY = {"registry:pengurus_delete"}


def setup(world: dict[str, Any]) -> None:
    ormas, other = world["ormas"], world["other_ormas"]
    world["officer"] = PengurusFactory(
        ormas=ormas, name="Ketua Rahasia Fiktif", phone="+6281299990001"
    )
    PengurusFactory(ormas=other, name="Pengurus Tetangga Fiktif")
    document = DocumentFactory(ormas=ormas)
    document.content_type = "application/pdf"
    document.file.save("ad-art.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    world["document"] = document
    job = ImportJob.objects.create(
        created_by=world["users"]["region_admin"], region_id="35.72", original_name="ormas.xlsx"
    )
    job.report.save("laporan.xlsx", ContentFile(b"PK"), save=True)
    world["job"] = job


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    ormas, other, officer = world["ormas"], world["other_ormas"], world["officer"]
    return {
        "registry:detail": {"uuid": ormas.uuid},
        "registry:edit": {"uuid": ormas.uuid},
        "registry:history": {"uuid": ormas.uuid},
        "registry:pengurus_add": {"uuid": ormas.uuid},
        "registry:pengurus_edit": {"uuid": ormas.uuid, "pk": officer.pk},
        "registry:pengurus_delete": {"uuid": ormas.uuid, "pk": officer.pk},
        "registry:document_add": {"uuid": ormas.uuid},
        "registry:document_file": {"uuid": world["document"].uuid},
        "registry:document_verify": {"uuid": world["document"].uuid},
        "registry:merge": {"first": ormas.uuid, "second": other.uuid},
        "registry:dismiss": {"first": ormas.uuid, "second": other.uuid},
        "registry:import_status": {"uuid": world["job"].uuid},
        "registry:import_report": {"uuid": world["job"].uuid},
    }.get(name)
