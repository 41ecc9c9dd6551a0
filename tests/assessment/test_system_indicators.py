"""Indicators SIPKO computes from its own data, against records built by hand.

The `period` fixture is Kota Blitar 2025 (1 January – 31 December), reported per semester with 15
days' grace: semester 1 is due on 15 July 2025, semester 2 on 15 January 2026. Computations are
judged on a day `ON` inside the period unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from sipko.assessment import services, system_indicators
from sipko.assessment.models import Answer
from sipko.planning.models import Period
from tests.assessment.factories import (
    SYSTEM_YAML,
    Flow,
    ReportValueFactory,
    SasaranFactory,
    published_instrument,
    verified_report,
)
from tests.factories import (
    DocumentFactory,
    IndicatorFactory,
    OrmasFactory,
    PengurusFactory,
    PeriodFactory,
    ProgrammeFactory,
    ReportFactory,
    RpjmdFactory,
)

ON = dt.date(2025, 9, 1)
JAKARTA = ZoneInfo("Asia/Jakarta")
AHU = "AHU-0001234.AH.01.07.Tahun 2020"


def raw(computation, ormas_list, period) -> dict:
    values = computation(ormas_list, period, ON)
    return {ormas: values[ormas.pk].raw for ormas in ormas_list}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


# --- legal status ------------------------------------------------------------------------------


def test_legal_status_levels(period):
    legal_entity = OrmasFactory(ahu_number=AHU, skt_number="01/SKT/2010", skt_expires=ON)
    skt_in_force = OrmasFactory(skt_number="220/1/2024", skt_expires=dt.date(2029, 5, 1))
    skt_ending_soon = OrmasFactory(skt_number="220/2/2020", skt_expires=dt.date(2025, 10, 1))
    skt_last_day = OrmasFactory(skt_number="220/3/2020", skt_expires=ON)
    skt_expired = OrmasFactory(skt_number="220/4/2019", skt_expires=ON - dt.timedelta(days=1))
    skt_unknown_expiry = OrmasFactory(skt_number="220/5/2018")
    local_letter = OrmasFactory(local_letter_number="SKL/45/2024")
    unregistered = OrmasFactory()

    assert raw(
        system_indicators.legal_status,
        [
            legal_entity,
            skt_in_force,
            skt_ending_soon,
            skt_last_day,
            skt_expired,
            skt_unknown_expiry,
            local_letter,
            unregistered,
        ],
        period,
    ) == {
        legal_entity: "4",  # SK AHU, whatever its old SKT says
        skt_in_force: "3",
        skt_ending_soon: "3",  # akan habis is still in force
        skt_last_day: "3",
        skt_expired: "1",
        skt_unknown_expiry: "2",
        local_letter: "2",
        unregistered: "1",
    }


def test_registry_facts_are_judged_at_the_end_of_a_finished_period(period):
    # Expires two weeks after the period ends: in force on 31 December 2025.
    ormas = OrmasFactory(skt_number="220/9/2020", skt_expires=dt.date(2026, 1, 14))

    values = system_indicators.compute(["legal_status"], [ormas], period, today=dt.date(2026, 6, 1))

    assert values[ormas.pk]["legal_status"].raw == "3"


# --- board term --------------------------------------------------------------------------------


def test_board_term_needs_a_chair_whose_term_runs(period):
    open_ended = OrmasFactory()
    PengurusFactory(ormas=open_ended, position="ketua", term_end=None)
    ends_today = OrmasFactory()
    PengurusFactory(ormas=ends_today, position="ketua", term_end=ON)
    ended = OrmasFactory()
    PengurusFactory(ormas=ended, position="ketua", term_end=ON - dt.timedelta(days=1))
    PengurusFactory(ormas=ended, position="sekretaris", term_end=None)
    no_chair = OrmasFactory()
    PengurusFactory(ormas=no_chair, position="bendahara", term_end=None)
    nobody = OrmasFactory()

    assert raw(
        system_indicators.board_term, [open_ended, ends_today, ended, no_chair, nobody], period
    ) == {
        open_ended: "ya",
        ends_today: "ya",
        ended: "tidak",
        no_chair: "tidak",
        nobody: "tidak",
    }


# --- documents ---------------------------------------------------------------------------------


def test_documents_complete_counts_valid_unexpired_required_types(period):
    # A legal entity needs AD/ART, SK kepengurusan, surat domisili, NPWP, akta notaris, SK AHU.
    entity = OrmasFactory(ahu_number=AHU)
    DocumentFactory(ormas=entity, doc_type="ad_art", verdict="valid")
    DocumentFactory(ormas=entity, doc_type="ad_art", verdict="valid")  # a copy counts once
    DocumentFactory(ormas=entity, doc_type="sk_kepengurusan", verdict="valid", expires=ON)
    DocumentFactory(ormas=entity, doc_type="sk_ahu", verdict="valid")
    DocumentFactory(
        ormas=entity, doc_type="npwp", verdict="valid", expires=ON - dt.timedelta(days=1)
    )
    DocumentFactory(ormas=entity, doc_type="surat_domisili", verdict="pending")
    DocumentFactory(ormas=entity, doc_type="akta_notaris", verdict="invalid")
    DocumentFactory(ormas=entity, doc_type="foto_kantor", verdict="valid")  # not required
    DocumentFactory(ormas=entity, doc_type="skt", verdict="valid")  # not required of an AHU
    # An SKT holder needs the four common documents and its SKT.
    registered = OrmasFactory(skt_number="220/7/2024", skt_expires=dt.date(2029, 1, 1))
    DocumentFactory(ormas=registered, doc_type="skt", verdict="valid")
    DocumentFactory(ormas=registered, doc_type="ad_art", verdict="valid")
    # An unregistered ormas needs the four common documents.
    unregistered = OrmasFactory()

    values = system_indicators.documents_complete([entity, registered, unregistered], period, ON)

    assert {o: values[o.pk].raw for o in (entity, registered, unregistered)} == {
        entity: "3/6",
        registered: "2/5",
        unregistered: "0/4",
    }
    assert "NPWP" in values[entity.pk].detail  # named among the missing ones


# --- RPJMD alignment ---------------------------------------------------------------------------


def test_rpjmd_alignment_is_the_share_of_accepted_programmes_linked_to_a_sasaran(period, ormas):
    rpjmd = RpjmdFactory()
    first, second = SasaranFactory(rpjmd=rpjmd), SasaranFactory(rpjmd=rpjmd)
    ProgrammeFactory(ormas=ormas, period=period).sasaran.set([first, second])  # counted once
    ProgrammeFactory(ormas=ormas, period=period).sasaran.set([first])
    ProgrammeFactory(ormas=ormas, period=period)  # not linked
    ProgrammeFactory(ormas=ormas, period=period, state="submitted").sasaran.set([first])
    ProgrammeFactory(ormas=ormas, period=period, state="returned").sasaran.set([first])
    earlier = PeriodFactory(
        name="Periode 2024", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)
    )
    ProgrammeFactory(ormas=ormas, period=earlier).sasaran.set([second])
    idle = OrmasFactory()

    assert raw(system_indicators.rpjmd_alignment, [ormas, idle], period) == {
        ormas: "2/3",  # two of the three accepted programmes of this period
        idle: "0",
    }


# --- programme achievement ---------------------------------------------------------------------


def test_programme_achievement_is_the_capped_mean_over_accepted_programmes(period, ormas):
    reported = ProgrammeFactory(ormas=ormas, period=period)
    participants = IndicatorFactory(programme=reported, target=100)  # summed
    sessions = IndicatorFactory(programme=reported, target=50)
    first = verified_report(reported)
    ReportValueFactory(report=first, indicator=participants, value=Decimal(60))
    ReportValueFactory(report=first, indicator=sessions, value=Decimal(20))
    second = verified_report(reported)
    ReportValueFactory(report=second, indicator=participants, value=Decimal(60))
    pending = ReportFactory(programme=reported, state="submitted")
    ReportValueFactory(report=pending, indicator=sessions, value=Decimal(50))  # not verified
    # participants 60 + 60 = 120 of 100 → 1.2, capped at 1; sessions 20 of 50 → 0.4;
    # the programme: (1 + 0.4) / 2 = 0.7
    silent = ProgrammeFactory(ormas=ormas, period=period)
    IndicatorFactory(programme=silent, target=10)  # nothing reported → 0
    ProgrammeFactory(ormas=ormas, period=period)  # no indicator at all → 0
    returned = ProgrammeFactory(ormas=ormas, period=period, state="returned")
    ReportValueFactory(
        report=verified_report(returned),
        indicator=IndicatorFactory(programme=returned, target=1),
        value=Decimal(1),
    )  # not accepted: left out
    idle = OrmasFactory()

    values = system_indicators.programme_achievement([ormas, idle], period, ON)

    # (0.7 + 0 + 0) / 3 = 0.2333… → 0.2333 (four places, half up)
    assert Decimal(values[ormas.pk].raw) == Decimal("0.2333")
    assert values[idle.pk].raw == "0"


def test_programme_achievement_of_one_programme_above_target_is_full(period, ormas):
    programme = ProgrammeFactory(ormas=ormas, period=period)
    indicator = IndicatorFactory(programme=programme, target=40)
    ReportValueFactory(report=verified_report(programme), indicator=indicator, value=Decimal(90))

    values = system_indicators.programme_achievement([ormas], period, ON)

    assert Decimal(values[ormas.pk].raw) == 1  # 90 / 40 = 2.25, capped at 1


# --- reporting on time -------------------------------------------------------------------------


def test_reporting_on_time_counts_reports_past_their_due_date(period, ormas):
    punctual, late, silent = (ProgrammeFactory(ormas=ormas, period=period) for _ in range(3))
    ReportFactory(
        programme=punctual, state="submitted", first_submitted_at=at(dt.date(2025, 7, 10))
    )
    ReportFactory(programme=late, state="verified", first_submitted_at=at(dt.date(2025, 7, 20)))
    ReportFactory(programme=silent, state="draft")  # never submitted
    # Each owes the semester 1 report (due 15 July); semester 2 is not due on 1 September.
    starts_in_july = OrmasFactory()
    ProgrammeFactory(ormas=starts_in_july, period=period, start_date=dt.date(2025, 7, 1))
    idle = OrmasFactory()

    assert raw(system_indicators.reporting_on_time, [ormas, starts_in_july, idle], period) == {
        ormas: "1/3",
        starts_in_july: "NA",  # nothing due yet: not applicable, not zero
        idle: "0",  # the programme deadline (31 March) passed without an accepted programme
    }


def test_the_yearly_report_due_after_the_period_counts_once_due(ormas):
    yearly = PeriodFactory(report_frequency="yearly")  # one report, due 15 January 2026
    programme = ProgrammeFactory(ormas=ormas, period=yearly)
    ReportFactory(programme=programme, state="verified", first_submitted_at=at(dt.date(2026, 1, 9)))

    values = system_indicators.compute(
        ["reporting_on_time"], [ormas], yearly, today=dt.date(2026, 2, 1)
    )

    assert values[ormas.pk]["reporting_on_time"].raw == "1/1"


# --- youth share -------------------------------------------------------------------------------


def test_youth_share_over_verified_reports(period, ormas):
    programme = ProgrammeFactory(ormas=ormas, period=period)
    verified_report(programme, male_youth=3, female_youth=2, male_over30=5)  # 5 of 10
    verified_report(programme, female_under16=4, female_youth=1)  # 1 of 5
    ReportFactory(programme=programme, state="submitted", male_youth=100)  # not verified
    empty = OrmasFactory()
    verified_report(ProgrammeFactory(ormas=empty, period=period))  # no participants
    elsewhere = OrmasFactory()
    earlier = PeriodFactory(
        name="Periode 2024", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)
    )
    verified_report(ProgrammeFactory(ormas=elsewhere, period=earlier), male_youth=9)
    idle = OrmasFactory()

    assert raw(system_indicators.youth_share, [ormas, empty, elsewhere, idle], period) == {
        ormas: "6/15",
        empty: "0",  # the semester 1 report fell due (15 July) and shows no participant
        elsewhere: "0",  # no programme in this period, and its deadline has passed
        idle: "0",
    }


# --- stored as answers -------------------------------------------------------------------------


@pytest.fixture
def system_flow(period, region_admin, ormas, operator, assessor) -> Flow:
    instrument = published_instrument(SYSTEM_YAML)
    services.period_standard_set(actor=region_admin, period=period, instrument=instrument)
    assessment = services.assessment_open(actor=operator, ormas=ormas, period=period)
    return Flow(assessment=assessment, operator=operator, admin=region_admin, assessor=assessor)


def test_a_missed_obligation_counts_zero_whatever_allow_na_says(system_flow):
    # The 2025 period is over; its programme deadline passed with no programme: youth share 0.
    pm = system_flow.get("PM")
    assert (pm.value, "dihitung 0" in pm.system_detail) == ("0", True)
    assert system_flow.get("LG").value == "1"  # not registered
    assessment = system_flow.fresh()
    line = next(x for x in assessment.provisional["lines"] if x["indicator"] == "PM")
    assert (line["status"], line["normalised"]) == ("answered", "0.0000")


def test_nothing_due_yet_is_not_applicable_even_where_people_may_not_answer_na(
    region_admin, ormas, operator, assessor
):
    today = dt.date.today()
    running = PeriodFactory(
        name="Periode berjalan",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=300),
        programme_due=today + dt.timedelta(days=30),
    )
    instrument = published_instrument(SYSTEM_YAML)  # PM does not allow N/A to a person
    services.period_standard_set(actor=region_admin, period=running, instrument=instrument)
    assessment = services.assessment_open(actor=operator, ormas=ormas, period=running)
    flow = Flow(assessment=assessment, operator=operator, admin=region_admin, assessor=assessor)

    assert flow.get("PM").value == "NA"
    line = next(x for x in flow.fresh().provisional["lines"] if x["indicator"] == "PM")
    assert (line["status"], line["normalised"], line["weight_in_index"]) == ("na", None, "0.000000")


def test_refreshing_updates_unverified_values_and_is_idempotent(system_flow, period, ormas):
    verified_report(ProgrammeFactory(ormas=ormas, period=period), male_youth=1, male_over30=3)
    type(ormas).objects.filter(pk=ormas.pk).update(local_letter_number="SKL/1/2025")

    assert services.refresh_system_values([system_flow.fresh()]) == 2

    assert (system_flow.get("PM").value, system_flow.get("LG").value) == ("1/4", "2")
    services.assessment_rescore(system_flow.fresh())
    # PM 1/4 = 0.25 of cap 0.3 → 83.33; LG 2 → 33.33; SF unanswered → 0
    # provisional index = (250/3 + 100/3 + 0) / 3 = 38.888… → 38.89
    assert system_flow.fresh().provisional["index"] == "38.89"
    assert services.refresh_system_values([system_flow.fresh()]) == 0


def test_refreshing_leaves_verified_values_alone(system_flow, period, ormas):
    system_flow.answer("SF", "ya")
    system_flow.submit()
    system_flow.assign()
    system_flow.verify("LG")  # accepted: level 1
    type(ormas).objects.filter(pk=ormas.pk).update(ahu_number=AHU)
    verified_report(ProgrammeFactory(ormas=ormas, period=period), female_youth=2, male_over30=2)

    assert services.refresh_system_values([system_flow.fresh()]) == 1  # PM only

    lg = system_flow.get("LG")
    assert (lg.value, lg.verified_value) == ("1", "1")
    assert system_flow.get("PM").value == "2/4"


def test_published_assessments_are_not_refreshed(system_flow, period, ormas):
    system_flow.answer("SF", "ya")
    system_flow.submit()
    system_flow.assign()
    system_flow.verify_all()
    system_flow.complete()
    Period.objects.filter(pk=period.pk).update(state="assessment")
    system_flow.publish()
    type(ormas).objects.filter(pk=ormas.pk).update(ahu_number=AHU)

    assert services.refresh_system_values([system_flow.fresh()]) == 0
    assert Answer.objects.get(assessment=system_flow.assessment, indicator="LG").value == "1"


def test_a_computed_ratio_is_scored_exactly(system_flow, period, ormas):
    # 2 of 7 participants are young: 2/7 ≈ 0.2857 of cap 0.3 → (2/7) / 0.3 × 100 = 95.238…
    verified_report(ProgrammeFactory(ormas=ormas, period=period), male_youth=2, female_over30=5)
    services.refresh_system_values([system_flow.fresh()])
    services.assessment_rescore(system_flow.fresh())

    line = next(x for x in system_flow.fresh().provisional["lines"] if x["indicator"] == "PM")
    assert Fraction(line["normalised"]) == Fraction("95.2381")


# --- the missing-data rule, computation by computation -------------------------------------------

PROGRAMME_BASED = ("rpjmd_alignment", "programme_achievement", "reporting_on_time", "youth_share")


def _values(names, ormas_list, period, today):
    computed = system_indicators.compute(names, ormas_list, period, today=today)
    return {name: {o: computed[o.pk][name].raw for o in ormas_list} for name in names}


def test_without_an_accepted_programme_every_programme_indicator_follows_one_rule(period):
    nothing = OrmasFactory()
    waiting = OrmasFactory()
    ProgrammeFactory(ormas=waiting, period=period, state="submitted")
    returned = OrmasFactory()
    ProgrammeFactory(ormas=returned, period=period, state="returned")
    people = [nothing, waiting, returned]

    # On 1 March the deadline (31 March) is still ahead: nobody can be judged yet.
    before = _values(PROGRAMME_BASED, people, period, dt.date(2025, 3, 1))
    assert before == {name: dict.fromkeys(people, "NA") for name in PROGRAMME_BASED}

    # Once it has passed: a programme still waiting for Kesbangpol is not the ormas' fault (N/A);
    # no programme, or one sent back and never accepted, is a missed obligation (0).
    after = _values(PROGRAMME_BASED, people, period, ON)
    assert after == {name: {nothing: "0", waiting: "NA", returned: "0"} for name in PROGRAMME_BASED}


def test_with_a_programme_but_no_report_due_yet_report_based_indicators_are_not_applicable(
    period, ormas
):
    rpjmd = RpjmdFactory()
    programme = ProgrammeFactory(ormas=ormas, period=period)
    programme.sasaran.set([SasaranFactory(rpjmd=rpjmd)])
    IndicatorFactory(programme=programme, target=10)

    # 1 June: the programme is accepted, the first report is due on 15 July.
    early = _values(PROGRAMME_BASED, [ormas], period, dt.date(2025, 6, 1))
    assert early == {
        "rpjmd_alignment": {ormas: "1/1"},  # judged on the programme itself
        "programme_achievement": {ormas: "NA"},
        "reporting_on_time": {ormas: "NA"},
        "youth_share": {ormas: "NA"},
    }

    # 1 September: the semester 1 report fell due and none came: each counts 0.
    late = _values(PROGRAMME_BASED, [ormas], period, ON)
    assert late == {
        "rpjmd_alignment": {ormas: "1/1"},
        "programme_achievement": {ormas: "0.0000"},  # its indicator has nothing reported
        "reporting_on_time": {ormas: "0/1"},
        "youth_share": {ormas: "0"},
    }


def test_financial_indicators_read_the_financial_summary(period):
    from sipko.reporting.models import FinancialSummary

    audited, reported, published, kept, absent = (OrmasFactory() for _ in range(5))
    FinancialSummary.objects.create(
        ormas=audited, period=period, income_iuran=1, income_hibah=5, audited=True, reported=True
    )
    FinancialSummary.objects.create(ormas=reported, period=period, income_usaha=2, reported=True)
    FinancialSummary.objects.create(ormas=published, period=period, published=True)
    FinancialSummary.objects.create(
        ormas=kept,
        period=period,
        income_iuran=1,
        income_usaha=1,
        income_hibah=1,
        income_donasi=1,
        income_csr_lainnya=1,
    )
    people = [audited, reported, published, kept, absent]
    names = ("income_sources", "financial_reporting")

    # The summary is due with the self-assessment (here unset: the period's end, 31 December).
    during = _values(names, people, period, ON)
    assert during == {
        "income_sources": {audited: "2", reported: "1", published: "0", kept: "5", absent: "NA"},
        "financial_reporting": {
            audited: "4",
            reported: "3",
            published: "3",
            kept: "2",
            absent: "NA",
        },
    }
    Period.objects.filter(pk=period.pk).update(self_assessment_due=dt.date(2025, 8, 1))
    period.refresh_from_db()
    after = _values(names, [absent], period, ON)
    assert after == {"income_sources": {absent: "0"}, "financial_reporting": {absent: "1"}}


def test_every_computation_follows_the_rule_or_always_has_a_base():
    """A new computation must be placed in one of the two groups (and tested above)."""
    always_based = {"legal_status", "board_term", "documents_complete"}
    rule_based = {*PROGRAMME_BASED, "income_sources", "financial_reporting"}
    assert set(system_indicators.COMPUTATIONS) == always_based | rule_based
