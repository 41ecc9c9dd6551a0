"""Assessment work on a whole period: its instrument, opening, publishing and finalising in bulk,
and the eligibility rules of a region."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.assessment import services
from sipko.assessment.forms import EligibilityRuleForm, PeriodStandardForm
from sipko.assessment.models import EligibilityRule, InstrumentStatus, PeriodStandard
from sipko.assessment.views.common import error_text, get_period
from sipko.lib.forms import add_service_error
from sipko.regions.models import ancestor_codes


def _period_list_url(period_pk: int) -> str:
    return f"{reverse('assessment:list')}?periode={period_pk}"


@require_http_methods(["GET", "POST"])
def period_standard(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period(request, pk)
    if not access.can_manage_region(request.user, period.region_id):
        raise PermissionDenied
    instruments = access.instruments_visible_to(request.user).filter(
        status=InstrumentStatus.PUBLISHED
    )
    current = PeriodStandard.objects.filter(period=period).first()
    form = PeriodStandardForm(
        request.POST or None,
        instruments=instruments,
        initial={"instrument": current.instrument if current else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.period_standard_set(
                actor=request.user, period=period, instrument=form.cleaned_data["instrument"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Instrumen periode ditetapkan."))
            return redirect(_period_list_url(period.pk))
    context = {"period": period, "form": form, "current": current}
    return render(request, "assessment/period_standard.html", context)


@require_POST
def period_bulk(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open every assessment, publish every verified one, or finalise those past the window."""
    period = get_period(request, pk)
    user = request.user
    if not access.can_manage_region(user, period.region_id):
        raise PermissionDenied
    try:
        if action == "buka":
            count = services.assessments_open_all(actor=user, period=period)
            text = ngettext("%(n)s penilaian dibuka.", "%(n)s penilaian dibuka.", count) % {
                "n": count
            }
        elif action == "umumkan":
            count = services.assessments_publish_all(actor=user, period=period)
            text = ngettext("%(n)s hasil diumumkan.", "%(n)s hasil diumumkan.", count) % {
                "n": count
            }
        elif action == "finalkan":
            count = services.assessments_finalise_due(actor=user, period=period)
            text = ngettext(
                "%(n)s hasil ditetapkan final.", "%(n)s hasil ditetapkan final.", count
            ) % {"n": count}
        else:
            return redirect(_period_list_url(period.pk))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, text)
    return redirect(_period_list_url(period.pk))


@require_http_methods(["GET", "POST"])
def eligibility_rules(request: HttpRequest) -> HttpResponse:
    """Flags such as "layak hibah" by predicate, for the admin's own region."""
    user = request.user
    if not user.region_id or not access.can_manage_region(user, user.region_id):
        raise PermissionDenied
    rules = EligibilityRule.objects.filter(region_id__in=ancestor_codes(user.region_id))
    predicates: dict[str, str] = {}
    for instrument in access.instruments_visible_to(user).filter(status=InstrumentStatus.PUBLISHED):
        for band in instrument.spec.predicates:
            predicates.setdefault(band.code, f"{band.code} — {band.label}")
    form = EligibilityRuleForm(request.POST or None, predicates=sorted(predicates.items()))
    if request.method == "POST" and form.is_valid():
        try:
            services.eligibility_rule_save(
                actor=user,
                region_code=user.region_id,
                name=form.cleaned_data["name"],
                predicates=form.cleaned_data["predicates"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Syarat kelayakan disimpan."))
            return redirect("assessment:eligibility")
    return render(request, "assessment/eligibility.html", {"rules": rules, "form": form})
