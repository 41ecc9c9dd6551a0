"""Assessment work on a whole period: its instrument, opening, publishing and finalising in bulk,
and the eligibility rules of a region."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.accounts.models import User
from sipko.assessment import selectors, services
from sipko.assessment.forms import EligibilityRuleForm, PeriodStandardForm
from sipko.assessment.models import EligibilityRule, InstrumentStatus, PeriodStandard
from sipko.assessment.views.common import error_text, get_period
from sipko.lib.forms import add_service_error
from sipko.planning.models import Period
from sipko.planning.services import ensure_not_frozen
from sipko.regions.models import ancestor_codes


def _frozen(period: Period) -> str:
    try:
        ensure_not_frozen(period)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _period_list_url(period_pk: int) -> str:
    return f"{reverse('assessment:list')}?periode={period_pk}"


@require_http_methods(["GET", "POST"])
def period_standard(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period(request, pk)
    if not access.can_manage_region(request.user, period.region_id):
        raise PermissionDenied
    if period.is_frozen:
        # A closed period keeps its instrument: no form that the service would refuse.
        messages.error(request, _frozen(period))
        return redirect("planning:period_detail", pk=period.pk)
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


def _bulk_items(user: User, period: Period, action: str) -> list[Any]:
    """What the bulk action would change now: the same selector its service acts on."""
    if action == selectors.BULK_OPEN:
        return list(selectors.ormas_to_open(period))
    if action == selectors.BULK_PUBLISH:
        return selectors.assessments_to_publish(user, period)
    return selectors.assessments_due_final(user, period)


def _ids(items: list[Any]) -> set[int]:
    return {item.pk for item in items}


def _fingerprint(items: list[Any]) -> str:
    return ",".join(str(pk) for pk in sorted(_ids(items)))


def _bulk_done(action: str, count: int) -> str:
    if action == selectors.BULK_OPEN:
        return ngettext("%(n)s penilaian dibuka.", "%(n)s penilaian dibuka.", count) % {"n": count}
    if action == selectors.BULK_PUBLISH:
        return ngettext("%(n)s hasil diumumkan.", "%(n)s hasil diumumkan.", count) % {"n": count}
    return ngettext("%(n)s hasil ditetapkan final.", "%(n)s hasil ditetapkan final.", count) % {
        "n": count
    }


BULK_SERVICES = {
    selectors.BULK_OPEN: services.assessments_open_all,
    selectors.BULK_PUBLISH: services.assessments_publish_all,
    selectors.BULK_FINALISE: services.assessments_finalise_due,
}


@require_http_methods(["GET", "POST"])
def period_bulk(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Open every assessment, publish every verified one, or finalise those past the window.

    GET lists exactly what would change and asks for confirmation; POST does it, but only if
    the list is still the one that was confirmed (someone may have acted in between).
    """
    if action not in selectors.BULK_ACTIONS:
        raise Http404
    period = get_period(request, pk)
    user = request.user
    if not access.can_manage_region(user, period.region_id):
        raise PermissionDenied
    refusal = selectors.period_bulk_refusal(period, action)
    items = _bulk_items(user, period, action)
    if request.method == "POST" and refusal is None and items:
        if request.POST.get("daftar", "") != _fingerprint(items):
            messages.warning(
                request,
                _("Daftar berubah sejak halaman ini dibuka. Periksa lagi sebelum melanjutkan."),
            )
            return redirect("assessment:period_bulk", pk=period.pk, action=action)
        try:
            count = BULK_SERVICES[action](actor=user, period=period, confirmed=_ids(items))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _bulk_done(action, count))
        return redirect(_period_list_url(period.pk))
    if request.method == "POST":
        messages.info(request, refusal or _("Tidak ada yang perlu diubah."))
        return redirect(_period_list_url(period.pk))
    context = {
        "period": period,
        "action": action,
        "items": items,
        "refusal": refusal,
        "fingerprint": _fingerprint(items),
        "appeal_until": services.appeal_deadline(period, timezone.localdate())
        if action == selectors.BULK_PUBLISH
        else None,
        "list_url": _period_list_url(period.pk),
    }
    return render(request, "assessment/period_bulk.html", context)


@require_http_methods(["GET", "POST"])
def eligibility_rules(request: HttpRequest) -> HttpResponse:
    """Flags such as "layak hibah" by predicate, for the admin's own region."""
    user = request.user
    if not access.can_set_eligibility(user):
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
