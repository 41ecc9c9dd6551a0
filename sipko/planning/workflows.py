"""Transition tables of periods and programmes (see docs/planning-and-reporting.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sipko.planning.models import PeriodState, ProgrammeState
from sipko.workflow.engine import Workflow


def period_is_open(obj: Any, actor: Any) -> str | None:
    period = getattr(obj, "period", obj)
    if period.state != PeriodState.OPEN:
        # Period names usually begin with "Periode": the name stands alone, in quotes.
        return _(
            "Pengajuan program untuk “%(name)s” tidak sedang dibuka (status periode: %(state)s)."
        ) % {"name": period.name, "state": period.get_state_display()}
    return None


def programme_has_indicator(programme: Any, actor: Any) -> str | None:
    if not programme.indicators.exists():
        return _("Tambahkan paling sedikit satu indikator yang terukur sebelum mengajukan.")
    return None


PERIOD_WORKFLOW = Workflow(
    name="period",
    moves={
        (PeriodState.DRAFT, "open"): PeriodState.OPEN,
        (PeriodState.OPEN, "start_assessment"): PeriodState.ASSESSMENT,
        (PeriodState.ASSESSMENT, "publish"): PeriodState.PUBLISHED,
        (PeriodState.PUBLISHED, "close"): PeriodState.CLOSED,
    },
)

PROGRAMME_WORKFLOW = Workflow(
    name="programme",
    moves={
        (ProgrammeState.DRAFT, "submit"): ProgrammeState.SUBMITTED,
        (ProgrammeState.RETURNED, "submit"): ProgrammeState.SUBMITTED,
        (ProgrammeState.SUBMITTED, "accept"): ProgrammeState.ACCEPTED,
        (ProgrammeState.SUBMITTED, "return"): ProgrammeState.RETURNED,
    },
    guards={"submit": (period_is_open, programme_has_indicator)},
    reason_required=frozenset({"return"}),
)

# States in which the ormas may still change its programme.
PROGRAMME_EDITABLE = {ProgrammeState.DRAFT, ProgrammeState.RETURNED}
