"""Officers (pengurus) of an ormas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.registry import selectors, services
from sipko.registry.forms import PengurusForm
from sipko.registry.models import Ormas, Pengurus


def _editable_ormas(request: HttpRequest, uuid: str) -> Ormas:
    ormas = get_object_or_404(selectors.ormas_for(request.user), uuid=uuid)
    if not access.can_edit_ormas(request.user, ormas):
        raise PermissionDenied
    return ormas


@sensitive_post_parameters("nik", "phone")
@login_required
@require_http_methods(["GET", "POST"])
def pengurus_form(request: HttpRequest, uuid: str, pk: int | None = None) -> HttpResponse:
    ormas = _editable_ormas(request, uuid)
    officer = get_object_or_404(ormas.pengurus, pk=pk) if pk else None
    form = PengurusForm(request.POST if request.method == "POST" else None, instance=officer)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("nik", "clear_nik")}
        try:
            services.pengurus_save(
                actor=request.user,
                ormas=ormas,
                data=data,
                nik=form.nik_change(),
                pengurus=officer,
                version=form.version(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Data pengurus tersimpan."))
            return redirect("registry:detail", uuid=ormas.uuid)
    return render(
        request, "registry/pengurus_form.html", {"form": form, "ormas": ormas, "officer": officer}
    )


@login_required
@require_http_methods(["GET", "POST"])
def pengurus_delete(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes (the history keeps the record)."""
    ormas = _editable_ormas(request, uuid)
    officer: Pengurus = get_object_or_404(ormas.pengurus, pk=pk)
    if request.method == "GET":
        return render(
            request, "registry/pengurus_delete.html", {"ormas": ormas, "officer": officer}
        )
    services.pengurus_delete(actor=request.user, pengurus=officer)
    messages.success(request, _("Pengurus %(name)s dihapus.") % {"name": officer.name})
    return redirect("registry:detail", uuid=ormas.uuid)
