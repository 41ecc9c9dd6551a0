"""IKO-DEFAULT 2026.1: the financial indicators computed, a minimum coverage, a plausibility check.

2025.1 stays as it was: results scored with it keep their instrument and their hash.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse

from sipko.assessment import scoring, services
from sipko.reporting.models import FinancialSummary
from tests.assessment.factories import make_flow, published_instrument, verified_report
from tests.factories import PeriodFactory, ProgrammeFactory


def _spec(path):
    return scoring.load_instrument_yaml(path.read_bytes())


def test_2026_changes_only_the_financial_indicators_coverage_and_plausibility():
    old = scoring.instrument_to_dict(_spec(scoring.IKO_2025_FILE))
    new = scoring.instrument_to_dict(_spec(scoring.DEFAULT_INSTRUMENT_FILE))
    assert (old["version"], new["version"]) == ("2025.1", "2026.1")
    assert "min_coverage" not in old and new["min_coverage"] == 0.75

    def indicators(data):
        return {i["code"]: i for d in data["dimensions"] for i in d["indicators"]}

    before, after = indicators(old), indicators(new)
    changed = {code for code in before if before[code] != after[code]}
    assert changed == {"SDM2", "SDM3", "MNF1"}
    assert (after["SDM2"]["source"], after["SDM2"]["system"]) == ("system", "income_sources")
    assert (after["SDM3"]["source"], after["SDM3"]["system"]) == ("system", "financial_reporting")
    assert after["MNF1"] == {**before["MNF1"], "plausibility": "participants"}
    # Weights, thresholds and predicates are those of 2025.1: only the sources changed.
    for code in ("SDM2", "SDM3"):
        assert after[code]["weight"] == before[code]["weight"]
    assert old["predicates"] == new["predicates"]


@pytest.fixture
def iko_2026(db):
    return published_instrument(scoring.DEFAULT_INSTRUMENT_FILE.read_bytes())


def _answer_own(flow, spec):
    for code, value in (
        ("KEL4", "4"),
        ("SDM1", "30"),
        ("SDM4", "ya"),
        ("MNF1", "250"),
        ("MNF3", "1"),
    ):
        flow.answer(code, value, evidence=spec.indicator(code).evidence)


def test_early_in_a_period_the_index_is_shown_without_a_predicate(
    iko_2026, ormas, operator, region_admin, assessor, client, private_media
):
    today = dt.date.today()
    running = PeriodFactory(
        name="Periode berjalan (uji)",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=300),
        programme_due=today + dt.timedelta(days=30),
    )
    flow = make_flow(
        instrument=iko_2026,
        period=running,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    _answer_own(flow, iko_2026.spec)
    # Nothing is due yet: the programme deadline is ahead and the financial summary is due
    # with the self-assessment (here the period's end), so the rule makes these N/A:
    assert {c: flow.get(c).value for c in ("SDM2", "SDM3", "PRG2", "PRG3", "PRG4", "MNF2")} == {
        "SDM2": "NA",
        "SDM3": "NA",
        "PRG2": "NA",
        "PRG3": "NA",
        "PRG4": "NA",
        "MNF2": "NA",
    }
    provisional = flow.fresh().provisional
    # Coverage = 1 − SDM 0.25·(25+25)/100 − PRG 0.30·75/100 − MNF 0.25·20/100
    #          = 1 − 0.125 − 0.225 − 0.05 = 0.6 < 0.75.
    assert Fraction(provisional["coverage"]) == Fraction(3, 5)
    assert (provisional["sufficient"], provisional["predicate"]) == (False, None)
    # The index is still computed (KEL 25, SDM 100, PRG 0, MNF (2000 + 2500/3) / 80):
    # (500 + 2500 + 0 + 25·35.41666…) / 100 = 38.854166… → 38.85.
    assert provisional["index"] == "38.85"

    client.force_login(operator)
    page = client.get(reverse("assessment:detail", args=[flow.assessment.uuid]))
    html = page.content.decode()
    assert 'data-testid="insufficient"' in html and "Data tidak cukup" in html
    assert 'data-testid="predicate"' not in html


def test_financial_summary_and_reports_feed_the_2026_assessment(
    iko_2026, period, ormas, operator, region_admin, assessor, client, private_media
):
    FinancialSummary.objects.create(
        ormas=ormas,
        period=period,
        income_iuran=1_000_000,
        income_hibah=5_000_000,
        income_donasi=250_000,
        audited=True,
    )
    verified_report(ProgrammeFactory(ormas=ormas, period=period), male_youth=60, female_over30=40)
    flow = make_flow(
        instrument=iko_2026,
        period=period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    _answer_own(flow, iko_2026.spec)
    assert (flow.get("SDM2").value, flow.get("SDM3").value) == ("3", "4")
    flow.submit()
    flow.assign()

    # 250 beneficiaries declared; the verified report counts 100 participants: 250 > 2 × 100.
    client.force_login(assessor)
    html = client.get(reverse("assessment:detail", args=[flow.assessment.uuid])).content.decode()
    assert 'data-testid="plausibility"' in html
    assert "(250)" in html and "(100)" in html
    # The warning is for whoever verifies; the ormas does not see it.
    client.force_login(operator)
    html = client.get(reverse("assessment:detail", args=[flow.assessment.uuid])).content.decode()
    assert 'data-testid="plausibility"' not in html


def test_a_declared_count_within_twice_the_participants_raises_no_doubt(
    iko_2026, period, ormas, operator, region_admin, assessor
):
    from sipko.assessment import selectors

    verified_report(ProgrammeFactory(ormas=ormas, period=period), male_youth=125)
    flow = make_flow(
        instrument=iko_2026,
        period=period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    flow.answer("MNF1", "250", evidence=True)  # exactly 2 × 125: not above
    answers = list(flow.fresh().answers.all())
    assert selectors.plausibility_warnings(flow.fresh(), answers) == {}
    flow.answer("MNF1", "251", evidence=True)
    answers = list(flow.fresh().answers.all())
    assert set(selectors.plausibility_warnings(flow.fresh(), answers)) == {"MNF1"}


def test_a_declared_count_without_any_verified_participant_is_doubted(
    iko_2026, period, ormas, operator, region_admin, assessor
):
    from sipko.assessment import selectors

    flow = make_flow(
        instrument=iko_2026,
        period=period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    flow.answer("MNF1", "60", evidence=True)
    answers = list(flow.fresh().answers.all())
    [warning] = selectors.plausibility_warnings(flow.fresh(), answers).values()
    assert "belum ada peserta" in warning
    flow.answer("MNF1", "0", evidence=True)
    answers = list(flow.fresh().answers.all())
    assert selectors.plausibility_warnings(flow.fresh(), answers) == {}


def test_published_2025_results_keep_their_instrument_and_hash(
    iko, iko_2026, assessing_period, ormas, operator, region_admin, assessor, private_media
):
    flow = make_flow(
        instrument=iko,
        period=assessing_period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    _answer_own(flow, iko.spec)
    flow.answer("SDM2", "2")
    flow.answer("SDM3", "3", evidence=True)
    flow.submit()
    flow.assign()
    flow.verify_all({"PRG1": "3", "MNF4": "2"})
    flow.complete()
    flow.publish()
    published = flow.fresh()
    assert published.instrument == iko and services.frozen_result_intact(published)
    assert "min_coverage" not in iko.definition  # the 2025.1 definition is as it was hashed
    assert published.result["sufficient"] is True
