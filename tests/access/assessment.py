"""Access expectations of performance assessment (instruments, assessments, appeals, guidance).

Three assessments of `ormas`, in three periods: a draft self-assessment (not yet assigned, with
an evidence file), a published result verified by `assessor`, and one under appeal with an
attachment. Viewers see only published results; assessors only those they are assigned to.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sipko.assessment import services
from sipko.assessment.models import FollowUp
from tests.access import row
from tests.access.reporting import image_upload
from tests.factories import PeriodFactory

DEFAULT_INSTRUMENT = (
    Path(__file__).resolve().parents[2] / "sipko/assessment/instruments/iko-default-2025.1.yaml"
)

SIGNED_IN = row(
    operator=200,
    other_operator=200,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=200,
)
# Region-wide pages of a Kota Blitar period: its Kesbangpol and the national admin.
MANAGE_PERIOD = row(
    operator=403,
    other_operator=403,
    viewer=403,
    assessor=403,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
# The draft self-assessment: the ormas and Kesbangpol; not viewers, not unassigned assessors.
DRAFT = row(
    operator=200,
    other_operator=404,
    viewer=404,
    assessor=404,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
DRAFT_POST = {**DRAFT, "operator": 302, "region_admin": 302, "national_admin": 302}
# A published result: everyone in reach reads it.
PUBLISHED = row(
    operator=200,
    other_operator=404,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
NOBODY_BUT_NATIONAL = {
    **{p: 403 for p in SIGNED_IN},
    "anonymous": 302,
    "national_admin": 302,
}

EXPECTED: dict[str, dict[str, int]] = {
    "assessment:list": SIGNED_IN,
    # Only an ormas' operator starts its own self-assessment (here: it already exists → page).
    "assessment:start": row(
        operator=302,
        other_operator=302,
        viewer=403,
        assessor=403,
        region_admin=403,
        national_admin=403,
        outside_admin=404,
    ),
    "assessment:period_standard": MANAGE_PERIOD,
    "assessment:period_bulk": {**MANAGE_PERIOD, "region_admin": 302, "national_admin": 302},
    "assessment:methodology": {**MANAGE_PERIOD, "viewer": 200, "assessor": 200},
    "assessment:methodology_export": {**MANAGE_PERIOD, "viewer": 200, "assessor": 200},
    "assessment:eligibility": row(
        operator=403,
        other_operator=403,
        viewer=403,
        assessor=403,
        region_admin=200,
        national_admin=403,
        outside_admin=200,
    ),
    "assessment:instrument_list": SIGNED_IN,
    "assessment:instrument_load": row(
        operator=403,
        other_operator=403,
        viewer=403,
        assessor=403,
        region_admin=200,
        national_admin=200,
        outside_admin=200,
    ),
    "assessment:instrument_detail": SIGNED_IN,
    "assessment:instrument_yaml": SIGNED_IN,
    # The national instrument is the national admin's (already published: a message, 302).
    "assessment:instrument_publish": NOBODY_BUT_NATIONAL,
    "assessment:instrument_new_version": NOBODY_BUT_NATIONAL,
    "assessment:detail": DRAFT,
    "assessment:trace": PUBLISHED,
    "assessment:assign": {**DRAFT, "operator": 403},
    "assessment:move": DRAFT_POST,
    "assessment:answer_save": DRAFT_POST,
    "assessment:answer_file_add": DRAFT_POST,
    "assessment:answer_file": DRAFT,
    "assessment:answer_file_remove": DRAFT_POST,
    # Only the assigned assessor verifies (the published result refuses it with a message: 200).
    "assessment:answer_verify": {
        **PUBLISHED,
        **dict.fromkeys(("operator", "viewer", "region_admin", "national_admin"), 403),
    },
    "assessment:answer_reconcile": {**PUBLISHED, "operator": 403, "viewer": 403},
    # The keberatan is the ormas' own right.
    "assessment:appeal": {
        **PUBLISHED,
        **dict.fromkeys(("viewer", "assessor", "region_admin", "national_admin"), 403),
    },
    # Decided by Kesbangpol staff who did not verify: never the assessor.
    "assessment:appeal_decide": {**PUBLISHED, "operator": 403, "viewer": 403, "assessor": 403},
    "assessment:appeal_attachment": {**PUBLISHED, "viewer": 403},
    "assessment:follow_up_add": {
        **PUBLISHED,
        **dict.fromkeys(("operator", "viewer", "assessor"), 403),
        "region_admin": 302,
        "national_admin": 302,
    },
    "assessment:follow_up_update": {
        **PUBLISHED,
        "viewer": 403,
        "assessor": 403,
        "operator": 302,
        "region_admin": 302,
        "national_admin": 302,
    },
}
POST_ONLY = {
    "assessment:start",
    "assessment:period_bulk",
    "assessment:instrument_publish",
    "assessment:instrument_new_version",
    "assessment:move",
    "assessment:answer_save",
    "assessment:answer_file_add",
    "assessment:answer_file_remove",
    "assessment:answer_verify",
    "assessment:answer_reconcile",
    "assessment:follow_up_add",
    "assessment:follow_up_update",
}


def _published(world: dict[str, Any], period: Any, *, appeal: bool) -> Any:
    """An assessment of `ormas` taken through verification to publication (and an appeal)."""
    users = world["users"]
    ormas, operator = world["ormas"], users["operator"]
    assessor, admin = users["assessor"], users["region_admin"]
    services.period_standard_set(actor=admin, period=period, instrument=world["instrument"])
    assessment = services.assessment_open(actor=operator, ormas=ormas, period=period)
    services.assessment_submit(actor=operator, assessment=assessment)
    services.assessment_assign(actor=admin, assessment=assessment, assessor=assessor, declared=True)
    for answer in assessment.answers.all():
        value = answer.value or "2"
        if answer.indicator in ("SDM4",):
            value = answer.value or "tidak"
        services.answer_verify(actor=assessor, answer=answer, value=value, reason="uji akses")
    services.assessment_complete(actor=assessor, assessment=assessment)
    services.assessment_publish(actor=admin, assessment=assessment)
    if appeal:
        services.appeal_file(
            actor=operator,
            assessment=assessment,
            grounds="Nilai kantor kami keliru; foto papan nama terlampir.",
            indicators=["KEL4"],
            uploads=[image_upload("papan-nama.png")],
        )
    assessment.refresh_from_db()
    return assessment


def setup(world: dict[str, Any]) -> None:
    """Nothing up front: three full assessment workflows are costly, and only these routes need
    them, so `url_kwargs` builds them on first use (see `_build`)."""


def _build(world: dict[str, Any]) -> None:
    if "assessment_period" in world:
        return
    users = world["users"]
    instrument = services.instrument_load(actor=None, text=DEFAULT_INSTRUMENT.read_bytes())
    services.instrument_publish(actor=None, instrument=instrument)
    world["instrument"] = instrument
    admin, operator = users["region_admin"], users["operator"]

    open_period = PeriodFactory(name="Periode Penilaian Akses (buka)")
    services.period_standard_set(actor=admin, period=open_period, instrument=instrument)
    draft = services.assessment_open(actor=operator, ormas=world["ormas"], period=open_period)
    answer = draft.answers.get(indicator="KEL4")
    services.answer_save(actor=operator, answer=answer, value="3")
    evidence = services.answer_file_add(actor=operator, answer=answer, upload=image_upload())
    # The neighbour's draft must never show up for `operator`.
    services.assessment_open(
        actor=users["other_operator"], ormas=world["other_ormas"], period=open_period
    )

    def earlier(year: int) -> Any:
        return PeriodFactory(
            name=f"Periode Penilaian Akses {year}",
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            programme_due=dt.date(year, 3, 31),
            state="assessment",
        )

    published = _published(world, earlier(2024), appeal=False)
    appealed = _published(world, earlier(2023), appeal=True)
    follow_up = FollowUp.objects.create(
        assessment=published, action="Lengkapi AD/ART yang disahkan notaris.", indicator="KEL3"
    )
    world.update(
        assessment_period=open_period,
        assessment_draft=draft,
        assessment_evidence=evidence,
        assessment_published=published,
        assessment_appealed=appealed,
        assessment_appeal_file=appealed.appeal.files.first(),
        assessment_follow_up=follow_up,
    )


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("assessment:"):
        return None
    _build(world)
    period = {"pk": world["assessment_period"].pk}
    instrument = {"code": world["instrument"].code, "version": world["instrument"].version}
    draft = {"uuid": world["assessment_draft"].uuid}
    published = {"uuid": world["assessment_published"].uuid}
    return {
        "assessment:start": period,
        "assessment:period_standard": period,
        "assessment:period_bulk": {**period, "action": "buka"},
        "assessment:methodology": period,
        "assessment:methodology_export": {**period, "fmt": "csv"},
        "assessment:instrument_detail": instrument,
        "assessment:instrument_yaml": instrument,
        "assessment:instrument_publish": instrument,
        "assessment:instrument_new_version": instrument,
        "assessment:detail": draft,
        "assessment:trace": published,
        "assessment:assign": draft,
        "assessment:move": {**draft, "action": "submit"},
        "assessment:answer_save": {**draft, "code": "KEL4"},
        "assessment:answer_file_add": {**draft, "code": "KEL4"},
        "assessment:answer_file": {"uuid": world["assessment_evidence"].uuid},
        "assessment:answer_file_remove": {"uuid": world["assessment_evidence"].uuid},
        "assessment:answer_verify": {**published, "code": "KEL4"},
        "assessment:answer_reconcile": {**published, "code": "KEL4"},
        "assessment:appeal": published,
        "assessment:appeal_decide": {"uuid": world["assessment_appealed"].uuid},
        "assessment:appeal_attachment": {"uuid": world["assessment_appeal_file"].uuid},
        "assessment:follow_up_add": published,
        "assessment:follow_up_update": {**published, "pk": world["assessment_follow_up"].pk},
    }.get(name)
