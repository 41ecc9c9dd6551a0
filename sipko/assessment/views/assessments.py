"""The assessment of one ormas: list, the page (self-assessment, verification, reconciliation),
state moves, assessor assignment and the trace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.accounts.models import User
from sipko.assessment import selectors, services
from sipko.assessment.forms import (
    AnswerFileForm,
    AnswerForm,
    AssignForm,
    FollowUpForm,
    ReasonForm,
    ReconcileForm,
    VerifyForm,
)
from sipko.assessment.models import (
    PUBLIC_STATES,
    AnswerFile,
    Appeal,
    Assessment,
    AssessmentState,
    FollowUpState,
)
from sipko.assessment.views.common import (
    error_text,
    get_answer,
    get_assessment,
    state_log_rows,
)
from sipko.assessment.workflows import ASSESSMENT_WORKFLOW
from sipko.lib.files import stream_private
from sipko.lib.forms import add_service_error, form_error_text
from sipko.registry import selectors as registry_selectors

# --- list ----------------------------------------------------------------------------------------


def list_view(request: HttpRequest) -> HttpResponse:
    """Operators land on their own assessment; staff choose a period and see its ormas."""
    user = request.user
    periods = list(selectors.assessment_periods(user))
    chosen = request.GET.get("periode", "")
    period = next((p for p in periods if str(p.pk) == chosen), periods[0] if periods else None)
    context: dict[str, Any] = {
        "periods": periods,
        "period": period,
        "can_set_eligibility": access.can_set_eligibility(user),
    }
    if access.works_for_ormas(user):
        context["own"] = list(
            access.assessments_visible_to(user).select_related("period").order_by("-period__start")
        )
        context["startable"] = [
            p
            for p in periods
            if p.state in services.ASSESSING_PERIOD_STATES
            and not any(a.period_id == p.pk for a in context["own"])
        ]
        return render(request, "assessment/own_list.html", context)
    if period is not None:
        state = request.GET.get("status", "")
        state = state if state in AssessmentState.values else ""
        kecamatan = request.GET.get("kecamatan", "")
        choices = registry_selectors.kecamatan_choices(user)
        kecamatan = kecamatan if kecamatan in dict(choices) else ""
        q = request.GET.get("q", "")[:100]
        follows_unpublished = access.follows_unpublished_assessments(user)
        all_rows = selectors.assessments_for(user, period)
        rows = selectors.assessments_for(user, period, state=state, kecamatan=kecamatan, q=q)
        page = Paginator(rows.order_by("ormas__name", "pk"), settings.SIPKO_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "page": page,
                "query": query.urlencode(),
                "state_counts": selectors.state_counts(all_rows),
                "predicate_counts": selectors.predicate_counts(all_rows),
                "state": state,
                "kecamatan": kecamatan,
                "kecamatan_choices": choices,
                "q": q,
                "states": AssessmentState.choices
                if follows_unpublished
                else [(s.value, s.label) for s in AssessmentState if s in PUBLIC_STATES],
                "follows_unpublished": follows_unpublished,
                "can_manage": access.can_manage_region(user, period.region_id),
                "can_see_methodology": access.can_see_methodology(user, period),
                "queue": list(selectors.verification_queue(user)[:20]),
            }
        )
    template = "assessment/list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """An operator opens its own self-assessment for a period."""
    user = request.user
    period = get_object_or_404(selectors.assessment_periods(user), pk=pk)
    ormas = access.own_ormas(user)
    if ormas is None:
        raise PermissionDenied
    try:
        assessment = services.assessment_open(actor=user, ormas=ormas, period=period)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("assessment:list")
    return redirect("assessment:detail", uuid=assessment.uuid)


# --- the page ------------------------------------------------------------------------------------


@dataclass
class Card:
    """One indicator as the page shows it to this user, with the forms they may use."""

    indicator: Any
    dimension: Any
    answer: Any
    files: list[AnswerFile]
    own: str
    verified: str
    second: str
    final: str
    answer_form: AnswerForm | None = None
    file_form: AnswerFileForm | None = None
    verify_form: VerifyForm | None = None
    reconcile_form: ReconcileForm | None = None
    line: dict[str, Any] | None = None
    rubric: list[str] = field(default_factory=list)
    plausibility: str = ""  # a doubt about a declared number, for whoever verifies it


def _roles(user: User, assessment: Assessment) -> dict[str, bool]:
    state = assessment.state
    frozen = assessment.period.is_frozen
    answering = access.can_answer(user, assessment) and state == AssessmentState.DRAFT
    verifying = access.can_verify_answers(user, assessment) and state == AssessmentState.SUBMITTED
    reconciling = access.can_reconcile(user, assessment) and state == AssessmentState.RECONCILIATION
    managing = access.can_manage_assessments(user, assessment)
    return {
        "answering": answering and not frozen,
        "verifying": verifying and not frozen,
        "reconciling": reconciling and not frozen,
        "managing": managing,
        "first_assessor": user.pk == assessment.assessor_id,
        "provisional": access.can_see_provisional(user, assessment),
        "result": access.can_see_result(user, assessment),
        "appeal": access.can_appeal(user, assessment) and state == AssessmentState.PUBLISHED,
        "decide": (state == AssessmentState.APPEAL and access.can_decide_appeal(user, assessment)),
        "files": access.can_see_answer_files(user, assessment),
        # The assessors' values would give away an unpublished score (see access).
        "assessor_values": access.can_see_assessor_values(user, assessment),
        # The grounds and attachments of a keberatan are between the ormas and Kesbangpol.
        "appeal_party": access.can_appeal_files(user, assessment),
    }


def _moves(user: User, assessment: Assessment, roles: dict[str, bool]) -> dict[str, str | None]:
    """The state moves this user is offered on the page, each with why it is refused now (None
    when it would go through): the predicate of the service decides whether a move is offered,
    the workflow's guards (and the period) whether it can be done now."""
    state = assessment.state
    flow = ASSESSMENT_WORKFLOW
    frozen = assessment.period.is_frozen
    moves: dict[str, str | None] = {}
    if roles["answering"]:
        moves["submit"] = flow.refusal(assessment, "submit", user)
    if roles["verifying"] and roles["first_assessor"]:
        # Completing goes to reconciliation instead when the assessors disagree.
        moves["complete"] = flow.refusal(assessment, "complete", user) and flow.refusal(
            assessment, "to_reconcile", user
        )
    if roles["reconciling"]:
        moves["reconciled"] = flow.refusal(assessment, "reconcile", user)
    if roles["managing"] and not frozen:
        if state in (AssessmentState.DRAFT, AssessmentState.SUBMITTED):
            moves["assign"] = None
        if state == AssessmentState.VERIFIED:
            moves["publish"] = selectors.period_bulk_refusal(
                assessment.period, selectors.BULK_PUBLISH
            ) or flow.refusal(assessment, "publish", user)
        if state == AssessmentState.PUBLISHED:
            moves["finalise"] = flow.refusal(assessment, "finalise", user)
    returning = roles["verifying"] or roles["managing"]
    if returning and not frozen and state == AssessmentState.SUBMITTED:
        moves["return"] = None
    if roles["appeal"] and not frozen:
        moves["appeal"] = flow.refusal(assessment, "appeal", user)
    if roles["decide"] and not frozen:
        moves["decide"] = None
    return moves


def _card(
    user: User,
    assessment: Assessment,
    roles: dict[str, bool],
    indicator: Any,
    dimension: Any,
    answer: Any,
    files: list[AnswerFile],
    line: dict[str, Any] | None,
    bound: dict[str, Any] | None = None,
) -> Card:
    describe = selectors.describe_value
    reviews = roles["assessor_values"]
    card = Card(
        indicator=indicator,
        dimension=dimension,
        answer=answer,
        files=files if roles["files"] else [],
        own=describe(indicator, answer.value),
        verified=describe(indicator, answer.verified_value)
        if reviews and answer.verified_at
        else "",
        second=describe(indicator, answer.second_value) if reviews and answer.second_at else "",
        final=describe(indicator, answer.final_value) if reviews and answer.final_at else "",
        line=line,
        rubric=selectors.rubric(indicator),
    )
    bound = bound or {}
    if roles["answering"]:
        card.answer_form = bound.get("answer") or AnswerForm(
            indicator=indicator,
            prefix=indicator.code,
            initial={"value": answer.value, "note": answer.note},
        )
        if indicator.source == "self":
            card.file_form = bound.get("file") or AnswerFileForm(prefix=indicator.code)
    if roles["verifying"]:
        mine_first = user.pk == assessment.assessor_id
        current = answer.verified_value if mine_first else answer.second_value
        checked = answer.verified_at if mine_first else answer.second_at
        card.verify_form = bound.get("verify") or VerifyForm(
            indicator=indicator,
            prefix=indicator.code,
            initial={"value": current if checked else answer.value},
        )
    if roles["reconciling"] and answer.disagreement:
        card.reconcile_form = bound.get("reconcile") or ReconcileForm(
            indicator=indicator, prefix=indicator.code, initial={"value": answer.verified_value}
        )
    return card


def _cards(
    user: User,
    assessment: Assessment,
    roles: dict[str, bool],
    result: dict[str, Any] | None,
    *,
    only: str | None = None,
    bound: dict[str, Any] | None = None,
    bound_code: str | None = None,
    answers: list[Any],
) -> list[Card]:
    spec = assessment.instrument.spec
    by_code = {a.indicator: a for a in answers}
    files: dict[int, list[AnswerFile]] = {}
    for item in AnswerFile.objects.filter(answer__assessment=assessment):
        files.setdefault(item.answer_id, []).append(item)
    lines = {line["indicator"]: line for line in (result or {}).get("lines", [])}
    doubts = (
        selectors.plausibility_warnings(assessment, answers)
        if roles["verifying"] or roles["reconciling"] or roles["managing"]
        else {}
    )
    cards = []
    for dimension in spec.dimensions:
        for indicator in dimension.indicators:
            if only and indicator.code != only:
                continue
            answer = by_code[indicator.code]
            cards.append(
                _card(
                    user,
                    assessment,
                    roles,
                    indicator,
                    dimension,
                    answer,
                    files.get(answer.pk, []),
                    lines.get(indicator.code),
                    bound if indicator.code in (only, bound_code) else None,
                )
            )
            cards[-1].plausibility = doubts.get(indicator.code, "")
    return cards


def _score_panel(roles: dict[str, bool], assessment: Assessment) -> dict[str, Any] | None:
    """The score this user may see: the provisional one (ormas only) or the verified one."""
    if roles["result"] and assessment.result:
        return {"kind": "result", "data": assessment.result}
    if roles["provisional"] and assessment.provisional and not assessment.is_public:
        return {"kind": "provisional", "data": assessment.provisional}
    return None


def detail_context(
    request: HttpRequest,
    assessment: Assessment,
    *,
    only: str | None = None,
    bound: dict[str, Any] | None = None,
    bound_code: str | None = None,
) -> dict[str, Any]:
    user = request.user
    roles = _roles(user, assessment)
    panel = _score_panel(roles, assessment)
    data = panel["data"] if panel else None
    answers = list(assessment.answers.all())
    cards = _cards(
        user,
        assessment,
        roles,
        data,
        only=only,
        bound=bound,
        bound_code=bound_code,
        answers=answers,
    )
    dimensions: list[tuple[Any, list[Card]]] = []
    for card in cards:
        if not dimensions or dimensions[-1][0].code != card.dimension.code:
            dimensions.append((card.dimension, []))
        dimensions[-1][1].append(card)
    context: dict[str, Any] = {
        "assessment": assessment,
        "ormas": assessment.ormas,
        "spec": assessment.instrument.spec,
        "roles": roles,
        "panel": panel,
        "dimensions": dimensions,
        "cards": cards,
    }
    # The action bar (progress, warnings, buttons) follows every answer, also after htmx saves.
    spec = assessment.instrument.spec
    context.update(
        {
            "missing_evidence": (
                services.missing_evidence(assessment, answers) if roles["answering"] else []
            ),
            "unanswered": [
                a.indicator
                for a in answers
                if not a.value and spec.indicator(a.indicator).source == "self"
            ]
            if roles["answering"]
            else [],
            "verified_count": sum(1 for a in answers if a.verified_at),
            "second_count": sum(1 for a in answers if a.second_at),
            "disagreements": [a.indicator for a in answers if a.disagreement],
            "answer_count": len(answers),
            "moves": _moves(user, assessment, roles),
            "return_form": ReasonForm() if roles["verifying"] or roles["managing"] else None,
        }
    )
    if only:
        return context
    context.update(
        {
            "log": state_log_rows(assessment),
            "recommendations": selectors.recommendations(assessment, panel["data"])
            if panel
            else [],
            "follow_ups": list(assessment.follow_ups.all()),
            "follow_up_states": FollowUpState.choices,
            "can_report_follow_up": access.can_report_follow_up(user, assessment),
            "carried": list(selectors.open_follow_ups_before(assessment)),
            "follow_up_form": FollowUpForm(instrument=spec)
            if roles["managing"] and assessment.is_public
            else None,
            "eligibility": selectors.eligibility(assessment),
            "appeal": Appeal.objects.filter(assessment=assessment).first(),
        }
    )
    return context


def detail(request: HttpRequest, uuid: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    return render(request, "assessment/detail.html", detail_context(request, assessment))


def _card_response(
    request: HttpRequest, assessment: Assessment, code: str, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """After a change: the indicator's card and the score panel (htmx), or the whole page."""
    assessment.refresh_from_db()
    if request.htmx:
        context = detail_context(request, assessment, only=code, bound=bound)
        context["card"] = context["cards"][0]
        return render(request, "assessment/detail.html#card-and-score", context)
    if bound:
        context = detail_context(request, assessment, bound=bound, bound_code=code)
        return render(request, "assessment/detail.html", context)
    return redirect(reverse("assessment:detail", args=[assessment.uuid]) + f"#ind-{code}")


# --- the ormas' answers -------------------------------------------------------------------------


@require_POST
def answer_save(request: HttpRequest, uuid: str, code: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    if not access.can_answer(request.user, assessment):
        raise PermissionDenied
    answer = get_answer(assessment, code)
    indicator = assessment.instrument.spec.indicator(code)
    form = AnswerForm(request.POST, indicator=indicator, prefix=code)
    if form.is_valid():
        try:
            services.answer_save(
                actor=request.user,
                answer=answer,
                value=form.cleaned_data.get("value", ""),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Jawaban %(code)s tersimpan.") % {"code": code})
            return _card_response(request, assessment, code)
    return _card_response(request, assessment, code, {"answer": form})


@require_POST
def answer_file_add(request: HttpRequest, uuid: str, code: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    if not access.can_answer(request.user, assessment):
        raise PermissionDenied
    answer = get_answer(assessment, code)
    form = AnswerFileForm(request.POST, request.FILES, prefix=code)
    if form.is_valid():
        try:
            services.answer_file_add(
                actor=request.user, answer=answer, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Bukti dukung %(code)s ditambahkan.") % {"code": code})
            return redirect(reverse("assessment:detail", args=[assessment.uuid]) + f"#ind-{code}")
    messages.error(request, form_error_text(form))
    return redirect(reverse("assessment:detail", args=[assessment.uuid]) + f"#ind-{code}")


def _answer_file(request: HttpRequest, uuid: str) -> AnswerFile:
    return get_object_or_404(
        access.answer_files_visible_to(request.user).select_related("answer__assessment"),
        uuid=uuid,
    )


def answer_file(request: HttpRequest, uuid: str) -> HttpResponse:
    item = _answer_file(request, uuid)
    return stream_private(
        item.file,
        content_type=item.content_type or "application/octet-stream",
        filename=item.original_name or "bukti",
    )


@require_POST
def answer_file_remove(request: HttpRequest, uuid: str) -> HttpResponse:
    item = _answer_file(request, uuid)
    assessment = item.answer.assessment
    code = item.answer.indicator
    try:
        services.answer_file_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, error_text(exc, assessment))
    else:
        messages.success(request, _("Bukti dukung dihapus."))
    return redirect(reverse("assessment:detail", args=[assessment.uuid]) + f"#ind-{code}")


# --- verification ---------------------------------------------------------------------------------


def _assessor_value(
    request: HttpRequest,
    uuid: str,
    code: str,
    *,
    allowed: Callable[[User, Assessment], bool],
    form_class: type[VerifyForm],
    service: Callable[..., Any],
    slot: str,
) -> HttpResponse:
    """An assessor's value and reason for one answer (verification or reconciliation)."""
    assessment = get_assessment(request, uuid)
    if not allowed(request.user, assessment):
        raise PermissionDenied
    answer = get_answer(assessment, code)
    indicator = assessment.instrument.spec.indicator(code)
    form = form_class(request.POST, indicator=indicator, prefix=code)
    if form.is_valid():
        try:
            service(
                actor=request.user,
                answer=answer,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _card_response(request, assessment, code)
    return _card_response(request, assessment, code, {slot: form})


@require_POST
def answer_verify(request: HttpRequest, uuid: str, code: str) -> HttpResponse:
    return _assessor_value(
        request,
        uuid,
        code,
        allowed=access.can_verify_answers,
        form_class=VerifyForm,
        service=services.answer_verify,
        slot="verify",
    )


@require_POST
def answer_reconcile(request: HttpRequest, uuid: str, code: str) -> HttpResponse:
    return _assessor_value(
        request,
        uuid,
        code,
        allowed=access.can_reconcile,
        form_class=ReconcileForm,
        service=services.answer_reconcile,
        slot="reconcile",
    )


# --- state moves ---------------------------------------------------------------------------------

MOVE_MESSAGES = {
    "submit": _("Penilaian mandiri diajukan ke Kesbangpol untuk diverifikasi."),
    "complete": _("Verifikasi selesai."),
    "reconciled": _("Rekonsiliasi selesai; hasil terverifikasi."),
    "publish": _("Hasil penilaian diumumkan. Masa keberatan dimulai."),
    "finalise": _("Hasil penilaian ditetapkan final."),
    "return": _("Penilaian dikembalikan ke ormas dengan catatan."),
}


@require_POST
def move(request: HttpRequest, uuid: str, action: str) -> HttpResponse:
    """One button per workflow move; the service checks the right and the guards."""
    assessment = get_assessment(request, uuid)
    user = request.user
    handlers = {
        "submit": lambda: services.assessment_submit(actor=user, assessment=assessment),
        "complete": lambda: services.assessment_complete(actor=user, assessment=assessment),
        "reconciled": lambda: services.assessment_reconciled(actor=user, assessment=assessment),
        "publish": lambda: services.assessment_publish(actor=user, assessment=assessment),
        "finalise": lambda: services.assessment_finalise(actor=user, assessment=assessment),
        "return": lambda: services.assessment_return(
            actor=user, assessment=assessment, reason=request.POST.get("reason", "")
        ),
    }
    handler = handlers.get(action)
    if handler is None:
        return redirect("assessment:detail", uuid=assessment.uuid)
    try:
        handler()
    except ValidationError as exc:
        messages.error(request, error_text(exc, assessment))
    else:
        message = str(MOVE_MESSAGES[action])
        if action == "complete":
            assessment.refresh_from_db()
            if assessment.state == AssessmentState.RECONCILIATION:
                message = _("Nilai kedua penilai berbeda: penilaian masuk tahap rekonsiliasi.")
        messages.success(request, message)
    return redirect("assessment:detail", uuid=assessment.uuid)


# --- assignment --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, uuid: str) -> HttpResponse:
    assessment = get_assessment(request, uuid)
    if not access.can_manage_assessments(request.user, assessment):
        raise PermissionDenied
    candidates = access.assessors_eligible_for(assessment.ormas)
    form = AssignForm(
        request.POST or None,
        assessors=candidates.order_by("first_name", "username"),
        initial={"assessor": assessment.assessor, "second_assessor": assessment.second_assessor},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_assign(
                actor=request.user,
                assessment=assessment,
                assessor=form.cleaned_data["assessor"],
                second_assessor=form.cleaned_data["second_assessor"],
                declared=form.cleaned_data["declared"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Penilai ditugaskan."))
            return redirect("assessment:detail", uuid=assessment.uuid)
    return render(request, "assessment/assign.html", {"assessment": assessment, "form": form})


# --- trace ---------------------------------------------------------------------------------------


def trace(request: HttpRequest, uuid: str) -> HttpResponse:
    """The readable trace of the score this user may see, line by line."""
    assessment = get_assessment(request, uuid)
    roles = _roles(request.user, assessment)
    panel = _score_panel(roles, assessment)
    if panel is None:
        messages.info(request, _("Belum ada skor yang dapat Anda lihat untuk penilaian ini."))
        return redirect("assessment:detail", uuid=assessment.uuid)
    data = panel["data"]
    rows = selectors.trace_rows(assessment, data)
    context = {
        "assessment": assessment,
        "spec": assessment.instrument.spec,
        "panel": panel,
        "rows": rows,
        "dimension_results": {d["code"]: d for d in data.get("dimensions", [])},
        "intact": services.frozen_result_intact(assessment) if panel["kind"] == "result" else None,
    }
    return render(request, "assessment/trace.html", context)
