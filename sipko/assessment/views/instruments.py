"""Instruments (the standard): list, rubric page, YAML in and out, publish, new version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.assessment import services
from sipko.assessment.forms import InstrumentUploadForm, NewVersionForm
from sipko.assessment.models import Instrument
from sipko.assessment.views.common import error_text
from sipko.lib.forms import add_service_error, form_error_text

NATIONAL = "nasional"
TYPE_LABELS = {
    "level": gettext_lazy("Tingkat (rubrik)"),
    "yesno": gettext_lazy("Ya/tidak"),
    "ratio": gettext_lazy("Rasio capaian"),
    "banded": gettext_lazy("Rentang angka"),
}
SOURCE_LABELS = {
    "self": gettext_lazy("diisi ormas"),
    "assessor": gettext_lazy("dinilai penilai"),
    "system": gettext_lazy("dihitung sistem"),
}


def _instrument(request: HttpRequest, code: str, version: str) -> Instrument:
    return get_object_or_404(
        access.instruments_visible_to(request.user).select_related("region"),
        code=code,
        version=version,
    )


def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = access.instruments_visible_to(request.user).select_related("region")
    context = {
        "instruments": instruments.order_by("code", "-created_at"),
        "can_load": access.can_load_instruments(request.user),
    }
    return render(request, "assessment/instrument_list.html", context)


def instrument_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    instrument = _instrument(request, code, version)
    manage = access.can_manage_instrument(request.user, instrument)
    context = {
        "instrument": instrument,
        "spec": instrument.spec,
        "can_manage": manage,
        "version_form": NewVersionForm() if manage else None,
        "periods": instrument.periods.select_related("period"),
        "type_labels": TYPE_LABELS,
        "source_labels": SOURCE_LABELS,
    }
    return render(request, "assessment/instrument_detail.html", context)


def instrument_yaml(request: HttpRequest, code: str, version: str) -> HttpResponse:
    instrument = _instrument(request, code, version)
    response = HttpResponse(
        services.instrument_export(instrument), content_type="application/yaml; charset=utf-8"
    )
    # Codes and versions are restricted to letters, digits, ".", "_" and "-" by the schema.
    filename = f"{instrument.code.lower()}-{instrument.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scopes(request: HttpRequest) -> list[tuple[str, str]]:
    user = request.user
    scopes = []
    if access.can_load_national_instruments(user):
        scopes.append((NATIONAL, _("Nasional (semua wilayah)")))
    if user.region_id and access.can_manage_region(user, user.region_id):
        scopes.append((user.region_id, f"{user.region.name} ({user.region_id})"))
    return scopes


@require_http_methods(["GET", "POST"])
def instrument_load(request: HttpRequest) -> HttpResponse:
    if not access.can_load_instruments(request.user):
        raise PermissionDenied
    form = InstrumentUploadForm(
        request.POST or None, request.FILES or None, scopes=_scopes(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_load(
                actor=request.user,
                text=form.cleaned_data["file"],
                region_code=None
                if form.cleaned_data["scope"] == NATIONAL
                else form.cleaned_data["scope"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Instrumen %(code)s versi %(version)s dimuat sebagai rancangan.")
                % {"code": instrument.code, "version": instrument.version},
            )
            return redirect(
                "assessment:instrument_detail", code=instrument.code, version=instrument.version
            )
    return render(request, "assessment/instrument_load.html", {"form": form})


@require_POST
def instrument_publish(request: HttpRequest, code: str, version: str) -> HttpResponse:
    instrument = _instrument(request, code, version)
    if not access.can_manage_instrument(request.user, instrument):
        raise PermissionDenied
    try:
        services.instrument_publish(actor=request.user, instrument=instrument)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Instrumen diberlakukan; isinya kini tidak dapat diubah."))
    return redirect("assessment:instrument_detail", code=code, version=version)


@require_POST
def instrument_new_version(request: HttpRequest, code: str, version: str) -> HttpResponse:
    instrument = _instrument(request, code, version)
    if not access.can_manage_instrument(request.user, instrument):
        raise PermissionDenied
    form = NewVersionForm(request.POST)
    if form.is_valid():
        try:
            copy = services.instrument_new_version(
                actor=request.user, instrument=instrument, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _(
                    "Salinan versi %(version)s dibuat sebagai rancangan. Unduh YAML-nya, ubah, "
                    "lalu muat kembali."
                )
                % {"version": copy.version},
            )
            return redirect("assessment:instrument_detail", code=copy.code, version=copy.version)
    else:
        messages.error(request, form_error_text(form))
    return redirect("assessment:instrument_detail", code=code, version=version)
