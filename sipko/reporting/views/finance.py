"""Financial summaries (ringkasan keuangan) of an ormas per period: overview, read view, form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.lib.forms import add_service_error
from sipko.planning.models import Period, PeriodState
from sipko.regions.models import ancestor_codes, within_q
from sipko.registry import selectors as registry_selectors
from sipko.reporting import services
from sipko.reporting.forms import FinancialSummaryForm, PeriodForm
from sipko.reporting.models import FinancialSummary
from sipko.reporting.views.common import cleared_drafts, draft_key, draft_saved

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.registry.models import Ormas


def _periods_of(user: User, ormas: Ormas) -> QuerySet[Period]:
    """Periods that apply to this ormas (its region's or above) and that the user may see."""
    return (
        access.periods_visible_to(user)
        .filter(region_id__in=ancestor_codes(ormas.region_id))
        .exclude(state=PeriodState.DRAFT)
        .select_related("region")
    )


def _finance_url(name: str, ormas: Ormas, period: Period | None) -> str:
    url = reverse(name, args=[ormas.uuid])
    return f"{url}?{urlencode({'periode': period.pk})}" if period else url


def _ormas(request: HttpRequest, uuid: str) -> Ormas:
    return get_object_or_404(registry_selectors.ormas_for(request.user), uuid=uuid)


@login_required
def finance_list(request: HttpRequest) -> HttpResponse:
    """Who filled in a summary for a period, with totals; each row opens the read view."""
    user = request.user
    periods = access.periods_visible_to(user).exclude(state=PeriodState.DRAFT)
    form = PeriodForm(request.GET or None, periods=periods)
    period = form.period()
    context: dict[str, Any] = {"form": form, "period": period, "page": None}
    if period is not None:
        in_period = registry_selectors.ormas_for(user).filter(
            within_q(period.region_id, "region__code")
        )
        summaries = (
            FinancialSummary.objects.filter(period=period, ormas__in=in_period)
            .select_related("ormas")
            .order_by("ormas__name")
        )
        page = Paginator(summaries, settings.SIPKO_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            filled=summaries.count(),
            total=in_period.count(),
            query=urlencode({"periode": period.pk}),
        )
    if user.ormas_id:
        context["own_url"] = _finance_url("reporting:finance_detail", user.ormas, period)
    return render(request, "reporting/finance_list.html", context)


@login_required
def finance_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = _ormas(request, uuid)
    periods = _periods_of(request.user, ormas)
    form = PeriodForm(request.GET or None, periods=periods)
    period = form.period()
    summary = FinancialSummary.objects.filter(ormas=ormas, period=period).first()
    can_edit = (
        period is not None
        and not period.is_frozen
        and access.can_edit_plans_of(request.user, ormas)
    )
    context = {
        "ormas": ormas,
        "form": form,
        "period": period,
        "summary": summary,
        "balance": summary.total_income - summary.expenditure if summary else None,
        "can_edit": can_edit,
        "edit_url": _finance_url("reporting:finance_edit", ormas, period) if can_edit else "",
        "cleared_drafts": cleared_drafts(request),
    }
    return render(request, "reporting/finance_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def finance_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = _ormas(request, uuid)
    if not access.can_edit_plans_of(request.user, ormas):
        raise PermissionDenied
    period = PeriodForm(request.GET or None, periods=_periods_of(request.user, ormas)).period()
    detail_url = _finance_url("reporting:finance_detail", ormas, period)
    if period is None:
        messages.error(request, _("Belum ada periode penilaian untuk ormas ini."))
        return redirect(detail_url)
    if period.is_frozen:
        messages.error(
            request,
            _("“%(name)s” sudah ditutup; datanya tidak dapat diubah lagi.") % {"name": period.name},
        )
        return redirect(detail_url)
    key = draft_key(request, f"finance-{ormas.uuid}-{period.pk}")
    summary = FinancialSummary.objects.filter(ormas=ormas, period=period).first()
    form = FinancialSummaryForm(
        request.POST if request.method == "POST" else None, instance=summary
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.financial_summary_save(
                actor=request.user, ormas=ormas, period=period, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            draft_saved(request, key)
            messages.success(request, _("Ringkasan keuangan tersimpan."))
            return redirect(detail_url)
    context = {
        "ormas": ormas,
        "period": period,
        "form": form,
        "draft_key": key,
        "detail_url": detail_url,
        "action_url": _finance_url("reporting:finance_edit", ormas, period),
    }
    return render(request, "reporting/finance_form.html", context)
