"""`Workflow.refusal` and `available_actions`: what a page may offer, from the same table and
guards `transition()` applies, without moving anything."""

from __future__ import annotations

from sipko.planning.models import PeriodState, ProgrammeState
from sipko.planning.workflows import PERIOD_WORKFLOW, PROGRAMME_WORKFLOW
from sipko.workflow.engine import state_log


def test_each_move_out_of_the_state_with_its_refusal(programme, operator) -> None:
    programme.state = ProgrammeState.DRAFT
    programme.save()

    assert PROGRAMME_WORKFLOW.available_actions(programme, operator) == {"submit": None}

    programme.indicators.all().delete()
    refused = PROGRAMME_WORKFLOW.available_actions(programme, operator)
    assert list(refused) == ["submit"]
    assert "indikator" in refused["submit"]
    # Asking changes nothing.
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.DRAFT and not state_log(programme)


def test_the_first_guard_that_objects_is_the_reason(programme, operator) -> None:
    programme.state = ProgrammeState.RETURNED
    programme.save()
    period = programme.period
    period.state = PeriodState.DRAFT
    period.save()
    programme.indicators.all().delete()

    reason = PROGRAMME_WORKFLOW.refusal(programme, "submit", operator)

    assert reason.startswith("Pengajuan program untuk “Periode Penilaian 2025 (uji)”")
    assert "tidak sedang dibuka" in reason


def test_a_move_not_in_the_table_is_refused_with_the_engines_message(period, region_admin) -> None:
    assert period.state == PeriodState.OPEN
    assert PERIOD_WORKFLOW.available_actions(period, region_admin) == {"start_assessment": None}
    assert "tidak dapat dilakukan" in PERIOD_WORKFLOW.refusal(period, "close", region_admin)


def test_several_moves_from_one_state(programme, region_admin) -> None:
    programme.state = ProgrammeState.SUBMITTED
    programme.save()

    moves = PROGRAMME_WORKFLOW.available_actions(programme, region_admin)

    # "return" needs a typed reason, which is the page's to ask for: it is still offered.
    assert moves == {"accept": None, "return": None}
