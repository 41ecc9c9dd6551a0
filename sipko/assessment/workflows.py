"""Transition table of an assessment (see docs/assessment.md).

    draft ─submit─▶ submitted ─complete─▶ verified ─publish─▶ published ─finalise─▶ final
                        │                    ▲                    │
                        └─to_reconcile─▶ reconciliation           └─appeal─▶ appeal ─decide─▶ final
                                             (reconcile)

Who may act is checked by the services (through `accounts.access`); the guards here check the
state of the assessment itself, so no caller can skip them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sipko.assessment.models import AssessmentState as S
from sipko.workflow.engine import Workflow


def assessor_assigned(assessment: Any, actor: Any) -> str | None:
    if assessment.assessor_id is None:
        return _("Belum ada penilai yang ditugaskan untuk ormas ini.")
    return None


def all_verified(assessment: Any, actor: Any) -> str | None:
    answers = list(assessment.answers.all())
    if any(a.verified_at is None for a in answers):
        return _("Masih ada jawaban yang belum diverifikasi penilai.")
    if assessment.second_assessor_id and any(a.second_at is None for a in answers):
        return _("Penilai kedua belum memeriksa semua jawaban.")
    return None


def no_disagreement(assessment: Any, actor: Any) -> str | None:
    if any(a.disagreement for a in assessment.answers.all()):
        return _("Nilai kedua penilai berbeda; lakukan rekonsiliasi lebih dulu.")
    return None


def has_disagreement(assessment: Any, actor: Any) -> str | None:
    if not any(a.disagreement for a in assessment.answers.all()):
        return _("Tidak ada perbedaan nilai antarpenilai yang perlu direkonsiliasi.")
    return None


def appeal_window_open(assessment: Any, actor: Any) -> str | None:
    if assessment.appeal_until is None or timezone.localdate() > assessment.appeal_until:
        return _("Masa keberatan sudah berakhir.")
    return None


def appeal_window_closed(assessment: Any, actor: Any) -> str | None:
    if assessment.appeal_until is not None and timezone.localdate() <= assessment.appeal_until:
        return _("Masa keberatan masih berjalan sampai %(date)s.") % {
            "date": date_format(assessment.appeal_until, "DATE_FORMAT")
        }
    return None


ASSESSMENT_WORKFLOW = Workflow(
    name="assessment",
    moves={
        (S.DRAFT, "submit"): S.SUBMITTED,
        (S.SUBMITTED, "complete"): S.VERIFIED,
        (S.SUBMITTED, "to_reconcile"): S.RECONCILIATION,
        (S.RECONCILIATION, "reconcile"): S.VERIFIED,
        (S.SUBMITTED, "return"): S.DRAFT,
        (S.VERIFIED, "publish"): S.PUBLISHED,
        (S.PUBLISHED, "appeal"): S.APPEAL,
        (S.PUBLISHED, "finalise"): S.FINAL,
        (S.APPEAL, "decide"): S.FINAL,
    },
    guards={
        "complete": (assessor_assigned, all_verified, no_disagreement),
        "to_reconcile": (assessor_assigned, all_verified, has_disagreement),
        "reconcile": (no_disagreement,),
        "appeal": (appeal_window_open,),
        "finalise": (appeal_window_closed,),
    },
    reason_required=frozenset({"return", "decide"}),
)

# Who answers which states: the ormas fills in a draft; assessors work while it is submitted.
SELF_EDITABLE = {S.DRAFT}
VERIFIABLE = {S.SUBMITTED}
