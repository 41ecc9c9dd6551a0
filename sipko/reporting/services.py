"""Writes of reporting: activity reports, realised values, evidence, financial summaries."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from sipko.accounts import access
from sipko.inbox import events
from sipko.lib.audit import audited
from sipko.lib.locking import lock
from sipko.lib.uploads import DOCUMENT_TYPES, check_upload
from sipko.lib.versions import ensure_current
from sipko.planning.models import Period, Programme, ProgrammeIndicator
from sipko.planning.services import ensure_not_frozen
from sipko.regions.models import ancestor_codes
from sipko.reporting.models import ActivityReport, Evidence, FinancialSummary, ReportValue
from sipko.reporting.workflows import REPORT_EDITABLE, REPORT_WORKFLOW
from sipko.workflow.engine import transition

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.registry.models import Ormas
    from sipko.workflow.models import StateChange

THUMBNAIL_SIZE = (320, 320)
MAX_EVIDENCE_PER_REPORT = 10


def _check_report_writable(actor: User | None, report: ActivityReport) -> None:
    if actor is not None and not access.can_edit_plans_of(actor, report.programme.ormas):
        raise PermissionDenied
    ensure_not_frozen(report.programme.period)
    if report.pk and report.state not in REPORT_EDITABLE:
        raise ValidationError(
            _("Laporan berstatus %(state)s tidak dapat diubah.")
            % {"state": report.get_state_display()}
        )


def report_ensure_editable(*, actor: User | None, report: ActivityReport) -> None:
    """Raise what `report_save` would refuse: no right to edit, frozen period, wrong state."""
    _check_report_writable(actor, report)


@transaction.atomic
def report_save(
    *,
    actor: User | None,
    programme: Programme,
    data: dict[str, Any],
    values: dict[ProgrammeIndicator, Decimal | None] | None = None,
    report: ActivityReport | None = None,
    version: int | None = None,
) -> ActivityReport:
    """Create or change a draft/returned report and its realised indicator values."""
    target = report or ActivityReport(programme=programme)
    if target.programme_id != programme.pk:
        raise PermissionDenied
    if report is not None:
        lock(report)
    _check_report_writable(actor, target)
    if report is not None:
        ensure_current(report, version)
    for name, value in data.items():
        setattr(target, name, value)
    if target.end_date < target.start_date:
        raise ValidationError({"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    period = programme.period
    if not (period.start <= target.start_date <= period.end):
        raise ValidationError(
            {
                "start_date": _("Tanggal kegiatan harus di dalam “%(name)s” (%(start)s–%(end)s).")
                % {
                    "name": period.name,
                    "start": date_format(period.start, "DATE_FORMAT"),
                    "end": date_format(period.end, "DATE_FORMAT"),
                }
            }
        )
    if target.end_date > timezone.localdate():
        raise ValidationError(
            {"end_date": _("Laporan hanya untuk kegiatan yang sudah terlaksana.")}
        )
    target.full_clean()
    audited(target, actor)
    target.save()
    for indicator, value in (values or {}).items():
        if indicator.programme_id != programme.pk:
            raise PermissionDenied
        if value is None:
            ReportValue.objects.filter(report=target, indicator=indicator).delete()
            continue
        if value < 0:
            raise ValidationError({"values": _("Nilai realisasi tidak boleh negatif.")})
        row, _created = ReportValue.objects.get_or_create(
            report=target, indicator=indicator, defaults={"value": value}
        )
        if row.value != value:
            row.value = value
            audited(row, actor)
            row.save()
    return target


def _thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
        return out.getvalue()


@transaction.atomic
def evidence_add(
    *, actor: User | None, report: ActivityReport, upload: UploadedFile, caption: str = ""
) -> Evidence:
    """Attach a PDF/JPEG/PNG checked by content; images get a small JPEG thumbnail."""
    lock(report)  # the limit below holds against uploads arriving at once
    _check_report_writable(actor, report)
    if report.evidence.count() >= MAX_EVIDENCE_PER_REPORT:
        raise ValidationError(
            _("Paling banyak %(n)s bukti per laporan.") % {"n": MAX_EVIDENCE_PER_REPORT}
        )
    try:
        content_type = check_upload(upload, allowed=DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    evidence = Evidence(
        report=report,
        content_type=content_type,
        size=upload.size or 0,
        original_name=upload.name[:255],
        caption=caption.strip()[:200],
        uploaded_by=actor,
    )
    upload.seek(0)
    data = upload.read()
    thumbnail = None
    if evidence.is_image:
        try:  # before anything is stored: a picture Pillow cannot decode leaves no file behind
            thumbnail = _thumbnail(data)
        except Exception as exc:  # Pillow raises many types for broken or truncated images
            raise ValidationError({"file": _("Gambar rusak atau tidak dapat dibaca.")}) from exc
    evidence.file.save("bukti", ContentFile(data), save=False)
    if thumbnail is not None:
        evidence.thumbnail.save("thumb.jpg", ContentFile(thumbnail), save=False)
    audited(evidence, actor)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    _check_report_writable(actor, lock(evidence.report))
    audited(evidence, actor, "dihapus")
    evidence.delete()


@transaction.atomic
def report_submit(*, actor: User, report: ActivityReport) -> StateChange:
    if not access.can_edit_plans_of(actor, report.programme.ormas):
        raise PermissionDenied
    ensure_not_frozen(report.programme.period)

    def stamp() -> None:
        report.submitted_at = timezone.now()
        report.first_submitted_at = report.first_submitted_at or report.submitted_at

    return transition(report, REPORT_WORKFLOW, "submit", actor=actor, changes=stamp)


@transaction.atomic
def report_review(
    *, actor: User, report: ActivityReport, verify: bool, reason: str = ""
) -> StateChange:
    """Verify a submitted report, or return it with a reason (kept in history)."""
    if not access.can_verify_reports_of(actor, report.programme.ormas):
        raise PermissionDenied
    ensure_not_frozen(report.programme.period)

    def stamp() -> None:
        report.verified_by = actor if verify else None
        report.verified_at = timezone.now() if verify else None
        report.return_reason = "" if verify else reason.strip()

    action = "verify" if verify else "return"
    change = transition(report, REPORT_WORKFLOW, action, actor=actor, reason=reason, changes=stamp)
    events.report_reviewed(report)
    return change


@transaction.atomic
def financial_summary_save(
    *, actor: User | None, ormas: Ormas, period: Period, data: dict[str, Any]
) -> FinancialSummary:
    if actor is not None and not access.can_edit_plans_of(actor, ormas):
        raise PermissionDenied
    if period.region_id not in ancestor_codes(ormas.region_id):
        raise ValidationError({"period": _("Periode ini bukan periode wilayah ormas tersebut.")})
    ensure_not_frozen(period)
    lock(ormas)  # two first saves at once must not both create the summary
    summary, _created = FinancialSummary.objects.get_or_create(ormas=ormas, period=period)
    for name, value in data.items():
        if isinstance(value, Decimal | int) and value < 0:
            raise ValidationError({name: _("Nilai tidak boleh negatif.")})
        setattr(summary, name, value)
    if summary.audited and not summary.reported:
        raise ValidationError(
            {
                "reported": _(
                    "Ringkasan yang diaudit harus juga ditandai sudah dilaporkan ke anggota/rapat."
                )
            }
        )
    summary.full_clean()
    audited(summary, actor)
    summary.save()
    return summary
