"""Registry-wide worklists: expiring registrations, ended terms, duplicate candidates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.registry import selectors, services
from sipko.registry.forms import MergeForm, ReasonForm


def _require_admin(request: HttpRequest) -> None:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    page = Paginator(selectors.expiring_registrations(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registry/expiring.html",
        {"page": page, "warning_days": settings.SIPKO_EXPIRY_WARNING_DAYS},
    )


@login_required
def ended_terms(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    page = Paginator(selectors.ended_terms(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "registry/ended_terms.html", {"page": page})


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(
        request, "registry/duplicates.html", {"pairs": selectors.duplicate_candidates(request.user)}
    )


def _pair(request: HttpRequest, first: str, second: str) -> tuple:
    visible = selectors.ormas_for(request.user)
    return (
        get_object_or_404(visible, uuid=first),
        get_object_or_404(visible, uuid=second),
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, first: str, second: str) -> HttpResponse:
    _require_admin(request)
    pair = _pair(request, first, second)
    form = MergeForm(request.POST if request.method == "POST" else None, pair=pair)
    if request.method == "POST" and form.is_valid():
        keep, duplicate = pair if form.cleaned_data["keep"] == str(pair[0].uuid) else pair[::-1]
        try:
            services.ormas_merge(
                actor=request.user,
                keep=keep,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(dup)s digabung ke %(keep)s.") % {"dup": duplicate.name, "keep": keep.name},
            )
            return redirect("registry:detail", uuid=keep.uuid)
    return render(request, "registry/merge.html", {"form": form, "pair": pair})


@login_required
@require_http_methods(["GET", "POST"])
def dismiss(request: HttpRequest, first: str, second: str) -> HttpResponse:
    _require_admin(request)
    pair = _pair(request, first, second)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.duplicate_dismiss(
            actor=request.user, first=pair[0], second=pair[1], reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Pasangan ditandai bukan duplikat."))
        return redirect("registry:duplicates")
    return render(request, "registry/dismiss.html", {"form": form, "pair": pair})
