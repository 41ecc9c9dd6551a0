"""Reads of performance assessment: lists, the readable trace, guidance and eligibility.

Everything is fetched through `accounts.access`; the wording of values ("Sewa", "2 dari 3
(66,67 %)") is made here once, for the pages, the trace and the exports alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.assessment import scoring
from sipko.assessment.models import (
    PUBLIC_STATES,
    Answer,
    Assessment,
    AssessmentState,
    EligibilityRule,
    FollowUp,
    FollowUpState,
    PeriodStandard,
)
from sipko.planning.models import Period
from sipko.regions.models import ancestor_codes, within_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sipko.accounts.models import User
    from sipko.registry.models import Ormas

    AnyUser = User | AnonymousUser

RECOMMENDATION_COUNT = 3
# A declared count is doubtful above this multiple of the verified reports' participants.
PLAUSIBILITY_FACTOR = 2


def assessment_periods(user: AnyUser) -> QuerySet[Period]:
    """Periods the user follows that have an instrument, newest first."""
    return (
        access.periods_visible_to(user)
        .filter(pk__in=PeriodStandard.objects.values("period_id"))
        .select_related("region", "standard__instrument")
        .order_by("-start", "region_id")
    )


def assessments_for(
    user: AnyUser, period: Period, *, state: str = "", kecamatan: str = "", q: str = ""
) -> QuerySet[Assessment]:
    qs = access.assessments_visible_to(user).filter(period=period)
    if state:
        qs = qs.filter(state=state)
    if kecamatan:
        qs = qs.filter(within_q(kecamatan, "ormas__region__code"))
    if q:
        qs = qs.filter(Q(ormas__name__icontains=q) | Q(ormas__acronym__icontains=q))
    return qs.select_related("ormas", "ormas__region", "assessor", "second_assessor")


def state_counts(assessments: QuerySet[Assessment]) -> list[tuple[str, str, int]]:
    counts = Counter(assessments.values_list("state", flat=True))
    return [(s.value, s.label, counts.get(s.value, 0)) for s in AssessmentState]


def predicate_counts(assessments: QuerySet[Assessment]) -> list[tuple[str, str, int]]:
    """Bands of published results, in the instrument's order (highest first), then the results
    below the instrument's minimum coverage ("data tidak cukup") when there are any."""
    published = assessments.filter(state__in=PUBLIC_STATES)
    counts = Counter(published.values_list("predicate", flat=True))
    first = published.select_related("instrument").first()
    if first is None:
        return []
    bands = [(p.code, p.label, counts.get(p.code, 0)) for p in first.instrument.spec.predicates]
    insufficient = published.filter(predicate="", index__isnull=False).count()
    if insufficient:
        bands.append(("none", _("Data tidak cukup"), insufficient))
    return bands


def plausibility_warnings(assessment: Assessment, answers: list[Answer]) -> dict[str, str]:
    """Indicator code → a warning for the assessor, where a number the ormas declared is
    doubtful against SIPKO's own records (`plausibility` in the instrument)."""
    from sipko.reporting.models import PARTICIPANT_FIELDS, ActivityReport, ReportState

    spec = assessment.instrument.spec
    checked = [a for a in answers if spec.indicator(a.indicator).plausibility == "participants"]
    if not checked:
        return {}
    totals = ActivityReport.objects.filter(
        programme__ormas=assessment.ormas_id,
        programme__period=assessment.period_id,
        state=ReportState.VERIFIED,
    ).aggregate(*(Sum(name) for name in PARTICIPANT_FIELDS))
    participants = sum(value or 0 for value in totals.values())
    warnings = {}
    for answer in checked:
        try:
            declared = Decimal(answer.value)
        except ArithmeticError:
            continue  # blank or N/A: nothing declared to doubt
        if declared > 0 and participants == 0:
            warnings[answer.indicator] = _(
                "Angka yang diisi ormas (%(declared)s) belum didukung laporan kegiatan: belum ada "
                "peserta dalam laporan kegiatan terverifikasi periode ini. Periksa bukti dukungnya "
                "sebelum menerima."
            ) % {"declared": number_format(declared, use_l10n=True, force_grouping=True)}
        elif declared > PLAUSIBILITY_FACTOR * participants:
            warnings[answer.indicator] = _(
                "Angka yang diisi ormas (%(declared)s) lebih dari %(factor)s kali jumlah peserta "
                "dalam laporan kegiatan terverifikasi periode ini (%(participants)s). Periksa "
                "bukti dukungnya sebelum menerima."
            ) % {
                "declared": number_format(declared, use_l10n=True, force_grouping=True),
                "factor": PLAUSIBILITY_FACTOR,
                "participants": number_format(participants, use_l10n=True, force_grouping=True),
            }
    return warnings


def verification_queue(user: AnyUser) -> QuerySet[Assessment]:
    """Assessments waiting for this user's verification."""
    return (
        access.assessments_visible_to(user)
        .filter(state=AssessmentState.SUBMITTED)
        .filter(Q(assessor=user) | Q(second_assessor=user))
        .select_related("ormas", "period")
        .order_by("submitted_at", "pk")
    )


# --- work on a whole period ----------------------------------------------------------------------
# The confirmation page lists these and the bulk services act on them: what is shown is what is
# done. Each returns the objects in the order the page shows them.

BULK_OPEN = "buka"
BULK_PUBLISH = "umumkan"
BULK_FINALISE = "finalkan"
BULK_ACTIONS = (BULK_OPEN, BULK_PUBLISH, BULK_FINALISE)


def period_bulk_refusal(period: Period, action: str) -> str | None:
    """Why the whole period refuses `action` now (closed, wrong stage, no instrument), else None."""
    from sipko.assessment.services import ASSESSING_PERIOD_STATES, PUBLISHING_PERIOD_STATES
    from sipko.planning.services import ensure_not_frozen

    try:
        ensure_not_frozen(period)
    except ValidationError as exc:
        return " ".join(exc.messages)
    if action == BULK_OPEN:
        if period.state not in ASSESSING_PERIOD_STATES:
            return _("Penilaian hanya dapat dibuka saat periode berstatus Dibuka atau Penilaian.")
        if not PeriodStandard.objects.filter(period=period).exists():
            return _("Periode ini belum memiliki instrumen penilaian.")
    if action == BULK_PUBLISH and period.state not in PUBLISHING_PERIOD_STATES:
        return _("Hasil hanya dapat diumumkan saat periode berstatus Penilaian atau Diumumkan.")
    return None


def ormas_to_open(period: Period) -> QuerySet[Ormas]:
    """Active, current ormas of the period's region that have no assessment in it yet."""
    from sipko.registry.models import ActivityStatus, Ormas

    return (
        Ormas.objects.current()
        .filter(within_q(period.region_id, "region__code"))
        .filter(activity_status=ActivityStatus.AKTIF)
        .exclude(pk__in=period.assessments.values("ormas_id"))
        .select_related("region")
        .order_by("name", "pk")
    )


def assessments_to_publish(user: AnyUser, period: Period) -> list[Assessment]:
    """Verified results of the period that this user may publish."""
    verified = (
        access.assessments_visible_to(user)
        .filter(period=period, state=AssessmentState.VERIFIED)
        .select_related("ormas", "ormas__region", "period")
        .order_by("ormas__name", "pk")
    )
    return [a for a in verified if access.can_manage_assessments(user, a)]


def assessments_due_final(user: AnyUser | None, period: Period) -> list[Assessment]:
    """Published results whose appeal window has passed with no appeal, that this user (None:
    the system, from the command line) may make final."""
    due = (
        period.assessments.filter(
            state=AssessmentState.PUBLISHED, appeal_until__lt=timezone.localdate()
        )
        .select_related("ormas", "ormas__region", "period")
        .order_by("ormas__name", "pk")
    )
    return [a for a in due if user is None or access.can_manage_assessments(user, a)]


# --- wording of values -------------------------------------------------------------------------


def _number(value: Fraction | Decimal, places: int = 2) -> str:
    shown = scoring.round_half_up(value, places)
    if shown == shown.to_integral_value():
        shown = shown.quantize(Decimal(1))
    return number_format(shown, decimal_pos=None, use_l10n=True)


def describe_value(indicator: scoring.Indicator, raw: str) -> str:
    """A stored value as a person reads it: the rubric label, "Ya", "2 dari 3 (66,67 %)"…"""
    if not raw:
        return _("Belum dijawab")
    if raw.upper() == "NA":
        return _("Tidak berlaku (N/A)")
    try:
        answer = scoring.parse_answer(indicator, raw)
    except scoring.AnswerError:
        return raw
    if answer is None or answer.value is None:
        return raw
    value = answer.value
    if indicator.type == "yesno":
        return _("Ya") if value else _("Tidak")
    if indicator.type == "level":
        for level in indicator.levels:
            if level.value == value:
                return f"{_number(level.value)} — {level.label}"
        return _number(value)
    if indicator.type == "banded":
        band = indicator.band_of(Decimal(value.numerator) / Decimal(value.denominator))
        label = indicator.band_label(band) if band else ""
        text = f"{_number(value)} {indicator.unit}".strip()
        return f"{text} ({label})" if label else text
    # ratio
    percent = _number(value * 100)
    if "/" in raw:
        actual, target = raw.split("/", 1)
        return _("%(a)s dari %(t)s (%(p)s%%)") % {"a": actual, "t": target, "p": percent}
    return f"{percent}%"


def value_choices(indicator: scoring.Indicator) -> list[tuple[str, str]]:
    """Choices for a form: rubric levels or ya/tidak; empty for free numbers and ratios."""
    if indicator.type == "level":
        return [
            (str(level.value.normalize()), describe_value(indicator, str(level.value)))
            for level in indicator.levels
        ]
    if indicator.type == "yesno":
        return [("ya", _("Ya")), ("tidak", _("Tidak"))]
    return []


def rubric(indicator: scoring.Indicator) -> list[str]:
    """The scoring rule of an indicator in plain words, one line per level or band."""
    if indicator.type == "level":
        return [
            f"{_number(level.value)} — {level.label}"
            + (f" ({level.description})" if level.description else "")
            for level in indicator.levels
        ]
    if indicator.type == "banded":
        lines = []
        bounds = list(indicator.thresholds)
        for position, low in enumerate(bounds, start=1):
            high = bounds[position] if position < len(bounds) else None
            unit = f" {indicator.unit}" if indicator.unit else ""
            if high is None:
                span = _("%(low)s%(unit)s atau lebih") % {"low": _number(low), "unit": unit}
            else:
                span = _("%(low)s sampai kurang dari %(high)s%(unit)s") % {
                    "low": _number(low),
                    "high": _number(high),
                    "unit": unit,
                }
            label = indicator.band_label(position)
            lines.append(
                _("Tingkat %(n)s: %(span)s") % {"n": position, "span": span}
                + (f" — {label}" if label else "")
            )
        return lines
    if indicator.type == "ratio":
        return [
            _("Rasio capaian terhadap target; skor penuh pada rasio %(cap)s atau lebih.")
            % {"cap": _number(indicator.cap)}
        ]
    return [_("Ya = 100, Tidak = 0.")]


# --- the trace -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceRow:
    indicator: scoring.Indicator
    dimension: scoring.Dimension
    answer: Answer | None
    own: str  # the ormas' (or system's) value, in words
    counted: str  # the value that counts, in words
    changed: bool  # an assessor, reconciliation or appeal changed it
    reason: str
    line: dict[str, Any] | None  # the engine's trace line for the counted value


def trace_rows(assessment: Assessment, result: dict[str, Any] | None) -> list[TraceRow]:
    """One row per indicator, in instrument order, pairing answers with the engine's trace."""
    spec = assessment.instrument.spec
    answers = {a.indicator: a for a in assessment.answers.all()}
    lines = {line["indicator"]: line for line in (result or {}).get("lines", [])}
    rows = []
    for dimension in spec.dimensions:
        for indicator in dimension.indicators:
            answer = answers.get(indicator.code)
            own = answer.value if answer else ""
            counted = answer.counted_value if answer else ""
            reason = ""
            if answer is not None:
                reason = answer.final_reason or answer.verified_reason
            rows.append(
                TraceRow(
                    indicator=indicator,
                    dimension=dimension,
                    answer=answer,
                    own=describe_value(indicator, own),
                    counted=describe_value(indicator, counted),
                    # An assessor-valued indicator has no ormas answer to change.
                    changed=bool(answer and (answer.verified_at or answer.final_at))
                    and indicator.source != "assessor"
                    and own != counted,
                    reason=reason,
                    line=lines.get(indicator.code),
                )
            )
    return rows


# --- guidance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    indicator: scoring.Indicator
    normalised: Decimal
    gain: Decimal  # index points the ormas would gain by reaching 100 on this indicator
    advice: str


def recommendations(
    assessment: Assessment, result: dict[str, Any] | None, *, count: int = RECOMMENDATION_COUNT
) -> list[Recommendation]:
    """The weakest indicators, ordered by what improving them would add to the index.

    "Weakest" weighs the shortfall by the indicator's share of the index, so that advice goes
    where effort counts most; N/A indicators are never recommended.
    """
    if not result:
        return []
    spec = assessment.instrument.spec
    candidates = []
    for line in result.get("lines", []):
        if line["status"] == "na" or line.get("normalised") in (None, ""):
            continue
        normalised = Decimal(line["normalised"])
        if normalised >= 100:
            continue
        share = Decimal(line["weight_in_index"])
        gain = (Decimal(100) - normalised) * share
        indicator = spec.indicator(line["indicator"])
        advice = indicator.advice or _("Tingkatkan capaian indikator %(name)s.") % {
            "name": indicator.name
        }
        candidates.append(Recommendation(indicator, normalised, gain, advice))
    candidates.sort(key=lambda r: (-r.gain, r.indicator.code))
    return candidates[:count]


def open_follow_ups_before(assessment: Assessment) -> QuerySet[FollowUp]:
    """Follow-ups of earlier periods that are still open: carried into this one."""
    return (
        FollowUp.objects.filter(
            assessment__ormas=assessment.ormas,
            assessment__period__start__lt=assessment.period.start,
            state__in=(FollowUpState.OPEN, FollowUpState.IN_PROGRESS),
        )
        .select_related("assessment__period")
        .order_by("assessment__period__start", "pk")
    )


def follow_ups_visible_from(assessment: Assessment) -> QuerySet[FollowUp]:
    """This assessment's follow-ups and those carried from the ormas' earlier periods."""
    return FollowUp.objects.filter(
        assessment__ormas=assessment.ormas,
        assessment__period__start__lte=assessment.period.start,
    )


def eligibility(assessment: Assessment) -> list[tuple[EligibilityRule, bool]]:
    """Each active rule of the ormas' region (or above) and whether the final predicate meets it.

    Only a published result counts: provisional and unpublished scores never make an ormas
    eligible for anything.
    """
    if not assessment.is_public or not assessment.predicate:
        return []
    rules = EligibilityRule.objects.filter(
        region_id__in=ancestor_codes(assessment.ormas.region_id), active=True
    )
    return [(rule, assessment.predicate in rule.predicates) for rule in rules]


# --- methodology -------------------------------------------------------------------------------

# Results a methodologist may study: verified ones (still private to Kesbangpol) and published.
ANALYSED_STATES = (AssessmentState.VERIFIED, *PUBLIC_STATES)


def score_matrix(user: AnyUser, period: Period) -> Any:
    """The exact scores of every analysed assessment of the period, for `methodology`.

    Each assessment's counted values are scored again by the engine, so the matrix holds the
    exact normalised scores and the exact official index (the stored result keeps them rounded
    to d + 2 places, which can move a half-up rounding and break an exact tie). The answers'
    own, first and second assessor values feed the verification statistics.
    """
    from sipko.assessment import methodology

    standard = PeriodStandard.objects.select_related("instrument").get(period=period)
    spec = standard.instrument.spec
    assessments = (
        access.assessments_visible_to(user)
        .filter(period=period, instrument=standard.instrument, state__in=ANALYSED_STATES)
        .select_related("ormas")
        .prefetch_related("answers")
        .order_by("ormas__name", "pk")
    )
    dimensions = tuple(
        methodology.DimensionSpec(
            code=d.code,
            name=d.name,
            weight=d.weight,
            indicators=tuple(
                methodology.IndicatorSpec(code=i.code, name=i.name, weight=i.weight)
                for i in d.indicators
            ),
        )
        for d in spec.dimensions
    )

    def rating(indicator: scoring.Indicator, raw: str) -> methodology.Rating:
        answer = scoring.parse_answer(indicator, raw)
        if answer is None:
            return methodology.BLANK_RATING
        if answer.na:
            return methodology.NOT_APPLICABLE_RATING
        return methodology.Rating(
            score=scoring.normalised_score(indicator, answer), value=answer.value
        )

    ormas: list[tuple[str, str]] = []
    scores: dict[str, dict[str, Fraction | None]] = {}
    unanswered: dict[str, frozenset[str]] = {}
    official: dict[str, methodology.Official] = {}
    reviews: list[methodology.ReviewedAnswer] = []
    for assessment in assessments:
        if not assessment.result:
            continue
        answers = list(assessment.answers.all())
        engine_answers = {}
        for answer in answers:
            parsed = scoring.parse_answer(spec.indicator(answer.indicator), answer.counted_value)
            if parsed is not None:
                engine_answers[answer.indicator] = parsed
        result = scoring.score(spec, engine_answers)
        key = str(assessment.ormas.uuid)
        ormas.append((key, assessment.ormas.name))
        scores[key] = {line.indicator: line.normalised for line in result.lines}
        unanswered[key] = frozenset(
            line.indicator for line in result.lines if line.status == "unanswered"
        )
        official[key] = methodology.Official(
            index=result.index, predicate=result.predicate.code if result.predicate else None
        )
        for answer in answers:
            indicator = spec.indicator(answer.indicator)
            own = indicator.source == "self" and answer.value.strip()
            reviews.append(
                methodology.ReviewedAnswer(
                    indicator=answer.indicator,
                    own=rating(indicator, answer.value) if own else None,
                    first=rating(indicator, answer.verified_value) if answer.verified_at else None,
                    second=rating(indicator, answer.second_value) if answer.second_at else None,
                )
            )
    return methodology.ScoreMatrix(
        dimensions=dimensions,
        ormas=tuple(ormas),
        scores=scores,
        unanswered=unanswered,
        official=official,
        decimals=spec.decimals,
        predicates=spec.predicates,
        min_coverage=getattr(spec, "min_coverage", None),
        reviews=tuple(reviews),
    )
