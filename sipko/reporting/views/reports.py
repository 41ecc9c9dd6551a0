"""Activity reports: the list and verification queue, the form, the detail page, submit, review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.lib.forms import add_service_error
from sipko.planning.models import PeriodState, Programme, ProgrammeState
from sipko.regions.models import within_q
from sipko.registry import selectors as registry_selectors
from sipko.reporting import services
from sipko.reporting.forms import (
    EvidenceForm,
    ReportFilterForm,
    ReportForm,
    ReviewForm,
)
from sipko.reporting.models import ActivityReport, ReportState
from sipko.reporting.views.changes import changes_since_return
from sipko.reporting.views.common import (
    cleared_drafts,
    draft_key,
    draft_saved,
    error_text,
    get_report,
    parse_uuid,
)
from sipko.reporting.workflows import REPORT_WORKFLOW
from sipko.workflow.engine import state_log

if TYPE_CHECKING:
    from sipko.accounts.models import User

QUEUE_SIZE = 20


def is_editable(user: User, report: ActivityReport) -> bool:
    try:
        services.report_ensure_editable(actor=user, report=report)
    except (PermissionDenied, ValidationError):
        return False
    return True


def may_review(user: User, report: ActivityReport) -> bool:
    """Whether the page offers verify/return (the service decides; this only hides the form)."""
    return (
        access.can_verify_reports_of(user, report.programme.ormas)
        and report.state == ReportState.SUBMITTED
        and not report.programme.period.is_frozen
    )


def fileable_programmes(user: User) -> list[Programme]:
    """Accepted programmes in periods that are not closed, of ormas the user may report for."""
    programmes = (
        access.programmes_visible_to(user)
        .filter(state=ProgrammeState.ACCEPTED)
        .exclude(period__state=PeriodState.CLOSED)
        .select_related("ormas", "period")
        .order_by("ormas__name", "-period__start", "title")
    )
    return [p for p in programmes[:200] if access.can_edit_plans_of(user, p.ormas)]


def verification_queue(user: User) -> QuerySet[ActivityReport]:
    """Submitted reports this user may verify: region admins in scope, assessors if assigned."""
    submitted = access.reports_visible_to(user).filter(state=ReportState.SUBMITTED)
    if not access.can_administer_registry(user):
        submitted = submitted.filter(programme__ormas__assignments__assessor=user)
    return submitted.select_related("programme__ormas").order_by("submitted_at", "pk")


# --- list ----------------------------------------------------------------------------------------


def _filtered(reports: QuerySet[ActivityReport], filters: dict[str, str]) -> QuerySet:
    if filters.get("q"):
        q = filters["q"]
        reports = reports.filter(
            Q(title__icontains=q)
            | Q(programme__title__icontains=q)
            | Q(programme__ormas__name__icontains=q)
            | Q(programme__ormas__acronym__icontains=q)
        )
    if filters.get("periode"):
        reports = reports.filter(programme__period_id=filters["periode"])
    if filters.get("state"):
        reports = reports.filter(state=filters["state"])
    if filters.get("kecamatan"):
        reports = reports.filter(within_q(filters["kecamatan"], "programme__ormas__region__code"))
    if filters.get("ormas"):
        reports = reports.filter(programme__ormas__uuid=filters["ormas"])
    return reports


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ReportFilterForm(
        request.GET or None,
        periods=access.periods_visible_to(user),
        kecamatan_choices=registry_selectors.kecamatan_choices(user),
    )
    reports = _filtered(
        access.reports_visible_to(user).select_related(
            "programme__ormas", "programme__period", "location"
        ),
        form.filters() if request.GET else {},
    )
    page = Paginator(reports, settings.SIPKO_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    queue = verification_queue(user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "queue": list(queue[:QUEUE_SIZE]),
        "queue_count": queue.count(),
        "may_file": access.can_file_reports(user),
        "own_ormas": user.ormas if user.ormas_id else None,
    }
    template = "reporting/report_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


# --- form ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    """Step 1 of filing: choose an accepted programme (skipped when there is one), then the form."""
    user = request.user
    if not access.can_file_reports(user):
        raise PermissionDenied
    programmes = fileable_programmes(user)
    chosen = request.GET.get("program")
    if chosen:
        programme = get_object_or_404(
            access.programmes_visible_to(user).select_related("ormas", "period"),
            uuid=parse_uuid(chosen),
        )
        if not access.can_edit_plans_of(user, programme.ormas):
            raise PermissionDenied
        if programme not in programmes:
            messages.error(
                request,
                _(
                    "Laporan hanya dapat dibuat untuk program yang sudah diterima Kesbangpol "
                    "dan periodenya belum ditutup."
                ),
            )
            return render(
                request, "reporting/report_choose.html", {"programmes": programmes}, status=200
            )
    elif len(programmes) == 1:
        programme = programmes[0]
    else:
        return render(request, "reporting/report_choose.html", {"programmes": programmes})
    return _report_form(request, programme, None)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    report = get_report(request, uuid)
    if not access.can_edit_plans_of(request.user, report.programme.ormas):
        raise PermissionDenied
    try:
        services.report_ensure_editable(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("reporting:report_detail", uuid=report.uuid)
    return _report_form(request, report.programme, report)


def _report_form(
    request: HttpRequest, programme: Programme, report: ActivityReport | None
) -> HttpResponse:
    key = draft_key(request, f"report-{report.uuid}" if report else f"report-new-{programme.uuid}")
    form = ReportForm(
        request.POST if request.method == "POST" else None, instance=report, programme=programme
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.report_save(
                actor=request.user,
                programme=programme,
                data=form.service_data(),
                values=form.values(),
                report=report,
                version=form.version(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            draft_saved(request, key)
            if report is None:
                messages.success(
                    request,
                    _(
                        "Laporan tersimpan sebagai draf. "
                        "Langkah berikutnya: tambahkan foto kegiatan."
                    ),
                )
                url = reverse("reporting:report_detail", args=[saved.uuid])
                return redirect(f"{url}#bukti")
            messages.success(request, _("Perubahan laporan tersimpan."))
            return redirect("reporting:report_detail", uuid=saved.uuid)
    context = {"form": form, "programme": programme, "report": report, "draft_key": key}
    return render(request, "reporting/report_form.html", context)


# --- detail, submit, review ----------------------------------------------------------------------

ACTION_LABELS = {
    "submit": gettext_lazy("Diajukan"),
    "verify": gettext_lazy("Diverifikasi"),
    "return": gettext_lazy("Dikembalikan"),
}


def _log(report: ActivityReport) -> list[dict[str, Any]]:
    """The state log as the page shows it: who, when, which move, and any reason."""
    states = dict(ReportState.choices)
    return [
        {
            "when": change.at,
            "who": change.actor or _("sistem"),
            "action": ACTION_LABELS.get(change.action, change.action),
            "old": states.get(change.old_state, change.old_state),
            "new": states.get(change.new_state, change.new_state),
            "reason": change.reason,
        }
        for change in state_log(report)
    ]


def _participants(report: ActivityReport) -> dict[str, Any]:
    rows = [
        (_("Laki-laki"), [report.male_under16, report.male_youth, report.male_over30]),
        (_("Perempuan"), [report.female_under16, report.female_youth, report.female_over30]),
    ]
    totals = [sum(column) for column in zip(*(counts for _label, counts in rows), strict=True)]
    total = report.participants
    return {
        "rows": [(label, counts, sum(counts)) for label, counts in rows],
        "totals": totals,
        "total": total,
        "youth": report.youth,
        "youth_percent": round(100 * report.youth / total) if total else 0,
    }


def detail_context(
    request: HttpRequest,
    report: ActivityReport,
    *,
    evidence_form: EvidenceForm | None = None,
    review_form: ReviewForm | None = None,
) -> dict[str, Any]:
    """Everything the report page shows; forms passed in carry their errors back to it."""
    user = request.user
    ormas = report.programme.ormas
    can_edit = access.can_edit_plans_of(user, ormas)
    editable = can_edit and is_editable(user, report)
    can_review = may_review(user, report)
    evidence = list(access.evidence_visible_to(user).filter(report=report))
    saved_values = {v.indicator_id: v.value for v in report.values.all()}
    indicators = [(i, saved_values.get(i.pk)) for i in report.programme.indicators.all()]
    if editable and evidence_form is None:
        evidence_form = EvidenceForm(existing=len(evidence))
    if can_review and review_form is None:
        review_form = ReviewForm()
    return {
        "report": report,
        "programme": report.programme,
        "ormas": ormas,
        "participants": _participants(report),
        "indicators": indicators,
        "evidence": evidence,
        "evidence_hidden": 0 if evidence else report.evidence.count(),
        "log": _log(report),
        "changes": changes_since_return(report),
        "can_edit": can_edit,
        "editable": editable,
        # The submit button is offered when editable; its workflow guards may still refuse.
        "submit_refusal": REPORT_WORKFLOW.refusal(report, "submit", user) if editable else None,
        "evidence_form": evidence_form if editable else None,
        "review_form": review_form if can_review else None,
        "cleared_drafts": cleared_drafts(request),
    }


@login_required
def report_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    report = get_report(request, uuid)
    return render(request, "reporting/report_detail.html", detail_context(request, report))


@login_required
@require_POST
def report_submit(request: HttpRequest, uuid: str) -> HttpResponse:
    report = get_report(request, uuid)
    if not access.can_edit_plans_of(request.user, report.programme.ormas):
        raise PermissionDenied
    try:
        services.report_submit(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, error_text(exc, report))
    else:
        messages.success(request, _("Laporan diajukan ke Kesbangpol untuk diverifikasi."))
    return redirect("reporting:report_detail", uuid=report.uuid)


@login_required
@require_POST
def report_review(request: HttpRequest, uuid: str) -> HttpResponse:
    """Verify, or return with a reason; a refused decision shows the report page with errors."""
    report = get_report(request, uuid)
    if not access.can_verify_reports_of(request.user, report.programme.ormas):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        verify = form.cleaned_data["decision"] == ReviewForm.VERIFY
        try:
            services.report_review(
                actor=request.user,
                report=report,
                verify=verify,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "illegal_transition":
                form.add_error(None, error_text(exc, report))
            else:
                add_service_error(form, exc)
            report.refresh_from_db()
        else:
            message = (
                _("Laporan “%(title)s” diverifikasi.")
                if verify
                else _("Laporan “%(title)s” dikembalikan ke ormas dengan catatan.")
            )
            messages.success(request, message % {"title": report.title})
            return redirect("reporting:report_list")
    if not may_review(request.user, report):
        # Nothing to decide any more (already verified or returned): say why, show the report.
        problems = list(form.non_field_errors()) or [
            _(
                "Laporan ini tidak dapat diverifikasi atau dikembalikan sekarang "
                "(status: %(state)s)."
            )
            % {"state": report.get_state_display()}
        ]
        messages.error(request, " ".join(problems))
        return redirect("reporting:report_detail", uuid=report.uuid)
    context = detail_context(request, report, review_form=form)
    return render(request, "reporting/report_detail.html", context)
