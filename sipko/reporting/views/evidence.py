"""Evidence (bukti dukung) of a report: upload, removal, and access-checked file streaming."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.lib.files import stream_private
from sipko.lib.forms import add_service_error
from sipko.reporting import services
from sipko.reporting.forms import EvidenceForm
from sipko.reporting.models import Evidence
from sipko.reporting.views.common import error_text, get_report
from sipko.reporting.views.reports import detail_context


def _to_gallery(report_uuid: object) -> HttpResponse:
    return redirect(reverse("reporting:report_detail", args=[report_uuid]) + "#bukti")


@login_required
@require_POST
def evidence_add(request: HttpRequest, uuid: str) -> HttpResponse:
    """Add every chosen file, or none: one bad file leaves the report as it was."""
    report = get_report(request, uuid)
    if not access.can_edit_plans_of(request.user, report.programme.ormas):
        raise PermissionDenied
    try:
        services.report_ensure_editable(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _to_gallery(report.uuid)
    form = EvidenceForm(request.POST, request.FILES, existing=report.evidence.count())
    if form.is_valid():
        added: list[Evidence] = []
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["uploads"]:
                    added.append(
                        services.evidence_add(
                            actor=request.user,
                            report=report,
                            upload=upload,
                            caption=form.cleaned_data["caption"],
                        )
                    )
        except ValidationError as exc:
            for evidence in added:  # the rows are rolled back; their files must go too
                evidence.file.delete(save=False)
                if evidence.thumbnail:
                    evidence.thumbnail.delete(save=False)
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(n)s bukti ditambahkan.", "%(n)s bukti ditambahkan.", len(added))
                % {"n": len(added)},
            )
            return _to_gallery(report.uuid)
    context = detail_context(request, report, evidence_form=form)
    return render(request, "reporting/report_detail.html", context)


def _evidence(request: HttpRequest, uuid: str) -> Evidence:
    return get_object_or_404(
        access.evidence_visible_to(request.user).select_related("report__programme__ormas"),
        uuid=uuid,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, uuid: str) -> HttpResponse:
    """GET asks for confirmation; POST removes (the history keeps the record)."""
    evidence = _evidence(request, uuid)
    report = evidence.report
    if not access.can_edit_plans_of(request.user, report.programme.ormas):
        raise PermissionDenied
    try:
        if request.method == "GET":
            services.report_ensure_editable(actor=request.user, report=report)
            return render(request, "reporting/evidence_remove.html", {"evidence": evidence})
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Bukti dihapus dari laporan."))
    return _to_gallery(report.uuid)


@login_required
def evidence_file(request: HttpRequest, uuid: str) -> FileResponse:
    """Stream an evidence file; only reachable for evidence the user may see."""
    evidence = _evidence(request, uuid)
    return stream_private(
        evidence.file,
        content_type=evidence.content_type or "application/octet-stream",
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
    )


@login_required
def evidence_thumbnail(request: HttpRequest, uuid: str) -> FileResponse:
    evidence = _evidence(request, uuid)
    return stream_private(
        evidence.thumbnail, content_type="image/jpeg", filename=f"thumb-{evidence.uuid}.jpg"
    )
