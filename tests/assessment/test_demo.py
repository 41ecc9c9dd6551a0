"""`seed_demo`, assessment part: the default instrument and assessments in every workflow state.

Like tests/planning/test_seed_plans.py, the whole demo is loaded once for the module inside a
transaction that is rolled back at the end; each test runs in a savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from sipko.accounts import access
from sipko.accounts.models import Role, User
from sipko.assessment import demo as assessment_demo
from sipko.assessment import services
from sipko.assessment.models import (
    PUBLIC_STATES,
    AnswerFile,
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    EligibilityRule,
    FollowUp,
    Instrument,
    InstrumentStatus,
    PeriodStandard,
)
from sipko.assessment.workflows import appeal_window_open
from sipko.planning import demo as planning_demo
from sipko.planning.models import Period, PeriodState
from sipko.registry import demo as registry_demo
from sipko.registry.models import Assignment
from sipko.workflow.engine import state_log
from sipko.workflow.models import StateChange

KOTA, KAB = "35.72", "35.05"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def period(region: str, which: str) -> Period:
    """This year's period ("current") or last year's; Kota Blitar also has next year's."""
    year = planning_demo.open_year(timezone.localdate())
    return Period.objects.get(
        region_id=region, start__year=year if which == "current" else year - 1
    )


def indexes() -> dict[tuple[str, str], tuple[str, str | None, str]]:
    return {
        (a.ormas.name, a.period.name): (a.state, str(a.index) if a.index else None, a.predicate)
        for a in Assessment.objects.select_related("ormas", "period")
    }


def test_the_default_instrument_is_published_and_the_standard_of_every_demo_period(
    seeded: str,
) -> None:
    instrument = Instrument.objects.get(code="IKO-DEFAULT", version="2025.1")
    assert instrument.status == InstrumentStatus.PUBLISHED and instrument.region_id is None
    assert instrument.history.earliest().history_user is None  # loaded by the system
    assert instrument.history.latest().history_user.username == "admin_nasional"
    newest = Instrument.objects.get(code="IKO-DEFAULT", version="2026.1")
    assert newest.status == InstrumentStatus.PUBLISHED and newest.region_id is None
    standards = PeriodStandard.objects.filter(period__name__endswith="(demo)")
    assert standards.count() == 5
    # Kota Blitar's next year, open for programmes, has the newest version from the start; the
    # periods already assessed keep 2025.1, so their published results stay as they were.
    next_year = standards.get(period__region_id=KOTA, period__state=PeriodState.OPEN)
    assert next_year.instrument == newest
    assert {s.instrument for s in standards.exclude(pk=next_year.pk)} == {instrument}
    assert not Assessment.objects.exclude(instrument=instrument).exists()


def test_every_workflow_state_occurs_and_only_demo_ormas_are_assessed(seeded: str) -> None:
    assessments = Assessment.objects.all()
    assert set(assessments.values_list("state", flat=True)) == set(AssessmentState.values)
    assert not assessments.filter(ormas__is_demo=False).exists()
    current = Counter(
        Assessment.objects.filter(period=period(KOTA, "current")).values_list("state", flat=True)
    )
    assert set(current) == set(AssessmentState.values)  # Kota Blitar this year: every state
    assert 40 <= assessments.count() <= 90
    # Assessors are assigned with the conflict-of-interest declaration, and are never officers.
    for assessment in assessments.exclude(assessor=None).select_related("ormas", "assessor"):
        assignment = Assignment.objects.get(assessor=assessment.assessor, ormas=assessment.ormas)
        assert assignment.no_conflict_declared_at is not None
        assert assessment.assessor.role == Role.ASSESSOR


def test_period_states_follow_the_workflow(seeded: str) -> None:
    kota = period(KOTA, "current")
    assert kota.state == PeriodState.ASSESSMENT
    assert [c.action for c in state_log(kota)] == ["open", "start_assessment"]
    assert period(KAB, "current").state == PeriodState.OPEN
    for region in (KOTA, KAB):
        previous = period(region, "previous")
        assert previous.state == PeriodState.CLOSED  # restored after the replay
        assert [c.action for c in state_log(previous)] == [
            "open",
            "start_assessment",
            "publish",
            "close",
        ]


def test_last_year_is_published_mostly_final(seeded: str) -> None:
    for region in (KOTA, KAB):
        previous = period(region, "previous")
        states = Counter(previous.assessments.values_list("state", flat=True))
        assert set(states) <= {AssessmentState.PUBLISHED, AssessmentState.FINAL}
        assert states[AssessmentState.FINAL] > states[AssessmentState.PUBLISHED]
    both = Assessment.objects.filter(period__state=PeriodState.CLOSED)
    assert both.filter(state=AssessmentState.PUBLISHED).exists()
    # Every step of last year happened while the period was in the state the step needs.
    log = {p.pk: state_log(p) for p in Period.objects.filter(state=PeriodState.CLOSED)}
    for assessment in both:
        changes = {c.action: c.at for c in state_log(assessment)}
        moves = {c.action: c.at for c in log[assessment.period_id]}
        assert moves["open"] < changes["submit"] < moves["start_assessment"]
        assert moves["start_assessment"] < changes["publish"] < moves["publish"]
        if "finalise" in changes:
            assert assessment.appeal_until < timezone.localdate(changes["finalise"])


def test_published_results_are_intact_and_scored(seeded: str) -> None:
    public = Assessment.objects.filter(state__in=PUBLIC_STATES)
    assert public.count() >= 20
    for assessment in public:
        assert assessment.inputs_hash and assessment.index is not None and assessment.predicate
        assert assessment.published_at and assessment.published_by and assessment.appeal_until
        assert services.frozen_result_intact(assessment), assessment
        assert not assessment.answers.filter(verified_at=None).exists()
    assert len(set(public.values_list("predicate", flat=True))) >= 2


def test_provisional_scores_only_where_expected(seeded: str) -> None:
    """Every assessment carries the ormas' own (provisional) score; the official result only
    once it has been submitted, and an index and predicate only from verified values."""
    assert not Assessment.objects.filter(provisional=None).exists()
    drafts = Assessment.objects.filter(state=AssessmentState.DRAFT)
    assert drafts.exists()
    assert not drafts.exclude(result=None).exists()
    assert not drafts.exclude(index=None).exists() and not drafts.exclude(predicate="").exists()
    assert not drafts.exclude(inputs_hash="").exists()
    assert not Assessment.objects.exclude(state=AssessmentState.DRAFT).filter(result=None).exists()
    # Waiting for verification: unverified answers are not counted yet.
    waiting = Assessment.objects.filter(state=AssessmentState.SUBMITTED)
    partly = [a for a in waiting if a.answers.filter(verified_at=None).exclude(value="").exists()]
    for assessment in partly:
        counted = services.counted_values(assessment)
        for answer in assessment.answers.filter(verified_at=None):
            assert counted[answer.indicator] == ""
    # Assessors corrected some claims: the provisional score is then higher than the result.
    changed = Assessment.objects.filter(state__in=PUBLIC_STATES).filter(
        answers__verified_reason__gt=""
    )
    assert changed.exists()
    assert any(
        Decimal(a.provisional["index"]) > Decimal(a.result["index"]) for a in changed.distinct()
    )


def test_corrections_carry_reasons_and_evidence_is_attached(seeded: str) -> None:
    corrected = set()
    for assessment in Assessment.objects.exclude(state=AssessmentState.DRAFT):
        assert services.missing_evidence(assessment) == []
        spec = assessment.instrument.spec
        for answer in assessment.answers.exclude(verified_at=None):
            own_value = spec.indicator(answer.indicator).source != "assessor"
            if own_value and answer.verified_value != answer.value:
                assert answer.verified_reason, answer
                corrected.add(assessment.pk)
    assert len(corrected) >= 5
    files = AnswerFile.objects.all()
    assert {f.content_type for f in files} == {"image/jpeg", "image/png"}
    for item in files[:6]:
        assert item.size < 20_000
        with item.file.open("rb") as handle:
            Image.open(handle).verify()


def test_reconciliation_shows_a_disagreement_and_a_settled_one(seeded: str) -> None:
    waiting = Assessment.objects.filter(state=AssessmentState.RECONCILIATION)
    assert waiting.exists()
    for assessment in waiting:
        assert assessment.second_assessor is not None
        assert any(a.disagreement for a in assessment.answers.all())
    settled = Assessment.objects.exclude(second_assessor=None).exclude(
        state=AssessmentState.RECONCILIATION
    )
    assert settled.filter(state=AssessmentState.VERIFIED).exists()
    assert settled.filter(state=AssessmentState.FINAL).exists()
    for assessment in settled:
        actions = [c.action for c in state_log(assessment)]
        assert "to_reconcile" in actions and "reconcile" in actions
        reconciled = assessment.answers.exclude(final_at=None)
        assert reconciled.exists() and not reconciled.filter(final_reason="").exists()


def test_an_open_appeal_and_decided_ones_by_a_reviewer_who_did_not_verify(seeded: str) -> None:
    pending = Appeal.objects.filter(state=AppealState.PENDING)
    assert pending.count() == 1
    appeal = pending.get()
    assert appeal.assessment.state == AssessmentState.APPEAL
    assert appeal.filed_by.role == Role.OPERATOR
    assert appeal.filed_by.ormas_id == appeal.assessment.ormas_id
    assert len(appeal.grounds) >= 20 and appeal.indicators and appeal.files.exists()
    assert appeal.index_before == appeal.assessment.index

    decided = Appeal.objects.exclude(state=AppealState.PENDING).select_related("assessment")
    assert {a.state for a in decided} == {
        AppealState.GRANTED,
        AppealState.PARTLY,
        AppealState.REJECTED,
    }
    for appeal in decided:
        assessment = appeal.assessment
        assert assessment.state == AssessmentState.FINAL and appeal.decision_reason
        assert appeal.reviewer.role == Role.REGION_ADMIN
        assert appeal.reviewer_id not in (assessment.assessor_id, assessment.second_assessor_id)
        assert not assessment.answers.filter(
            Q(verified_by=appeal.reviewer) | Q(second_by=appeal.reviewer)
        ).exists()
        changed = assessment.answers.exclude(final_at=None)
        if appeal.state == AppealState.REJECTED:
            assert not changed.exists() and appeal.index_before == assessment.index
        else:
            assert changed.exists() and assessment.index > appeal.index_before
            assert all(a.final_value != a.verified_value for a in changed)
    current = decided.filter(assessment__period__state=PeriodState.ASSESSMENT)
    assert current.filter(state=AppealState.GRANTED).exists()


def test_what_the_demo_logins_find(seeded: str) -> None:
    today = timezone.localdate()
    kota = period(KOTA, "current")
    operator = User.objects.get(username="operator")
    mine = Assessment.objects.get(ormas=operator.ormas, period=kota)
    assert mine.state == AssessmentState.DRAFT and mine.provisional
    spec = mine.instrument.spec
    own = [a for a in mine.answers.all() if spec.indicator(a.indicator).source == "self"]
    assert any(a.value for a in own) and any(not a.value for a in own)  # partly answered
    assert Assessment.objects.filter(ormas=operator.ormas, state=AssessmentState.FINAL).exists()

    operator2 = User.objects.get(username="operator2")
    theirs = Assessment.objects.get(ormas=operator2.ormas, period=kota)
    assert theirs.state == AssessmentState.PUBLISHED and theirs.appeal_until >= today
    assert access.can_appeal(operator2, theirs) and appeal_window_open(theirs, operator2) is None

    penilai = User.objects.get(username="penilai")
    waiting = Assessment.objects.filter(assessor=penilai, state=AssessmentState.SUBMITTED)
    assert waiting.count() >= 2
    assert any(a.answers.filter(verified_at=None).exists() for a in waiting)
    assert any(a.answers.exclude(verified_at=None).exists() for a in waiting)
    # penilai keeps its 10 registry assignments: the others are assessed by penilai2.
    assert Assignment.objects.filter(assessor=penilai).count() == registry_demo.ASSESSED_ORMAS

    extra = {u.username: u for u in assessment_demo.extra_users()}
    assert set(extra) == set(assessment_demo.EXTRA_USERNAMES)
    assert all(u.check_password(registry_demo.DEMO_PASSWORD) for u in extra.values())
    assert (extra["penilai_kab"].role, extra["penilai_kab"].region_id) == (Role.ASSESSOR, KAB)
    assert Appeal.objects.filter(filed_by=extra["operator3"], state=AppealState.PENDING).exists()
    assert Appeal.objects.filter(filed_by=extra["operator4"], state=AppealState.GRANTED).exists()
    assert "penilai2" in seeded and "operator3" in seeded


def test_guidance_and_grant_eligibility(seeded: str) -> None:
    follow_ups = FollowUp.objects.select_related("assessment")
    assert follow_ups.count() >= 10
    assert all(f.assessment.is_public and f.action and f.indicator for f in follow_ups)
    assert follow_ups.exclude(state="open").exists()  # progress reported this year
    rules = EligibilityRule.objects.all()
    assert {r.region_id for r in rules} == {KOTA, KAB}
    for rule in rules:
        assert rule.name.startswith("Layak hibah APBD") and rule.name.endswith("(demo)")
        assert rule.predicates == ["A", "B"]


def test_the_history_happened_in_the_past_in_order(seeded: str) -> None:
    now = timezone.now()
    logged = StateChange.objects.filter(content_type__model="assessment")
    assert logged.exists() and not logged.filter(at__gt=now).exists()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert all(timezone.localdate(change.at) <= yesterday for change in logged)
    for assessment in Assessment.objects.exclude(state=AssessmentState.DRAFT)[:40]:
        log = state_log(assessment)
        assert [c.at for c in log] == sorted(c.at for c in log)
        assert assessment.history.earliest().history_date <= log[0].at
    assert not Appeal.objects.filter(filed_at__gt=now).exists()


def test_seed_summary_line_names_the_assessment_counts(seeded: str) -> None:
    line = next(s for s in seeded.splitlines() if s.startswith("Penilaian kinerja"))
    assert "IKO-DEFAULT 2025.1" in line
    assert f"{Assessment.objects.count()} penilaian" in line
    for state in (AssessmentState.DRAFT, AssessmentState.FINAL):
        count = Assessment.objects.filter(state=state).count()
        assert f"{count} {'penilaian mandiri' if state == 'draft' else 'final'}" in line


def test_if_empty_leaves_the_assessments_alone(seeded: str) -> None:
    before = indexes()
    assert "tidak dimuat" in run("seed_demo", "--if-empty")
    assert indexes() == before


def test_reset_removes_the_assessments_and_the_same_seed_gives_the_same_indexes(
    seeded: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    before = indexes()
    old = set(Assessment.objects.values_list("pk", flat=True))
    old_file = AnswerFile.objects.first().file
    assert old_file.storage.exists(old_file.name)
    with django_capture_on_commit_callbacks(execute=True):
        out = run("seed_demo", "--reset")
    assert f"{len(old)} penilaian." in out
    assert not old_file.storage.exists(old_file.name)
    assert not Assessment.objects.filter(pk__in=old).exists()
    logged = StateChange.objects.filter(content_type__model="assessment")
    assert set(logged.values_list("object_id", flat=True)) <= set(
        Assessment.objects.values_list("pk", flat=True)
    )
    assert Instrument.objects.filter(code="IKO-DEFAULT").count() == 2  # kept and used again
    assert indexes() == before


def test_the_assessment_reset_comes_first_and_frees_periods_and_accounts(seeded: str) -> None:
    """Assessments protect their periods, instrument and assessors from deletion: removing them
    first lets the planning and registry resets remove the rest."""
    count = Assessment.objects.count()
    assert assessment_demo.demo_reset() == (count, len(assessment_demo.EXTRA_ACCOUNTS))
    assert not Assessment.objects.exists() and not assessment_demo.extra_users()
    assert not EligibilityRule.objects.exists() and not PeriodStandard.objects.exists()
    assert not StateChange.objects.filter(content_type__model="assessment").exists()
    assert Instrument.objects.filter(code="IKO-DEFAULT").exists()
    planning_demo.demo_reset()
    registry_demo.demo_reset()
    assert not Period.objects.exists() and not registry_demo.demo_users()
