"""The methodology page of a period: the BPS / university view of the index (SPEC §3.5)."""

from __future__ import annotations

import base64

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from sipko.accounts import access
from sipko.assessment import charts, selectors
from sipko.assessment import methodology as stats
from sipko.assessment.models import PeriodStandard
from sipko.assessment.views.common import get_period
from sipko.planning.models import Period


def svg_data_uri(svg: str) -> str:
    """An SVG as an <img> source: it renders under a strict CSP and cannot run anything."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _report(request: HttpRequest, pk: int) -> tuple[Period, stats.MethodologyReport]:
    period = get_period(request, pk)
    if not access.can_see_methodology(request.user, period):
        raise PermissionDenied
    if not PeriodStandard.objects.filter(period=period).exists():
        raise Http404
    return period, stats.analyse(selectors.score_matrix(request.user, period))


def methodology(request: HttpRequest, pk: int) -> HttpResponse:
    period, report = _report(request, pk)
    histograms = {
        item.code: svg_data_uri(charts.histogram_svg(item.histogram, stats.HISTOGRAM_LABELS))
        for item in report.indicators
    }
    context = {
        "period": period,
        "report": report,
        "histograms": histograms,
        "rank_chart": svg_data_uri(charts.rank_interval_svg(report, limit=60))
        if report.ormas_count
        else "",
        "correlation_rows": list(zip(report.correlation.codes, report.correlation.r, strict=True)),
    }
    return render(request, "assessment/methodology.html", context)


def methodology_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    period, report = _report(request, pk)
    name = f"metodologi-{slugify(period.name)}"
    if fmt == "csv":
        response = HttpResponse(stats.sensitivity_csv(report), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(
            stats.report_to_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    elif fmt == "svg":
        response = HttpResponse(charts.rank_interval_svg(report), content_type="image/svg+xml")
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    else:
        raise Http404
    return response
