"""Reads of reporting: programme achievement and reporting compliance (SPEC §3.4).

Everything a page lists comes from here, scoped through `accounts.access`. The definitions (which
reports count, when a report is due, on time, late or missing) are stated in
docs/planning-and-reporting.md; this module is their one implementation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.accounts import access
from sipko.planning.models import Period, PeriodState, Programme, ProgrammeState, ReportWindow
from sipko.regions.models import Region
from sipko.reporting import achievement as calc
from sipko.reporting.models import ActivityReport, ReportState, ReportValue

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sipko.accounts.models import User
    from sipko.registry.models import Ormas

    AnyUser = User | AnonymousUser

UPCOMING_DAYS = 14
# Periods whose ormas are still reminded of reports: later ones are published or frozen.
REMINDER_PERIOD_STATES = (PeriodState.OPEN, PeriodState.ASSESSMENT)
KECAMATAN_CODE_LENGTH = len("35.72.01")


def today() -> dt.date:
    return timezone.localdate()


# --- achievement -------------------------------------------------------------------------------

# Verified reports are the record; submitted ones await verification and only give a provisional
# figure. Drafts and returned reports never count: their values may still change.
COUNTED_STATES = (ReportState.VERIFIED,)
PROVISIONAL_STATES = (ReportState.VERIFIED, ReportState.SUBMITTED)


def achievement_for_programme(
    programme: Programme, *, provisional: bool = False
) -> list[calc.IndicatorAchievement]:
    """Achievement of each indicator of `programme` (fetched through `access`), in page order.

    By default only verified reports count. With `provisional=True`, reports still awaiting
    verification (submitted) count too: the page shows that figure beside the verified one,
    labelled provisional. Values are aggregated in activity date order (end date, start date),
    which is what `last` relies on. Two queries.
    """
    states = PROVISIONAL_STATES if provisional else COUNTED_STATES
    indicators = list(programme.indicators.all())
    rows = (
        ReportValue.objects.filter(report__programme=programme, report__state__in=states)
        .order_by("report__end_date", "report__start_date", "report_id")
        .values_list("indicator_id", "value")
    )
    values: dict[int, list[Decimal]] = defaultdict(list)
    for indicator_id, value in rows:
        values[indicator_id].append(value)
    specs = [
        calc.IndicatorSpec(
            key=indicator.pk,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=indicator.target,
            polarity=indicator.polarity,
            aggregation=indicator.aggregation,
        )
        for indicator in indicators
    ]
    return calc.programme_achievement(specs, values)


# --- compliance --------------------------------------------------------------------------------


class DueStatus(models.TextChoices):
    ON_TIME = "on_time", gettext_lazy("Tepat waktu")
    LATE = "late", gettext_lazy("Terlambat")
    MISSING = "missing", gettext_lazy("Belum dilaporkan")
    NOT_YET_DUE = "not_yet_due", gettext_lazy("Belum jatuh tempo")


@dataclass(frozen=True)
class Obligation:
    """One report an ormas owes: a programme × a reporting window, seen on day `on`.

    `due` is the window's due date, moved later when Kesbangpol accepted the programme so late
    that the ormas could not have reported in time (accepted day + the period's grace days).
    `submitted_on` is the local date of the earliest first submission of a non-draft report of
    the programme whose activity starts inside the window, if that was on or before `on`.
    """

    ormas: Ormas
    programme: Programme
    window: ReportWindow
    due: dt.date
    submitted_on: dt.date | None
    on: dt.date

    @property
    def counted(self) -> bool:
        """Whether compliance counts this report: from the day after its due date."""
        return self.due < self.on

    @property
    def status(self) -> DueStatus:
        if self.submitted_on is not None:
            return DueStatus.ON_TIME if self.submitted_on <= self.due else DueStatus.LATE
        return DueStatus.MISSING if self.counted else DueStatus.NOT_YET_DUE

    @property
    def days_overdue(self) -> int:
        """Days past the due date without a report (0 unless missing)."""
        return (self.on - self.due).days if self.status == DueStatus.MISSING else 0

    @property
    def days_left(self) -> int:
        """Days until the due date (0 on the day itself, negative once past)."""
        return (self.due - self.on).days

    @property
    def key(self) -> str:
        """Stable identifier of the obligation (programme and window), e.g. for reminder logs."""
        return f"{self.programme.uuid}:{self.window.key}"


@dataclass(kw_only=True)
class ComplianceTally:
    """Counts of counted (past-due) reports. `rate` is the share submitted on time."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def add(self, obligation: Obligation) -> None:
        if not obligation.counted:
            return
        self.due += 1
        status = obligation.status
        if status == DueStatus.ON_TIME:
            self.on_time += 1
        elif status == DueStatus.LATE:
            self.late += 1
        else:
            self.missing += 1

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> Decimal | None:
        """On-time share 0..1; None when nothing is due yet (not applicable, not zero)."""
        return Decimal(self.on_time) / Decimal(self.due) if self.due else None

    @property
    def percent(self) -> Decimal | None:
        return calc.percent(self.rate)


@dataclass(kw_only=True)
class ComplianceRow(ComplianceTally):
    ormas: Ormas


@dataclass(kw_only=True)
class AreaComplianceRow(ComplianceTally):
    """A kecamatan (or the whole region) and the ormas counted in it."""

    code: str
    name: str
    ormas_count: int = 0


@dataclass(frozen=True)
class AreaCompliance:
    rows: list[AreaComplianceRow]
    total: AreaComplianceRow


def accepted_programmes(user: AnyUser, period: Period) -> QuerySet[Programme]:
    """Accepted programmes of the period, of current (not merged) ormas the user may see."""
    return access.programmes_visible_to(user).filter(
        period=period, state=ProgrammeState.ACCEPTED, ormas__merged_into__isnull=True
    )


def obligations(programmes: QuerySet[Programme], *, on: dt.date) -> list[Obligation]:
    """Every report owed by `programmes` (already filtered to accepted ones), seen on day `on`.

    A programme owes one report per window of its period that overlaps its schedule. Two queries
    however many ormas; ordered by ormas name, programme title and window.
    """
    programme_list = list(
        programmes.select_related("ormas", "ormas__region", "period").order_by(
            "ormas__name", "ormas_id", "title", "pk"
        )
    )
    if not programme_list:
        return []
    windows_by_period: dict[int, list[ReportWindow]] = {}
    for programme in programme_list:
        if programme.period_id not in windows_by_period:
            windows_by_period[programme.period_id] = programme.period.report_windows()
    first_submitted = _first_submissions(programmes, windows_by_period, on)

    result = []
    for programme in programme_list:
        period = programme.period
        grace = dt.timedelta(days=period.report_due_days)
        accepted_on = timezone.localdate(programme.reviewed_at) if programme.reviewed_at else None
        for window in windows_by_period[programme.period_id]:
            if window.end < programme.start_date or window.start > programme.end_date:
                continue
            due = window.due
            if accepted_on is not None and accepted_on + grace > due:
                due = accepted_on + grace
            result.append(
                Obligation(
                    ormas=programme.ormas,
                    programme=programme,
                    window=window,
                    due=due,
                    submitted_on=first_submitted.get((programme.pk, window.key)),
                    on=on,
                )
            )
    return result


def _first_submissions(
    programmes: QuerySet[Programme],
    windows_by_period: dict[int, list[ReportWindow]],
    on: dt.date,
) -> dict[tuple[int, str], dt.date]:
    """(programme id, window key) → earliest local first-submission date up to `on`."""
    rows = (
        ActivityReport.objects.filter(
            programme__in=programmes.values("pk"), first_submitted_at__isnull=False
        )
        .exclude(state=ReportState.DRAFT)
        .values_list("programme_id", "programme__period_id", "start_date", "first_submitted_at")
    )
    earliest: dict[tuple[int, str], dt.date] = {}
    for programme_id, period_id, start_date, first_submitted_at in rows:
        submitted_on = timezone.localdate(first_submitted_at)
        if submitted_on > on:
            continue
        window = _window_of(windows_by_period.get(period_id, ()), start_date)
        if window is None:
            continue
        key = (programme_id, window.key)
        if key not in earliest or submitted_on < earliest[key]:
            earliest[key] = submitted_on
    return earliest


def _window_of(windows: Iterable[ReportWindow], day: dt.date) -> ReportWindow | None:
    return next((w for w in windows if w.start <= day <= w.end), None)


def obligations_for(
    user: AnyUser, period: Period, *, on: dt.date | None = None
) -> list[Obligation]:
    """All reports owed in `period` by the ormas the user may see (any status)."""
    return obligations(accepted_programmes(user, period), on=on or today())


def compliance_by_ormas(
    user: AnyUser, period: Period, *, on: dt.date | None = None
) -> list[ComplianceRow]:
    """One row per visible ormas with an accepted programme in `period`, by ormas name.

    An ormas whose reports are not yet due has a row with `due == 0` and `rate` None.
    """
    rows: dict[int, ComplianceRow] = {}
    for obligation in obligations_for(user, period, on=on):
        row = rows.get(obligation.ormas.pk)
        if row is None:
            row = rows[obligation.ormas.pk] = ComplianceRow(ormas=obligation.ormas)
        row.add(obligation)
    return list(rows.values())


def kecamatan_code(region_code: str) -> str:
    """`35.72.01.1001` → `35.72.01`; "" for an ormas known only at kabupaten/kota level."""
    return region_code[:KECAMATAN_CODE_LENGTH] if len(region_code) >= KECAMATAN_CODE_LENGTH else ""


def compliance_by_kecamatan(
    user: AnyUser, period: Period, on: dt.date | None = None
) -> AreaCompliance:
    """Compliance per kecamatan (by the ormas' region code) and for the whole visible region."""
    total = AreaComplianceRow(code=period.region_id, name=period.region.name)
    by_code: dict[str, AreaComplianceRow] = {}
    for row in compliance_by_ormas(user, period, on=on):
        code = kecamatan_code(row.ormas.region_id)
        area = by_code.get(code)
        if area is None:
            area = by_code[code] = AreaComplianceRow(code=code, name="")
        for tally in (area, total):
            tally.due += row.due
            tally.on_time += row.on_time
            tally.late += row.late
            tally.missing += row.missing
            tally.ormas_count += 1
    names = dict(Region.objects.filter(code__in=by_code).values_list("code", "name"))
    for code, area in by_code.items():
        area.name = names.get(code) or _("Tanpa kecamatan")
    rows = sorted(by_code.values(), key=lambda area: (area.code == "", area.name, area.code))
    return AreaCompliance(rows=rows, total=total)


def overdue(user: AnyUser, period: Period, on: dt.date | None = None) -> list[Obligation]:
    """Reports past their due date and still not submitted, longest overdue first."""
    items = [o for o in obligations_for(user, period, on=on) if o.status == DueStatus.MISSING]
    return sorted(items, key=lambda o: (-o.days_overdue, o.ormas.name, o.programme.title))


def upcoming(
    user: AnyUser, period: Period, on: dt.date | None = None, within_days: int = UPCOMING_DAYS
) -> list[Obligation]:
    """Reports not yet submitted whose due date is today or within `within_days`, soonest first."""
    items = [
        o
        for o in obligations_for(user, period, on=on)
        if o.status == DueStatus.NOT_YET_DUE and o.days_left <= within_days
    ]
    return sorted(items, key=lambda o: (o.due, o.ormas.name, o.programme.title))


def reminder_programmes() -> QuerySet[Programme]:
    """Accepted programmes, in any region, of periods still open or under assessment."""
    return Programme.objects.filter(
        period__state__in=REMINDER_PERIOD_STATES,
        state=ProgrammeState.ACCEPTED,
        ormas__merged_into__isnull=True,
    )


def reminder_obligations(*, on: dt.date) -> list[Obligation]:
    """Every report owed by `reminder_programmes()` (unscoped: for `send_reminders` only)."""
    return obligations(reminder_programmes(), on=on)
