from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sipko.planning.models import PeriodState
from sipko.planning.workflows import PERIOD_WORKFLOW, PROGRAMME_WORKFLOW
from sipko.workflow.engine import state_log, transition


def test_a_legal_move_changes_state_and_is_logged(period, region_admin) -> None:
    period.state = PeriodState.DRAFT
    period.save()
    change = transition(period, PERIOD_WORKFLOW, "open", actor=region_admin, reason="Mulai")
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN
    assert (change.old_state, change.new_state, change.actor) == ("draft", "open", region_admin)
    assert [c.action for c in state_log(period)] == ["open"]
    assert period.history.latest().history_user == region_admin


def test_an_illegal_move_is_refused_with_a_message_and_changes_nothing(
    period, region_admin
) -> None:
    with pytest.raises(ValidationError, match="tidak dapat dilakukan"):
        transition(period, PERIOD_WORKFLOW, "close", actor=region_admin)
    period.refresh_from_db()
    assert period.state == PeriodState.OPEN and not state_log(period)


def test_reason_required_and_guards(programme, region_admin) -> None:
    programme.state = "submitted"
    programme.save()
    with pytest.raises(ValidationError):
        transition(programme, PROGRAMME_WORKFLOW, "return", actor=region_admin, reason="  ")
    programme.state = "draft"
    programme.save()
    programme.indicators.all().delete()
    with pytest.raises(ValidationError, match="indikator"):
        transition(programme, PROGRAMME_WORKFLOW, "submit", actor=region_admin)
    programme.refresh_from_db()
    assert programme.state == "draft"


def test_allowed_actions_follow_the_table(period) -> None:
    assert PERIOD_WORKFLOW.allowed_actions(period) == ["start_assessment"]
