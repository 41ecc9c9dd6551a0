"""Rules of the planning and reporting services (the pages are tested in the view tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sipko.planning import services
from sipko.planning.models import PeriodState, ProgrammeState
from sipko.reporting import services as reporting
from tests.factories import IndicatorFactory, ProgrammeFactory, RpjmdFactory, RpjmdItemFactory


def _close(period, actor) -> None:
    for action in ("start_assessment", "publish", "close"):
        services.period_move(actor=actor, period=period, action=action)


def _report_data(programme, **extra):
    return {
        "title": "Pelatihan",
        "start_date": dt.date(2025, 3, 1),
        "end_date": dt.date(2025, 3, 1),
        "location": programme.ormas.region,
        "narrative": "Pelatihan kader",
        **extra,
    }


def test_closed_period_is_frozen_everywhere(period, programme, operator, region_admin) -> None:
    draft = ProgrammeFactory(ormas=programme.ormas, period=period, state=ProgrammeState.DRAFT)
    _close(period, region_admin)
    period.refresh_from_db()
    assert period.state == PeriodState.CLOSED
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.programme_save(
            actor=operator, ormas=draft.ormas, data={"title": "X"}, programme=draft
        )
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.period_save(actor=region_admin, data={"name": "Baru"}, period=period)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        reporting.report_save(actor=operator, programme=programme, data=_report_data(programme))
    with pytest.raises(ValidationError, match="sudah ditutup"):
        reporting.financial_summary_save(
            actor=operator, ormas=programme.ormas, period=period, data={"income_iuran": Decimal(1)}
        )


def test_programme_submit_review_cycle(period, ormas, operator, region_admin, viewer) -> None:
    programme = ProgrammeFactory(ormas=ormas, period=period, state=ProgrammeState.DRAFT)
    IndicatorFactory(programme=programme)
    services.programme_submit(actor=operator, programme=programme)
    assert programme.state == ProgrammeState.SUBMITTED and programme.submitted_at
    with pytest.raises(ValidationError):
        services.programme_save(
            actor=operator, ormas=ormas, data={"title": "X"}, programme=programme
        )
    for outsider in (operator, viewer):
        with pytest.raises(PermissionDenied):
            services.programme_review(actor=outsider, programme=programme, accept=True)
    with pytest.raises(ValidationError):
        services.programme_review(actor=region_admin, programme=programme, accept=False, note="")
    services.programme_review(
        actor=region_admin, programme=programme, accept=False, note="Target belum terukur"
    )
    assert programme.state == ProgrammeState.RETURNED
    assert programme.review_note == "Target belum terukur"
    services.programme_save(
        actor=operator, ormas=ormas, data={"title": "Diperbaiki"}, programme=programme
    )
    services.programme_submit(actor=operator, programme=programme)
    services.programme_review(actor=region_admin, programme=programme, accept=True)
    assert programme.state == ProgrammeState.ACCEPTED and programme.reviewed_by == region_admin


def test_submit_needs_an_open_period(period, ormas, operator, region_admin) -> None:
    programme = ProgrammeFactory(ormas=ormas, period=period, state=ProgrammeState.DRAFT)
    IndicatorFactory(programme=programme)
    services.period_move(actor=region_admin, period=period, action="start_assessment")
    with pytest.raises(ValidationError, match="tidak sedang dibuka"):
        services.programme_submit(actor=operator, programme=programme)


def test_other_operator_cannot_touch_programme(programme, other_operator) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_save(
            actor=other_operator, ormas=programme.ormas, data={"title": "X"}, programme=programme
        )


def test_rpjmd_items_must_nest_one_level_at_a_time(region_admin, outside_admin) -> None:
    rpjmd = RpjmdFactory()
    misi = RpjmdItemFactory(rpjmd=rpjmd, level="misi", code="M1")
    with pytest.raises(ValidationError):
        services.rpjmd_item_save(
            actor=region_admin,
            rpjmd=rpjmd,
            data={"level": "sasaran", "code": "S1", "text": "x", "parent": misi},
        )
    tujuan = services.rpjmd_item_save(
        actor=region_admin,
        rpjmd=rpjmd,
        data={"level": "tujuan", "code": "M1.T1", "text": "x", "parent": misi},
    )
    assert tujuan.parent == misi
    with pytest.raises(PermissionDenied):
        services.rpjmd_item_save(
            actor=outside_admin, rpjmd=rpjmd, data={"level": "misi", "code": "M9", "text": "x"}
        )


def test_programme_links_only_sasaran(period, ormas, operator) -> None:
    misi = RpjmdItemFactory(level="misi")
    with pytest.raises(ValidationError):
        services.programme_save(
            actor=operator,
            ormas=ormas,
            sasaran=[misi],
            data={
                "period": period,
                "title": "P",
                "objective": "O",
                "start_date": dt.date(2025, 2, 1),
                "end_date": dt.date(2025, 3, 1),
            },
        )


def test_period_dates_are_checked(region_admin) -> None:
    with pytest.raises(ValidationError) as info:
        services.period_save(
            actor=region_admin,
            data={
                "region_id": "35.72",
                "name": "Salah",
                "start": dt.date(2025, 1, 1),
                "end": dt.date(2024, 1, 1),
                "programme_due": dt.date(2026, 1, 1),
            },
        )
    assert {"end", "programme_due"} <= set(info.value.message_dict)


def test_semester_windows_and_due_dates(period) -> None:
    windows = period.report_windows()
    assert [(w.start, w.end, w.due) for w in windows] == [
        (dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 15)),
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 15)),
    ]
    period.report_frequency = "yearly"
    assert [(w.start, w.end, w.due) for w in period.report_windows()] == [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 15))
    ]


def test_report_cycle_keeps_history(programme, operator, assessor, other_operator) -> None:
    indicator = programme.indicators.get()
    report = reporting.report_save(
        actor=operator,
        programme=programme,
        values={indicator: Decimal("40")},
        data=_report_data(programme, male_youth=10),
    )
    reporting.report_submit(actor=operator, report=report)
    with pytest.raises(PermissionDenied):
        reporting.report_review(actor=other_operator, report=report, verify=True)
    with pytest.raises(ValidationError):
        reporting.report_review(actor=assessor, report=report, verify=False, reason="")
    reporting.report_review(actor=assessor, report=report, verify=False, reason="Foto kurang jelas")
    assert report.state == "returned" and report.return_reason == "Foto kurang jelas"
    reporting.report_save(
        actor=operator,
        programme=programme,
        report=report,
        data={"narrative": "Pelatihan kader, 2 sesi"},
        values={indicator: Decimal("45")},
    )
    reporting.report_submit(actor=operator, report=report)
    first = report.first_submitted_at
    reporting.report_review(actor=assessor, report=report, verify=True)
    report.refresh_from_db()
    assert report.state == "verified" and report.first_submitted_at == first
    assert report.values.get().value == Decimal("45")
    assert report.history.count() >= 5


def test_report_values_must_belong_to_the_programme(programme, operator) -> None:
    foreign = IndicatorFactory()
    with pytest.raises(PermissionDenied):
        reporting.report_save(
            actor=operator,
            programme=programme,
            values={foreign: Decimal(1)},
            data=_report_data(programme),
        )
    assert not programme.reports.exists()


def test_report_dates_inside_period_and_past(programme, operator) -> None:
    for start, end in (
        (dt.date(2024, 12, 1), dt.date(2024, 12, 2)),
        (dt.date(2025, 3, 2), dt.date(2025, 3, 1)),
    ):
        with pytest.raises(ValidationError):
            reporting.report_save(
                actor=operator,
                programme=programme,
                data=_report_data(programme, start_date=start, end_date=end),
            )
    assert not programme.reports.exists()
