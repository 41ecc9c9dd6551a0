"""Compliance (reports due vs submitted on time) and programme achievement, through selectors.

The `period` fixture is Kota Blitar 2025, reported per semester with 15 days' grace: semester 1
(January–June) is due on 15 July 2025, semester 2 on 15 January 2026. The `programme` of `ormas`
runs from February to November, so it owes one report for each semester.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sipko.planning.models import Period
from sipko.reporting import selectors
from sipko.reporting.models import ReportValue
from sipko.reporting.selectors import DueStatus
from tests.factories import IndicatorFactory, OrmasFactory, ProgrammeFactory, ReportFactory

JAKARTA = dt.timezone(dt.timedelta(hours=7))
S1_DUE = dt.date(2025, 7, 15)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on `day`, local (Asia/Jakarta) time."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def report(programme, *, submitted: dt.date | dt.datetime | None, state="submitted", **fields):
    """A report of an S1 activity (10 March) first submitted on `submitted`."""
    if isinstance(submitted, dt.date) and not isinstance(submitted, dt.datetime):
        submitted = at(submitted)
    return ReportFactory(
        programme=programme,
        state=state,
        first_submitted_at=submitted,
        submitted_at=submitted,
        **fields,
    )


def row_for(rows, ormas):
    return next(row for row in rows if row.ormas == ormas)


def counts(row) -> tuple[int, int, int, int]:
    return (row.due, row.on_time, row.late, row.missing)


# --- due, on time, late, missing ---------------------------------------------------------------


def test_on_time_late_and_missing(region_admin, programme, ormas, other_ormas, period) -> None:
    late_programme = ProgrammeFactory(ormas=other_ormas, period=period)
    silent = OrmasFactory(name="Karang Taruna Uji (fiktif)")
    ProgrammeFactory(ormas=silent, period=period)
    report(programme, submitted=S1_DUE)  # on the due day itself: on time
    report(late_programme, submitted=dt.date(2025, 7, 20))

    rows = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 7, 25))

    assert [row.ormas for row in rows] == sorted([ormas, other_ormas, silent], key=str)
    assert counts(row_for(rows, ormas)) == (1, 1, 0, 0)
    assert counts(row_for(rows, other_ormas)) == (1, 0, 1, 0)
    assert counts(row_for(rows, silent)) == (1, 0, 0, 1)
    assert row_for(rows, ormas).rate == 1
    assert row_for(rows, ormas).percent == Decimal("100.0")
    assert row_for(rows, other_ormas).rate == 0
    assert row_for(rows, other_ormas).submitted == 1


def test_a_report_submitted_later_than_the_day_asked_about_does_not_count_yet(
    region_admin, programme, ormas, period
) -> None:
    report(programme, submitted=dt.date(2025, 7, 20))

    before = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 7, 18))
    after = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 7, 20))

    assert counts(row_for(before, ormas)) == (1, 0, 0, 1)
    assert counts(row_for(after, ormas)) == (1, 0, 1, 0)


def test_submission_day_is_the_local_date(region_admin, programme, ormas, period) -> None:
    # 15 July 18:00 UTC is already 16 July 01:00 in Blitar: one day late.
    report(programme, submitted=dt.datetime(2025, 7, 15, 18, tzinfo=dt.UTC))
    rows = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 8, 1))
    assert counts(row_for(rows, ormas)) == (1, 0, 1, 0)


def test_a_report_counts_only_from_the_day_after_its_due_date(
    region_admin, programme, ormas, period
) -> None:
    on_due_day = selectors.compliance_by_ormas(region_admin, period, on=S1_DUE)
    assert counts(row_for(on_due_day, ormas)) == (0, 0, 0, 0)
    assert row_for(on_due_day, ormas).rate is None
    assert selectors.overdue(region_admin, period, on=S1_DUE) == []

    day_after = selectors.compliance_by_ormas(region_admin, period, on=S1_DUE + dt.timedelta(1))
    assert counts(row_for(day_after, ormas)) == (1, 0, 0, 1)


def test_both_semesters_are_due_after_the_second_deadline(
    region_admin, programme, ormas, period
) -> None:
    report(programme, submitted=dt.date(2025, 7, 1))
    report(
        programme,
        submitted=dt.date(2026, 1, 10),
        start_date=dt.date(2025, 9, 1),
        end_date=dt.date(2025, 9, 2),
    )
    rows = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2026, 1, 16))
    assert counts(row_for(rows, ormas)) == (2, 2, 0, 0)


@pytest.mark.parametrize(
    ("state", "fields", "counted"),
    [
        ("draft", {}, False),
        ("returned", {}, True),  # it was submitted; returned for fixes, it still reported
        ("verified", {}, True),
        # an activity of semester 2 does not answer for semester 1
        ("submitted", {"start_date": dt.date(2025, 7, 2), "end_date": dt.date(2025, 7, 2)}, False),
    ],
)
def test_which_reports_answer_for_a_window(
    region_admin, programme, ormas, period, state, fields, counted
) -> None:
    submitted = None if state == "draft" else dt.date(2025, 7, 10)
    report(programme, submitted=submitted, state=state, **fields)
    rows = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 7, 20))
    assert counts(row_for(rows, ormas)) == ((1, 1, 0, 0) if counted else (1, 0, 0, 1))


def test_the_earliest_submission_decides(region_admin, programme, ormas, period) -> None:
    report(programme, submitted=dt.date(2025, 7, 25))
    report(programme, submitted=dt.date(2025, 7, 14))
    rows = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 8, 1))
    assert counts(row_for(rows, ormas)) == (1, 1, 0, 0)


def test_only_windows_overlapping_the_programme_schedule_are_owed(
    region_admin, ormas, period
) -> None:
    ProgrammeFactory(
        ormas=ormas, period=period, start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 9, 30)
    )
    assert selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 12, 1))[0].due == 0
    rows = selectors.compliance_by_ormas(region_admin, period, on=dt.date(2026, 1, 16))
    assert counts(rows[0]) == (1, 0, 0, 1)


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_programmes_not_accepted_owe_nothing(region_admin, ormas, period, state) -> None:
    ProgrammeFactory(ormas=ormas, period=period, state=state)
    assert selectors.compliance_by_ormas(region_admin, period, on=dt.date(2026, 2, 1)) == []


def test_a_programme_accepted_late_gets_the_grace_days_from_its_acceptance(
    region_admin, ormas, period
) -> None:
    ProgrammeFactory(ormas=ormas, period=period, reviewed_at=at(dt.date(2025, 8, 1)))

    before = selectors.upcoming(region_admin, period, on=dt.date(2025, 8, 10))
    assert [(o.window.key, o.due, o.days_left) for o in before] == [
        ("S1-2025", dt.date(2025, 8, 16), 6)
    ]
    late = selectors.overdue(region_admin, period, on=dt.date(2025, 8, 17))
    assert [(o.window.key, o.days_overdue) for o in late] == [("S1-2025", 1)]


# --- lists -------------------------------------------------------------------------------------


def test_overdue_lists_missing_reports_longest_first(
    region_admin, programme, ormas, other_ormas, period
) -> None:
    ProgrammeFactory(ormas=other_ormas, period=period, reviewed_at=at(dt.date(2025, 7, 10)))
    on_time = ProgrammeFactory(ormas=ormas, period=period, title="Program Tepat Waktu")
    report(on_time, submitted=dt.date(2025, 7, 1))

    items = selectors.overdue(region_admin, period, on=dt.date(2025, 7, 30))

    # other_ormas' programme was accepted on 10 July, so its report was due on 25 July.
    assert [(o.ormas, o.programme, o.window.key, o.days_overdue) for o in items] == [
        (ormas, programme, "S1-2025", 15),
        (other_ormas, other_ormas.programmes.get(), "S1-2025", 5),
    ]
    assert all(o.status == DueStatus.MISSING for o in items)


def test_upcoming_lists_unsubmitted_reports_due_soon(region_admin, programme, ormas, period):
    done = ProgrammeFactory(ormas=ormas, period=period, title="Sudah Dilaporkan")
    report(done, submitted=dt.date(2025, 6, 30))

    items = selectors.upcoming(region_admin, period, on=dt.date(2025, 7, 5))
    assert [(o.programme, o.days_left) for o in items] == [(programme, 10)]
    assert selectors.upcoming(region_admin, period, on=dt.date(2025, 6, 30)) == []  # 15 days
    assert len(selectors.upcoming(region_admin, period, on=dt.date(2025, 6, 30), within_days=15))
    assert [o.days_left for o in selectors.upcoming(region_admin, period, on=S1_DUE)] == [0]


# --- scope -------------------------------------------------------------------------------------


def test_each_user_sees_only_the_ormas_in_reach(
    region_admin, operator, other_operator, outside_admin, programme, ormas, other_ormas, period
) -> None:
    ProgrammeFactory(ormas=other_ormas, period=period)
    on = dt.date(2025, 8, 1)

    assert {row.ormas for row in selectors.compliance_by_ormas(region_admin, period, on=on)} == {
        ormas,
        other_ormas,
    }
    assert [row.ormas for row in selectors.compliance_by_ormas(operator, period, on=on)] == [ormas]
    assert {o.ormas for o in selectors.overdue(other_operator, period, on=on)} == {other_ormas}
    assert selectors.compliance_by_ormas(outside_admin, period, on=on) == []
    assert selectors.overdue(outside_admin, period, on=on) == []
    assert selectors.compliance_by_kecamatan(outside_admin, period, on=on).total.due == 0


def test_merged_ormas_are_left_out(region_admin, programme, ormas, other_ormas, period) -> None:
    ormas.merged_into = other_ormas
    ormas.save()
    assert selectors.compliance_by_ormas(region_admin, period, on=dt.date(2025, 8, 1)) == []


# --- roll-up by kecamatan ----------------------------------------------------------------------


def test_compliance_by_kecamatan_and_region_total(
    region_admin, programme, ormas, other_ormas, period
) -> None:
    report(programme, submitted=dt.date(2025, 7, 1))
    ProgrammeFactory(ormas=other_ormas, period=period)  # 35.72.03, nothing reported
    neighbour = OrmasFactory(region_id="35.72.01.1002")
    report(ProgrammeFactory(ormas=neighbour, period=period), submitted=dt.date(2025, 7, 18))
    citywide = OrmasFactory(region_id="35.72")  # known only at city level
    ProgrammeFactory(ormas=citywide, period=period)

    result = selectors.compliance_by_kecamatan(region_admin, period, on=dt.date(2025, 8, 1))

    by_code = {area.code: area for area in result.rows}
    assert [area.code for area in result.rows] == ["35.72.01", "35.72.03", ""]
    assert by_code["35.72.01"].name == "Kepanjenkidul"
    assert (by_code["35.72.01"].ormas_count, *counts(by_code["35.72.01"])) == (2, 2, 1, 1, 0)
    assert by_code["35.72.01"].rate == Decimal("0.5")
    assert counts(by_code["35.72.03"]) == (1, 0, 0, 1)
    assert by_code[""].name == "Tanpa kecamatan"
    assert (result.total.code, result.total.name) == ("35.72", "Kota Blitar")
    assert (result.total.ormas_count, *counts(result.total)) == (4, 4, 1, 1, 2)
    assert result.total.percent == Decimal("25.0")


def _populate(period, n: int) -> None:
    for i in range(n):
        ormas = OrmasFactory(region_id=f"35.72.0{1 + i % 3}.1001")
        for j in range(2):
            programme = ProgrammeFactory(ormas=ormas, period=period)
            if j:
                report(programme, submitted=dt.date(2025, 7, 1 + i))


def test_compliance_takes_the_same_few_queries_however_many_ormas(region_admin, period):
    def queries() -> int:
        fresh = Period.objects.get(pk=period.pk)
        with CaptureQueriesContext(connection) as captured:
            selectors.compliance_by_kecamatan(region_admin, fresh, on=dt.date(2026, 2, 1))
            selectors.overdue(region_admin, fresh, on=dt.date(2026, 2, 1))
        return len(captured)

    _populate(period, 2)
    few = queries()
    _populate(period, 12)
    assert queries() == few
    assert few <= 6


# --- achievement of a programme ----------------------------------------------------------------


def test_achievement_counts_verified_reports_and_shows_submitted_as_provisional(programme):
    peserta = programme.indicators.get()
    kehadiran = IndicatorFactory(
        programme=programme,
        name="Kehadiran terakhir",
        unit="orang",
        target=40,
        aggregation="last",
        order=1,
    )

    def with_values(state, start, participants, attendance):
        day = dt.date(2025, start[0], start[1])
        made = report(programme, submitted=None, state=state, start_date=day, end_date=day)
        ReportValue.objects.create(report=made, indicator=peserta, value=participants)
        ReportValue.objects.create(report=made, indicator=kehadiran, value=attendance)

    # Created out of date order: `last` must follow the activity dates, not creation.
    with_values("verified", (5, 2), 30, 20)
    with_values("verified", (3, 1), 25, 35)
    with_values("submitted", (6, 1), 20, 44)
    with_values("draft", (4, 1), 1000, 1000)
    with_values("returned", (4, 2), 1000, 1000)

    verified = selectors.achievement_for_programme(programme)
    assert [row.name for row in verified] == ["Peserta pelatihan", "Kehadiran terakhir"]
    assert [(row.actual, row.ratio, row.values_count) for row in verified] == [
        (Decimal(55), Decimal("0.55"), 2),
        (Decimal(20), Decimal("0.5"), 2),
    ]
    provisional = selectors.achievement_for_programme(programme, provisional=True)
    assert [(row.actual, row.percent) for row in provisional] == [
        (Decimal(75), Decimal("75.0")),
        (Decimal(44), Decimal("110.0")),
    ]


def test_achievement_without_reports(programme) -> None:
    [row] = selectors.achievement_for_programme(programme)
    assert (row.target, row.actual, row.ratio, row.met) == (Decimal(100), None, None, None)


def test_the_default_period_is_the_newest_that_has_begun(period) -> None:
    """Next year's period, opened early for programmes, has nothing due: pages start on this one."""
    import time_machine

    from sipko.reporting.forms import PeriodForm
    from tests.factories import PeriodFactory

    PeriodFactory(
        name="Periode Penilaian 2026 (uji)",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        programme_due=dt.date(2026, 3, 31),
    )
    periods = Period.objects.order_by("-start")
    with time_machine.travel(dt.date(2025, 12, 1)):
        assert PeriodForm(periods=periods).period() == period
    with time_machine.travel(dt.date(2026, 1, 2)):
        assert PeriodForm(periods=periods).period().name == "Periode Penilaian 2026 (uji)"
