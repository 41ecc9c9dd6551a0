"""Access expectations of reporting (activity reports, evidence files, finances, compliance)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sipko.reporting import services
from sipko.reporting.forms import FinancialSummaryForm, ReportForm
from sipko.reporting.models import FinancialSummary
from tests.access import (
    OWN_EDIT,
    OWN_POST,
    OWN_READ,
    QUERY,
    action,
    form_body,
    form_page,
    page,
    row,
)
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
REVIEW = row(
    operator=403,
    other_operator=404,
    viewer=403,
    assessor=302,
    region_admin=302,
    national_admin=302,
    outside_admin=404,
)
FILE_REPORTS = {**EVERYONE, "viewer": 403, "assessor": 403}

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "reporting:report_list": page(EVERYONE),
    # GET offers the programmes to report on; POST files a report on the chosen one.
    "reporting:report_create": form_page(
        FILE_REPORTS, {**OWN_POST, "viewer": 403, "assessor": 403}
    ),
    "reporting:report_detail": page(OWN_READ),
    "reporting:report_edit": form_page(OWN_EDIT, OWN_POST),
    "reporting:report_submit": action(OWN_POST),
    # Verified by those who decide, then back to the list (302).
    "reporting:report_review": action(REVIEW),
    "reporting:evidence_add": action(OWN_POST),
    "reporting:evidence_file": page(EVIDENCE_FILE),
    "reporting:evidence_thumbnail": page(EVIDENCE_FILE),
    # GET asks for confirmation; POST removes.
    "reporting:evidence_remove": form_page(
        {**OWN_EDIT, "viewer": 404}, {**OWN_POST, "viewer": 404}
    ),
    "reporting:finance_list": page(EVERYONE),
    "reporting:finance_detail": page(OWN_READ),
    "reporting:finance_edit": form_page(OWN_EDIT, OWN_POST),
    "reporting:compliance": page({**EVERYONE, "operator": 403, "other_operator": 403}),
}


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    programme, draft = world["reporting_programme"], world["reporting_draft"]
    if name == "reporting:report_create":
        report = ReportForm(programme=programme)
        return form_body(
            report,
            **{QUERY: f"program={programme.uuid}"},
            title="Latihan Kendang Bersama",
            start_date="2025-05-10",
            end_date="2025-05-10",
            location=programme.ormas.region_id,
            narrative="Latihan bersama 30 pemuda di balai kelurahan.",
            male_youth="18",
            female_youth="12",
            cost="750.000",
        )
    if name == "reporting:report_edit":
        report = ReportForm(instance=draft, programme=draft.programme)
        return form_body(report, narrative="Uraian kegiatan diperbaiki.")
    if name == "reporting:report_review":
        return {"decision": "verify", "reason": ""}
    if name == "reporting:evidence_add":
        return {"files": image_upload("latihan.png"), "caption": "Suasana latihan"}
    if name == "reporting:finance_edit":
        summary = FinancialSummary.objects.filter(ormas=world["ormas"]).first()
        return form_body(
            FinancialSummaryForm(instance=summary),
            **{QUERY: f"periode={world['reporting_period'].pk}"},
            expenditure="1.250.000",
        )
    if name in ("reporting:report_submit", "reporting:evidence_remove"):
        return {}
    return None


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
