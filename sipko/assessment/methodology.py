"""Methodology quality of an assessment period (SPEC §3.5): the view BPS and universities check.

Plain Python and numpy, no ORM: the caller hands over a `ScoreMatrix` (the normalised 0–100
score of every indicator for every ormas of the period, N/A as `None`, plus which indicators
were left unanswered) and `analyse` returns a `MethodologyReport`. The statistics follow the
OECD/JRC *Handbook on Constructing Composite Indicators* (2008); docs/methodology.md gives every
formula, how to read it and the reasons for each choice. In short:

- per indicator (Handbook step 3, missing data): counts, missing share, the distribution of the
  answered values and a 5-bin histogram; flags for low variance and a high missing share;
- per pair of indicators (step 4, multivariate analysis): Pearson's r with pairwise deletion,
  pairs above |r| > 0.9 flagged as redundant;
- per dimension (step 4): Cronbach's α over complete cases;
- ranks (step 7, uncertainty and sensitivity): the index with the instrument's weights, with
  equal weights, with min-max normalisation (step 5) and under `runs` random perturbations of
  every weight (step 6), and how far each ormas' rank moves.

The index is aggregated exactly as the official score (N/A left out and the other weights
re-normalised, unanswered counted as 0, no index without an applicable dimension) but in floats:
this is analysis, not the score anyone is judged by. The same inputs and seed always give the same
report.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

import numpy as np
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

LOW_VARIANCE_SD = 5.0
"""An indicator whose answered values have a standard deviation below this barely discriminates."""
HIGH_MISSING_SHARE = 0.2
"""An indicator missing (N/A or unanswered) for more than this share of ormas is flagged."""
REDUNDANT_CORRELATION = 0.9
"""Two indicators with |r| above this measure nearly the same thing (Handbook step 4)."""
MIN_PAIRS = 3
"""Fewest observations for a correlation or for Cronbach's α."""
HISTOGRAM_EDGES = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
HISTOGRAM_LABELS = ("0–20", "20–40", "40–60", "60–80", "80–100")
PERCENTILE_METHOD = "linear"
"""numpy's default (Hyndman & Fan type 7, as in R and Excel's PERCENTILE.INC)."""
TIE_DECIMALS = 9
"""Indexes equal to this many decimals share a rank, so floating-point noise never breaks a tie."""

SCENARIO_EQUAL_WEIGHTS = "equal_weights"
SCENARIO_MIN_MAX = "min_max"
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
    weight: float


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    weight: float
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class ScoreMatrix:
    """Every ormas' normalised indicator scores in one period.

    `scores[ormas_key][indicator_code]` is the 0–100 score, or `None` when the indicator is N/A
    for that ormas. An indicator in `unanswered[ormas_key]` was applicable but not answered: its
    score is 0.0 (it may also be left out of `scores`). Weights must be positive.
    """

    dimensions: tuple[DimensionSpec, ...]
    ormas: tuple[tuple[str, str], ...]
    scores: Mapping[str, Mapping[str, float | None]]
    unanswered: Mapping[str, frozenset[str]]


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
    constant over them; `pairs[i][j]` is how many ormas answered both (the diagonal: how many
    answered the indicator). `redundant` lists the pairs (i < j) with |r| > 0.9.
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
class OrmasSensitivity:
    """How one ormas' rank moves across the scenarios (rank 1 = highest index).

    All fields after `name` are `None` for an ormas without an index (no applicable dimension).
    `median_rank`, `rank_p5` and `rank_p95` summarise the random-weight runs (linear percentiles);
    `max_rank_shift` is the largest |rank − baseline rank| over equal weights, min-max and every
    run.
    """

    key: str
    name: str
    index: float | None
    rank: int | None
    index_equal_weights: float | None
    rank_equal_weights: int | None
    index_min_max: float | None
    rank_min_max: int | None
    median_rank: float | None
    rank_p5: float | None
    rank_p95: float | None
    max_rank_shift: int | None


@dataclass(frozen=True)
class ScenarioSummary:
    """A scenario against the baseline, over the ranked ormas.

    For the random-weight runs, `mean_abs_rank_shift` is averaged over every run and ormas,
    `spearman` is the mean of the runs' Spearman correlations and `spearman_min` the lowest; for a
    single scenario both are the same number. `None` when there is nothing to compare (fewer than
    three ranked ormas, or all tied, for Spearman).
    """

    code: str
    label: str
    mean_abs_rank_shift: float | None
    spearman: float | None
    spearman_min: float | None


@dataclass(frozen=True)
class SensitivityReport:
    """Uncertainty and sensitivity analysis of the ranks (Handbook step 7).

    `ormas` is ordered by baseline rank (ties in input order), ormas without an index last.
    """

    runs: int
    spread: float
    seed: int
    percentile_method: str
    ranked_count: int
    ormas: tuple[OrmasSensitivity, ...]
    scenarios: tuple[ScenarioSummary, ...]


@dataclass(frozen=True)
class MethodologyReport:
    ormas_count: int
    indicators: tuple[IndicatorStats, ...]
    correlation: CorrelationMatrix
    consistency: tuple[DimensionConsistency, ...]
    sensitivity: SensitivityReport


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
    return min(1.0, max(-1.0, float((dx * dy).sum()) / scale))


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
    w = np.atleast_2d(indicator_weights)[:, :, None] * membership  # (runs, k, d)
    big_w = np.atleast_2d(dimension_weights)[:, None, :]  # (runs, 1, d)
    numerator = values @ w  # (runs, n, d)
    denominator = applicable.astype(float) @ w
    has_dimension = applicable.astype(float) @ membership > 0  # (n, d), same for every run
    dimension_scores = np.divide(
        numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0
    )
    weights = big_w * has_dimension  # (runs, n, d)
    total = weights.sum(axis=2)
    index = np.divide(
        (weights * dimension_scores).sum(axis=2),
        total,
        out=np.full(total.shape, np.nan),
        where=total > 0,
    )
    return index[0] if single else index


def competition_ranks(index: np.ndarray) -> np.ndarray:
    """Ranks along the last axis: 1 = highest; equal values share the smallest rank (1, 2, 2, 4).

    The values must be finite. Values equal to `TIE_DECIMALS` decimals count as equal.
    """
    return _ranks(index)[0]


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


def _sensitivity(
    matrix: ScoreMatrix, arrays: _Arrays, *, runs: int, spread: float, seed: int
) -> SensitivityReport:
    k, d = arrays.membership.shape
    common = (arrays.applicable, arrays.membership)
    baseline = composite_index(
        arrays.values, *common, arrays.indicator_weights, arrays.dimension_weights
    )
    equal = composite_index(arrays.values, *common, np.ones(k), np.ones(d))
    min_max = composite_index(
        min_max_rescaled(arrays.values, arrays.answered),
        *common,
        arrays.indicator_weights,
        arrays.dimension_weights,
    )
    # Applicability, not weights, decides who has an index: the same ormas in every scenario.
    ranked = np.flatnonzero(~np.isnan(baseline))
    m = ranked.size

    base_rank, base_average = _ranks(baseline[ranked])
    equal_rank, equal_average = _ranks(equal[ranked])
    min_max_rank, min_max_average = _ranks(min_max[ranked])

    runs_summary = _random_runs(
        arrays, ranked, base_rank, base_average, runs=runs, spread=spread, seed=seed
    )
    max_shift = np.maximum.reduce(
        [
            np.abs(equal_rank - base_rank),
            np.abs(min_max_rank - base_rank),
            runs_summary.max_shift,
        ]
    )
    percentiles = runs_summary.percentiles

    position = {int(row): i for i, row in enumerate(ranked)}
    rows = []
    for row, (key, name) in enumerate(matrix.ormas):
        i = position.get(row)
        if i is None:
            rows.append(OrmasSensitivity(key, name, *([None] * 10)))
            continue
        rows.append(
            OrmasSensitivity(
                key=key,
                name=name,
                index=float(baseline[row]),
                rank=int(base_rank[i]),
                index_equal_weights=float(equal[row]),
                rank_equal_weights=int(equal_rank[i]),
                index_min_max=float(min_max[row]),
                rank_min_max=int(min_max_rank[i]),
                median_rank=float(percentiles[1, i]),
                rank_p5=float(percentiles[0, i]),
                rank_p95=float(percentiles[2, i]),
                max_rank_shift=int(max_shift[i]),
            )
        )
    # Stable sort: ties keep the input order; ormas without an index go last.
    rows.sort(key=lambda r: r.rank if r.rank is not None else m + 1)

    scenarios = (
        _scenario(
            SCENARIO_EQUAL_WEIGHTS,
            _("Bobot sama"),
            float(np.abs(equal_rank - base_rank).mean()) if m else None,
            _spearman(equal_average, base_average),
        ),
        _scenario(
            SCENARIO_MIN_MAX,
            _("Normalisasi min-maks"),
            float(np.abs(min_max_rank - base_rank).mean()) if m else None,
            _spearman(min_max_average, base_average),
        ),
        _scenario(
            SCENARIO_RANDOM_WEIGHTS,
            _("Bobot acak ±%(percent)s%%") % {"percent": _decimal_comma(spread * 100)},
            runs_summary.mean_abs_shift,
            runs_summary.spearman,
        ),
    )
    return SensitivityReport(
        runs=runs,
        spread=spread,
        seed=seed,
        percentile_method=PERCENTILE_METHOD,
        ranked_count=m,
        ormas=tuple(rows),
        scenarios=scenarios,
    )


def _scenario(code: str, label: str, shift: float | None, rho: np.ndarray) -> ScenarioSummary:
    defined = rho[~np.isnan(rho)]
    return ScenarioSummary(
        code=code,
        label=label,
        mean_abs_rank_shift=shift,
        spearman=float(defined.mean()) if defined.size else None,
        spearman_min=float(defined.min()) if defined.size else None,
    )


@dataclass(frozen=True)
class _RunsSummary:
    percentiles: np.ndarray  # (3, ranked): 5th, 50th, 95th percentile rank of each ormas
    max_shift: np.ndarray  # (ranked,): largest |rank − baseline rank| over the runs
    mean_abs_shift: float | None  # over every run and ormas
    spearman: np.ndarray  # (runs,): each run against the baseline, NaN where undefined


def _random_runs(
    arrays: _Arrays,
    ranked: np.ndarray,
    base_rank: np.ndarray,
    base_average: np.ndarray,
    *,
    runs: int,
    spread: float,
    seed: int,
) -> _RunsSummary:
    """Ranks under `runs` random weightings, computed in blocks of runs to bound memory."""
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

    percentiles = np.empty((3, m))
    for start in range(0, m, _PERCENTILE_COLUMNS):
        columns = slice(start, start + _PERCENTILE_COLUMNS)
        percentiles[:, columns] = np.percentile(
            ranks[:, columns], [5, 50, 95], axis=0, method=PERCENTILE_METHOD
        )
    return _RunsSummary(
        percentiles=percentiles,
        max_shift=max_shift,
        mean_abs_shift=shift_total / (runs * m) if m else None,
        spearman=spearman,
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
)


def sensitivity_csv(report: MethodologyReport) -> str:
    """The sensitivity table as CSV for analysts: fixed column names, `.` decimals, no rounding
    beyond 6 decimals for the index and 2 for percentile ranks; empty cells where there is no
    index. Text that a spreadsheet would run as a formula is prefixed with `'`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.sensitivity.ormas:
        writer.writerow(
            [
                _csv_text(row.key),
                _csv_text(row.name),
                _csv_number(row.index, 6),
                _csv_number(row.rank),
                _csv_number(row.rank_equal_weights),
                _csv_number(row.rank_min_max),
                _csv_number(row.median_rank, 2),
                _csv_number(row.rank_p5, 2),
                _csv_number(row.rank_p95, 2),
                _csv_number(row.max_rank_shift),
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
    "Sensitivitas" and "Skenario" (parameters and scenario summary). Sheet names are fixed so
    scripts can rely on them; headers are translated. Numbers are numeric cells, missing values
    empty cells, and no text is ever a formula.
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
            ),
        )
    _number_format(sheet, "C", "0.00")
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
        ),
        bold=True,
    )
    for s in sensitivity.scenarios:
        _append(sheet, (s.label, s.mean_abs_rank_shift, s.spearman, s.spearman_min))


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
