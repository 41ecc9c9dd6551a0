"""Registry list, ormas detail, create/edit and change history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.planning import selectors as planning_selectors
from sipko.registry import selectors, services
from sipko.registry.forms import OrmasForm, RegistryFilterForm
from sipko.registry.history import history_entries
from sipko.registry.models import Ormas


@login_required
def ormas_list(request: HttpRequest) -> HttpResponse:
    form = RegistryFilterForm(
        request.GET or None, kecamatan_choices=selectors.kecamatan_choices(request.user)
    )
    filters = (
        selectors.RegistryFilters(**form.filters()) if request.GET else selectors.RegistryFilters()
    )
    queryset = selectors.ormas_search(request.user, filters).prefetch_related("bidang")
    page = Paginator(queryset, settings.SIPKO_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.registry_counts(request.user),
        "can_create": access.can_create_ormas(request.user),
        "can_administer": access.can_administer_registry(request.user),
    }
    template = "registry/ormas_list.html#results" if request.htmx else "registry/ormas_list.html"
    return render(request, template, context)


def _get_ormas(request: HttpRequest, uuid: str) -> Ormas:
    return get_object_or_404(selectors.ormas_for(request.user, include_merged=True), uuid=uuid)


@login_required
def ormas_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = _get_ormas(request, uuid)
    if ormas.merged_into_id and not access.can_administer_registry(request.user):
        raise Http404
    officers = list(ormas.pengurus.all())
    context = {
        "ormas": ormas,
        "officers": officers,
        "officer_flags": selectors.officer_flags(request.user, ormas),
        "documents": ormas.documents.select_related("verified_by"),
        "branches": ormas.branches.for_user(request.user).current(),
        "can_edit": access.can_edit_ormas(request.user, ormas),
        "can_verify": access.can_verify_ormas(request.user, ormas),
        "can_open_documents": access.can_open_documents(request.user, ormas),
        "show_personal": access.can_see_personal_data(request.user, ormas),
        # The programme form needs a period to put the programme in (planning says which).
        "programme_refusal": planning_selectors.programme_form_refusal(ormas)
        if access.can_edit_plans_of(request.user, ormas)
        else None,
    }
    return render(request, "registry/ormas_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ormas_create(request: HttpRequest) -> HttpResponse:
    if not access.can_create_ormas(request.user):
        raise PermissionDenied
    return _ormas_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def ormas_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = _get_ormas(request, uuid)
    if ormas.merged_into_id or not access.can_edit_ormas(request.user, ormas):
        raise PermissionDenied
    return _ormas_form(request, ormas)


def _ormas_form(request: HttpRequest, ormas: Ormas | None) -> HttpResponse:
    form = OrmasForm(
        request.POST if request.method == "POST" else None, instance=ormas, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.ormas_save(
                actor=request.user,
                data=form.service_data(),
                bidang=form.cleaned_data["bidang"],
                ormas=ormas,
                version=form.version(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data ormas tersimpan."))
            return redirect("registry:detail", uuid=saved.uuid)
    return render(request, "registry/ormas_form.html", {"form": form, "ormas": ormas})


@login_required
def ormas_history(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = _get_ormas(request, uuid)
    if not (
        access.can_edit_ormas(request.user, ormas) or access.can_verify_ormas(request.user, ormas)
    ):
        raise PermissionDenied
    return render(
        request,
        "registry/ormas_history.html",
        {
            "ormas": ormas,
            "entries": history_entries(
                ormas, show_personal=access.can_see_personal_data(request.user, ormas)
            ),
        },
    )
