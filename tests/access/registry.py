"""Access expectations of the registry (ormas, pengurus, documents, worklists, imports)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from sipko.registry.forms import OrmasForm, PengurusForm
from sipko.registry.models import (
    ActivityStatus,
    ImportColumnMapping,
    ImportJob,
    LegalForm,
    Position,
    Verdict,
)
from tests.access import (
    ADMINS,
    NOT_ADMIN,
    OWN_EDIT,
    OWN_POST,
    OWN_READ,
    action,
    form_body,
    form_page,
    page,
    row,
)
from tests.factories import DocumentFactory, PengurusFactory

READ_ORMAS = OWN_READ  # the registry's own pages of `ormas`
REGISTRY_ADMINS = row(**NOT_ADMIN, **ADMINS)
ADMINS_POST = row(**NOT_ADMIN, **dict.fromkeys(ADMINS, 302))
# Duplicate pairs of Kota Blitar: its admin and the national admin.
PAIR = row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404)
# Verdicts on `ormas`' documents: Kesbangpol and the assigned assessor.
VERIFY = row(
    operator=403,
    other_operator=404,
    viewer=404,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)


def redirected(statuses: dict[str, int]) -> dict[str, int]:
    """The POST of a form page: whoever gets the page (200) writes and is redirected (302)."""
    return {p: 302 if s == 200 else s for p, s in statuses.items()}


EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "registry:list": page(
        row(operator=200, other_operator=200, viewer=200, assessor=200, **ADMINS)
    ),
    "registry:create": form_page(REGISTRY_ADMINS, ADMINS_POST),
    "registry:detail": page(READ_ORMAS),
    "registry:edit": form_page(OWN_EDIT, OWN_POST),
    "registry:history": page({**READ_ORMAS, "viewer": 403}),
    "registry:pengurus_add": form_page(OWN_EDIT, OWN_POST),
    "registry:pengurus_edit": form_page(OWN_EDIT, OWN_POST),
    # GET asks for confirmation; POST deletes.
    "registry:pengurus_delete": form_page(OWN_EDIT, OWN_POST),
    "registry:document_add": form_page(OWN_EDIT, OWN_POST),
    "registry:document_file": page({**READ_ORMAS, "viewer": 404}),
    "registry:document_verify": form_page(VERIFY, redirected(VERIFY)),
    "registry:expiring": page(REGISTRY_ADMINS),
    "registry:ended_terms": page(REGISTRY_ADMINS),
    "registry:duplicates": page(REGISTRY_ADMINS),
    "registry:merge": form_page(PAIR, redirected(PAIR)),
    "registry:dismiss": form_page(PAIR, redirected(PAIR)),
    # Each admin imports into its own region (the national admin anywhere).
    "registry:import": form_page(REGISTRY_ADMINS, ADMINS_POST),
    # Import jobs belong to the admin who started them (`region_admin` here).
    "registry:import_status": page(
        row(**NOT_ADMIN, region_admin=200, national_admin=404, outside_admin=404)
    ),
    "registry:import_report": page(
        row(**NOT_ADMIN, region_admin=200, national_admin=404, outside_admin=404)
    ),
    # Saving what an unknown column is (then a new dry run), and writing a clean dry run: the
    # job's owner only; each starts a new job.
    "registry:import_columns": action(
        row(**NOT_ADMIN, region_admin=302, national_admin=404, outside_admin=404)
    ),
    "registry:import_apply": action(
        row(**NOT_ADMIN, region_admin=302, national_admin=404, outside_admin=404)
    ),
    # Forgetting a saved column mapping of Kota Blitar: its admins and the national admin.
    "registry:import_mapping_delete": action(
        row(**NOT_ADMIN, region_admin=302, national_admin=302, outside_admin=404)
    ),
}

PDF = b"%PDF-1.4\n%%EOF\n"


def _home_village(user: Any) -> str:
    """A kelurahan inside the user's scope (Kota Blitar unless the user is Kabupaten Malang's)."""
    return "35.07.01.2001" if user and user.region_id == "35.07" else "35.72.01.1001"


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    ormas, officer = world["ormas"], world["officer"]
    reason = "Diperiksa petugas Kesbangpol pada uji akses."
    if name == "registry:create":
        return {
            "name": "Perkumpulan Baru Uji Akses (fiktif)",
            "acronym": "PBUA",
            "legal_form": LegalForm.PERKUMPULAN,
            "scope_level": "kabupaten_kota",
            "region": _home_village(user),
            "address": "Jl. Uji Akses No. 2",
            "activity_status": ActivityStatus.AKTIF,
            "has_bank_account": "unknown",
        }
    if name == "registry:edit":
        form_user = user if user and user.is_authenticated else world["users"]["region_admin"]
        return form_body(
            OrmasForm(instance=ormas, user=form_user), address="Jl. Kendang No. 9 (pindah)"
        )
    if name in ("registry:pengurus_add", "registry:pengurus_edit"):
        instance = officer if name == "registry:pengurus_edit" else None
        return form_body(
            PengurusForm(instance=instance),
            name="Sekretaris Uji Akses" if instance is None else "Ketua Rahasia Fiktif",
            position=Position.SEKRETARIS if instance is None else Position.KETUA,
            term_start="2024-01-01",
            term_end="2028-12-31",
        )
    if name == "registry:pengurus_delete":
        return {}
    if name == "registry:document_add":
        return {
            "doc_type": "skt",
            "number": "SKT-UJI/2025",
            "issued": "2025-01-15",
            "upload": SimpleUploadedFile("skt.pdf", PDF, content_type="application/pdf"),
        }
    if name == "registry:document_verify":
        return {"verdict": Verdict.VALID, "reason": reason}
    if name == "registry:merge":
        return {"keep": str(ormas.uuid), "reason": reason}
    if name == "registry:dismiss":
        return {"reason": reason}
    if name == "registry:import":
        csv = b"nama,singkatan\nPerkumpulan Impor Uji,PIU\n"
        region = "35.07" if user and user.region_id == "35.07" else "35.72"
        return {
            "file": SimpleUploadedFile("ormas.csv", csv, content_type="text/csv"),
            "region": region,
            "dry_run": "on",
        }
    if name == "registry:import_columns":
        return {"kolom_0": "ignore"}
    if name in ("registry:import_apply", "registry:import_mapping_delete"):
        return {}
    return None


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
    stored = ContentFile(b"Nama Ormas;Catatan\nPerkumpulan Uji (fiktif);ok\n", name="ormas.csv")
    world["columns_job"] = ImportJob.objects.create(
        created_by=world["users"]["region_admin"],
        region_id="35.72",
        original_name="ormas.csv",
        file=stored,
        dry_run=True,
        status=ImportJob.Status.DONE,
        summary={
            "created": 1,
            "errors": 0,
            "unknown_columns": [{"key": "catatan", "header": "Catatan", "samples": ["ok"]}],
        },
    )
    world["dry_job"] = ImportJob.objects.create(
        created_by=world["users"]["region_admin"],
        region_id="35.72",
        original_name="ormas.csv",
        file=world["columns_job"].file.name,
        dry_run=True,
        status=ImportJob.Status.DONE,
        summary={"created": 1, "errors": 0, "unknown_columns": []},
    )
    world["mapping"] = ImportColumnMapping.objects.create(
        region_id="35.72", header_key="catatan", header="Catatan", field="ignore"
    )


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
        "registry:import_columns": {"uuid": world["columns_job"].uuid},
        "registry:import_apply": {"uuid": world["dry_job"].uuid},
        "registry:import_mapping_delete": {"pk": world["mapping"].pk},
    }.get(name)
