"""Reporting compliance for Kesbangpol: reports due vs submitted on time, and who is overdue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sipko.accounts import access
from sipko.planning.models import PeriodState
from sipko.reporting import selectors
from sipko.reporting.forms import PeriodForm

if TYPE_CHECKING:
    pass


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_see_compliance(user):
        raise PermissionDenied
    periods = access.periods_visible_to(user).exclude(state=PeriodState.DRAFT)
    form = PeriodForm(request.GET or None, periods=periods)
    period = form.period()
    context: dict[str, Any] = {"form": form, "period": period}
    if period is not None:
        on = selectors.today()
        context.update(
            on=on,
            areas=selectors.compliance_by_kecamatan(user, period, on=on),
            rows=selectors.compliance_by_ormas(user, period, on=on),
            overdue=selectors.overdue(user, period, on=on),
            upcoming=selectors.upcoming(user, period, on=on),
        )
    template = "reporting/compliance.html#results" if request.htmx else "reporting/compliance.html"
    return render(request, template, context)
