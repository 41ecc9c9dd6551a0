"""`seed_demo`, planning and reporting part: RPJMD, periods, programmes, reports, finances.

Like tests/registry/test_seed_demo.py, the demo is loaded once for the module inside a
transaction that is rolled back at the end; each test runs in a savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from sipko.accounts.models import User
from sipko.planning import demo as planning_demo
from sipko.planning import services as planning
from sipko.planning.models import (
    Period,
    PeriodState,
    Programme,
    ProgrammeIndicator,
    ProgrammeState,
    Rpjmd,
    RpjmdLevel,
)
from sipko.registry import demo as registry_demo
from sipko.registry.models import Ormas
from sipko.reporting import services as reporting
from sipko.reporting.models import ActivityReport, Evidence, FinancialSummary, ReportState
from sipko.workflow.engine import state_log
from sipko.workflow.models import StateChange
from tests.factories import OrmasFactory

KOTA, KAB = "35.72", "35.05"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def this_year() -> int:
    return planning_demo.open_year(timezone.localdate())


def open_period(region: str) -> Period:
    """This year's period: open, or (Kota Blitar, whose demo results are being published) in its
    assessment phase. Kota Blitar's next year's period is open for programmes besides."""
    return Period.objects.get(region_id=region, start__year=this_year())


def open_for_programmes(region: str) -> Period:
    return Period.objects.get(region_id=region, state=PeriodState.OPEN)


def key_of(period: Period) -> str:
    return {this_year(): "current", this_year() - 1: "previous"}.get(period.start.year, "next")


def test_kota_blitar_rpjmd_has_the_published_visi_and_five_draft_misi(seeded: str) -> None:
    rpjmd = Rpjmd.objects.get(region_id=KOTA)
    assert rpjmd.visi == "Kota Blitar yang Maju, Sehat, dan Sejahtera Menuju Kota Masa Depan"
    assert (rpjmd.start_year, rpjmd.end_year) == (2025, 2029)
    assert "Nomor 5 Tahun 2025" in rpjmd.legal_basis
    assert "rancangan" in rpjmd.note and "ilustratif" in rpjmd.note
    misi = list(rpjmd.items.filter(level=RpjmdLevel.MISI).order_by("code"))
    assert [m.code for m in misi] == ["M1", "M2", "M3", "M4", "M5"]
    assert "Pancasilais" in misi[0].text and "smart governance" in misi[2].text
    assert "Generasi Emas" in misi[3].text and "pariwisata" in misi[4].text
    assert not any(m.illustrative for m in misi)  # draft wording, but not invented
    below = rpjmd.items.exclude(level=RpjmdLevel.MISI)
    assert below.exists() and not below.filter(illustrative=False).exists()
    for m in misi:  # misi → 1–2 tujuan → 1–2 sasaran → one indicator with a unit
        tujuan = list(m.children.all())
        assert 1 <= len(tujuan) <= 2
        for t in tujuan:
            assert t.code.startswith(m.code + ".T")
            sasaran = list(t.children.all())
            assert 1 <= len(sasaran) <= 2
            for s in sasaran:
                indicators = list(s.children.all())
                assert len(indicators) == 1 and indicators[0].unit
                assert indicators[0].code == s.code + ".I1"
                assert indicators[0].level == RpjmdLevel.INDIKATOR


def test_kabupaten_rpjmd_has_its_visi_and_only_labelled_illustrative_items(seeded: str) -> None:
    rpjmd = Rpjmd.objects.get(region_id=KAB)
    assert rpjmd.visi == "Kabupaten Blitar Berdaya dan Berjaya"
    assert "misi belum dipublikasikan" in rpjmd.note
    assert rpjmd.items.filter(level=RpjmdLevel.SASARAN).count() >= 3
    assert not rpjmd.items.filter(illustrative=False).exists()
    assert all("Ilustratif" in m.text for m in rpjmd.items.filter(level=RpjmdLevel.MISI))


def test_each_region_has_a_closed_last_year_and_an_open_current_period(seeded: str) -> None:
    today = timezone.localdate()
    year = planning_demo.open_year(today)
    for region in (KOTA, KAB):
        periods = {key_of(p): p for p in Period.objects.filter(region_id=region)}
        assert set(periods) == (
            {"current", "previous", "next"} if region == KOTA else {"current", "previous"}
        )
        current, previous = periods["current"], periods["previous"]
        assert previous.state == PeriodState.CLOSED
        assert current.state in (PeriodState.OPEN, PeriodState.ASSESSMENT)
        assert current.name == f"Periode Penilaian {year} (demo)"
        assert previous.name == f"Periode Penilaian {year - 1} (demo)"
        assert (current.start, current.end) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
        assert current.start <= current.programme_due <= current.end
        assert current.self_assessment_due and current.verification_due and current.appeal_due
        assert current.rpjmd == previous.rpjmd == Rpjmd.objects.get(region_id=region)
        # Semester 1 of the open period is already due, the whole closed period long ago.
        assert current.report_windows()[0].due < today
        assert previous.report_windows()[-1].due < today
        moves = [c.action for c in state_log(previous)]
        assert moves == ["open", "start_assessment", "publish", "close"]
    # Kota Blitar (its current period being assessed) has opened next year's for programmes.
    upcoming = Period.objects.get(region_id=KOTA, start__year=year + 1)
    assert upcoming.state == PeriodState.OPEN and upcoming == open_for_programmes(KOTA)
    assert upcoming.name == f"Periode Penilaian {year + 1} (demo)"
    assert upcoming.programme_due == dt.date(year + 1, 3, 31)
    assert upcoming.rpjmd == Rpjmd.objects.get(region_id=KOTA)
    opened = state_log(upcoming)
    assert [c.action for c in opened] == ["open"]
    assert local_day(opened[0].at) <= today - dt.timedelta(
        days=planning_demo.NEXT_OPENED_DAYS_BEFORE
    )
    states = Counter(upcoming.programmes.values_list("state", flat=True))
    assert states[ProgrammeState.SUBMITTED] >= 4 and states[ProgrammeState.ACCEPTED]
    assert not upcoming.programmes.filter(reports__isnull=False).exists()
    assert not FinancialSummary.objects.filter(period=upcoming).exists()
    assert open_for_programmes(KAB) == open_period(KAB)


def test_a_closed_period_is_frozen(seeded: str) -> None:
    programme = Programme.objects.filter(period__state=PeriodState.CLOSED).first()
    assert programme is not None
    with pytest.raises(ValidationError, match="sudah ditutup"):
        planning.programme_save(
            actor=None, ormas=programme.ormas, programme=programme, data={"title": "Diubah"}
        )
    report = ActivityReport.objects.filter(programme__period__state=PeriodState.CLOSED).first()
    with pytest.raises(ValidationError, match="sudah ditutup"):
        reporting.report_save(
            actor=None, programme=report.programme, report=report, data={"cost": Decimal(1)}
        )
    with pytest.raises(ValidationError, match="sudah ditutup"):
        reporting.financial_summary_save(
            actor=None, ormas=programme.ormas, period=programme.period, data={}
        )


def test_programmes_in_every_state_for_most_active_ormas(seeded: str) -> None:
    current = Programme.objects.filter(period__start__year=this_year())
    states = Counter(current.values_list("state", flat=True))
    assert set(states) == set(ProgrammeState.values)
    assert states[ProgrammeState.ACCEPTED] > states[ProgrammeState.SUBMITTED] > 0
    ormas = Ormas.objects.filter(programmes__in=current).distinct()
    assert 100 <= ormas.count() <= 130
    assert all(
        1 <= o.programmes.filter(period__in=current.values("period")).count() <= 4 for o in ormas
    )
    assert Programme.objects.filter(period__state=PeriodState.CLOSED).count() >= 10
    # Returned programmes carry Kesbangpol's note; reviewed ones who reviewed them.
    returned = Programme.objects.filter(state=ProgrammeState.RETURNED)
    assert not returned.filter(review_note="").exists()
    assert not Programme.objects.filter(state="accepted", reviewed_by=None).exists()
    # Most, not all, are linked to an RPJMD sasaran of their own region.
    linked = Programme.objects.exclude(sasaran=None).distinct().count()
    assert 0.7 < linked / Programme.objects.count() < 0.95
    for programme in Programme.objects.exclude(sasaran=None).prefetch_related("sasaran__rpjmd"):
        assert all(s.level == RpjmdLevel.SASARAN for s in programme.sasaran.all())
        assert {s.rpjmd.region_id for s in programme.sasaran.all()} == {
            programme.ormas.kabkota_code
        }
    first = Programme.objects.filter(state="accepted").first()
    assert first.bidang.exists() and first.locations.exists()
    assert first.budget > 0 and first.funding_sources and first.target_beneficiaries > 0
    indicators = ProgrammeIndicator.objects.all()
    assert not Programme.objects.filter(indicators=None).exclude(state="draft").exists()
    assert set(indicators.values_list("polarity", flat=True)) == {"higher", "lower", "exact"}
    assert set(indicators.values_list("aggregation", flat=True)) == {"sum", "last", "average"}


def test_reports_in_every_state_with_reasons_people_and_values(seeded: str) -> None:
    reports = ActivityReport.objects.select_related("programme")
    assert set(reports.values_list("state", flat=True)) == set(ReportState.values)
    assert not reports.filter(state="returned", return_reason="").exists()
    assert not reports.filter(state="verified", verified_by=None).exists()
    assert not reports.exclude(programme__state="accepted").exclude(state="draft").exists()
    today = timezone.localdate()
    youth = total = 0
    for report in reports:
        assert report.programme.period.start <= report.start_date <= report.end_date < today
        assert report.participants > 0 and report.narrative
        youth += report.youth
        total += report.participants
    assert 0.25 < youth / total < 0.6  # a realistic youth share (16–30, UU 40/2009)
    assert reports.filter(values__isnull=False).distinct().count() > reports.count() * 0.9


def test_a_resubmitted_report_shows_its_return_and_what_changed(seeded: str) -> None:
    resubmitted = [
        report
        for report in ActivityReport.objects.exclude(first_submitted_at=None)
        if [c.action for c in state_log(report)][:3] == ["submit", "return", "submit"]
    ]
    assert resubmitted
    report = resubmitted[0]
    log = state_log(report)
    assert log[1].reason and log[1].at < log[2].at
    assert report.first_submitted_at < report.submitted_at
    history = list(report.history.order_by("history_id"))
    before = next(h for h in history if h.state == "returned")
    after = history[-1]
    changed = {change.field for change in after.diff_against(before).changes}
    assert {"female_youth", "narrative"} <= changed


def test_evidence_photos_have_thumbnails(seeded: str) -> None:
    evidence = Evidence.objects.all()
    assert 20 <= evidence.values("report").distinct().count() <= 40
    assert {e.content_type for e in evidence} == {"image/jpeg", "image/png"}
    for item in evidence[:10]:
        with item.file.open("rb") as handle:
            Image.open(handle).verify()
        with item.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
            assert thumb.format == "JPEG" and max(thumb.size) <= 320


def semester1_status() -> Counter[str]:
    """Accepted programmes of the open periods: semester 1 reported on time, late, or overdue."""
    status: Counter[str] = Counter()
    for region in (KOTA, KAB):
        period = open_period(region)
        window = period.report_windows()[0]
        accepted = period.programmes.filter(state="accepted", start_date__lte=window.end)
        for programme in accepted:
            sent = [
                local_day(r.first_submitted_at)
                for r in programme.reports.filter(start_date__lte=window.end)
                if r.first_submitted_at
            ]
            if not sent:
                status["overdue"] += 1
            else:
                status["on time" if min(sent) <= window.due else "late"] += 1
    return status


def test_reporting_compliance_varies_on_time_late_and_overdue(seeded: str) -> None:
    status = semester1_status()
    assert status["on time"] > status["late"] > 5
    assert status["overdue"] > 5


def test_the_compliance_pages_show_every_status(seeded: str) -> None:
    """The same mix through the reporting selectors that feed the compliance pages."""
    from sipko.reporting import selectors

    admin = User.objects.get(username="admin_nasional")
    for region in (KOTA, KAB):
        rows = selectors.compliance_by_ormas(admin, open_period(region))
        assert sum(r.on_time for r in rows) and sum(r.late for r in rows)
        assert sum(r.missing for r in rows)
    for username in ("operator", "operator2"):
        operator = User.objects.get(username=username)
        assert selectors.overdue(operator, open_period(KOTA))


def test_financial_summaries_for_about_sixty_percent(seeded: str) -> None:
    for year in (this_year(), this_year() - 1):
        taking_part = Ormas.objects.filter(programmes__period__start__year=year).distinct().count()
        summaries = FinancialSummary.objects.filter(period__start__year=year)
        assert 0.45 < summaries.count() / taking_part < 0.75
        assert {True, False} == set(summaries.values_list("reported", flat=True))
        assert summaries.filter(published=True).exists()
        assert not summaries.filter(audited=True, reported=False).exists()
        assert all(s.income_sources_used >= 1 for s in summaries)
    assert FinancialSummary.objects.filter(audited=True).exists()
    assert FinancialSummary.objects.filter(income_hibah__gt=0).exists()


@pytest.mark.parametrize(
    ("username", "admin"),
    [("operator", "admin_kota"), ("operator2", "admin_kota"), ("operator_kab", "admin_kab")],
)
def test_demo_operators_see_every_situation_in_their_own_ormas(
    seeded: str, username: str, admin: str
) -> None:
    ormas = User.objects.get(username=username).ormas
    period = open_period(ormas.kabkota_code)
    window = period.report_windows()[0]
    programmes = period.programmes.filter(ormas=ormas)
    accepted = programmes.filter(state="accepted")
    reports = ActivityReport.objects.filter(programme__in=accepted)
    assert reports.filter(state="verified").exists()
    assert reports.filter(state="returned").exclude(return_reason="").exists()
    # A draft to send, in the period that takes programmes now (next year's in Kota Blitar).
    assert (
        open_for_programmes(ormas.kabkota_code)
        .programmes.filter(ormas=ormas, state="draft")
        .exists()
    )
    overdue = [
        p
        for p in accepted.filter(start_date__lte=window.end)
        if not p.reports.filter(start_date__lte=window.end).exists()
    ]
    assert overdue and window.due < timezone.localdate()
    assert reports.filter(evidence__isnull=False).exists()
    assert FinancialSummary.objects.filter(ormas=ormas, period=period).exists()
    assert Programme.objects.filter(ormas=ormas, period__state="closed").exists()
    # The operator wrote its own programmes and reports; Kesbangpol reviewed them.
    first = accepted.first()
    assert first.history.earliest().history_user.username == username
    assert state_log(first)[-1].actor.username == admin


def test_operator2_also_has_a_resubmitted_report_and_a_returned_programme(seeded: str) -> None:
    ormas = User.objects.get(username="operator2").ormas
    returned = Programme.objects.filter(ormas=ormas, state="returned").exclude(review_note="")
    assert returned.filter(period=open_for_programmes(KOTA)).exists()  # it can send it again
    actions = [
        [c.action for c in state_log(r)]
        for r in ActivityReport.objects.filter(programme__ormas=ormas, state="submitted")
    ]
    assert ["submit", "return", "submit"] in actions


def test_the_history_happened_in_the_past_in_order(seeded: str) -> None:
    now = timezone.now()
    assert not StateChange.objects.filter(at__gt=now).exists()
    assert StateChange.objects.filter(at__lt=now - dt.timedelta(days=300)).exists()
    for report in ActivityReport.objects.exclude(first_submitted_at=None)[:60]:
        log = state_log(report)
        assert [c.at for c in log] == sorted(c.at for c in log)
        assert local_day(report.first_submitted_at) >= report.end_date
        assert report.history.earliest().history_date <= log[0].at
    accepted = Programme.objects.filter(state="accepted").first()
    log = state_log(accepted)
    assert accepted.created_at <= log[0].at < log[-1].at == accepted.reviewed_at


def test_seed_summary_line_names_the_planning_counts(seeded: str) -> None:
    assert "Perencanaan dan pelaporan: 2 RPJMD" in seeded
    assert f"{Programme.objects.count()} program kerja" in seeded
    assert f"{ActivityReport.objects.count()} laporan kegiatan" in seeded


def test_reset_removes_the_planning_demo_and_loads_it_again(
    seeded: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    old_periods = set(Period.objects.values_list("pk", flat=True))
    old_programmes = set(Programme.objects.values_list("pk", flat=True))
    counts = (Programme.objects.count(), ActivityReport.objects.count(), Evidence.objects.count())
    old_file = Evidence.objects.first().file
    assert old_file.storage.exists(old_file.name)
    with django_capture_on_commit_callbacks(execute=True):
        out = run("seed_demo", "--reset")
    assert "5 periode, 2 RPJMD" in out
    assert not old_file.storage.exists(old_file.name)
    assert not Period.objects.filter(pk__in=old_periods).exists()
    assert not Programme.objects.filter(pk__in=old_programmes).exists()
    assert Period.objects.count() == 5 and Rpjmd.objects.count() == 2
    # Nothing of the old demo is left in the state log either.
    logged = StateChange.objects.filter(content_type__model="programme")
    assert set(logged.values_list("object_id", flat=True)) <= set(
        Programme.objects.values_list("pk", flat=True)
    )
    # The same seed loads the same demo again.
    assert (
        Programme.objects.count(),
        ActivityReport.objects.count(),
        Evidence.objects.count(),
    ) == counts


def test_planning_reset_leaves_real_periods_and_what_real_ormas_use(seeded: str) -> None:
    real_period = planning.period_save(
        actor=None,
        data={
            "region_id": KOTA,
            "name": "Periode Penilaian Nyata",
            "start": dt.date(2030, 1, 1),
            "end": dt.date(2030, 12, 31),
            "programme_due": dt.date(2030, 3, 31),
        },
    )
    used = open_period(KAB)
    real_ormas = OrmasFactory(name="Perkumpulan Nyata Uji", region_id="35.05.01.2001")
    planning.programme_save(
        actor=None,
        ormas=real_ormas,
        data={
            "period": used,
            "title": "Program nyata",
            "objective": "Uji",
            "start_date": used.start,
            "end_date": used.end,
        },
    )
    programmes, periods, plans = planning_demo.demo_reset()
    assert programmes > 100 and periods == 4 and plans == 1
    assert set(Period.objects.all()) == {real_period, used}
    assert Rpjmd.objects.get().region_id == KAB  # still the reference of the period in use
    assert not Programme.objects.filter(ormas__is_demo=True).exists()
    assert not FinancialSummary.objects.exists()


def test_same_seed_same_titles_on_any_day_other_seed_others(seeded: str) -> None:
    refs = planning_demo.ormas_refs()
    today = timezone.localdate()

    def titles(seed: int, on: dt.date = today) -> list[tuple[int, str, str]]:
        plan = planning_demo.plan_demo(seed=seed, today=on, ormas=refs)
        return sorted((p.ormas_id, p.period, p.title) for p in plan.programmes)

    default = titles(registry_demo.DEFAULT_SEED)
    stored = sorted(
        (programme.ormas_id, key_of(programme.period), programme.title)
        for programme in Programme.objects.select_related("period")
    )
    assert default == stored
    assert titles(registry_demo.DEFAULT_SEED) == default
    assert titles(registry_demo.DEFAULT_SEED, today + dt.timedelta(days=100)) == default
    assert titles(registry_demo.DEFAULT_SEED + 1) != default


@pytest.mark.parametrize(
    ("today", "open_year"),
    [(dt.date(2027, 2, 10), 2026), (dt.date(2027, 8, 16), 2027), (dt.date(2028, 12, 30), 2028)],
)
def test_the_plan_lies_in_the_past_whatever_the_day(
    seeded: str, today: dt.date, open_year: int
) -> None:
    plan = planning_demo.plan_demo(seed=7, today=today, ormas=planning_demo.ormas_refs())
    current = plan.periods["current"]
    assert current.year == open_year
    assert current.s1_due < today
    # Next year's period was opened weeks ago, whatever the day.
    upcoming = plan.periods["next"]
    assert upcoming.year == open_year + 1 and upcoming.regions == (KOTA,)
    assert upcoming.created < upcoming.opened
    assert local_day(upcoming.opened) <= today - dt.timedelta(days=35)
    nexts = [p for p in plan.programmes if p.period == "next"]
    assert {p.state for p in nexts} == {"draft", "submitted", "returned", "accepted"}
    assert all(upcoming.start <= p.start <= p.end <= upcoming.end for p in nexts)
    assert all(p.created > upcoming.opened for p in nexts)
    latest = max(
        [p.created for p in plan.programmes]
        + [s.at for p in plan.programmes for s in p.steps]
        + [r.created for r in plan.reports]
        + [s.at for r in plan.reports for s in r.steps]
        + [f.at for f in plan.finances]
        + [when for period in plan.periods.values() for _, when in period.moves]
        + [period.opened for period in plan.periods.values()]
    )
    assert local_day(latest) < today
    assert all(r.end < today for r in plan.reports)
    states = Counter(r.state for r in plan.reports)
    assert states["verified"] and states["submitted"] and states["returned"]


def test_seed_refuses_next_to_a_real_rpjmd(seeded: str) -> None:
    planning_demo.demo_reset()
    planning.rpjmd_save(
        actor=None,
        data={
            "region_id": KOTA,
            "title": "RPJMD Kota Blitar",
            "start_year": 2025,
            "end_year": 2029,
            "visi": "Visi nyata",
        },
    )
    with pytest.raises(registry_demo.DemoRefused, match="RPJMD"):
        planning_demo.demo_seed()
    assert Rpjmd.objects.get(region_id=KOTA).visi == "Visi nyata"
