"""Transition table of activity reports (see docs/planning-and-reporting.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sipko.planning.models import ProgrammeState
from sipko.reporting.models import ReportState
from sipko.workflow.engine import Workflow


def programme_accepted(report: Any, actor: Any) -> str | None:
    if report.programme.state != ProgrammeState.ACCEPTED:
        return _("Laporan hanya dapat diajukan untuk program yang sudah diterima Kesbangpol.")
    return None


def narrative_present(report: Any, actor: Any) -> str | None:
    if not report.narrative.strip():
        return _("Isi uraian kegiatan sebelum mengajukan.")
    return None


REPORT_WORKFLOW = Workflow(
    name="report",
    moves={
        (ReportState.DRAFT, "submit"): ReportState.SUBMITTED,
        (ReportState.RETURNED, "submit"): ReportState.SUBMITTED,
        (ReportState.SUBMITTED, "verify"): ReportState.VERIFIED,
        (ReportState.SUBMITTED, "return"): ReportState.RETURNED,
    },
    guards={"submit": (programme_accepted, narrative_present)},
    reason_required=frozenset({"return"}),
)

REPORT_EDITABLE = {ReportState.DRAFT, ReportState.RETURNED}
