"""Methodology quality of an assessment period (SPEC §3.5): the view BPS and universities check.

Plain Python and numpy, no ORM: the caller hands over a `ScoreMatrix` (the normalised 0–100
score of every indicator for every ormas of the period, N/A as `None`, which indicators were left
unanswered, the engine's exact official index of each ormas and, for the verification statistics,
the values the ormas and its assessors gave) and `analyse` returns a `MethodologyReport`. The
statistics follow the OECD/JRC *Handbook on Constructing Composite Indicators* (2008);
docs/methodology.md gives every formula, how to read it and the reasons for each choice. In short:

- per indicator (Handbook step 3, missing data): counts, missing share, the distribution of the
  answered values and a 5-bin histogram; flags for low variance and a high missing share;
- per pair of indicators (step 4, multivariate analysis): Pearson's r with pairwise deletion,
  pairs above |r| > 0.9 flagged as redundant;
- per dimension (step 4): Cronbach's α over complete cases;
- verification: how often assessors changed the ormas' own answers and by how much, and how well
  a first and a second assessor agree (linearly weighted Cohen's κ);
- ranks (step 7, uncertainty and sensitivity): the official index and its ranks, then the index
  with equal weights, with min-max normalisation (step 5), with unanswered read as N/A, with
  geometric aggregation of dimensions, with the predicate thresholds moved, and under `runs`
  random perturbations of every weight (step 6): how far each ormas' rank moves, whether its
  predicate holds, and the Monte-Carlo standard error of its rank percentiles.

**Exactness.** The baseline is the official index: exact (`Fraction`), ranked exactly (exactly
tied ormas share a rank, nothing else does) and shown rounded half-up to the instrument's decimals,
so it always equals the number the ormas was given. The scenarios are analysis and run in floats
computed from the exact scores; float noise never decides a rank (`TIE_DECIMALS`) or a predicate.
The same inputs and seed always give the same report.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from numbers import Real

import numpy as np
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from sipko.assessment.scoring import Predicate, format_fixed, round_half_up

LOW_VARIANCE_SD = 5.0
"""An indicator whose answered values have a standard deviation below this barely discriminates."""
HIGH_MISSING_SHARE = 0.2
"""An indicator missing (N/A or unanswered) for more than this share of ormas is flagged."""
REDUNDANT_CORRELATION = 0.9
"""Two indicators with |r| above this measure nearly the same thing (Handbook step 4)."""
MIN_PAIRS = 3
"""Fewest observations for a correlation or for Cronbach's α."""
ZERO_CORRELATION = 1e-12
"""|r| below this is reported as 0: exact inputs make an exactly uncorrelated pair ~1e-16."""
HISTOGRAM_EDGES = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
HISTOGRAM_LABELS = ("0–20", "20–40", "40–60", "60–80", "80–100")
PERCENTILE_METHOD = "linear"
"""numpy's default (Hyndman & Fan type 7, as in R and Excel's PERCENTILE.INC)."""
RANK_PERCENTILES = (5, 50, 95)
"""The percentiles of each ormas' rank over the random runs that the report gives."""
MIN_RUNS_FOR_SE = 20
"""Fewest random runs for a Monte-Carlo standard error of a rank percentile."""
TIE_DECIMALS = 9
"""Float indexes equal to this many decimals share a rank, so floating-point noise never breaks
a tie. (The baseline is ranked on exact values and needs no such rule.)"""
GEOMETRIC_OFFSET = 1.0
"""ε of the geometric scenario: index = Π (D + ε)^(W/ΣW) − ε, so a dimension scoring 0 pulls the
index down hard (as a geometric mean should) without making it 0 outright."""
THRESHOLD_SHIFT = Decimal(5)
"""Index points every predicate threshold (but the lowest band's) moves in the threshold scenarios:
a third of the default instrument's 15-point bands, half of SAKIP's narrowest 10-point ones."""
FLOAT_COVERAGE_TOLERANCE = 1e-12
"""Slack when a float coverage is compared with `min_coverage` (the N/A scenario only)."""

SCENARIO_EQUAL_WEIGHTS = "equal_weights"
SCENARIO_MIN_MAX = "min_max"
SCENARIO_UNANSWERED_NA = "unanswered_na"
SCENARIO_GEOMETRIC = "geometric"
SCENARIO_THRESHOLDS_DOWN = "thresholds_down"
SCENARIO_THRESHOLDS_UP = "thresholds_up"
SCENARIO_RANDOM_WEIGHTS = "random_weights"

# Rows of ormas × runs × dimensions held at once while simulating (about 32 MB of floats).
_CHUNK_CELLS = 4_000_000
# Columns of the runs × ormas rank table summarised at once.
_PERCENTILE_COLUMNS = 2048


# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    weight: float | Decimal


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    weight: float | Decimal
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class Official:
    """What the scoring engine gave one ormas: its exact index (None when no dimension applies)
    and the code of its predicate (None without an index or when coverage was insufficient)."""

    index: Fraction | None
    predicate: str | None = None


@dataclass(frozen=True)
class Rating:
    """One value given to an answer, by the ormas or by an assessor.

    `score` is the engine's normalised score of the value (0–100; None for N/A; 0 for a blank
    value, which the engine counts as unanswered). `value` is the exact answer (None for N/A and
    blank): two ratings are the same answer when `na`, `blank` and `value` agree.
    """

    score: Fraction | None
    value: Fraction | None = None
    na: bool = False
    blank: bool = False

    def same_answer(self, other: Rating) -> bool:
        def key(rating: Rating) -> tuple[object, ...]:
            exact = rating.value if rating.value is not None else rating.score
            return (rating.na, rating.blank, exact)

        return key(self) == key(other)


NOT_APPLICABLE_RATING = Rating(score=None, na=True)
BLANK_RATING = Rating(score=Fraction(0), blank=True)


@dataclass(frozen=True)
class ReviewedAnswer:
    """One answer of an analysed assessment, as given and as verified.

    `own` is the ormas' self answer (None for an indicator the ormas does not answer, or left
    blank); `first` the first assessor's value (None until verified); `second` the optional second
    assessor's value (None when there is none).
    """

    indicator: str
    own: Rating | None
    first: Rating | None
    second: Rating | None = None


@dataclass(frozen=True)
class ScoreMatrix:
    """Every ormas' normalised indicator scores in one period.

    `scores[ormas_key][indicator_code]` is the 0–100 score, or `None` when the indicator is N/A
    for that ormas; give exact numbers (`Fraction`, `Decimal`, int) where they exist. An
    indicator in `unanswered[ormas_key]` was applicable but not answered: its score is 0 (it may
    also be left out of `scores`). Weights must be positive.

    `official[ormas_key]` is the engine's result; an ormas missing from it gets the same rule
    computed exactly here from `scores` and the weights (a hand-built matrix needs none).
    `predicates` (highest band first, the last one catching every index), `decimals` and
    `min_coverage` are the instrument's. `reviews` feed the verification statistics.
    """

    dimensions: tuple[DimensionSpec, ...]
    ormas: tuple[tuple[str, str], ...]
    scores: Mapping[str, Mapping[str, float | Decimal | Fraction | None]]
    unanswered: Mapping[str, frozenset[str]]
    official: Mapping[str, Official] = field(default_factory=dict)
    decimals: int = 2
    predicates: tuple[Predicate, ...] = ()
    min_coverage: Decimal | None = None
    reviews: tuple[ReviewedAnswer, ...] = ()


# --- output ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorStats:
    """One indicator across the ormas of the period (Handbook step 3, missing data).

    The distribution (`mean` … `maximum`, `histogram`) is over *answered* values only: N/A and
    unanswered are counted, not scored. `sd` is the sample standard deviation (n − 1); quartiles
    use the linear percentile method. `histogram` counts answered values in 0–20, 20–40, 40–60,
    60–80 and 80–100 (each bin includes its lower bound; 100 falls in the last one).
    """

    code: str
    name: str
    dimension_code: str
    count: int
    answered: int
    not_applicable: int
    unanswered: int
    missing_share: float | None
    mean: float | None
    sd: float | None
    minimum: float | None
    q1: float | None
    median: float | None
    q3: float | None
    maximum: float | None
    histogram: tuple[int, int, int, int, int]
    low_variance: bool
    high_missing: bool

    @property
    def flags(self) -> tuple[str, ...]:
        """Translated labels of the raised flags, for display."""
        labels = []
        if self.low_variance:
            labels.append(_("variasi rendah"))
        if self.high_missing:
            labels.append(_("banyak data hilang"))
        return tuple(labels)


@dataclass(frozen=True)
class CorrelationPair:
    first: str
    second: str
    r: float
    pairs: int


@dataclass(frozen=True)
class CorrelationMatrix:
    """Pearson's r between indicators, each pair over the ormas that answered both.

    `r[i][j]` is `None` when fewer than `MIN_PAIRS` ormas answered both or one of the two is
    constant over them; |r| below `ZERO_CORRELATION` is 0. `pairs[i][j]` is how many ormas
    answered both (the diagonal: how many answered the indicator). `redundant` lists the pairs
    (i < j) with |r| > 0.9.
    """

    codes: tuple[str, ...]
    r: tuple[tuple[float | None, ...], ...]
    pairs: tuple[tuple[int, ...], ...]
    redundant: tuple[CorrelationPair, ...]


@dataclass(frozen=True)
class DimensionConsistency:
    """Cronbach's α of one dimension over its complete cases.

    A complete case is an ormas that answered every indicator of the dimension. `alpha` is `None`
    when it cannot be computed, and `reason` says why; otherwise `interpretation` reads it.
    """

    code: str
    name: str
    indicator_count: int
    complete_cases: int
    alpha: float | None
    interpretation: str | None
    reason: str | None


@dataclass(frozen=True)
class VerificationStats:
    """How assessors treated the answers of one indicator (or, with `code` "", of all of them).

    - `self_verified`: the ormas' own answers that the first assessor verified; `changed`: those
      the assessor set to another answer; `changed_share` = changed / self_verified.
    - `mean_difference`: the mean of own score − verified score (0–100 points) over the
      `compared` pairs where neither is N/A (a blank verified value scores 0, as in the index).
      Positive: the ormas rated itself higher than the assessor did.
    - `pairs`: answers valued (neither N/A nor blank) by both the first and a second assessor;
      `agreement`: the share with the same score; `kappa`: Cohen's κ with linear weights on the
      0–100 scale (pooled over indicators for the total), None when n < 2 or nobody varies.
    """

    code: str
    name: str
    dimension_code: str
    self_verified: int
    changed: int
    changed_share: float | None
    compared: int
    mean_difference: float | None
    pairs: int
    agreement: float | None
    kappa: float | None


@dataclass(frozen=True)
class VerificationReport:
    indicators: tuple[VerificationStats, ...]
    total: VerificationStats


@dataclass(frozen=True)
class OrmasSensitivity:
    """How one ormas' rank and predicate move across the scenarios (rank 1 = highest index).

    Every field after `name` is `None` for an ormas without an index (no applicable dimension).
    `index_exact` is the official index, `index_shown` that rounded half-up to the instrument's
    decimals and `index` its float; `predicate` the official predicate code (None when the
    coverage was insufficient). `rank` is exact: only exactly equal indexes share it.
    `median_rank`, `rank_p5` and `rank_p95` summarise the random-weight runs (linear
    percentiles), each with its Monte-Carlo standard error (`*_se`, None below
    `MIN_RUNS_FOR_SE` runs). `predicate_stability` is the share of the random runs keeping the
    official predicate (None without one); `predicate_thresholds_down`/`_up` the predicate with
    every threshold moved by ∓`THRESHOLD_SHIFT`. `max_rank_shift` is the largest |rank − rank|
    over every deterministic scenario and every run.
    """

    key: str
    name: str
    index: float | None = None
    index_exact: Fraction | None = None
    index_shown: Decimal | None = None
    predicate: str | None = None
    rank: int | None = None
    index_equal_weights: float | None = None
    rank_equal_weights: int | None = None
    index_min_max: float | None = None
    rank_min_max: int | None = None
    index_unanswered_na: float | None = None
    rank_unanswered_na: int | None = None
    index_geometric: float | None = None
    rank_geometric: int | None = None
    predicate_thresholds_down: str | None = None
    predicate_thresholds_up: str | None = None
    median_rank: float | None = None
    rank_p5: float | None = None
    rank_p95: float | None = None
    median_rank_se: float | None = None
    rank_p5_se: float | None = None
    rank_p95_se: float | None = None
    max_rank_shift: int | None = None
    predicate_stability: float | None = None


@dataclass(frozen=True)
class ScenarioSummary:
    """A scenario against the baseline, over the ranked ormas.

    For the random-weight runs, `mean_abs_rank_shift` is averaged over every run and ormas,
    `spearman` is the mean of the runs' Spearman correlations and `spearman_min` the lowest; for a
    single scenario both are the same number. `None` when there is nothing to compare (fewer than
    three ranked ormas, or all tied, for Spearman). `predicate_change_share` is the share of the
    ormas with an official predicate that get another one (for the runs: over every run and
    ormas); None when no ormas has a predicate.
    """

    code: str
    label: str
    mean_abs_rank_shift: float | None
    spearman: float | None
    spearman_min: float | None
    predicate_change_share: float | None = None


@dataclass(frozen=True)
class PercentileError:
    """The Monte-Carlo standard error of one rank percentile, summarised over the ranked ormas."""

    percentile: int
    mean: float
    maximum: float


@dataclass(frozen=True)
class SensitivityReport:
    """Uncertainty and sensitivity analysis of the ranks (Handbook step 7).

    `ormas` is ordered by baseline rank (ties in input order), ormas without an index last.
    `percentile_errors` is empty below `MIN_RUNS_FOR_SE` runs or without ranked ormas;
    `with_predicate` counts the ranked ormas that have an official predicate.
    """

    runs: int
    spread: float
    seed: int
    percentile_method: str
    ranked_count: int
    ormas: tuple[OrmasSensitivity, ...]
    scenarios: tuple[ScenarioSummary, ...]
    decimals: int = 2
    with_predicate: int = 0
    percentile_errors: tuple[PercentileError, ...] = ()
    geometric_offset: float = GEOMETRIC_OFFSET
    threshold_shift: Decimal = THRESHOLD_SHIFT


@dataclass(frozen=True)
class MethodologyReport:
    ormas_count: int
    indicators: tuple[IndicatorStats, ...]
    correlation: CorrelationMatrix
    consistency: tuple[DimensionConsistency, ...]
    sensitivity: SensitivityReport
    verification: VerificationReport


# --- analysis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arrays:
    """The matrix as numpy arrays: rows are ormas, columns indicators in instrument order."""

    values: np.ndarray  # float (n, k); 0 where N/A or unanswered
    applicable: np.ndarray  # bool (n, k)
    answered: np.ndarray  # bool (n, k)
    membership: np.ndarray  # float (k, d); 1 where the indicator belongs to the dimension
    indicator_weights: np.ndarray  # float (k,)
    dimension_weights: np.ndarray  # float (d,)


def analyse(
    matrix: ScoreMatrix, *, runs: int = 1000, spread: float = 0.2, seed: int = 20250729
) -> MethodologyReport:
    """Every methodology statistic of `matrix`; see the module docstring and docs/methodology.md.

    Random runs multiply every indicator weight and every dimension weight by an independent draw
    from U(1 − spread, 1 + spread) (numpy's default generator seeded with `seed`). Raises
    ValueError on an inconsistent matrix, `runs` < 1 or `spread` outside [0, 1).
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1) so that every weight stays positive")
    arrays = _prepare(matrix)
    return MethodologyReport(
        ormas_count=len(matrix.ormas),
        indicators=_indicator_stats(matrix, arrays),
        correlation=_correlations(matrix, arrays),
        consistency=_consistency(matrix, arrays),
        sensitivity=_sensitivity(matrix, arrays, runs=runs, spread=spread, seed=seed),
        verification=_verification(matrix),
    )


def _prepare(matrix: ScoreMatrix) -> _Arrays:
    indicators = [(i, d) for d, dim in enumerate(matrix.dimensions) for i in dim.indicators]
    codes = [indicator.code for indicator, _dim in indicators]
    if len(set(codes)) != len(codes):
        raise ValueError("indicator codes must be unique across dimensions")
    keys = [key for key, _name in matrix.ormas]
    if len(set(keys)) != len(keys):
        raise ValueError("ormas keys must be unique")
    for spec in [*matrix.dimensions, *(indicator for indicator, _dim in indicators)]:
        if not (math.isfinite(float(spec.weight)) and spec.weight > 0):
            raise ValueError(f"weight of {spec.code} must be positive, not {spec.weight!r}")

    n, k, d = len(keys), len(codes), len(matrix.dimensions)
    values = np.zeros((n, k))
    applicable = np.ones((n, k), dtype=bool)
    answered = np.ones((n, k), dtype=bool)
    known = set(codes)
    for row, key in enumerate(keys):
        scores = matrix.scores.get(key, {})
        unanswered = matrix.unanswered.get(key, frozenset())
        if extra := (set(scores) | set(unanswered)) - known:
            raise ValueError(f"ormas {key}: unknown indicators {sorted(extra)}")
        for column, code in enumerate(codes):
            score = scores.get(code, 0.0 if code in unanswered else _MISSING)
            if score is _MISSING:
                raise ValueError(f"ormas {key}: no score for indicator {code}")
            if code in unanswered:
                if score is None or score != 0:
                    raise ValueError(f"ormas {key}: unanswered indicator {code} must score 0")
                answered[row, column] = False
            elif score is None:
                applicable[row, column] = answered[row, column] = False
            elif isinstance(score, Real | Decimal) and 0 <= float(score) <= 100:
                # float(Fraction) and float(Decimal) are correctly rounded.
                values[row, column] = float(score)
            else:
                raise ValueError(f"ormas {key}: score of {code} must be 0–100, not {score!r}")

    membership = np.zeros((k, d))
    membership[np.arange(k), [dim for _indicator, dim in indicators]] = 1.0
    return _Arrays(
        values=values,
        applicable=applicable,
        answered=answered,
        membership=membership,
        indicator_weights=np.array([float(i.weight) for i, _dim in indicators]),
        dimension_weights=np.array([float(dim.weight) for dim in matrix.dimensions]),
    )


_MISSING = object()


def _indicator_stats(matrix: ScoreMatrix, arrays: _Arrays) -> tuple[IndicatorStats, ...]:
    n = arrays.values.shape[0]
    stats = []
    column = 0
    for dimension in matrix.dimensions:
        for indicator in dimension.indicators:
            answered = arrays.answered[:, column]
            x = arrays.values[answered, column]
            not_applicable = int(n - arrays.applicable[:, column].sum())
            unanswered = int(n - answered.sum() - not_applicable)
            missing = (not_applicable + unanswered) / n if n else None
            sd = float(np.std(x, ddof=1)) if x.size >= 2 else None
            quantiles: list[float | None] = (
                [float(q) for q in np.percentile(x, [0, 25, 50, 75, 100], method="linear")]
                if x.size
                else [None] * 5
            )
            counts, _edges = np.histogram(x, bins=HISTOGRAM_EDGES)
            stats.append(
                IndicatorStats(
                    code=indicator.code,
                    name=indicator.name,
                    dimension_code=dimension.code,
                    count=n,
                    answered=int(x.size),
                    not_applicable=not_applicable,
                    unanswered=unanswered,
                    missing_share=missing,
                    mean=float(x.mean()) if x.size else None,
                    sd=sd,
                    minimum=quantiles[0],
                    q1=quantiles[1],
                    median=quantiles[2],
                    q3=quantiles[3],
                    maximum=quantiles[4],
                    histogram=tuple(int(c) for c in counts),  # type: ignore[arg-type]
                    low_variance=sd is not None and sd < LOW_VARIANCE_SD,
                    high_missing=missing is not None and missing > HIGH_MISSING_SHARE,
                )
            )
            column += 1
    return tuple(stats)


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """r of two equally long samples; `None` below `MIN_PAIRS` or when either is constant."""
    if x.size < MIN_PAIRS or x.min() == x.max() or y.min() == y.max():
        return None
    dx, dy = x - x.mean(), y - y.mean()
    scale = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    if not scale > 0:  # spreads so small (subnormal) that their squares vanish
        return None
    r = min(1.0, max(-1.0, float((dx * dy).sum()) / scale))
    # Exact inputs leave an exactly uncorrelated pair at ~1e-16, not 0: say 0.
    return 0.0 if abs(r) < ZERO_CORRELATION else r


def _correlations(matrix: ScoreMatrix, arrays: _Arrays) -> CorrelationMatrix:
    codes = tuple(i.code for dim in matrix.dimensions for i in dim.indicators)
    k = len(codes)
    r: list[list[float | None]] = [[None] * k for _ in range(k)]
    pairs = [[0] * k for _ in range(k)]
    redundant = []
    for i in range(k):
        for j in range(i, k):
            both = arrays.answered[:, i] & arrays.answered[:, j]
            value = _pearson(arrays.values[both, i], arrays.values[both, j])
            if i == j and value is not None:
                value = 1.0
            r[i][j] = r[j][i] = value
            pairs[i][j] = pairs[j][i] = int(both.sum())
            if i != j and value is not None and abs(value) > REDUNDANT_CORRELATION:
                redundant.append(CorrelationPair(codes[i], codes[j], value, pairs[i][j]))
    return CorrelationMatrix(
        codes=codes,
        r=tuple(tuple(row) for row in r),
        pairs=tuple(tuple(row) for row in pairs),
        redundant=tuple(redundant),
    )


def alpha_interpretation(alpha: float) -> str:
    """The usual reading of Cronbach's α (George & Mallery 2003)."""
    if alpha >= 0.9:
        return _("sangat baik (≥ 0,9)")
    if alpha >= 0.8:
        return _("baik (≥ 0,8)")
    if alpha >= 0.7:
        return _("dapat diterima (≥ 0,7)")
    if alpha >= 0.6:
        return _("diragukan (0,6–0,7)")
    if alpha >= 0.5:
        return _("lemah (0,5–0,6)")
    return _("tidak dapat diterima (< 0,5)")


def _consistency(matrix: ScoreMatrix, arrays: _Arrays) -> tuple[DimensionConsistency, ...]:
    results = []
    start = 0
    for dimension in matrix.dimensions:
        k = len(dimension.indicators)
        columns = slice(start, start + k)
        start += k
        complete = arrays.answered[:, columns].all(axis=1) if k else np.zeros(0, dtype=bool)
        items = arrays.values[complete, columns]
        cases = int(complete.sum()) if k else 0
        alpha: float | None = None
        reason: str | None = None
        if k < 2:
            reason = _("Dimensi ini punya kurang dari dua indikator.")
        elif cases < MIN_PAIRS:
            reason = _("Kurang dari %(count)s ormas menjawab semua indikator dimensi ini.") % {
                "count": MIN_PAIRS
            }
        else:
            total_variance = float(np.var(items.sum(axis=1), ddof=1))
            if total_variance == 0:
                reason = _("Jumlah skor indikator sama untuk semua kasus lengkap.")
            else:
                item_variance = float(np.var(items, axis=0, ddof=1).sum())
                alpha = k / (k - 1) * (1 - item_variance / total_variance)
        results.append(
            DimensionConsistency(
                code=dimension.code,
                name=dimension.name,
                indicator_count=k,
                complete_cases=cases,
                alpha=alpha,
                interpretation=alpha_interpretation(alpha) if alpha is not None else None,
                reason=reason,
            )
        )
    return tuple(results)


def composite_index(
    values: np.ndarray,
    applicable: np.ndarray,
    membership: np.ndarray,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
) -> np.ndarray:
    """The index of every ormas under one or many weightings, NaN where no dimension applies.

    `values` and `applicable` are (ormas × indicators), `membership` (indicators × dimensions).
    `indicator_weights` is (k,) or (runs, k) and `dimension_weights` (d,) or (runs, d); the
    result is (ormas,) or (runs, ormas). Dimension score = Σ wᵢ·sᵢ / Σ wᵢ over the applicable
    indicators; index = Σ W_d·D_d / Σ W_d over the dimensions with an applicable indicator.
    """
    single = indicator_weights.ndim == 1
    dimension_scores, has_dimension = _dimension_scores(
        values, applicable, membership, indicator_weights
    )
    weights = np.atleast_2d(dimension_weights)[:, None, :] * has_dimension  # (runs, n, d)
    total = weights.sum(axis=2)
    index = np.divide(
        (weights * dimension_scores).sum(axis=2),
        total,
        out=np.full(total.shape, np.nan),
        where=total > 0,
    )
    return index[0] if single else index


def _dimension_scores(
    values: np.ndarray,
    applicable: np.ndarray,
    membership: np.ndarray,
    indicator_weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(runs, n, d) dimension scores (0 where not applicable) and the (n, d) applicability."""
    w = np.atleast_2d(indicator_weights)[:, :, None] * membership  # (runs, k, d)
    numerator = values @ w  # (runs, n, d)
    denominator = applicable.astype(float) @ w
    has_dimension = applicable.astype(float) @ membership > 0  # (n, d), same for every run
    scores = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    return scores, has_dimension


def geometric_index(
    values: np.ndarray,
    applicable: np.ndarray,
    membership: np.ndarray,
    indicator_weights: np.ndarray,
    dimension_weights: np.ndarray,
    *,
    offset: float = GEOMETRIC_OFFSET,
) -> np.ndarray:
    """The index with dimensions aggregated by a weighted geometric mean; NaN as above.

    Dimension scores as in `composite_index`; index = Π (D_d + ε)^(W_d / Σ W) − ε over the
    applicable dimensions, ε = `offset`. Equal dimension scores give that score; a weak dimension
    cannot be made up by a strong one as fully as in the arithmetic mean.
    """
    scores, has_dimension = _dimension_scores(values, applicable, membership, indicator_weights)
    weights = dimension_weights[None, :] * has_dimension  # (n, d)
    total = weights.sum(axis=1)
    log_mean = np.divide(
        (weights * np.log(scores[0] + offset)).sum(axis=1),
        total,
        out=np.full(total.shape, np.nan),
        where=total > 0,
    )
    return np.clip(np.exp(log_mean) - offset, 0.0, 100.0)


def competition_ranks(index: np.ndarray) -> np.ndarray:
    """Ranks along the last axis: 1 = highest; equal values share the smallest rank (1, 2, 2, 4).

    The values must be finite. Values equal to `TIE_DECIMALS` decimals count as equal.
    """
    return _ranks(index)[0]


def exact_ranks(values: Sequence[Fraction]) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks (1, 2, 2, 4) and average ranks (1, 2.5, 2.5, 4) of exact values:
    only exactly equal values share a rank."""
    m = len(values)
    order = sorted(range(m), key=lambda i: values[i], reverse=True)
    competition = np.empty(m, dtype=np.int64)
    average = np.empty(m)
    start = 0
    while start < m:
        stop = start + 1
        while stop < m and values[order[stop]] == values[order[start]]:
            stop += 1
        for position in order[start:stop]:
            competition[position] = start + 1
            average[position] = (start + 1 + stop) / 2
        start = stop
    return competition, average


def _ranks(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks and average ("fractional") ranks along the last axis."""
    if index.shape[-1] == 0:
        return np.zeros(index.shape, dtype=np.int64), np.zeros(index.shape)
    keyed = np.round(index, TIE_DECIMALS)
    # Order within a tie does not matter: tied values get the same ranks either way.
    order = np.argsort(-keyed, axis=-1)
    ordered = np.take_along_axis(keyed, order, axis=-1)
    m = index.shape[-1]
    positions = np.broadcast_to(np.arange(1, m + 1), index.shape)
    differs = ordered[..., 1:] != ordered[..., :-1]
    edge = np.ones((*index.shape[:-1], 1), dtype=bool)
    starts = np.concatenate([edge, differs], axis=-1)
    ends = np.concatenate([differs, edge], axis=-1)
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=-1)
    last = np.flip(
        np.minimum.accumulate(np.flip(np.where(ends, positions, m + 1), axis=-1), axis=-1),
        axis=-1,
    )
    competition = np.empty(index.shape, dtype=np.int64)
    average = np.empty(index.shape)
    np.put_along_axis(competition, order, first, axis=-1)
    np.put_along_axis(average, order, (first + last) / 2, axis=-1)
    return competition, average


def _spearman(average_ranks: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """Spearman's ρ of each row against `baseline` (Pearson on average ranks); NaN if undefined."""
    rows = np.atleast_2d(average_ranks)
    if baseline.size < MIN_PAIRS:
        return np.full(rows.shape[0], np.nan)
    db = baseline - baseline.mean()
    dr = rows - rows.mean(axis=1, keepdims=True)
    scale = np.sqrt((dr * dr).sum(axis=1) * (db * db).sum())
    return np.divide(dr @ db, scale, out=np.full(rows.shape[0], np.nan), where=scale > 0).clip(
        -1.0, 1.0
    )


def min_max_rescaled(values: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Each indicator's answered values mapped to (x − min) / (max − min) × 100 across ormas.

    Unanswered (and N/A) cells stay 0: an unanswered indicator stays at the bottom of the new
    scale, level with the weakest answer. An indicator with no spread among its answers (or no
    answers) has no min-max scale and keeps its scores unchanged.
    """
    rescaled = values.copy()
    for column in range(values.shape[1]):
        x = values[answered[:, column], column]
        if x.size and x.max() > x.min():
            rows = answered[:, column]
            rescaled[rows, column] = (x - x.min()) / (x.max() - x.min()) * 100
    return rescaled


# --- predicates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bands:
    """The instrument's predicates read from indexes in *units* of the last shown decimal
    (85.00 → 8500), so that exact and float indexes are compared with the same integers."""

    decimals: int
    predicates: tuple[Predicate, ...]

    def positions(self, units: np.ndarray, shift: Decimal = Decimal(0)) -> np.ndarray:
        """The position (0 = highest) of each index's predicate, -1 for none (NaN, or nothing
        matches). `shift` moves every threshold but the lowest band's, which catches the rest."""
        scale = 10**self.decimals
        result = np.full(units.shape, -1, dtype=np.int64)
        undecided = np.ones(units.shape, dtype=bool)
        last = len(self.predicates) - 1
        for position, predicate in enumerate(self.predicates):
            moved = Fraction(0) if position == last else Fraction(shift)
            if predicate.min is not None:  # shown ≥ min  ⇔  units ≥ ⌈min·10^d⌉
                hit = units >= math.ceil((Fraction(predicate.min) + moved) * scale)
            else:  # shown > above  ⇔  units > ⌊above·10^d⌋
                assert predicate.above is not None
                hit = units > math.floor((Fraction(predicate.above) + moved) * scale)
            hit &= undecided
            result[hit] = position
            undecided &= ~hit
        return result

    def code(self, position: int) -> str | None:
        return self.predicates[position].code if position >= 0 else None


def _exact_units(index: Fraction, decimals: int) -> int:
    """The official shown index in units of its last decimal: round half-up, exactly."""
    return int(round_half_up(index, decimals).scaleb(decimals))


def _float_units(index: np.ndarray, decimals: int) -> np.ndarray:
    """Float indexes rounded half-up to `decimals`, in units; NaN stays NaN.

    The scaled value is first rounded to `TIE_DECIMALS` places of the index, so that an exact
    x.xx5 that floats hold as x.xx4999999999 still rounds up.
    """
    scaled = np.round(index * 10**decimals, max(TIE_DECIMALS - decimals, 0))
    return np.floor(scaled + 0.5)


class _ExactRule:
    """The engine's rule, exactly, for ormas the caller gave no official result for."""

    def __init__(self, matrix: ScoreMatrix, bands: _Bands) -> None:
        self.matrix = matrix
        self.bands = bands
        total = sum((Fraction(d.weight) for d in matrix.dimensions), Fraction(0))
        self.dimensions = []
        for dimension in matrix.dimensions:
            weight = Fraction(dimension.weight)
            inside = sum((Fraction(i.weight) for i in dimension.indicators), Fraction(0))
            indicators = [
                (i.code, Fraction(i.weight), weight / total * Fraction(i.weight) / inside)
                for i in dimension.indicators
            ]
            self.dimensions.append((weight, indicators))
        self._fractions: dict[object, Fraction] = {}

    def _exact(self, score: float | Decimal | Fraction) -> Fraction:
        # Scores repeat (rubric levels): convert each distinct one once.
        exact = self._fractions.get(score)
        if exact is None:
            exact = self._fractions[score] = Fraction(score)
        return exact

    def official(self, key: str) -> Official:
        matrix = self.matrix
        scores = matrix.scores.get(key, {})
        unanswered = matrix.unanswered.get(key, frozenset())
        weighted = applicable_weight = coverage = Fraction(0)
        for dimension_weight, indicators in self.dimensions:
            numerator = denominator = Fraction(0)
            for code, weight, share in indicators:
                score = 0 if code in unanswered else scores.get(code)
                if score is None:
                    continue
                if score:
                    numerator += weight * self._exact(score)
                denominator += weight
                coverage += share
            if denominator:
                weighted += dimension_weight * numerator / denominator
                applicable_weight += dimension_weight
        if not applicable_weight:
            return Official(index=None)
        index = weighted / applicable_weight
        if matrix.min_coverage is not None and coverage < Fraction(matrix.min_coverage):
            return Official(index=index)
        units = np.array([_exact_units(index, matrix.decimals)], dtype=float)
        return Official(index=index, predicate=self.bands.code(int(self.bands.positions(units)[0])))


def _officials(matrix: ScoreMatrix, baseline: np.ndarray, bands: _Bands) -> list[Official]:
    """Each ormas' official result, checked against its scores (`baseline`, the float index)."""
    officials = []
    rule: _ExactRule | None = None
    for row, (key, _name) in enumerate(matrix.ormas):
        official = matrix.official.get(key)
        if official is None:
            rule = rule or _ExactRule(matrix, bands)
            official = rule.official(key)
        if official.index is None:
            consistent = bool(np.isnan(baseline[row]))
        else:
            consistent = abs(float(official.index) - baseline[row]) <= 1e-6
        if not consistent:
            raise ValueError(f"ormas {key}: the official index does not follow from the scores")
        officials.append(official)
    return officials


def _coverage_shares(arrays: _Arrays) -> np.ndarray:
    """(k,) each indicator's share of the instrument's total nominal weight, (W/ΣW)·(w/Σw)."""
    inside = arrays.membership @ (arrays.membership.T @ arrays.indicator_weights)  # Σw of its dim
    dimension_share = arrays.membership @ (
        arrays.dimension_weights / arrays.dimension_weights.sum()
    )
    return dimension_share * arrays.indicator_weights / inside


# --- sensitivity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scenario:
    """One deterministic scenario over the ranked ormas."""

    code: str
    label: str
    index: np.ndarray | None  # (m,) float, NaN where the scenario leaves an ormas without index
    ranks: np.ndarray  # (m,) competition ranks
    average: np.ndarray  # (m,) average ranks
    bands: np.ndarray  # (m,) predicate positions, -1 for none


def _sensitivity(
    matrix: ScoreMatrix, arrays: _Arrays, *, runs: int, spread: float, seed: int
) -> SensitivityReport:
    k, d = arrays.membership.shape
    weights = (arrays.indicator_weights, arrays.dimension_weights)
    common = (arrays.applicable, arrays.membership)
    decimals = matrix.decimals
    bands = _Bands(decimals, tuple(matrix.predicates))
    officials = _officials(matrix, composite_index(arrays.values, *common, *weights), bands)
    # Applicability, not weights, decides who has an index: the same ormas in every scenario.
    ranked = np.array([r for r, o in enumerate(officials) if o.index is not None], dtype=np.int64)
    m = ranked.size
    exact = [officials[row].index for row in ranked]
    exact_values: list[Fraction] = [value for value in exact if value is not None]
    base_rank, base_average = exact_ranks(exact_values)
    base_units = np.array([_exact_units(x, decimals) for x in exact_values], dtype=float)
    base_bands = bands.positions(base_units)
    # Only an ormas with an official predicate can keep or lose it (not one short of coverage).
    eligible = base_bands >= 0
    eligible &= np.array([officials[row].predicate is not None for row in ranked], dtype=bool)

    def scenario(code: str, label: str, index: np.ndarray) -> _Scenario:
        ranks, average = _ranks(np.where(np.isnan(index), -1.0, index))
        return _Scenario(
            code, label, index, ranks, average, bands.positions(_float_units(index, decimals))
        )

    equal = scenario(
        SCENARIO_EQUAL_WEIGHTS,
        _("Bobot sama"),
        composite_index(arrays.values, *common, np.ones(k), np.ones(d))[ranked],
    )
    min_max = scenario(
        SCENARIO_MIN_MAX,
        _("Normalisasi min-maks"),
        composite_index(min_max_rescaled(arrays.values, arrays.answered), *common, *weights)[
            ranked
        ],
    )
    answered_only = arrays.applicable & arrays.answered
    unanswered_na = scenario(
        SCENARIO_UNANSWERED_NA,
        _("Tidak dijawab dihitung N/A"),
        composite_index(arrays.values, answered_only, arrays.membership, *weights)[ranked],
    )
    if matrix.min_coverage is not None and m:
        coverage = (answered_only.astype(float) @ _coverage_shares(arrays))[ranked]
        short = coverage < float(matrix.min_coverage) - FLOAT_COVERAGE_TOLERANCE
        unanswered_na.bands[short] = -1
    geometric = scenario(
        SCENARIO_GEOMETRIC,
        _("Agregasi geometrik dimensi (ε = %(offset)s)")
        % {"offset": _decimal_comma(GEOMETRIC_OFFSET)},
        geometric_index(arrays.values, *common, *weights)[ranked],
    )
    shift = _decimal_comma(float(THRESHOLD_SHIFT))
    thresholds = [
        _Scenario(
            code,
            label,
            None,
            base_rank,
            base_average,
            bands.positions(base_units, direction * THRESHOLD_SHIFT),
        )
        for code, label, direction in (
            (
                SCENARIO_THRESHOLDS_DOWN,
                _("Ambang predikat turun %(points)s poin") % {"points": shift},
                -1,
            ),
            (
                SCENARIO_THRESHOLDS_UP,
                _("Ambang predikat naik %(points)s poin") % {"points": shift},
                1,
            ),
        )
    ]
    deterministic = [equal, min_max, unanswered_na, geometric, *thresholds]

    runs_summary = _random_runs(
        arrays,
        ranked,
        base_rank,
        base_average,
        bands=bands,
        base_bands=base_bands,
        eligible=eligible,
        decimals=decimals,
        runs=runs,
        spread=spread,
        seed=seed,
    )
    max_shift = np.maximum.reduce(
        [*(np.abs(s.ranks - base_rank) for s in deterministic), runs_summary.max_shift]
    )
    percentiles, errors = runs_summary.percentiles, runs_summary.standard_errors

    def float_or_none(values: np.ndarray | None, i: int) -> float | None:
        return None if values is None or np.isnan(values[i]) else float(values[i])

    position = {int(row): i for i, row in enumerate(ranked)}
    rows = []
    for row, (key, name) in enumerate(matrix.ormas):
        i = position.get(row)
        if i is None:
            rows.append(OrmasSensitivity(key, name))
            continue
        official = officials[row]
        assert official.index is not None
        rows.append(
            OrmasSensitivity(
                key=key,
                name=name,
                index=float(official.index),
                index_exact=official.index,
                index_shown=round_half_up(official.index, decimals),
                predicate=official.predicate,
                rank=int(base_rank[i]),
                index_equal_weights=float(equal.index[i]),  # type: ignore[index]
                rank_equal_weights=int(equal.ranks[i]),
                index_min_max=float(min_max.index[i]),  # type: ignore[index]
                rank_min_max=int(min_max.ranks[i]),
                index_unanswered_na=float_or_none(unanswered_na.index, i),
                rank_unanswered_na=int(unanswered_na.ranks[i]),
                index_geometric=float(geometric.index[i]),  # type: ignore[index]
                rank_geometric=int(geometric.ranks[i]),
                predicate_thresholds_down=bands.code(int(thresholds[0].bands[i]))
                if eligible[i]
                else None,
                predicate_thresholds_up=bands.code(int(thresholds[1].bands[i]))
                if eligible[i]
                else None,
                median_rank=float(percentiles[1, i]),
                rank_p5=float(percentiles[0, i]),
                rank_p95=float(percentiles[2, i]),
                median_rank_se=float_or_none(errors[1] if errors is not None else None, i),
                rank_p5_se=float_or_none(errors[0] if errors is not None else None, i),
                rank_p95_se=float_or_none(errors[2] if errors is not None else None, i),
                max_rank_shift=int(max_shift[i]),
                predicate_stability=float(runs_summary.same_predicate[i] / runs)
                if eligible[i]
                else None,
            )
        )
    # Stable sort: ties keep the input order; ormas without an index go last.
    rows.sort(key=lambda r: r.rank if r.rank is not None else m + 1)

    def changed_share(scenario_bands: np.ndarray) -> float | None:
        if not eligible.any():
            return None
        return float((scenario_bands[eligible] != base_bands[eligible]).mean())

    scenarios = [
        _scenario(
            s.code,
            s.label,
            float(np.abs(s.ranks - base_rank).mean()) if m else None,
            _spearman(s.average, base_average),
            changed_share(s.bands),
        )
        for s in deterministic
    ]
    scenarios.append(
        _scenario(
            SCENARIO_RANDOM_WEIGHTS,
            _("Bobot acak ±%(percent)s%%") % {"percent": _decimal_comma(spread * 100)},
            runs_summary.mean_abs_shift,
            runs_summary.spearman,
            runs_summary.predicate_change_share,
        )
    )
    percentile_errors = (
        tuple(
            PercentileError(p, float(errors[j].mean()), float(errors[j].max()))
            for j, p in enumerate(RANK_PERCENTILES)
        )
        if errors is not None and m
        else ()
    )
    return SensitivityReport(
        runs=runs,
        spread=spread,
        seed=seed,
        percentile_method=PERCENTILE_METHOD,
        ranked_count=m,
        ormas=tuple(rows),
        scenarios=tuple(scenarios),
        decimals=decimals,
        with_predicate=int(eligible.sum()),
        percentile_errors=percentile_errors,
    )


def _scenario(
    code: str, label: str, shift: float | None, rho: np.ndarray, changed: float | None
) -> ScenarioSummary:
    defined = rho[~np.isnan(rho)]
    return ScenarioSummary(
        code=code,
        label=label,
        mean_abs_rank_shift=shift,
        spearman=float(defined.mean()) if defined.size else None,
        spearman_min=float(defined.min()) if defined.size else None,
        predicate_change_share=changed,
    )


@dataclass(frozen=True)
class _RunsSummary:
    percentiles: np.ndarray  # (3, ranked): 5th, 50th, 95th percentile rank of each ormas
    standard_errors: np.ndarray | None  # (3, ranked): their Monte-Carlo standard errors
    max_shift: np.ndarray  # (ranked,): largest |rank − baseline rank| over the runs
    mean_abs_shift: float | None  # over every run and ormas
    spearman: np.ndarray  # (runs,): each run against the baseline, NaN where undefined
    same_predicate: np.ndarray  # (ranked,): runs in which the ormas kept its predicate
    predicate_change_share: float | None  # over every run and ormas with a predicate


def _random_runs(
    arrays: _Arrays,
    ranked: np.ndarray,
    base_rank: np.ndarray,
    base_average: np.ndarray,
    *,
    bands: _Bands,
    base_bands: np.ndarray,
    eligible: np.ndarray,
    decimals: int,
    runs: int,
    spread: float,
    seed: int,
) -> _RunsSummary:
    """Ranks and predicates under `runs` random weightings, in blocks of runs to bound memory."""
    n = arrays.values.shape[0]
    k, d = arrays.membership.shape
    m = ranked.size
    rng = np.random.default_rng(seed)
    # Drawn in this order and shape (documented): the same seed gives the same weightings.
    indicator_factors = rng.uniform(1 - spread, 1 + spread, size=(runs, k))
    dimension_factors = rng.uniform(1 - spread, 1 + spread, size=(runs, d))

    ranks = np.empty((runs, m), dtype=np.int32)
    spearman = np.empty(runs)
    shift_total = 0
    max_shift = np.zeros(m, dtype=np.int64)
    same_predicate = np.zeros(m, dtype=np.int64)
    block = max(1, _CHUNK_CELLS // max(1, n * d))
    for start in range(0, runs, block):
        stop = min(runs, start + block)
        index = composite_index(
            arrays.values,
            arrays.applicable,
            arrays.membership,
            arrays.indicator_weights * indicator_factors[start:stop],
            arrays.dimension_weights * dimension_factors[start:stop],
        )[:, ranked]
        block_ranks, block_average = _ranks(index)
        ranks[start:stop] = block_ranks
        spearman[start:stop] = _spearman(block_average, base_average)
        shifts = np.abs(block_ranks - base_rank)
        shift_total += int(shifts.sum())
        if m:
            max_shift = np.maximum(max_shift, shifts.max(axis=0))
        kept = bands.positions(_float_units(index, decimals)) == base_bands
        same_predicate += kept.sum(axis=0)

    percentiles = np.empty((3, m))
    errors = np.empty((3, m)) if runs >= MIN_RUNS_FOR_SE else None
    for start in range(0, m, _PERCENTILE_COLUMNS):
        columns = slice(start, start + _PERCENTILE_COLUMNS)
        percentiles[:, columns] = np.percentile(
            ranks[:, columns], RANK_PERCENTILES, axis=0, method=PERCENTILE_METHOD
        )
        if errors is not None:
            ordered = np.sort(ranks[:, columns], axis=0)
            for j, p in enumerate(RANK_PERCENTILES):
                errors[j, columns] = percentile_standard_error(ordered, p / 100)
    with_predicate = int(eligible.sum())
    return _RunsSummary(
        percentiles=percentiles,
        standard_errors=errors,
        max_shift=max_shift,
        mean_abs_shift=shift_total / (runs * m) if m else None,
        spearman=spearman,
        same_predicate=same_predicate,
        predicate_change_share=(
            1 - float(same_predicate[eligible].sum()) / (runs * with_predicate)
            if with_predicate
            else None
        ),
    )


def percentile_standard_error(ordered: np.ndarray, p: float) -> np.ndarray:
    """The Monte-Carlo standard error of the p-quantile of each column of `ordered` (sorted
    along axis 0, N rows), by the order-statistic (binomial) rule.

    How many of N runs fall below the true p-quantile is Binomial(N, p), with standard deviation
    √(N·p·(1 − p)). The order statistics at N·p ∓ that many places, x₍L₎ and x₍U₎ with
    L = max(1, ⌊N·p − √(N·p·(1 − p))⌋) and U = min(N, ⌈N·p + √(N·p·(1 − p))⌉) (1-based),
    bracket the quantile with about 68 % confidence, one standard error either side, so
    SE ≈ (x₍U₎ − x₍L₎) / 2.
    """
    n = ordered.shape[0]
    half = math.sqrt(n * p * (1 - p))
    lower = max(1, math.floor(n * p - half))
    upper = min(n, math.ceil(n * p + half))
    return (ordered[upper - 1] - ordered[lower - 1]) / 2


# --- verification ------------------------------------------------------------------------------


def weighted_kappa(first: Sequence[float], second: Sequence[float]) -> float | None:
    """Cohen's κ of two raters' scores on the 0–100 scale with linear disagreement weights.

    κ_w = 1 − D_o / D_e, with the observed disagreement D_o = (1/n) Σᵢ |xᵢ − yᵢ| / 100 and the
    disagreement expected by chance from the two raters' own distributions
    D_e = (1/n²) Σₐ Σ_b |xₐ − y_b| / 100. For a rubric whose levels are equally spaced this is the
    textbook weighted κ with weights 1 − |i − j| / (k − 1). None when n < 2 or D_e = 0.
    """
    observed, expected, n = _disagreements(first, second)
    if n < 2 or expected == 0:
        return None
    return 1 - observed / expected


def _disagreements(first: Sequence[float], second: Sequence[float]) -> tuple[float, float, int]:
    """n·D_o, n·D_e and n (see `weighted_kappa`): sums that pool over indicators."""
    x = np.asarray(first, dtype=float)
    y = np.asarray(second, dtype=float)
    n = x.size
    if n != y.size:
        raise ValueError("both raters need the same number of ratings")
    if not n:
        return 0.0, 0.0, 0
    observed = float(np.abs(x - y).sum()) / 100
    # Σₐ Σ_b |xₐ − y_b| in O(n log n): against y sorted, with prefix sums.
    ys = np.sort(y)
    prefix = np.concatenate([[0.0], np.cumsum(ys)])
    below = np.searchsorted(ys, x, side="right")
    lower_sum = prefix[below]
    cross = x * below - lower_sum + (prefix[-1] - lower_sum) - x * (n - below)
    expected = float(cross.sum()) / 100 / n
    return observed, max(expected, 0.0), n


def _verification(matrix: ScoreMatrix) -> VerificationReport:
    specs = [(dim.code, indicator) for dim in matrix.dimensions for indicator in dim.indicators]
    own: dict[str, list[tuple[Rating, Rating]]] = {i.code: [] for _d, i in specs}
    pairs: dict[str, list[tuple[Fraction, Fraction]]] = {i.code: [] for _d, i in specs}
    for review in matrix.reviews:
        if review.indicator not in own:
            raise ValueError(f"review of unknown indicator {review.indicator}")
        first, second = review.first, review.second
        if review.own is not None and not review.own.blank and first is not None:
            own[review.indicator].append((review.own, first))
        if (
            first is not None
            and second is not None
            and first.score is not None
            and second.score is not None
            and not (first.blank or second.blank)
        ):
            pairs[review.indicator].append((first.score, second.score))

    stats = [
        _verification_stats(
            code, indicator.code, indicator.name, own[indicator.code], [pairs[indicator.code]]
        )
        for code, indicator in specs
    ]
    total = _verification_stats(
        "",
        "",
        _("Semua indikator"),
        [item for items in own.values() for item in items],
        [items for items in pairs.values() if items],
    )
    return VerificationReport(indicators=tuple(stats), total=total)


def _verification_stats(
    dimension_code: str,
    code: str,
    name: str,
    own: list[tuple[Rating, Rating]],
    pair_groups: list[list[tuple[Fraction, Fraction]]],
) -> VerificationStats:
    """Counts over `own` (self answer, first assessor); κ pooled over `pair_groups` (one group
    per indicator: chance agreement is taken within each indicator, never across them)."""
    changed = sum(not mine.same_answer(verified) for mine, verified in own)
    differences = [
        mine.score - verified.score
        for mine, verified in own
        if mine.score is not None and verified.score is not None
    ]
    observed = expected = 0.0
    pairs = agree = 0
    for group in pair_groups:
        agree += sum(a == b for a, b in group)
        pairs += len(group)
        if len(group) >= 2:
            o, e, _n = _disagreements([float(a) for a, _b in group], [float(b) for _a, b in group])
            observed += o
            expected += e
    defined = any(len(group) >= 2 for group in pair_groups) and expected > 0
    return VerificationStats(
        code=code,
        name=name,
        dimension_code=dimension_code,
        self_verified=len(own),
        changed=changed,
        changed_share=changed / len(own) if own else None,
        compared=len(differences),
        mean_difference=float(sum(differences, Fraction(0)) / len(differences))
        if differences
        else None,
        pairs=pairs,
        agreement=agree / pairs if pairs else None,
        kappa=1 - observed / expected if defined else None,
    )


def _decimal_comma(number: float) -> str:
    """`20` → "20", `12.5` → "12,5": Indonesian decimals in labels."""
    return f"{number:.2f}".rstrip("0").rstrip(".").replace(".", ",")


# --- exports -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "ormas",
    "nama",
    "indeks",
    "peringkat",
    "peringkat_bobot_sama",
    "peringkat_minmaks",
    "median_peringkat",
    "p5",
    "p95",
    "selisih_maks",
    "indeks_tampil",
    "predikat",
    "stabilitas_predikat",
    "peringkat_tidak_dijawab_na",
    "peringkat_geometrik",
    "predikat_ambang_turun",
    "predikat_ambang_naik",
    "se_p5",
    "se_median",
    "se_p95",
)


def sensitivity_csv(report: MethodologyReport) -> str:
    """The sensitivity table as CSV for analysts: fixed column names, `.` decimals. `indeks` is
    the exact official index to 6 places (half-up) and `indeks_tampil` as shown; percentile
    ranks and their standard errors have 2 places, the predicate stability 4; empty cells where
    there is no value. Text that a spreadsheet would run as a formula is prefixed with `'`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.sensitivity.ormas:
        writer.writerow(
            [
                _csv_text(row.key),
                _csv_text(row.name),
                format_fixed(row.index_exact, 6),
                _csv_number(row.rank),
                _csv_number(row.rank_equal_weights),
                _csv_number(row.rank_min_max),
                _csv_number(row.median_rank, 2),
                _csv_number(row.rank_p5, 2),
                _csv_number(row.rank_p95, 2),
                _csv_number(row.max_rank_shift),
                "" if row.index_shown is None else format(row.index_shown, "f"),
                _csv_text(row.predicate or ""),
                _csv_number(row.predicate_stability, 4),
                _csv_number(row.rank_unanswered_na),
                _csv_number(row.rank_geometric),
                _csv_text(row.predicate_thresholds_down or ""),
                _csv_text(row.predicate_thresholds_up or ""),
                _csv_number(row.rank_p5_se, 2),
                _csv_number(row.median_rank_se, 2),
                _csv_number(row.rank_p95_se, 2),
            ]
        )
    return buffer.getvalue()


def _csv_text(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_number(value: float | int | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    if decimals is None:
        return str(value)
    return f"{value:.{decimals}f}"


def report_to_xlsx(report: MethodologyReport) -> bytes:
    """The whole report as a workbook: sheets "Indikator", "Korelasi", "Konsistensi",
    "Sensitivitas", "Skenario" (parameters, scenario summary, Monte-Carlo standard errors) and
    "Verifikasi". Sheet names are fixed so scripts can rely on them; headers are translated.
    Numbers are numeric cells, missing values empty cells, and no text is ever a formula.
    """
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Indikator"
    _write_indicators(sheet, report)
    _write_correlation(book.create_sheet("Korelasi"), report.correlation)
    _write_consistency(book.create_sheet("Konsistensi"), report.consistency)
    _write_sensitivity(book.create_sheet("Sensitivitas"), report.sensitivity)
    _write_scenarios(book.create_sheet("Skenario"), report)
    _write_verification(book.create_sheet("Verifikasi"), report.verification)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_indicators(sheet: Worksheet, report: MethodologyReport) -> None:
    _append(
        sheet,
        (
            _("Kode"),
            _("Indikator"),
            _("Dimensi"),
            _("Jumlah ormas"),
            _("Dijawab"),
            _("N/A"),
            _("Tidak dijawab"),
            _("Porsi hilang"),
            _("Rata-rata"),
            _("Simpangan baku"),
            _("Minimum"),
            _("Kuartil 1"),
            _("Median"),
            _("Kuartil 3"),
            _("Maksimum"),
            *HISTOGRAM_LABELS,
            _("Catatan"),
        ),
        bold=True,
    )
    for s in report.indicators:
        _append(
            sheet,
            (
                s.code,
                s.name,
                s.dimension_code,
                s.count,
                s.answered,
                s.not_applicable,
                s.unanswered,
                s.missing_share,
                s.mean,
                s.sd,
                s.minimum,
                s.q1,
                s.median,
                s.q3,
                s.maximum,
                *s.histogram,
                "; ".join(s.flags),
            ),
        )
    _number_format(sheet, "H", "0.0%")
    for column in "IJKLMNO":
        _number_format(sheet, column, "0.00")
    sheet.freeze_panes = "C2"


def _write_correlation(sheet: Worksheet, correlation: CorrelationMatrix) -> None:
    _append(sheet, (_("r Pearson"), *correlation.codes), bold=True)
    for code, row in zip(correlation.codes, correlation.r, strict=True):
        _append(sheet, (code, *row))
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "0.000"
    _append(sheet, ())
    _append(sheet, (_("Jumlah pasangan"), *correlation.codes), bold=True)
    for code, row in zip(correlation.codes, correlation.pairs, strict=True):
        _append(sheet, (code, *row))
    _append(sheet, ())
    _append(
        sheet,
        (
            _("Indikator 1"),
            _("Indikator 2"),
            _("r (|r| > %(limit)s: redundan)") % {"limit": _decimal_comma(REDUNDANT_CORRELATION)},
            _("Jumlah pasangan"),
        ),
        bold=True,
    )
    for pair in correlation.redundant:
        _append(sheet, (pair.first, pair.second, pair.r, pair.pairs))


def _write_consistency(sheet: Worksheet, consistency: tuple[DimensionConsistency, ...]) -> None:
    _append(
        sheet,
        (
            _("Kode"),
            _("Dimensi"),
            _("Jumlah indikator"),
            _("Kasus lengkap"),
            _("Alfa Cronbach"),
            _("Tafsiran"),
            _("Alasan tidak dihitung"),
        ),
        bold=True,
    )
    for c in consistency:
        _append(
            sheet,
            (
                c.code,
                c.name,
                c.indicator_count,
                c.complete_cases,
                c.alpha,
                c.interpretation or "",
                c.reason or "",
            ),
        )
    _number_format(sheet, "E", "0.000")


def _write_sensitivity(sheet: Worksheet, sensitivity: SensitivityReport) -> None:
    shift = _decimal_comma(float(sensitivity.threshold_shift))
    _append(
        sheet,
        (
            _("Kode ormas"),
            _("Nama ormas"),
            _("Indeks"),
            _("Peringkat"),
            _("Peringkat bobot sama"),
            _("Peringkat min-maks"),
            _("Median peringkat"),
            _("Persentil 5"),
            _("Persentil 95"),
            _("Selisih peringkat maksimum"),
            _("Indeks tampil"),
            _("Predikat"),
            _("Stabilitas predikat"),
            _("Peringkat tidak dijawab = N/A"),
            _("Peringkat agregasi geometrik"),
            _("Predikat ambang −%(points)s") % {"points": shift},
            _("Predikat ambang +%(points)s") % {"points": shift},
            _("Galat baku persentil 5"),
            _("Galat baku median"),
            _("Galat baku persentil 95"),
        ),
        bold=True,
    )
    for o in sensitivity.ormas:
        _append(
            sheet,
            (
                o.key,
                o.name,
                o.index,
                o.rank,
                o.rank_equal_weights,
                o.rank_min_max,
                o.median_rank,
                o.rank_p5,
                o.rank_p95,
                o.max_rank_shift,
                o.index_shown,
                o.predicate,
                o.predicate_stability,
                o.rank_unanswered_na,
                o.rank_geometric,
                o.predicate_thresholds_down,
                o.predicate_thresholds_up,
                o.rank_p5_se,
                o.median_rank_se,
                o.rank_p95_se,
            ),
        )
    _number_format(sheet, "C", "0.00")
    _number_format(sheet, "K", "0." + "0" * sensitivity.decimals if sensitivity.decimals else "0")
    _number_format(sheet, "M", "0.0%")
    sheet.freeze_panes = "C2"


def _write_scenarios(sheet: Worksheet, report: MethodologyReport) -> None:
    sensitivity = report.sensitivity
    for line in (
        (_("Jumlah ormas"), report.ormas_count),
        (_("Ormas berperingkat"), sensitivity.ranked_count),
        (_("Jumlah simulasi bobot acak"), sensitivity.runs),
        (_("Sebaran pengali bobot (±)"), sensitivity.spread),
        (_("Benih acak"), sensitivity.seed),
        (_("Metode persentil"), sensitivity.percentile_method),
        (_("Ormas berpredikat"), sensitivity.with_predicate),
        (_("Offset agregasi geometrik (ε)"), sensitivity.geometric_offset),
        (_("Pergeseran ambang predikat (poin indeks)"), sensitivity.threshold_shift),
        (_("Desimal indeks"), sensitivity.decimals),
    ):
        _append(sheet, line)
    _append(sheet, ())
    _append(
        sheet,
        (
            _("Skenario"),
            _("Rata-rata selisih absolut peringkat"),
            _("Korelasi Spearman"),
            _("Korelasi Spearman terendah"),
            _("Porsi ormas berganti predikat"),
        ),
        bold=True,
    )
    for s in sensitivity.scenarios:
        _append(
            sheet,
            (s.label, s.mean_abs_rank_shift, s.spearman, s.spearman_min, s.predicate_change_share),
        )
    _append(sheet, ())
    _append(
        sheet,
        (
            _("Persentil peringkat"),
            _("Rata-rata galat baku Monte-Carlo"),
            _("Galat baku Monte-Carlo maksimum"),
        ),
        bold=True,
    )
    for error in sensitivity.percentile_errors:
        _append(sheet, (error.percentile, error.mean, error.maximum))


def _write_verification(sheet: Worksheet, verification: VerificationReport) -> None:
    _append(
        sheet,
        (
            _("Kode"),
            _("Indikator"),
            _("Dimensi"),
            _("Jawaban ormas terverifikasi"),
            _("Diubah penilai"),
            _("Porsi diubah"),
            _("Pasangan dibandingkan"),
            _("Rata-rata selisih (jawaban ormas − verifikasi)"),
            _("Pasangan dua penilai"),
            _("Kesepakatan persis"),
            _("Kappa Cohen berbobot linear"),
        ),
        bold=True,
    )
    for v in (*verification.indicators, verification.total):
        _append(
            sheet,
            (
                v.code,
                v.name,
                v.dimension_code,
                v.self_verified,
                v.changed,
                v.changed_share,
                v.compared,
                v.mean_difference,
                v.pairs,
                v.agreement,
                v.kappa,
            ),
        )
    _number_format(sheet, "F", "0.0%")
    _number_format(sheet, "H", "0.00")
    _number_format(sheet, "J", "0.0%")
    _number_format(sheet, "K", "0.000")


def _append(sheet: Worksheet, values: tuple[object, ...], *, bold: bool = False) -> None:
    # Control characters (pasted from elsewhere) cannot be stored in a worksheet: drop them.
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    if not values:
        return
    for cell in sheet[sheet.max_row]:
        # Names come from users: "=HYPERLINK(…)" stays text.
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)


def _number_format(sheet: Worksheet, column: str, number_format: str) -> None:
    for cell in sheet[column][1:]:
        cell.number_format = number_format
