"""RPJMD: list, readable tree, and the admin screens that maintain it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.lib.forms import add_service_error
from sipko.planning import selectors, services
from sipko.planning.forms import RpjmdForm, RpjmdItemForm
from sipko.planning.models import PARENT_LEVEL, Rpjmd, RpjmdItem, RpjmdLevel

CHILD_LEVEL = {parent: child for child, parent in PARENT_LEVEL.items() if parent}


def _get_rpjmd(request: HttpRequest, pk: int) -> Rpjmd:
    return get_object_or_404(access.rpjmds_visible_to(request.user), pk=pk)


def _managed_rpjmd(request: HttpRequest, pk: int) -> Rpjmd:
    rpjmd = _get_rpjmd(request, pk)
    if not access.can_manage_region(request.user, rpjmd.region_id):
        raise PermissionDenied
    return rpjmd


@login_required
def rpjmd_list(request: HttpRequest) -> HttpResponse:
    rpjmds = access.rpjmds_visible_to(request.user).order_by("region_id", "-start_year")
    return render(
        request,
        "planning/rpjmd_list.html",
        {"rpjmds": rpjmds, "can_create": access.can_administer_registry(request.user)},
    )


@login_required
def rpjmd_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rpjmd = _get_rpjmd(request, pk)
    tree = selectors.rpjmd_tree(rpjmd)
    context = {
        "rpjmd": rpjmd,
        "tree": tree,
        "has_illustrative": rpjmd.items.filter(illustrative=True).exists(),
        "can_manage": access.can_manage_region(request.user, rpjmd.region_id),
        "child_level": {str(k): str(v) for k, v in CHILD_LEVEL.items()},
    }
    return render(request, "planning/rpjmd_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rpjmd_create(request: HttpRequest) -> HttpResponse:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied
    return _rpjmd_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def rpjmd_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rpjmd_form(request, _managed_rpjmd(request, pk))


def _rpjmd_form(request: HttpRequest, rpjmd: Rpjmd | None) -> HttpResponse:
    form = RpjmdForm(
        request.POST if request.method == "POST" else None, instance=rpjmd, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.rpjmd_save(actor=request.user, data=form.cleaned_data, rpjmd=rpjmd)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("RPJMD tersimpan."))
            return redirect("planning:rpjmd_detail", pk=saved.pk)
    return render(request, "planning/rpjmd_form.html", {"form": form, "rpjmd": rpjmd})


@login_required
@require_http_methods(["GET", "POST"])
def rpjmd_item_form(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """Add a misi/tujuan/sasaran/indikator (`?parent=` preselects the item above) or change one."""
    rpjmd = _managed_rpjmd(request, pk)
    item = get_object_or_404(rpjmd.items, pk=item_pk) if item_pk else None
    initial = {}
    if item is None:
        parent = rpjmd.items.filter(pk=_int(request.GET.get("parent"))).first()
        level = CHILD_LEVEL.get(RpjmdLevel(parent.level)) if parent else RpjmdLevel.MISI
        initial = {"parent": parent, "level": level}
    form = RpjmdItemForm(
        request.POST if request.method == "POST" else None,
        instance=item or RpjmdItem(rpjmd=rpjmd),
        initial=initial,
        rpjmd=rpjmd,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rpjmd_item_save(
                actor=request.user, rpjmd=rpjmd, data=form.cleaned_data, item=item
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Butir RPJMD tersimpan."))
            return redirect("planning:rpjmd_detail", pk=rpjmd.pk)
    return render(
        request, "planning/rpjmd_item_form.html", {"form": form, "rpjmd": rpjmd, "item": item}
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None
