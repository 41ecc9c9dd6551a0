"""Assessment services: the workflow rules, the scores they store, and who may see what.

Most tests use the small instrument of tests/assessment/factories.py (its scoring rules are
written out there); every expected index is worked out by hand in a comment next to it.
Workflow moves are checked through their log (`workflow.engine.state_log`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from sipko.accounts import access
from sipko.assessment import services
from sipko.assessment.models import (
    Answer,
    Appeal,
    AppealFile,
    AppealState,
    Assessment,
    Instrument,
    InstrumentStatus,
    PeriodStandard,
)
from sipko.assessment.models import AssessmentState as S
from sipko.assessment.scoring import IKO_2025_FILE
from sipko.lib import protected
from sipko.planning.models import Period
from sipko.registry import services as registry_services
from sipko.registry.models import Assignment
from sipko.workflow.engine import state_log
from tests.assessment.factories import (
    SMALL_CODES,
    SMALL_YAML,
    AssessorFactory,
    Flow,
    fake_pdf_upload,
    fill_small,
    make_flow,
    pdf_upload,
    png_upload,
)
from tests.factories import OrmasFactory, PengurusFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
# Valid-looking NIKs (province 35, plausible day and month), both fictional.
NIK_A = "3572015708900001"
NIK_B = "3572014101850002"


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def moves(assessment: Assessment) -> list[tuple[str, str, str, int | None]]:
    return [(c.action, c.old_state, c.new_state, c.actor_id) for c in state_log(assessment)]


def submitted(flow: Flow, second=None) -> Flow:
    fill_small(flow)
    flow.submit()
    flow.assign(second=second)
    return flow


# --- submitting the self-assessment ------------------------------------------------------------


def test_submit_moves_to_verification_and_is_logged(small_flow, operator):
    fill_small(small_flow)

    small_flow.submit()

    assessment = small_flow.fresh()
    assert assessment.state == S.SUBMITTED
    assert assessment.submitted_at is not None
    assert moves(assessment) == [("submit", "draft", "submitted", operator.pk)]


def test_submit_is_refused_while_an_answer_needing_evidence_has_none(small_flow):
    small_flow.answer("LV", "3")  # LV requires evidence, none attached
    small_flow.answer("YN", "ya")  # YN does not

    with pytest.raises(ValidationError) as refused:
        small_flow.submit()

    text = " ".join(refused.value.messages)
    assert "LV" in text
    assert "YN" not in text
    assessment = small_flow.fresh()
    assert assessment.state == S.DRAFT
    assert moves(assessment) == []

    small_flow.attach("LV")
    small_flow.submit()
    assert small_flow.fresh().state == S.SUBMITTED


def test_an_unanswered_indicator_needs_no_evidence(small_flow):
    small_flow.answer("YN", "ya")

    small_flow.submit()

    assert small_flow.fresh().state == S.SUBMITTED


def test_submit_is_refused_outside_the_draft_state(small_flow):
    fill_small(small_flow)
    small_flow.submit()

    with pytest.raises(ValidationError):
        small_flow.submit()

    assert len(moves(small_flow.fresh())) == 1


def test_only_the_ormas_submits(small_flow, other_operator, viewer):
    fill_small(small_flow)
    for person in (other_operator, viewer):
        with pytest.raises(PermissionDenied):
            services.assessment_submit(actor=person, assessment=small_flow.fresh())
    assert small_flow.fresh().state == S.DRAFT


# --- answering ---------------------------------------------------------------------------------


def test_only_the_ormas_operator_or_its_region_admin_answers(
    small_flow, operator, region_admin, other_operator, viewer, assessor
):
    for outsider in (other_operator, viewer, assessor):
        with pytest.raises(PermissionDenied):
            services.answer_save(actor=outsider, answer=small_flow.get("YN"), value="ya")
    assert small_flow.get("YN").value == ""

    services.answer_save(actor=region_admin, answer=small_flow.get("YN"), value="tidak")
    assert small_flow.get("YN").value == "tidak"

    services.answer_save(actor=operator, answer=small_flow.get("YN"), value="Ya")
    answer = small_flow.get("YN")
    assert (answer.value, answer.answered_by) == ("ya", operator)


def test_a_region_admin_of_another_region_cannot_answer(small_flow, outside_admin):
    with pytest.raises(PermissionDenied):
        services.answer_save(actor=outside_admin, answer=small_flow.get("YN"), value="ya")


def test_a_region_admin_of_another_region_cannot_open_an_assessment(
    small, assessing_period, region_admin, other_ormas, outside_admin
):
    services.period_standard_set(actor=region_admin, period=assessing_period, instrument=small)

    with pytest.raises(PermissionDenied):
        services.assessment_open(actor=outside_admin, ormas=other_ormas, period=assessing_period)


def test_the_ormas_does_not_answer_assessor_indicators(small_flow):
    with pytest.raises(ValidationError):
        small_flow.answer("AS", "3")
    assert small_flow.get("AS").value == ""


def test_invalid_answers_are_refused_and_nothing_is_stored(small_flow):
    small_flow.answer("BD", "12")
    refused = (("LV", "9"), ("BD", "-3"), ("BD", "abc"), ("RT", "1/0"), ("YN", "mungkin"))
    for code, value in refused:
        with pytest.raises(ValidationError):
            small_flow.answer(code, value)
    assert {a.indicator: a.value for a in small_flow.assessment.answers.all()} == {
        "LV": "",
        "YN": "",
        "BD": "12",
        "RT": "",
        "AS": "",
    }


def test_answers_are_refused_once_submitted(small_flow):
    fill_small(small_flow)
    small_flow.submit()

    with pytest.raises(ValidationError):
        small_flow.answer("YN", "tidak")

    assert small_flow.get("YN").value == "ya"


# --- verification ------------------------------------------------------------------------------


def test_an_assessor_not_assigned_to_the_assessment_cannot_verify(small_flow, second_assessor):
    fill_small(small_flow)
    small_flow.submit()
    # `assessor` holds an assignment to the ormas, but is not this assessment's assessor yet
    with pytest.raises(PermissionDenied):
        small_flow.verify("YN")

    small_flow.assign()
    with pytest.raises(PermissionDenied):
        small_flow.verify("YN", actor=second_assessor)

    assert small_flow.get("YN").verified_at is None
    assert small_flow.get("YN").second_at is None


def test_changing_a_value_needs_a_reason_and_accepting_does_not(small_flow):
    submitted(small_flow)

    with pytest.raises(ValidationError) as refused:
        small_flow.verify("LV", "2")
    assert "reason" in refused.value.message_dict
    assert small_flow.get("LV").verified_at is None

    small_flow.verify("YN")  # accepted as answered: no reason needed
    small_flow.verify("LV", "2", reason="Foto menunjukkan kantor menumpang.")

    lv = small_flow.get("LV")
    assert (lv.value, lv.verified_value) == ("3", "2")
    assert lv.verified_reason == "Foto menunjukkan kantor menumpang."
    yn = small_flow.get("YN")
    assert (yn.verified_value, yn.verified_reason) == ("ya", "")


def test_an_assessor_indicator_needs_a_value(small_flow):
    submitted(small_flow)

    with pytest.raises(ValidationError):
        small_flow.verify("AS", "")

    small_flow.verify("AS", "3")
    assert small_flow.get("AS").verified_value == "3"


def test_completing_needs_every_answer_verified(small_flow):
    submitted(small_flow)
    small_flow.verify("LV")

    with pytest.raises(ValidationError):
        small_flow.complete()

    assert small_flow.fresh().state == S.SUBMITTED


def test_return_to_the_ormas_needs_a_note(small_flow, assessor):
    submitted(small_flow)

    with pytest.raises(ValidationError):
        services.assessment_return(actor=assessor, assessment=small_flow.fresh(), reason=" ")
    assert small_flow.fresh().state == S.SUBMITTED

    services.assessment_return(
        actor=assessor, assessment=small_flow.fresh(), reason="Lampirkan foto papan nama."
    )
    assessment = small_flow.fresh()
    assert assessment.state == S.DRAFT
    assert state_log(assessment)[-1].reason == "Lampirkan foto papan nama."


# --- assigning assessors -----------------------------------------------------------------------


def assign(flow: Flow, assessor, *, second=None, declared: bool = True, actor=None):
    return services.assessment_assign(
        actor=actor or flow.admin,
        assessment=flow.fresh(),
        assessor=assessor,
        second_assessor=second,
        declared=declared,
    )


def test_assignment_needs_the_conflict_of_interest_declaration(small_flow, assessor, ormas):
    with pytest.raises(ValidationError) as refused:
        assign(small_flow, assessor, declared=False)

    assert "declared" in refused.value.message_dict
    assert small_flow.fresh().assessor is None
    assert Assignment.objects.get(assessor=assessor, ormas=ormas).no_conflict_declared_at is None


def test_assignment_records_the_declaration(small_flow, assessor, second_assessor, ormas):
    assign(small_flow, assessor, second=second_assessor)

    assessment = small_flow.fresh()
    assert (assessment.assessor, assessment.second_assessor) == (assessor, second_assessor)
    for person in (assessor, second_assessor):
        assignment = Assignment.objects.get(assessor=person, ormas=ormas)
        assert assignment.no_conflict_declared_at is not None


def test_an_officer_of_the_ormas_found_by_nik_cannot_be_assigned(small_flow, ormas):
    officer = AssessorFactory(first_name="Budi", last_name="Santoso")
    officer.nik_hash = protected.lookup_hash(NIK_A)
    officer.save()
    # Recorded under a shortened name: only the NIK gives them away.
    registry_services.pengurus_save(
        actor=None, ormas=ormas, data={"name": "B. Santoso", "position": "bendahara"}, nik=NIK_A
    )

    with pytest.raises(ValidationError) as refused:
        assign(small_flow, officer)

    assert "assessor" in refused.value.message_dict
    assert small_flow.fresh().assessor is None


def test_an_officer_of_the_ormas_found_by_full_name_cannot_be_assigned(small_flow, ormas):
    officer = AssessorFactory(first_name="Siti", last_name="Aminah")
    PengurusFactory(ormas=ormas, name="Siti Aminah", position="sekretaris")

    with pytest.raises(ValidationError) as refused:
        assign(small_flow, officer)

    assert "assessor" in refused.value.message_dict


def test_a_namesake_with_another_recorded_nik_may_be_assigned(small_flow, ormas):
    namesake = AssessorFactory(first_name="Siti", last_name="Aminah")
    namesake.nik_hash = protected.lookup_hash(NIK_A)
    namesake.save()
    PengurusFactory(ormas=ormas, name="Siti Aminah", position="sekretaris", nik=NIK_B)

    assign(small_flow, namesake)

    assert small_flow.fresh().assessor == namesake


def test_an_officer_cannot_be_the_second_assessor_either(small_flow, assessor, ormas):
    officer = AssessorFactory(first_name="Siti", last_name="Aminah")
    PengurusFactory(ormas=ormas, name="Siti Aminah")

    with pytest.raises(ValidationError) as refused:
        assign(small_flow, assessor, second=officer)

    assert "second_assessor" in refused.value.message_dict
    assert small_flow.fresh().assessor is None


def test_an_assessor_outside_the_ormas_region_cannot_be_assigned(small_flow):
    malang = AssessorFactory(region_id="35.07")

    with pytest.raises(ValidationError) as refused:
        assign(small_flow, malang)

    assert "assessor" in refused.value.message_dict


def test_only_assessors_can_be_assigned(small_flow, viewer):
    with pytest.raises(ValidationError):
        assign(small_flow, viewer)


def test_the_second_assessor_must_be_another_person(small_flow, assessor):
    with pytest.raises(ValidationError) as refused:
        assign(small_flow, assessor, second=assessor)

    assert "second_assessor" in refused.value.message_dict
    assert small_flow.fresh().assessor is None


def test_only_the_region_admin_in_scope_assigns(small_flow, assessor, operator, outside_admin):
    for person in (operator, assessor, outside_admin):
        with pytest.raises(PermissionDenied):
            assign(small_flow, assessor, actor=person)
    assert small_flow.fresh().assessor is None


# --- reconciliation ----------------------------------------------------------------------------


def disagreeing(flow: Flow, second_assessor) -> Flow:
    """Both assessors check everything; they differ on LV (3 against 4)."""
    submitted(flow, second=second_assessor)
    flow.verify_all({"AS": "2"})
    flow.verify_all({"AS": "2", "LV": "4"}, actor=second_assessor)
    return flow


def test_a_disagreement_between_assessors_goes_to_reconciliation(
    small_flow, second_assessor, assessor, region_admin
):
    disagreeing(small_flow, second_assessor)
    with pytest.raises(PermissionDenied):  # only the first assessor closes verification
        services.assessment_complete(actor=second_assessor, assessment=small_flow.fresh())

    small_flow.complete()

    assessment = small_flow.fresh()
    assert assessment.state == S.RECONCILIATION
    assert moves(assessment)[-1] == ("to_reconcile", "submitted", "reconciliation", assessor.pk)

    with pytest.raises(ValidationError) as refused:
        services.answer_reconcile(
            actor=region_admin, answer=small_flow.get("LV"), value="4", reason="  "
        )
    assert "reason" in refused.value.message_dict
    assert small_flow.get("LV").final_at is None
    with pytest.raises(ValidationError):  # still disagreeing
        services.assessment_reconciled(actor=region_admin, assessment=small_flow.fresh())

    services.answer_reconcile(
        actor=region_admin, answer=small_flow.get("LV"), value="4", reason="Dicek ulang bersama."
    )
    services.assessment_reconciled(actor=region_admin, assessment=small_flow.fresh())

    assessment = small_flow.fresh()
    assert assessment.state == S.VERIFIED
    assert assessment.verified_at is not None
    assert moves(assessment)[-1] == ("reconcile", "reconciliation", "verified", region_admin.pk)
    # LV 4 → 75: D1 = (75 + 100) / 2 = 87.5; D2 = (50 + 75 + 2·50) / 4 = 56.25;
    # index = (87.5 + 56.25) / 2 = 71.875 → 71.88, band B
    assert assessment.result["index"] == "71.88"
    assert assessment.predicate == "B"


def test_agreeing_assessors_complete_straight_to_verified(small_flow, second_assessor, assessor):
    submitted(small_flow, second=second_assessor)
    small_flow.verify_all({"AS": "2"})
    small_flow.verify_all({"AS": "2"}, actor=second_assessor)

    small_flow.complete()

    assessment = small_flow.fresh()
    assert assessment.state == S.VERIFIED
    assert moves(assessment)[-1] == ("complete", "submitted", "verified", assessor.pk)


# --- publication -------------------------------------------------------------------------------


def test_only_the_region_admin_in_scope_publishes(
    verified_small, assessor, operator, outside_admin, viewer
):
    for person in (assessor, operator, outside_admin, viewer):
        with pytest.raises(PermissionDenied):
            verified_small.publish(actor=person)
    assert verified_small.fresh().state == S.VERIFIED


def test_publication_needs_the_period_under_assessment_or_published(
    verified_small, assessing_period
):
    for refused in ("draft", "open", "closed"):
        Period.objects.filter(pk=assessing_period.pk).update(state=refused)
        with pytest.raises(ValidationError):
            verified_small.publish()
        assert verified_small.fresh().state == S.VERIFIED

    Period.objects.filter(pk=assessing_period.pk).update(state="published")
    verified_small.publish()  # more results may follow once the period's are announced
    assert verified_small.fresh().state == S.PUBLISHED


def test_publishing_opens_the_appeal_window_and_freezes_answers(
    verified_small, region_admin, operator
):
    with time_machine.travel(local(dt.date(2027, 2, 2)), tick=False):
        verified_small.publish()

    assessment = verified_small.fresh()
    assert assessment.state == S.PUBLISHED
    assert assessment.published_by == region_admin
    # The period has no appeal date, so the window is SIPKO_APPEAL_DAYS (14) days long.
    assert assessment.appeal_until == dt.date(2027, 2, 16)
    assert moves(assessment)[-1] == ("publish", "verified", "published", region_admin.pk)
    with pytest.raises(ValidationError):
        services.answer_save(actor=operator, answer=verified_small.get("YN"), value="tidak")
    with pytest.raises(ValidationError):
        verified_small.verify("YN", "tidak", reason="Berubah pikiran.")
    assert verified_small.get("YN").verified_value == "ya"


@pytest.mark.parametrize(
    ("appeal_due", "expected"),
    [
        (dt.date(2027, 3, 31), dt.date(2027, 3, 31)),  # the period's date, still well ahead
        (dt.date(2027, 2, 5), dt.date(2027, 2, 16)),  # too close: 14 days instead
    ],
)
def test_the_period_appeal_date_is_used_when_far_enough_ahead(
    verified_small, assessing_period, appeal_due, expected
):
    Period.objects.filter(pk=assessing_period.pk).update(appeal_due=appeal_due)

    with time_machine.travel(local(dt.date(2027, 2, 2)), tick=False):
        verified_small.publish()

    assert verified_small.fresh().appeal_until == expected


def test_rescoring_never_changes_a_published_result(published_small):
    assessment = published_small.fresh()
    before = (assessment.result, assessment.index, assessment.predicate, assessment.inputs_hash)
    assert services.frozen_result_intact(assessment)

    Answer.objects.filter(assessment=assessment, indicator="BD").update(verified_value="25")
    assert services.assessment_rescore(published_small.fresh()) is False

    assessment = published_small.fresh()
    assert (
        assessment.result,
        assessment.index,
        assessment.predicate,
        assessment.inputs_hash,
    ) == before
    assert services.frozen_result_intact(assessment) is False


# --- appeals -----------------------------------------------------------------------------------


def test_only_the_ormas_operator_appeals(published_small, region_admin, other_operator, assessor):
    for person in (region_admin, other_operator, assessor):
        with pytest.raises(PermissionDenied):
            services.appeal_file(
                actor=person,
                assessment=published_small.fresh(),
                grounds="Nilai kami seharusnya lebih tinggi dari ini.",
            )
    assert not Appeal.objects.exists()
    assert published_small.fresh().state == S.PUBLISHED


def test_appeal_grounds_need_at_least_twenty_characters(published_small, operator):
    with pytest.raises(ValidationError) as refused:
        published_small.appeal(grounds="   Nilainya salah.   ")  # 16 characters once trimmed
    assert "grounds" in refused.value.message_dict
    assert not Appeal.objects.exists()
    assert published_small.fresh().state == S.PUBLISHED

    appeal = published_small.appeal(grounds="Nilai BD seharusnya.")  # exactly 20

    assessment = published_small.fresh()
    assert assessment.state == S.APPEAL
    assert moves(assessment)[-1] == ("appeal", "published", "appeal", operator.pk)
    # the verified result (index 65.625, C) is kept on the appeal
    assert (appeal.index_before, appeal.predicate_before) == (Decimal("65.625"), "C")


def test_an_appeal_after_the_window_is_refused(published_small):
    last_day = published_small.fresh().appeal_until

    with (
        time_machine.travel(local(last_day + dt.timedelta(days=1), 8), tick=False),
        pytest.raises(ValidationError),
    ):
        published_small.appeal()
    assert not Appeal.objects.exists()
    assert published_small.fresh().state == S.PUBLISHED

    with time_machine.travel(local(last_day, 20), tick=False):
        published_small.appeal()
    assert published_small.fresh().state == S.APPEAL


def test_a_bad_attachment_leaves_no_appeal_behind(published_small):
    with pytest.raises(ValidationError) as refused:
        published_small.appeal(uploads=[pdf_upload(), fake_pdf_upload()])

    assert "files" in refused.value.message_dict
    assert not Appeal.objects.exists()
    assert not AppealFile.objects.exists()
    assessment = published_small.fresh()
    assert assessment.state == S.PUBLISHED
    assert [m[0] for m in moves(assessment)].count("appeal") == 0


def test_more_than_five_attachments_are_refused(published_small):
    with pytest.raises(ValidationError) as refused:
        published_small.appeal(uploads=[pdf_upload(f"b{i}.pdf") for i in range(6)])

    assert "files" in refused.value.message_dict
    assert not Appeal.objects.exists()
    assert published_small.fresh().state == S.PUBLISHED


def test_an_appeal_names_only_indicators_of_the_instrument(published_small):
    with pytest.raises(ValidationError):
        published_small.appeal(indicators=["BD", "XX9"])
    assert not Appeal.objects.exists()


def test_an_appeal_keeps_its_attachments(published_small):
    appeal = published_small.appeal(indicators=["BD"], uploads=[pdf_upload(), png_upload()])

    assert appeal.indicators == ["BD"]
    assert sorted(appeal.files.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


# --- appeal decisions --------------------------------------------------------------------------


@pytest.fixture
def appealed(published_small: Flow) -> Flow:
    published_small.appeal(indicators=["BD"])
    return published_small


def decide(actor, decision: str, reason: str = "Bukti kemitraan diperiksa.", changes=None):
    return services.appeal_decide(
        actor=actor,
        appeal=Appeal.objects.get(),
        decision=decision,
        reason=reason,
        changes=changes,
    )


def test_the_assessor_and_outsiders_cannot_decide(appealed, assessor, operator, outside_admin):
    for person in (assessor, operator, outside_admin):
        with pytest.raises(PermissionDenied):
            decide(person, AppealState.REJECTED)
    assert Appeal.objects.get().state == AppealState.PENDING
    assert appealed.fresh().state == S.APPEAL


def test_an_admin_who_reconciled_cannot_decide_the_appeal(
    small_flow, second_assessor, region_admin, other_admin
):
    disagreeing(small_flow, second_assessor)
    small_flow.complete()
    services.answer_reconcile(
        actor=region_admin, answer=small_flow.get("LV"), value="4", reason="Dicek ulang."
    )
    services.assessment_reconciled(actor=region_admin, assessment=small_flow.fresh())
    small_flow.publish()
    small_flow.appeal()

    with pytest.raises(PermissionDenied):
        decide(region_admin, AppealState.REJECTED)

    decide(other_admin, AppealState.REJECTED)
    assert small_flow.fresh().state == S.FINAL


def test_a_granted_appeal_changes_a_value_and_a_rejected_one_does_not(appealed, region_admin):
    with pytest.raises(ValidationError):
        decide(region_admin, AppealState.GRANTED, changes={})
    with pytest.raises(ValidationError):
        decide(region_admin, AppealState.PARTLY, changes={"BD": "  "})
    with pytest.raises(ValidationError):
        decide(region_admin, AppealState.REJECTED, changes={"BD": "25"})
    with pytest.raises(ValidationError):
        decide(region_admin, AppealState.GRANTED, reason=" ", changes={"BD": "25"})
    with pytest.raises(ValidationError):
        decide(region_admin, "maybe", changes={"BD": "25"})

    assert Appeal.objects.get().state == AppealState.PENDING
    assert appealed.fresh().state == S.APPEAL
    assert appealed.get("BD").final_at is None


def test_a_granted_appeal_recomputes_the_result_and_makes_it_final(appealed, region_admin):
    decide(region_admin, AppealState.GRANTED, changes={"BD": "25"})

    assessment = appealed.fresh()
    assert assessment.state == S.FINAL
    assert assessment.finalised_at is not None
    # BD 25 → 100: D2 = (100 + 75 + 2·50) / 4 = 68.75; D1 stays 75;
    # index = (75 + 68.75) / 2 = 71.875 → 71.88, band B (it was 65.625, C)
    assert assessment.result["index"] == "71.88"
    assert assessment.index == Decimal("71.875")
    assert assessment.predicate == "B"
    appeal = Appeal.objects.get()
    assert (appeal.state, appeal.reviewer) == (AppealState.GRANTED, region_admin)
    assert (appeal.index_before, appeal.predicate_before) == (Decimal("65.625"), "C")
    bd = appealed.get("BD")
    assert (bd.final_value, bd.final_by, bd.verified_value) == ("25", region_admin, "12")
    assert moves(assessment)[-1] == ("decide", "appeal", "final", region_admin.pk)
    assert services.frozen_result_intact(assessment)


def test_a_rejected_appeal_keeps_the_result(appealed, region_admin):
    decide(region_admin, AppealState.REJECTED)

    assessment = appealed.fresh()
    assert assessment.state == S.FINAL
    assert (assessment.index, assessment.predicate) == (Decimal("65.625"), "C")
    assert Appeal.objects.get().state == AppealState.REJECTED


def test_a_bad_value_in_a_decision_changes_nothing(appealed, region_admin):
    with pytest.raises(ValidationError) as refused:
        decide(region_admin, AppealState.GRANTED, changes={"YN": "tidak", "BD": "-3"})

    assert "BD" in refused.value.message_dict
    assert appealed.get("YN").final_at is None
    assert Appeal.objects.get().state == AppealState.PENDING
    assessment = appealed.fresh()
    assert (assessment.state, assessment.index) == (S.APPEAL, Decimal("65.625"))


# --- final -------------------------------------------------------------------------------------


def test_finalising_waits_for_the_end_of_the_appeal_window(published_small, region_admin):
    with pytest.raises(ValidationError):
        services.assessment_finalise(actor=region_admin, assessment=published_small.fresh())
    assert published_small.fresh().state == S.PUBLISHED

    after = published_small.fresh().appeal_until + dt.timedelta(days=1)
    with time_machine.travel(local(after), tick=False):
        services.assessment_finalise(actor=region_admin, assessment=published_small.fresh())

    assessment = published_small.fresh()
    assert assessment.state == S.FINAL
    assert assessment.finalised_at is not None
    assert moves(assessment)[-1] == ("finalise", "published", "final", region_admin.pk)


def test_only_the_region_admin_finalises(published_small, operator):
    after = published_small.fresh().appeal_until + dt.timedelta(days=1)
    with (
        time_machine.travel(local(after), tick=False),
        pytest.raises(PermissionDenied),
    ):
        services.assessment_finalise(actor=operator, assessment=published_small.fresh())


# --- work on a whole period --------------------------------------------------------------------


def test_opening_all_counts_active_current_ormas_of_the_region(
    small, assessing_period, region_admin, ormas, other_ormas, outside_ormas, viewer
):
    OrmasFactory(activity_status="tidak_aktif")
    OrmasFactory(merged_into=ormas)
    with pytest.raises(ValidationError):  # no instrument chosen yet
        services.assessments_open_all(actor=region_admin, period=assessing_period)
    services.period_standard_set(actor=region_admin, period=assessing_period, instrument=small)
    with pytest.raises(PermissionDenied):
        services.assessments_open_all(actor=viewer, period=assessing_period)

    assert services.assessments_open_all(actor=region_admin, period=assessing_period) == 2
    assert {a.ormas for a in assessing_period.assessments.all()} == {ormas, other_ormas}
    assert all(a.answers.count() == len(SMALL_CODES) for a in assessing_period.assessments.all())
    assert services.assessments_open_all(actor=region_admin, period=assessing_period) == 0


@pytest.fixture
def two_flows(verified_small, other_ormas, other_operator, assessor, region_admin, small):
    """`ormas` verified; `other_ormas` filled in, verified and completed too."""
    period = verified_small.assessment.period
    other = Flow(
        assessment=services.assessment_open(actor=other_operator, ormas=other_ormas, period=period),
        operator=other_operator,
        admin=region_admin,
        assessor=assessor,
    )
    fill_small(other, bd="30")
    other.submit()
    other.assign()
    return verified_small, other


def test_publishing_all_counts_the_verified_ones(two_flows, region_admin, outside_admin):
    first, other = two_flows  # `other` is still being verified
    period = first.assessment.period
    with pytest.raises(PermissionDenied):  # a period outside its reach: refused, not "0 done"
        services.assessments_publish_all(actor=outside_admin, period=period)

    assert services.assessments_publish_all(actor=region_admin, period=period) == 1

    assert first.fresh().state == S.PUBLISHED
    assert other.fresh().state == S.SUBMITTED

    other.verify_all({"AS": "3"})
    other.complete()
    assert services.assessments_publish_all(actor=region_admin, period=period) == 1
    assert services.assessments_publish_all(actor=region_admin, period=period) == 0


def test_finalising_due_counts_only_results_past_their_window(two_flows, region_admin):
    first, other = two_flows
    other.verify_all({"AS": "3"})
    other.complete()
    with time_machine.travel(local(dt.date(2027, 3, 2)), tick=False):
        first.publish()  # window until 16 March
    with time_machine.travel(local(dt.date(2027, 3, 9)), tick=False):
        other.publish()  # window until 23 March
    period = first.assessment.period

    with time_machine.travel(local(dt.date(2027, 3, 16)), tick=False):
        assert services.assessments_finalise_due(actor=region_admin, period=period) == 0
    with time_machine.travel(local(dt.date(2027, 3, 17)), tick=False):
        assert services.assessments_finalise_due(actor=region_admin, period=period) == 1
    assert (first.fresh().state, other.fresh().state) == (S.FINAL, S.PUBLISHED)
    with time_machine.travel(local(dt.date(2027, 3, 24)), tick=False):
        assert services.assessments_finalise_due(actor=region_admin, period=period) == 1
        assert services.assessments_finalise_due(actor=region_admin, period=period) == 0
    assert other.fresh().state == S.FINAL


# --- the instrument of a period ----------------------------------------------------------------


def test_a_period_uses_only_published_instruments(assessing_period, region_admin):
    draft = services.instrument_load(actor=None, text=SMALL_YAML)

    with pytest.raises(ValidationError):
        services.period_standard_set(actor=region_admin, period=assessing_period, instrument=draft)

    Instrument.objects.filter(pk=draft.pk).update(status=InstrumentStatus.RETIRED)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        services.period_standard_set(actor=region_admin, period=assessing_period, instrument=draft)
    assert not PeriodStandard.objects.filter(period=assessing_period).exists()


def test_only_the_region_admin_sets_the_instrument(small, assessing_period, viewer, outside_admin):
    for person in (viewer, outside_admin):
        with pytest.raises(PermissionDenied):
            services.period_standard_set(actor=person, period=assessing_period, instrument=small)
    assert not PeriodStandard.objects.filter(period=assessing_period).exists()


def test_the_instrument_is_fixed_once_an_ormas_has_submitted(small_flow, iko, region_admin):
    period = small_flow.assessment.period
    fill_small(small_flow)
    small_flow.submit()

    with pytest.raises(ValidationError):
        services.period_standard_set(actor=region_admin, period=period, instrument=iko)

    assert PeriodStandard.objects.get(period=period).instrument.code == "UJI-KECIL"
    assert small_flow.fresh().instrument.code == "UJI-KECIL"


def test_drafts_follow_a_new_instrument(small_flow, iko, region_admin):
    small_flow.answer("YN", "ya")

    services.period_standard_set(
        actor=region_admin, period=small_flow.assessment.period, instrument=iko
    )

    assessment = small_flow.fresh()
    assert assessment.instrument == iko
    assert sorted(assessment.answers.values_list("indicator", flat=True)) == sorted(
        i.code for i in iko.spec.indicators
    )


# --- instruments -------------------------------------------------------------------------------

BROKEN_YAML = """\
code: RUSAK
version: "1"
name: Instrumen rusak
predicates:
  - {code: A, label: Baik, min: 50}
  - {code: D, label: Kurang, min: 0}
dimensions:
  - code: D1
    name: Satu
    weight: -1
    indicators:
      - {code: I1, name: Satu, type: angka, weight: 1, source: self}
      - {code: I2, name: Dua, type: yesno, weight: 1, source: orang}
"""


def test_a_file_breaking_the_schema_is_refused_with_every_problem_listed(db):
    with pytest.raises(ValidationError) as refused:
        services.instrument_load(actor=None, text=BROKEN_YAML)

    paths = sorted(message.split(":")[0] for message in refused.value.messages)
    assert paths == [
        "dimensions[0].indicators[0].type",
        "dimensions[0].indicators[1].source",
        "dimensions[0].weight",
    ]
    assert not Instrument.objects.exists()


def test_a_published_version_is_never_overwritten(iko):
    original = dict(iko.definition)
    changed = IKO_2025_FILE.read_text(encoding="utf-8").replace(
        "name: Indeks Kinerja Ormas", "name: Indeks Lain", 1
    )

    with pytest.raises(ValidationError):
        services.instrument_load(actor=None, text=changed)

    iko.refresh_from_db()
    assert iko.name == "Indeks Kinerja Ormas"
    assert iko.definition == original
    assert Instrument.objects.count() == 1


def test_loading_a_draft_again_replaces_it(db):
    first = services.instrument_load(actor=None, text=SMALL_YAML)
    second = services.instrument_load(
        actor=None, text=SMALL_YAML.replace("Instrumen uji kecil", "Instrumen uji kecil (revisi)")
    )

    assert second.pk == first.pk
    assert Instrument.objects.get().name == "Instrumen uji kecil (revisi)"


def test_instrument_ownership_decides_who_loads(region_admin):
    with pytest.raises(PermissionDenied):  # national instruments are Kemendagri's
        services.instrument_load(actor=region_admin, text=SMALL_YAML)
    with pytest.raises(PermissionDenied):  # outside the admin's region
        services.instrument_load(actor=region_admin, text=SMALL_YAML, region_code="35.07")

    mine = services.instrument_load(actor=region_admin, text=SMALL_YAML, region_code="35.72")

    assert (mine.status, mine.region_id) == (InstrumentStatus.DRAFT, "35.72")


def test_publishing_twice_is_refused(small):
    with pytest.raises(ValidationError):
        services.instrument_publish(actor=None, instrument=small)


def test_a_new_version_is_a_draft_copy(iko, national_admin, region_admin):
    with pytest.raises(PermissionDenied):
        services.instrument_new_version(actor=region_admin, instrument=iko, version="2026.1")

    copy = services.instrument_new_version(actor=national_admin, instrument=iko, version="2026.1")

    assert copy.pk != iko.pk
    assert (copy.code, copy.version, copy.status) == ("IKO-DEFAULT", "2026.1", "draft")
    assert copy.derived_from == iko
    assert copy.spec.version == "2026.1"
    assert copy.spec.dimensions == iko.spec.dimensions
    assert copy.spec.predicates == iko.spec.predicates
    iko.refresh_from_db()
    assert (iko.version, iko.status) == ("2025.1", InstrumentStatus.PUBLISHED)
    with pytest.raises(ValidationError):
        services.instrument_new_version(actor=national_admin, instrument=iko, version="2026.1")


# --- scores ------------------------------------------------------------------------------------


def test_the_provisional_score_uses_the_ormas_own_values(small_flow):
    fill_small(small_flow)

    assessment = small_flow.fresh()
    # Own values: LV 3 → 50, YN ya → 100, BD 12 → 50, RT 3/4 → 75, AS (assessor's) unanswered → 0
    # D1 = (50 + 100) / 2 = 75; D2 = (50 + 75 + 2·0) / 4 = 31.25; index = 53.125 → 53.13 (D)
    assert assessment.provisional["index"] == "53.13"
    assert assessment.provisional["predicate"]["code"] == "D"
    assert (assessment.result, assessment.index, assessment.inputs_hash) == (None, None, "")


def test_not_applicable_answers_are_reweighted_in_the_provisional_score(small_flow):
    fill_small(small_flow, rt="NA")

    # D2 without RT: (50 + 2·0) / 3 = 16.666…; index = (75 + 16.666…) / 2 = 45.8333… → 45.83
    assert small_flow.fresh().provisional["index"] == "45.83"


def test_unverified_answers_count_as_unanswered_in_the_official_score(small_flow):
    submitted(small_flow)

    assessment = small_flow.fresh()
    assert assessment.result["index"] == "0.00"
    assert assessment.index == 0
    assert {line["status"] for line in assessment.result["lines"]} == {"unanswered"}
    assert assessment.provisional["index"] == "53.13"  # unchanged by the submission


def test_one_verification_updates_the_official_score_at_once(small_flow):
    submitted(small_flow)

    small_flow.verify("LV")
    # LV 3 → 50, everything else unverified (0): D1 = 25, D2 = 0, index = 12.5
    assessment = small_flow.fresh()
    assert (assessment.result["index"], assessment.index) == ("12.50", Decimal("12.5"))
    statuses = {line["indicator"]: line["status"] for line in assessment.result["lines"]}
    assert statuses == {
        "LV": "answered",
        "YN": "unanswered",
        "BD": "unanswered",
        "RT": "unanswered",
        "AS": "unanswered",
    }

    small_flow.verify("RT", "2/4", reason="Target sebenarnya 4 kegiatan, terlaksana 2.")
    # RT 2/4 → 50: D2 = (0 + 50 + 0) / 4 = 12.5; index = (25 + 12.5) / 2 = 18.75
    assessment = small_flow.fresh()
    assert (assessment.result["index"], assessment.predicate) == ("18.75", "D")


def test_the_inputs_hash_follows_the_counted_values(small_flow):
    submitted(small_flow)
    small_flow.verify("LV")
    first = small_flow.fresh().inputs_hash
    assert len(first) == 64

    assert services.assessment_rescore(small_flow.fresh()) is False
    assert small_flow.fresh().inputs_hash == first

    small_flow.verify("YN")
    second = small_flow.fresh().inputs_hash
    assert second != first

    small_flow.verify("YN")  # the same value again: nothing that counts has changed
    assert small_flow.fresh().inputs_hash == second

    small_flow.verify("YN", "tidak", reason="Rekening atas nama ketua.")
    third = small_flow.fresh().inputs_hash
    assert third not in (first, second)

    # Anyone holding the instrument and the counted values can recompute it (services docstring).
    assessment = small_flow.fresh()
    counted = {"LV": "3", "YN": "tidak", "BD": "", "RT": "", "AS": ""}
    payload = {"instrument": assessment.instrument.definition, "answers": counted}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert third == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_tampering_with_a_published_answer_is_detected(published_small):
    assert services.frozen_result_intact(published_small.fresh())

    Answer.objects.filter(assessment=published_small.assessment, indicator="LV").update(
        verified_value="5"
    )

    assert services.frozen_result_intact(published_small.fresh()) is False


def test_the_default_instrument_scores_a_whole_assessment(
    iko, assessing_period, ormas, operator, region_admin, assessor, private_media
):
    flow = make_flow(
        instrument=iko,
        period=assessing_period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    for code, value in (
        ("KEL4", "4"),
        ("SDM1", "30"),
        ("SDM2", "2"),
        ("SDM3", "3"),
        ("SDM4", "ya"),
        ("MNF1", "250"),
        ("MNF3", "1"),
    ):
        flow.answer(code, value, evidence=iko.spec.indicator(code).evidence)
    # The test ormas has no registration, officer, document, programme or report, so SIPKO
    # computes KEL1 = level 1 (0), KEL2 tidak (0), KEL3 0 of 4 documents (0). The period (2025)
    # is over and its programme deadline (31 March) passed with no accepted programme, so the
    # missing-data rule counts PRG2, PRG3, PRG4 and MNF2 as 0 — not N/A, not unanswered.
    assert flow.get("KEL1").value == "1"
    assert {code: flow.get(code).value for code in ("PRG2", "PRG3", "PRG4", "MNF2")} == {
        "PRG2": "0",
        "PRG3": "0",
        "PRG4": "0",
        "MNF2": "0",
    }
    # KEL = 25·100 / 100 = 25
    # SDM: SDM1 30 → band 4 of 4 = 100; SDM2 2 → band 3 of 4 = 66.67; SDM3 3 → 66.67;
    #      SDM4 ya = 100 → (30·100 + 25·200/3 + 25·200/3 + 20·100) / 100 = 83.333…
    # PRG = 0 (PRG1 is the assessor's, unanswered)
    # MNF: MNF1 250 → band 3 of 4 = 66.67 (weight 30), MNF2 0 (20), MNF3 1 → band 2 = 33.33
    #      (25), MNF4 unanswered (25) → (30·200/3 + 25·100/3) / 100 = 28.333…
    # index = (20·25 + 25·83.333… + 30·0 + 25·28.333…) / 100 = 32.91666… → 32.92 (D)
    assessment = flow.fresh()
    assert assessment.provisional["index"] == "32.92"
    assert assessment.provisional["predicate"]["code"] == "D"

    flow.submit()
    flow.assign()
    flow.verify_all({"PRG1": "3", "MNF4": "2"})
    flow.complete()
    flow.publish()

    assessment = flow.fresh()
    assert assessment.state == S.PUBLISHED
    # PRG: PRG1 3 → 66.67 → 25·200/3 / 100 = 16.666…
    # MNF: MNF4 2 → 33.33 → (2000 + 2500/3 + 2500/3) / 100 = 36.666…
    # index = (500 + 2083.333… + 30·16.666… + 25·36.666…) / 100 = 4000 / 100 = 40 (D)
    assert assessment.result["index"] == "40.00"
    assert assessment.index == Decimal("40.000000")
    assert assessment.predicate == "D"
    dimensions = {d["code"]: d["score"] for d in assessment.result["dimensions"]}
    assert dimensions == {"KEL": "25.00", "SDM": "83.33", "PRG": "16.67", "MNF": "36.67"}


# --- who sees what -----------------------------------------------------------------------------


def test_only_the_ormas_operator_sees_the_provisional_score(
    small_flow, operator, other_operator, region_admin, assessor, viewer, national_admin
):
    submitted(small_flow)
    assessment = small_flow.fresh()

    assert access.can_see_provisional(operator, assessment)
    for person in (other_operator, region_admin, assessor, viewer, national_admin):
        assert not access.can_see_provisional(person, assessment)


def test_who_sees_the_official_result_in_each_state(
    small_flow, operator, region_admin, assessor, viewer, national_admin
):
    fill_small(small_flow)
    small_flow.assign()  # assessors may be assigned while the ormas still fills in
    everyone = (operator, region_admin, assessor, viewer, national_admin)
    assert not any(access.can_see_result(p, small_flow.fresh()) for p in everyone)

    small_flow.submit()
    assessment = small_flow.fresh()
    assert not access.can_see_result(operator, assessment)
    assert not access.can_see_result(viewer, assessment)
    assert access.can_see_result(region_admin, assessment)
    assert access.can_see_result(assessor, assessment)

    small_flow.verify_all({"AS": "2"})
    small_flow.complete()
    assert not access.can_see_result(operator, small_flow.fresh())
    assert not access.can_see_result(viewer, small_flow.fresh())

    small_flow.publish()
    assert all(access.can_see_result(p, small_flow.fresh()) for p in everyone)


def test_assessments_visible_to_each_role(
    published_small,
    small,
    other_ormas,
    other_operator,
    operator,
    assessor,
    viewer,
    region_admin,
    outside_admin,
):
    mine = published_small.assessment
    theirs = services.assessment_open(actor=other_operator, ormas=other_ormas, period=mine.period)

    def visible(user) -> set[Assessment]:
        return set(access.assessments_visible_to(user))

    assert visible(assessor) == {mine}  # assigned to `mine` only
    assert visible(viewer) == {mine}  # published only
    assert visible(operator) == {mine}
    assert visible(other_operator) == {theirs}
    assert visible(region_admin) == {mine, theirs}
    assert visible(outside_admin) == set()

    Assessment.objects.filter(pk=mine.pk).update(state=S.VERIFIED)
    assert visible(viewer) == set()
