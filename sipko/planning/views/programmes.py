"""Programmes (program kerja): list, detail, form, indicators, submission and review."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.lib.forms import add_service_error
from sipko.planning import selectors, services
from sipko.planning.forms import (
    IndicatorForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ReviewForm,
)
from sipko.planning.models import Programme, ProgrammeIndicator, ProgrammeState
from sipko.planning.workflows import PROGRAMME_EDITABLE, PROGRAMME_WORKFLOW
from sipko.registry import selectors as registry_selectors
from sipko.registry.models import Ormas


def _get_programme(request: HttpRequest, uuid: str) -> Programme:
    return get_object_or_404(selectors.programmes_for(request.user), uuid=uuid)


def _editable_programme(request: HttpRequest, uuid: str) -> Programme | HttpResponse:
    """The programme when this user may change it now; a redirect with the reason when its
    state or a closed period forbids it; 403 when the user may never change it."""
    programme = _get_programme(request, uuid)
    if not access.can_edit_plans_of(request.user, programme.ormas):
        raise PermissionDenied
    try:
        services.programme_ensure_editable(actor=request.user, programme=programme)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planning:programme_detail", uuid=programme.uuid)
    return programme


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_operator = access.works_for_ormas(user)
    form = ProgrammeFilterForm(
        request.GET or None,
        periods=selectors.periods_for(user),
        kecamatan_choices=None if is_operator else registry_selectors.kecamatan_choices(user),
    )
    filters = selectors.ProgrammeFilters(**form.filters()) if request.GET else None
    filters = filters or selectors.ProgrammeFilters()
    queryset = selectors.programme_search(user, filters)
    page = Paginator(queryset, settings.SIPKO_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    own_ormas = access.own_ormas(user)
    filtered_ormas = (
        registry_selectors.ormas_for(user).filter(uuid=filters.ormas).first()
        if filters.ormas
        else None
    )
    create_for = own_ormas or filtered_ormas
    if create_for and not access.can_edit_plans_of(user, create_for):
        create_for = None
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "is_operator": is_operator,
        "review_count": selectors.review_queue(user).count(),
        "filtered_ormas": filtered_ormas,
        "create_for": create_for,
        "create_refusal": selectors.programme_form_refusal(create_for) if create_for else None,
    }
    template = (
        "planning/programme_list.html#results" if request.htmx else "planning/programme_list.html"
    )
    return render(request, template, context)


def _achievement(programme: Programme) -> list[tuple[Any, Any]] | None:
    """Achievement vs target per indicator from verified reports, each beside the provisional
    figure that also counts reports awaiting verification. None until reporting provides it."""
    try:
        from sipko.reporting.selectors import achievement_for_programme
    except ImportError:
        return None
    verified = achievement_for_programme(programme)
    provisional = achievement_for_programme(programme, provisional=True)
    return list(zip(verified, provisional, strict=True))


@login_required
def programme_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    programme = _get_programme(request, uuid)
    user = request.user
    can_edit = access.can_edit_plans_of(user, programme.ormas)
    editable = can_edit and programme.state in PROGRAMME_EDITABLE and not programme.period.is_frozen
    frozen = programme.period.is_frozen
    context = {
        "programme": programme,
        "sasaran": programme.sasaran.select_related("parent__parent", "rpjmd"),
        "indicators": list(programme.indicators.all()),
        "funding": selectors.funding_labels(programme.funding_sources),
        "log": selectors.state_entries(programme),
        "versions": selectors.programme_versions(programme),
        "editable": editable,
        # Offered when the user may submit; refused (with the reason shown) when a guard objects.
        "submit_refusal": PROGRAMME_WORKFLOW.refusal(programme, "submit", user)
        if editable
        else None,
        "can_report": programme.state == ProgrammeState.ACCEPTED
        and not frozen
        and access.can_file_reports(user)
        and access.can_edit_plans_of(user, programme.ormas),
        "can_review": access.can_manage_region(user, programme.ormas.region_id)
        and PROGRAMME_WORKFLOW.refusal(programme, "accept", user) is None
        and not frozen,
        "achievement": _achievement(programme),
    }
    return render(request, "planning/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = get_object_or_404(registry_selectors.ormas_for(request.user), uuid=uuid)
    if not access.can_edit_plans_of(request.user, ormas):
        raise PermissionDenied
    if refusal := selectors.programme_form_refusal(ormas):
        # No period to put it in: say so instead of offering a form that cannot be saved.
        return render(
            request,
            "planning/programme_form.html",
            {"form": None, "ormas": ormas, "programme": None, "refusal": refusal},
        )
    return _programme_form(request, ormas, None)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    programme = _editable_programme(request, uuid)
    if isinstance(programme, HttpResponse):
        return programme
    return _programme_form(request, programme.ormas, programme)


def _programme_form(
    request: HttpRequest, ormas: Ormas, programme: Programme | None
) -> HttpResponse:
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, instance=programme, ormas=ormas
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(
                actor=request.user,
                ormas=ormas,
                data=form.service_data(),
                bidang=form.cleaned_data["bidang"],
                sasaran=form.cleaned_data["sasaran"],
                locations=form.cleaned_data["locations"],
                programme=programme,
                version=form.version(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Program kerja tersimpan."))
            if programme is None:
                messages.info(request, _("Tambahkan indikator yang terukur, lalu ajukan program."))
            return redirect("planning:programme_detail", uuid=saved.uuid)
    return render(
        request,
        "planning/programme_form.html",
        {"form": form, "ormas": ormas, "programme": programme},
    )


@login_required
@require_POST
def programme_submit(request: HttpRequest, uuid: str) -> HttpResponse:
    programme = _get_programme(request, uuid)
    if not access.can_edit_plans_of(request.user, programme.ormas):
        raise PermissionDenied
    try:
        services.programme_submit(actor=request.user, programme=programme)
    except ValidationError as exc:
        messages.error(request, selectors.transition_message(exc, programme, "submit"))
    else:
        messages.success(request, _("Program diajukan ke Kesbangpol untuk ditinjau."))
    return redirect("planning:programme_detail", uuid=programme.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def programme_review(request: HttpRequest, uuid: str) -> HttpResponse:
    programme = _get_programme(request, uuid)
    if not access.can_manage_region(request.user, programme.ormas.region_id):
        raise PermissionDenied
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.programme_review(
                actor=request.user,
                programme=programme,
                accept=accept,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "illegal_transition":
                form.add_error(None, selectors.transition_message(exc, programme, "accept"))
            else:
                add_service_error(form, exc, rename={"reason": "note"})
        else:
            if accept:
                messages.success(request, _("Program diterima."))
            else:
                messages.success(request, _("Program dikembalikan ke ormas dengan catatan."))
            return redirect("planning:programme_detail", uuid=programme.uuid)
    return render(
        request,
        "planning/programme_review.html",
        {
            "form": form,
            "programme": programme,
            "indicators": programme.indicators.all(),
            "awaiting": programme.state == ProgrammeState.SUBMITTED,
        },
    )


# --- indicators --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_form(request: HttpRequest, uuid: str, pk: int | None = None) -> HttpResponse:
    programme = _editable_programme(request, uuid)
    if isinstance(programme, HttpResponse):
        return programme
    indicator = get_object_or_404(programme.indicators, pk=pk) if pk else None
    form = IndicatorForm(request.POST if request.method == "POST" else None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(
                actor=request.user,
                programme=programme,
                data=form.cleaned_data,
                indicator=indicator,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Indikator tersimpan."))
            return redirect("planning:programme_detail", uuid=programme.uuid)
    return render(
        request,
        "planning/indicator_form.html",
        {"form": form, "programme": programme, "indicator": indicator},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes (the history keeps the record)."""
    programme = _editable_programme(request, uuid)
    if isinstance(programme, HttpResponse):
        return programme
    indicator: ProgrammeIndicator = get_object_or_404(programme.indicators, pk=pk)
    if request.method == "GET":
        return render(
            request,
            "planning/indicator_delete.html",
            {"programme": programme, "indicator": indicator},
        )
    try:
        services.indicator_delete(actor=request.user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Indikator %(name)s dihapus.") % {"name": indicator.name})
    return redirect("planning:programme_detail", uuid=programme.uuid)
