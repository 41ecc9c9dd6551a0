"""Access expectations of reporting (activity reports, evidence files, finances, compliance)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sipko.reporting import services
from sipko.reporting.models import FinancialSummary
from tests.access import OWN_EDIT, OWN_READ, row
from tests.factories import IndicatorFactory, PeriodFactory, ProgrammeFactory, ReportFactory

EVERYONE = row(
    operator=200,
    other_operator=200,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=200,
)
# Evidence files follow document files: editors, admins in scope and the assigned assessor.
EVIDENCE_FILE = row(
    operator=200,
    other_operator=404,
    viewer=404,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
# A POST that changes the report and redirects back to it.
OWN_WRITE_POST = {**OWN_EDIT, "operator": 302, "region_admin": 302, "national_admin": 302}

EXPECTED: dict[str, dict[str, int]] = {
    "reporting:report_list": EVERYONE,
    "reporting:report_create": {**EVERYONE, "viewer": 403, "assessor": 403},
    "reporting:report_detail": OWN_READ,
    "reporting:report_edit": OWN_EDIT,
    "reporting:report_submit": OWN_WRITE_POST,
    # An empty decision shows the report page again with the error (200) to those who decide.
    "reporting:report_review": row(
        operator=403,
        other_operator=404,
        viewer=403,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    # An empty upload shows the report page again with "choose a file" (200).
    "reporting:evidence_add": OWN_EDIT,
    "reporting:evidence_file": EVIDENCE_FILE,
    "reporting:evidence_thumbnail": EVIDENCE_FILE,
    "reporting:evidence_remove": {**OWN_WRITE_POST, "viewer": 404},
    "reporting:finance_list": EVERYONE,
    "reporting:finance_detail": OWN_READ,
    "reporting:finance_edit": OWN_EDIT,
    "reporting:compliance": {**EVERYONE, "operator": 403, "other_operator": 403},
}
POST_ONLY = {
    "reporting:report_submit",
    "reporting:report_review",
    "reporting:evidence_add",
    "reporting:evidence_remove",
}


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real picture, made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt)
    return out.getvalue()


def image_upload(name: str = "kegiatan.png", fmt: str = "PNG") -> SimpleUploadedFile:
    content_type = "image/png" if fmt == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, image_bytes(fmt), content_type=content_type)


def setup(world: dict[str, Any]) -> None:
    ormas, other = world["ormas"], world["other_ormas"]
    operator = world["users"]["operator"]
    period = PeriodFactory(name="Periode Pelaporan 2025 (uji akses)")
    programme = ProgrammeFactory(ormas=ormas, period=period, title="Program Akses Pelaporan")
    IndicatorFactory(programme=programme, name="Peserta terlatih", target=50)
    draft = ReportFactory(programme=programme, title="Kegiatan Draf Akses")
    evidence = services.evidence_add(actor=None, report=draft, upload=image_upload())
    submitted = ReportFactory(programme=programme, title="Kegiatan Diajukan Akses")
    services.report_submit(actor=operator, report=submitted)
    # The neighbour's report must never show up for `operator`.
    neighbour = ProgrammeFactory(ormas=other, period=period, title="Program Tetangga Akses")
    services.evidence_add(
        actor=None,
        report=ReportFactory(programme=neighbour, title="Kegiatan Tetangga Akses"),
        upload=image_upload("tetangga.png"),
    )
    FinancialSummary.objects.create(ormas=ormas, period=period, income_iuran=1_500_000)
    world.update(
        reporting_period=period,
        reporting_programme=programme,
        reporting_draft=draft,
        reporting_submitted=submitted,
        reporting_evidence=evidence,
    )


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    draft, evidence = world["reporting_draft"], world["reporting_evidence"]
    by_report = {"uuid": draft.uuid}
    by_evidence = {"uuid": evidence.uuid}
    return {
        "reporting:report_detail": by_report,
        "reporting:report_edit": by_report,
        "reporting:report_submit": by_report,
        "reporting:report_review": {"uuid": world["reporting_submitted"].uuid},
        "reporting:evidence_add": by_report,
        "reporting:evidence_file": by_evidence,
        "reporting:evidence_thumbnail": by_evidence,
        "reporting:evidence_remove": by_evidence,
        "reporting:finance_detail": {"uuid": world["ormas"].uuid},
        "reporting:finance_edit": {"uuid": world["ormas"].uuid},
    }.get(name)
