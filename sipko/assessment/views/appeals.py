"""Appeals (*keberatan*) and guidance (*pembinaan*) on a published result."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.assessment import selectors, services
from sipko.assessment.forms import (
    AppealDecisionForm,
    AppealForm,
    FollowUpForm,
    FollowUpUpdateForm,
)
from sipko.assessment.models import Appeal, AppealFile, Assessment, AssessmentState
from sipko.assessment.views.common import error_text, get_assessment
from sipko.assessment.workflows import ASSESSMENT_WORKFLOW
from sipko.lib.files import stream_private
from sipko.lib.forms import add_service_error, form_error_text


@require_http_methods(["GET", "POST"])
def appeal_file(request: HttpRequest, uuid: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    if not access.can_appeal(request.user, assessment):
        raise PermissionDenied
    if assessment.state != AssessmentState.PUBLISHED:
        messages.error(request, _("Keberatan hanya dapat diajukan atas hasil yang diumumkan."))
        return redirect("assessment:detail", uuid=assessment.uuid)
    if refusal := ASSESSMENT_WORKFLOW.refusal(assessment, "appeal", request.user):
        messages.error(request, refusal)
        return redirect("assessment:detail", uuid=assessment.uuid)
    spec = assessment.instrument.spec
    form = AppealForm(request.POST or None, request.FILES or None, instrument=spec)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(
                actor=request.user,
                assessment=assessment,
                grounds=form.cleaned_data["grounds"],
                indicators=form.cleaned_data["indicators"],
                uploads=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Keberatan diajukan. Peninjau yang tidak ikut menilai akan memutuskannya."),
            )
            return redirect("assessment:detail", uuid=assessment.uuid)
    return render(request, "assessment/appeal_form.html", {"assessment": assessment, "form": form})


@require_http_methods(["GET", "POST"])
def appeal_decide(request: HttpRequest, uuid: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    if not access.can_decide_appeal(request.user, assessment):
        raise PermissionDenied
    appeal = get_object_or_404(Appeal, assessment=assessment)
    spec = assessment.instrument.spec
    codes = appeal.indicators or [i.code for i in spec.indicators]
    current = services.counted_values(assessment)
    form = AppealDecisionForm(request.POST or None, instrument=spec, codes=codes, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                changes=form.changes(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Keberatan diputuskan; hasil penilaian kini final."))
            return redirect("assessment:detail", uuid=assessment.uuid)
    context = {
        "assessment": assessment,
        "appeal": appeal,
        "form": form,
        "rows": [
            row
            for row in selectors.trace_rows(assessment, assessment.result)
            if row.indicator.code in codes
        ],
    }
    return render(request, "assessment/appeal_decide.html", context)


def appeal_attachment(request: HttpRequest, uuid: str) -> HttpResponse:
    item = get_object_or_404(
        AppealFile.objects.filter(
            appeal__assessment__in=access.assessments_visible_to(request.user)
        ).select_related("appeal__assessment__ormas"),
        uuid=uuid,
    )
    if not access.can_appeal_files(request.user, item.appeal.assessment):
        raise PermissionDenied
    return stream_private(
        item.file,
        content_type=item.content_type or "application/octet-stream",
        filename=item.original_name or "lampiran",
    )


# --- guidance ---------------------------------------------------------------------------------


@require_POST
def follow_up_add(request: HttpRequest, uuid: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    if not access.can_manage_guidance(request.user, assessment):
        raise PermissionDenied
    form = FollowUpForm(request.POST, instrument=assessment.instrument.spec)
    if form.is_valid():
        try:
            services.follow_up_create(
                actor=request.user,
                assessment=assessment,
                action=form.cleaned_data["action"],
                indicator=form.cleaned_data["indicator"],
                due=form.cleaned_data["due"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Tindak lanjut pembinaan dicatat."))
    else:
        messages.error(request, form_error_text(form))
    return redirect(f"{assessment_url(assessment)}#pembinaan")


@require_POST
def follow_up_update(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    """Progress on a follow-up, reported from the assessment that created it or a later one."""
    assessment = get_assessment(request, uuid)
    follow_up = get_object_or_404(selectors.follow_ups_visible_from(assessment), pk=pk)
    if not access.can_report_follow_up(request.user, assessment):
        raise PermissionDenied
    form = FollowUpUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_update(
                actor=request.user,
                follow_up=follow_up,
                state=form.cleaned_data["state"],
                progress_note=form.cleaned_data["progress_note"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Perkembangan tindak lanjut tersimpan."))
    else:
        messages.error(request, form_error_text(form))
    return redirect(f"{assessment_url(assessment)}#pembinaan")


def assessment_url(assessment: Assessment) -> str:
    return reverse("assessment:detail", args=[assessment.uuid])
