"""Assessment moves made twice at once, or while somebody else changes the same assessment.

Each scenario is the one a probe found on PostgreSQL before the services locked what they read:
a completion racing the second assessor's changes, double completions, double appeals and double
bulk openings. Every racing call loads its objects itself, as a request does.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sipko.assessment import services
from sipko.assessment.models import Answer, Appeal, Assessment
from sipko.assessment.models import AssessmentState as S
from sipko.registry.models import Ormas
from sipko.workflow.models import StateChange
from tests.assessment.factories import Flow, fill_small
from tests.concurrency import errors, postgres_only, race
from tests.factories import OrmasFactory

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def _fresh(pk: int) -> Assessment:
    return Assessment.objects.get(pk=pk)


def _moves(assessment: Assessment, *actions: str) -> int:
    return StateChange.objects.filter(object_id=assessment.pk, action__in=actions).count()


def _only_clear_refusals(outcomes) -> None:
    """Whoever lost a race is told so in words (a ValidationError), never a database error."""
    for error in errors(outcomes):
        assert isinstance(error, ValidationError), repr(error)


def test_completion_racing_the_second_assessor_never_leaves_a_disagreement_verified(
    small_flow: Flow, second_assessor
):
    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign(second=second_assessor)
    small_flow.verify_all({"AS": "2"})
    small_flow.verify_all({"AS": "2"}, actor=second_assessor)  # both agree so far
    pk = small_flow.assessment.pk
    changed = {"LV": "5", "YN": "tidak", "BD": "25", "AS": "3"}

    def complete():
        return services.assessment_complete(actor=small_flow.assessor, assessment=_fresh(pk))

    def second_changes_four():
        for code, value in changed.items():
            answer = Answer.objects.get(assessment_id=pk, indicator=code)
            services.answer_verify(
                actor=second_assessor, answer=answer, value=value, reason="Dicek ulang."
            )

    outcomes = race(complete, complete, second_changes_four)

    assessment = _fresh(pk)
    disagreements = [a.indicator for a in assessment.answers.all() if a.disagreement]
    # Either the changes came first (reconciliation), or the completion did (and the late
    # changes were refused because verification was over): never "verified with disagreements".
    assert not (assessment.state == S.VERIFIED and disagreements)
    assert _moves(assessment, "complete", "to_reconcile") == 1
    _only_clear_refusals(outcomes)


def test_a_double_submitted_appeal_is_filed_once(published_small: Flow):
    pk = published_small.assessment.pk

    def appeal():
        return services.appeal_file(
            actor=published_small.operator,
            assessment=_fresh(pk),
            grounds="Nilai rekening bank keliru, kami punya buktinya.",
        )

    outcomes = race(*[appeal] * 6)

    assert sum(o.ok for o in outcomes) == 1
    assert Appeal.objects.filter(assessment_id=pk).count() == 1
    assert _moves(_fresh(pk), "appeal") == 1
    _only_clear_refusals(outcomes)


def test_a_double_publication_is_logged_once(verified_small: Flow):
    pk = verified_small.assessment.pk

    def publish():
        return services.assessment_publish(actor=verified_small.admin, assessment=_fresh(pk))

    outcomes = race(publish, publish, publish)

    assert sum(o.ok for o in outcomes) == 1
    assert _moves(_fresh(pk), "publish") == 1
    _only_clear_refusals(outcomes)


def test_bulk_opening_twice_at_once_opens_each_ormas_once(small_flow: Flow):
    period = small_flow.assessment.period
    for n in range(4):
        OrmasFactory(name=f"Paguyuban Serentak {n} (fiktif)")
    active = Ormas.objects.current().filter(
        region__code__startswith="35.72", activity_status="aktif"
    )

    def open_all():
        return services.assessments_open_all(actor=small_flow.admin, period=period)

    outcomes = race(open_all, open_all, open_all)

    _only_clear_refusals(outcomes)
    opened = Assessment.objects.filter(period=period)
    assert opened.count() == active.count()
    assert sum(o.value or 0 for o in outcomes if o.ok) == active.count() - 1  # `ormas` had one


def test_one_ormas_opened_twice_at_once_has_one_assessment(
    small, assessing_period, other_ormas, other_operator, region_admin
):
    services.period_standard_set(actor=region_admin, period=assessing_period, instrument=small)

    def open_own():
        return services.assessment_open(
            actor=other_operator, ormas=other_ormas, period=assessing_period
        ).pk

    outcomes = race(open_own, open_own, open_own, open_own)

    _only_clear_refusals(outcomes)
    assert len({o.value for o in outcomes}) == 1
    assert Assessment.objects.filter(ormas=other_ormas, period=assessing_period).count() == 1


def test_evidence_files_stay_within_the_limit_when_uploaded_at_once(small_flow: Flow):
    from tests.assessment.factories import pdf_upload

    answer_pk = small_flow.get("LV").pk
    for _ in range(services.MAX_FILES_PER_ANSWER - 2):
        small_flow.attach("LV")

    def attach():
        return services.answer_file_add(
            actor=small_flow.operator,
            answer=Answer.objects.get(pk=answer_pk),
            upload=pdf_upload(),
        )

    outcomes = race(*[attach] * 5)

    assert Answer.objects.get(pk=answer_pk).files.count() == services.MAX_FILES_PER_ANSWER
    assert sum(o.ok for o in outcomes) == 2
    _only_clear_refusals(outcomes)


def test_an_appeal_posted_six_times_at_once_through_the_web_never_answers_500(
    published_small: Flow,
):
    from django.test import Client
    from django.urls import reverse

    url = reverse("assessment:appeal", kwargs={"uuid": published_small.assessment.uuid})
    clients = []
    for _ in range(6):
        client = Client(raise_request_exception=False)
        client.force_login(published_small.operator)
        clients.append(client)
    grounds = {"grounds": "Nilai kantor kami keliru; papan nama sudah terpasang sejak Maret."}

    outcomes = race(*[lambda c=c: c.post(url, grounds).status_code for c in clients])

    assert not errors(outcomes)
    statuses = sorted(o.value for o in outcomes)
    assert 500 not in statuses and statuses.count(302) >= 1
    assert Appeal.objects.filter(assessment=published_small.assessment).count() == 1
    assert _moves(_fresh(published_small.assessment.pk), "appeal") == 1


def test_the_same_instrument_file_loaded_twice_at_once_gives_one_draft(region_admin):
    from sipko.assessment.models import Instrument
    from tests.assessment.factories import SMALL_YAML

    text = SMALL_YAML.replace("code: UJI-KECIL", "code: UJI-SERENTAK")

    def load():
        return services.instrument_load(actor=region_admin, text=text, region_code="35.72").pk

    outcomes = race(load, load, load)

    _only_clear_refusals(outcomes)
    assert Instrument.objects.filter(code="UJI-SERENTAK").count() == 1
