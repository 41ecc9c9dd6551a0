"""Assessment periods: list, detail with windows and deadlines, form, state transitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.lib.forms import add_service_error
from sipko.planning import selectors, services
from sipko.planning.forms import PeriodForm, ReasonForm
from sipko.planning.models import Period
from sipko.planning.workflows import PERIOD_WORKFLOW


def _get_period(request: HttpRequest, pk: int) -> Period:
    return get_object_or_404(selectors.periods_for(request.user), pk=pk)


def _managed_period(request: HttpRequest, pk: int) -> Period:
    period = _get_period(request, pk)
    if not access.can_manage_region(request.user, period.region_id):
        raise PermissionDenied
    return period


def _frozen_message(period: Period) -> str | None:
    try:
        services.ensure_not_frozen(period)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "planning/period_list.html",
        {
            "periods": selectors.periods_for(request.user),
            "can_create": access.can_administer_registry(request.user),
        },
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _get_period(request, pk)
    can_manage = access.can_manage_region(request.user, period.region_id)
    actions = [
        (action, selectors.PERIOD_ACTIONS.get(action, action))
        for action in PERIOD_WORKFLOW.allowed_actions(period)
    ]
    context = {
        "period": period,
        "rpjmd": selectors.rpjmd_for_period(period),
        "windows": period.report_windows(),
        "log": selectors.state_entries(period),
        "counts": selectors.programme_counts(request.user, period),
        "can_manage": can_manage,
        "actions": actions if can_manage else [],
    }
    return render(request, "planning/period_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied
    return _period_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _managed_period(request, pk)
    if message := _frozen_message(period):
        messages.error(request, message)
        return redirect("planning:period_detail", pk=period.pk)
    return _period_form(request, period)


def _period_form(request: HttpRequest, period: Period | None) -> HttpResponse:
    form = PeriodForm(
        request.POST if request.method == "POST" else None, instance=period, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.period_save(
                actor=request.user, data=form.cleaned_data, period=period, version=form.version()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Periode tersimpan."))
            return redirect("planning:period_detail", pk=saved.pk)
    return render(request, "planning/period_form.html", {"form": form, "period": period})


@login_required
@require_http_methods(["GET", "POST"])
def period_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET asks for confirmation; POST moves the period (open, start_assessment, publish, close)."""
    if action not in selectors.PERIOD_ACTIONS:
        raise Http404
    period = _managed_period(request, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_move(
                actor=request.user,
                period=period,
                action=action,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, selectors.transition_message(exc, period, action))
        else:
            messages.success(
                request,
                _("Status “%(name)s” kini: %(state)s.")
                % {"name": period.name, "state": period.get_state_display()},
            )
        return redirect("planning:period_detail", pk=period.pk)
    if request.method == "GET" and action not in PERIOD_WORKFLOW.allowed_actions(period):
        try:
            PERIOD_WORKFLOW.target(period, action)
        except ValidationError as exc:
            messages.error(request, selectors.transition_message(exc, period, action))
        return redirect("planning:period_detail", pk=period.pk)
    context = {
        "period": period,
        "action": action,
        "label": selectors.PERIOD_ACTIONS[action],
        "note": selectors.PERIOD_ACTION_NOTES[action],
        "form": form,
    }
    return render(request, "planning/period_move.html", context)
