"""The methodology page computes from exact scores (issue 9, part 2), through the database.

A period of a few hundred verified assessments is stored as the application stores them (the
service scores each one), with exactly tied answers and indexes crafted to end in exactly …5 at
the third decimal. Every expected value is derived here from the instrument's rules written out in
fractions (`hand_index`), never from the code under test. Runs on SQLite and on PostgreSQL
(`DATABASE_URL`).
"""

from __future__ import annotations

import csv as csv_module
import io
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from sipko.assessment import methodology, selectors, services
from sipko.assessment.models import Answer, Assessment, AssessmentState
from sipko.assessment.scoring import round_half_up
from tests.assessment.factories import published_instrument
from tests.factories import OrmasFactory

# K = (L1 + L2 + YN) / applicable weights        L1, L2: level 1..4 → (v − 1)/3 × 100
# P = (3·RT + 2·BD + L7) / applicable weights     YN: ya 100, tidak 0, N/A allowed
# index = (3·K + 2·P) / 5                         RT: ratio, cap 1; BD: bands [0, 5, 10, 15],
#                                                 N/A allowed; L7: level 1..7 (assessor)
EXACT_YAML = """\
code: UJI-EKSAK
version: "1"
name: Instrumen uji eksak
decimals: 2
predicates:
  - {code: A, label: Sangat Baik, min: 85}
  - {code: B, label: Baik, min: 70}
  - {code: C, label: Cukup, min: 55}
  - {code: D, label: Kurang, min: 0}
dimensions:
  - code: K
    name: Kelembagaan
    weight: 3
    indicators:
      - code: L1
        name: Tingkat satu
        type: level
        levels: [{value: 1, label: Satu}, {value: 2, label: Dua}, {value: 3, label: Tiga},
                 {value: 4, label: Empat}]
        weight: 1
        source: self
      - code: L2
        name: Tingkat dua
        type: level
        levels: [{value: 1, label: Satu}, {value: 2, label: Dua}, {value: 3, label: Tiga},
                 {value: 4, label: Empat}]
        weight: 1
        source: self
      - {code: YN, name: Ya atau tidak, type: yesno, weight: 1, source: self, allow_na: true}
  - code: P
    name: Program
    weight: 2
    indicators:
      - {code: RT, name: Rasio, type: ratio, cap: 1, weight: 3, source: self}
      - {code: BD, name: Berjenjang, type: banded, thresholds: [0, 5, 10, 15], weight: 2,
         source: self, allow_na: true}
      - code: L7
        name: Nilai penilai
        type: level
        levels: [{value: 1, label: "1"}, {value: 2, label: "2"}, {value: 3, label: "3"},
                 {value: 4, label: "4"}, {value: 5, label: "5"}, {value: 6, label: "6"},
                 {value: 7, label: "7"}]
        weight: 1
        source: assessor
"""
CODES = ("L1", "L2", "YN", "RT", "BD", "L7")


def normalised(code: str, raw: str) -> Fraction | None:
    """The 0–100 score of a stored value by the instrument's rules; None for N/A."""
    if raw == "NA":
        return None
    if raw == "":
        return Fraction(0)  # unanswered
    if code in ("L1", "L2"):
        return Fraction(int(raw) - 1, 3) * 100
    if code == "L7":
        return Fraction(int(raw) - 1, 6) * 100
    if code == "YN":
        return Fraction(100 if raw == "ya" else 0)
    if code == "RT":
        actual, target = raw.split("/")
        return min(Fraction(int(actual), int(target)), Fraction(1)) * 100
    band = sum(Fraction(raw) >= t for t in (0, 5, 10, 15))  # BD
    return Fraction(band - 1, 3) * 100


def hand_index(values: dict[str, str], score=normalised) -> Fraction:
    def dimension(weights: dict[str, int]) -> Fraction:
        scored = {c: score(c, values[c]) for c in weights}
        applicable = {c: s for c, s in scored.items() if s is not None}
        return sum(weights[c] * s for c, s in applicable.items()) / sum(
            weights[c] for c in applicable
        )

    return (
        3 * dimension({"L1": 1, "L2": 1, "YN": 1}) + 2 * dimension({"RT": 3, "BD": 2, "L7": 1})
    ) / 5


def random_values(rng: random.Random) -> dict[str, str]:
    def maybe_blank(text: str) -> str:
        return "" if rng.random() < 0.05 else text

    return {
        "L1": maybe_blank(str(rng.randint(1, 4))),
        "L2": maybe_blank(str(rng.randint(1, 4))),
        "YN": rng.choice(["ya", "tidak", "ya", "NA"]),
        "RT": f"{rng.randint(0, 12)}/{rng.choice([3, 6, 7, 9, 12])}",
        "BD": rng.choice(["NA", *map(str, range(0, 20))]),
        "L7": maybe_blank(str(rng.randint(1, 7))),
    }


def on_the_boundary(values: dict[str, str]) -> dict[str, str]:
    """The same answers with RT chosen so that the exact index is exactly x.xx5."""
    with_ratio = lambda r: hand_index({**values, "RT": f"{r.numerator}/{r.denominator}"})  # noqa: E731
    start, slope = with_ratio(Fraction(0)), with_ratio(Fraction(1)) - with_ratio(Fraction(0))
    target = (int(with_ratio(Fraction(1, 2)) * 100) + Fraction(1, 2)) / 100
    ratio = (target - start) / slope
    assert 0 <= ratio <= 1
    return {**values, "RT": f"{ratio.numerator}/{ratio.denominator}"}


def verified_period(period, admin, *, count: int, seed: int = 9):
    """`count` verified assessments of `period`; returns {ormas uuid: counted values}."""
    instrument = published_instrument(EXACT_YAML)
    services.period_standard_set(actor=admin, period=period, instrument=instrument)
    rng = random.Random(seed)
    answer_sets: list[dict[str, str]] = []
    for _ in range(count):
        kind = rng.random()
        if answer_sets and kind < 0.2:  # exactly the answers of another ormas
            values = dict(rng.choice(answer_sets))
        elif answer_sets and kind < 0.3:  # L1 and L2 swapped: the same index exactly
            other = rng.choice(answer_sets)
            values = {**other, "L1": other["L2"], "L2": other["L1"]}
        else:
            values = random_values(rng)
            if kind > 0.75:
                values = on_the_boundary(values)
        answer_sets.append(values)

    ormas = OrmasFactory.create_batch(count)
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            ormas=o,
            period=period,
            instrument=instrument,
            state=AssessmentState.VERIFIED,
            submitted_at=now,
            verified_at=now,
        )
        for o in ormas
    )
    rows = []
    for number, (assessment, values) in enumerate(zip(assessments, answer_sets, strict=True)):
        second = number % 3 == 0
        for code in CODES:
            verified = values[code]
            own = "" if code == "L7" else verified
            if code == "L1" and number % 4 == 1 and verified:  # the ormas claimed more
                own = str(min(4, int(verified) + 1))
            second_value = verified
            if second and code == "L7" and number % 2 and verified:
                second_value = str(max(1, int(verified) - 1))
            rows.append(
                Answer(
                    assessment=assessment,
                    indicator=code,
                    value=own,
                    verified_value=verified,
                    verified_at=now,
                    second_value=second_value if second else "",
                    second_at=now if second else None,
                )
            )
    Answer.objects.bulk_create(rows)
    for assessment in Assessment.objects.filter(period=period).select_related("instrument"):
        services.assessment_rescore(assessment)
    return {str(o.uuid): values for o, values in zip(ormas, answer_sets, strict=True)}


@pytest.fixture
def exact_period(period, region_admin):
    return period, verified_period(period, region_admin, count=300)


def test_methodology_index_is_the_official_index_and_exact_ties_share_a_rank(
    exact_period, region_admin
):
    period, answers = exact_period
    exact = {key: hand_index(values) for key, values in answers.items()}
    stored = {
        str(a.ormas.uuid): a.result
        for a in Assessment.objects.filter(period=period).select_related("ormas")
    }

    report = methodology.analyse(selectors.score_matrix(region_admin, period), runs=50)
    rows = {row.key: row for row in report.sensitivity.ormas}

    assert len(rows) == 300
    for key, row in rows.items():
        # The shown index, rounded half-up, is what the ormas was given — and what the rule gives.
        assert format(row.index_shown, "f") == stored[key]["index"]
        assert row.index_shown == round_half_up(exact[key], 2)
        assert row.index_exact == exact[key]
        assert row.predicate == stored[key]["predicate"]["code"]
        # Competition rank from the exact indexes: exactly tied ormas share it.
        assert row.rank == 1 + sum(other > exact[key] for other in exact.values())

    # The set has teeth: exact ties, indexes on the …5 boundary, and (from the stored d + 2
    # places) an index the old reading rounded the wrong way.
    assert len(set(exact.values())) < len(exact) - 30
    boundary = [k for k, v in exact.items() if (v * 1000) % 10 == 5 and (v * 1000).denominator == 1]
    assert len(boundary) > 30

    def stored_score(key):
        lines = {line["indicator"]: line for line in stored[key]["lines"]}
        return lambda code, _raw: (
            None if lines[code]["status"] == "na" else Fraction(lines[code]["normalised"])
        )

    old = {key: hand_index(answers[key], stored_score(key)) for key in boundary}
    assert any(round_half_up(old[k], 2) != rows[k].index_shown for k in boundary)


def test_verification_statistics_follow_the_stored_answers(period, region_admin):
    answers = verified_period(period, region_admin, count=90, seed=5)
    report = methodology.analyse(selectors.score_matrix(region_admin, period), runs=5)
    stats = {v.code: v for v in report.verification.indicators}
    numbers = range(len(answers))
    ordered = list(answers.values())  # creation order = the `number` of verified_period

    # L1: the ormas claimed one level more on every 4th answer (from 1) that was not 4 or blank.
    raised = [n for n in numbers if n % 4 == 1 and ordered[n]["L1"] not in ("", "4")]
    answered = [n for n in numbers if ordered[n]["L1"]]
    assert stats["L1"].self_verified == len(answered)
    assert stats["L1"].changed == len(raised)
    assert stats["L1"].mean_difference == pytest.approx(
        float(Fraction(100, 3) * len(raised) / len(answered))
    )
    # L7 is the assessor's own indicator: no self answers; pairs where both assessors valued it.
    assert stats["L7"].self_verified == 0 and stats["L7"].changed_share is None
    pairs = [n for n in numbers if n % 3 == 0 and ordered[n]["L7"]]
    lowered = [n for n in pairs if n % 2 and ordered[n]["L7"] != "1"]
    assert stats["L7"].pairs == len(pairs)
    assert stats["L7"].agreement == pytest.approx(1 - len(lowered) / len(pairs))
    assert stats["L7"].kappa is not None and stats["L7"].kappa < 1
    assert stats["RT"].kappa == pytest.approx(1.0)  # both assessors always agree on RT
    assert report.verification.total.pairs == sum(s.pairs for s in stats.values())


def test_the_methodology_page_shows_the_new_sections(client, period, region_admin):
    verified_period(period, region_admin, count=24, seed=3)
    client.force_login(region_admin)

    page = client.get(reverse("assessment:methodology", args=[period.pk]))
    csv = client.get(reverse("assessment:methodology_export", args=[period.pk, "csv"]))

    assert page.status_code == 200
    html = page.content.decode()
    for marker in (
        'data-testid="verification"',
        'data-testid="verification-total"',
        'data-testid="scenario-unanswered_na"',
        'data-testid="scenario-geometric"',
        'data-testid="scenario-thresholds_down"',
        'data-testid="scenario-thresholds_up"',
        'data-testid="mc-error"',
        'data-testid="ormas-sensitivity"',
        "Stabilitas",
        "κ",
    ):
        assert marker in html
    header, *lines = csv_module.reader(io.StringIO(csv.content.decode()))
    assert "stabilitas_predikat" in header and "se_median" in header
    shown = {a.result["index"] for a in Assessment.objects.filter(period=period)}
    position = header.index("indeks_tampil")
    assert {line[position] for line in lines} == shown
    assert Decimal(lines[0][position]) >= Decimal(lines[-1][position])
