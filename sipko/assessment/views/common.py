"""Helpers the assessment views share: scoped lookups and refusals as text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.accounts import access
from sipko.assessment.models import Answer, Assessment
from sipko.planning.models import Period
from sipko.workflow.engine import state_log

ACTION_LABELS = {
    "submit": gettext_lazy("Diajukan"),
    "complete": gettext_lazy("Verifikasi selesai"),
    "to_reconcile": gettext_lazy("Perlu rekonsiliasi"),
    "reconcile": gettext_lazy("Rekonsiliasi selesai"),
    "return": gettext_lazy("Dikembalikan ke ormas"),
    "publish": gettext_lazy("Diumumkan"),
    "appeal": gettext_lazy("Keberatan diajukan"),
    "decide": gettext_lazy("Keberatan diputuskan"),
    "finalise": gettext_lazy("Ditetapkan final"),
}


def error_text(exc: ValidationError, subject: Any = None) -> str:
    """A service's refusal as one sentence; illegal workflow moves name the current state."""
    if getattr(exc, "code", None) == "illegal_transition" and subject is not None:
        return _("Tindakan ini tidak dapat dilakukan pada penilaian berstatus %(state)s.") % {
            "state": subject.get_state_display()
        }
    return " ".join(exc.messages)


def get_assessment(request: HttpRequest, uuid: Any) -> Assessment:
    return get_object_or_404(
        access.assessments_visible_to(request.user).select_related(
            "ormas__region", "period", "instrument", "assessor", "second_assessor"
        ),
        uuid=uuid,
    )


def get_answer(assessment: Assessment, code: str) -> Answer:
    answer = get_object_or_404(assessment.answers, indicator=code)
    answer.assessment = assessment  # keep the scoped, already-loaded parent
    return answer


def get_period(request: HttpRequest, pk: int) -> Period:
    return get_object_or_404(access.periods_visible_to(request.user), pk=pk)


def state_log_rows(assessment: Assessment) -> list[dict[str, Any]]:
    from sipko.assessment.models import AssessmentState

    states = dict(AssessmentState.choices)
    return [
        {
            "when": change.at,
            "who": change.actor or _("sistem"),
            "action": ACTION_LABELS.get(change.action, change.action),
            "old": states.get(change.old_state, change.old_state),
            "new": states.get(change.new_state, change.new_state),
            "reason": change.reason,
        }
        for change in state_log(assessment)
    ]
