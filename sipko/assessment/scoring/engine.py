"""The scoring engine: an instrument and answers in, an index and its full trace out.

    dimension score D = Σ wᵢ·sᵢ / Σ wᵢ   over the dimension's applicable indicators
    index           I = Σ W·D  / Σ W     over the dimensions with an applicable indicator

where sᵢ is an indicator's normalised score (0–100, see `answers.normalised_score`). An
indicator answered N/A is not applicable: it leaves both sums, so the others are re-weighted.
An unanswered indicator is applicable and scores 0 — a missing answer must never look better
than a poor one. A dimension whose indicators are all N/A leaves the index the same way.

Coverage C = Σ over the applicable indicators of (W/ΣW)·(w/Σw), the share of the instrument's
total weight that was applicable (1 when nothing is N/A). Below the instrument's `min_coverage`
the index is still computed and shown, but marked insufficient and given no predicate: an index
resting on a sliver of the standard ("ya" to one indicator, N/A elsewhere) is not a grade.

Everything is computed with `Fraction`, exactly; only the shown values are rounded (half up,
to the instrument's `decimals`), and the predicate is read from the *rounded* index, so that
the band always agrees with the number people see (84.995 is shown 85.00 and is an A).

The same inputs always give an equal `Result`: no clock, no randomness, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from .answers import Answer, AnswerError, normalised_score
from .instrument import Dimension, Indicator, Instrument, Predicate
from .rounding import format_fixed, plain_decimal, round_half_up

# TraceLine.status values.
STATUS_ANSWERED = "answered"
STATUS_NA = "na"
STATUS_UNANSWERED = "unanswered"

# Digits of the exact index kept in `Result.to_dict()`: enough to re-check any rounding.
EXACT_DECIMALS = 12


@dataclass(frozen=True)
class TraceLine:
    """How one indicator entered the index.

    `normalised` is the 0–100 score (0 when unanswered, None when N/A). `weight_in_dimension`
    is w / Σ w over the dimension's applicable indicators, `weight_in_index` that share times
    the dimension's share of the index, and `contribution` = weight_in_index × normalised, in
    index points: the contributions of all lines add up to the index exactly. N/A lines have
    zero shares and contribute 0.
    """

    dimension: str
    indicator: str
    name: str
    status: str  # STATUS_ANSWERED | STATUS_NA | STATUS_UNANSWERED
    raw: str  # the answer's canonical text; "" when unanswered, "NA" when N/A
    normalised: Fraction | None
    weight: Decimal
    weight_in_dimension: Fraction
    weight_in_index: Fraction
    contribution: Fraction

    @property
    def shortfall(self) -> Fraction:
        """Index points lost on this indicator: what a perfect answer would add (0 for N/A)."""
        if self.normalised is None:
            return Fraction(0)
        return self.weight_in_index * (100 - self.normalised)


@dataclass(frozen=True)
class DimensionResult:
    """One dimension's score. `score` is None when none of its indicators is applicable;
    `weight_in_index` is W / Σ W over the applicable dimensions (0 when not applicable)."""

    code: str
    name: str
    weight: Decimal
    score: Fraction | None
    shown: Decimal | None
    weight_in_index: Fraction


@dataclass(frozen=True)
class Result:
    """The outcome of `score`: exact values, shown values, and one trace line per indicator
    in instrument order. `index` is None (and `predicate` too) when no dimension applies.
    `coverage` is the applicable share of the total weight; `sufficient` is False when it is
    below the instrument's `min_coverage`, and then `predicate` is None ("data tidak cukup")."""

    index: Fraction | None
    index_shown: Decimal | None
    predicate: Predicate | None
    dimensions: tuple[DimensionResult, ...]
    lines: tuple[TraceLine, ...]
    instrument_code: str
    instrument_version: str
    decimals: int
    coverage: Fraction = Fraction(1)
    min_coverage: Decimal | None = None

    @property
    def sufficient(self) -> bool:
        """Whether enough of the standard applied for the index to earn a predicate."""
        return self.min_coverage is None or self.coverage >= Fraction(self.min_coverage)

    def dimension(self, code: str) -> DimensionResult:
        """The result of the dimension with this code; KeyError if there is none."""
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    def line(self, indicator_code: str) -> TraceLine:
        """The trace line of the indicator with this code; KeyError if there is none."""
        for line in self.lines:
            if line.indicator == indicator_code:
                return line
        raise KeyError(indicator_code)

    def weakest(self, limit: int = 3) -> tuple[TraceLine, ...]:
        """Up to `limit` lines that cost the index most, for guidance (*pembinaan*).

        Ranked by `shortfall` (what improving the indicator could add to the index), then by
        lower normalised score, then instrument order; lines already at 100 or N/A never appear.
        """
        candidates = [line for line in self.lines if line.shortfall > 0]
        ranked = sorted(
            candidates,
            key=lambda line: (-line.shortfall, line.normalised, self.lines.index(line)),
        )
        return tuple(ranked[:limit])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy for storage and export. Numbers are strings with a "."
        and a fixed number of places (`decimals` = d), None stays None:

        - `index`, dimension `score`: d places, exactly as shown; `index_exact`: 12 places;
        - line `normalised` and `contribution` (0–100 scale): d + 2 places;
        - weight shares (0–1 scale): d + 4 places, the same absolute precision once multiplied
          by a 0–100 score;
        - `weight`: the instrument's weight as written.
        """
        d = self.decimals
        return {
            "instrument": {"code": self.instrument_code, "version": self.instrument_version},
            "decimals": d,
            "index": _fixed(self.index, d),
            "index_exact": _fixed(self.index, EXACT_DECIMALS),
            "predicate": (
                {"code": self.predicate.code, "label": self.predicate.label}
                if self.predicate
                else None
            ),
            "coverage": format_fixed(self.coverage, d + 4),
            "min_coverage": (
                None if self.min_coverage is None else plain_decimal(self.min_coverage)
            ),
            "sufficient": self.sufficient,
            "dimensions": [
                {
                    "code": dimension.code,
                    "name": dimension.name,
                    "weight": plain_decimal(dimension.weight),
                    "score": _fixed(dimension.score, d),
                    "weight_in_index": format_fixed(dimension.weight_in_index, d + 4),
                }
                for dimension in self.dimensions
            ],
            "lines": [
                {
                    "dimension": line.dimension,
                    "indicator": line.indicator,
                    "name": line.name,
                    "status": line.status,
                    "raw": line.raw,
                    "normalised": _fixed(line.normalised, d + 2),
                    "weight": plain_decimal(line.weight),
                    "weight_in_dimension": format_fixed(line.weight_in_dimension, d + 4),
                    "weight_in_index": format_fixed(line.weight_in_index, d + 4),
                    "contribution": format_fixed(line.contribution, d + 2),
                }
                for line in self.lines
            ],
        }


def _fixed(value: Fraction | None, decimals: int) -> str | None:
    return None if value is None else format_fixed(value, decimals)


def score(instrument: Instrument, answers: Mapping[str, Answer | None]) -> Result:
    """Score one set of answers, keyed by indicator code.

    A code that is absent (or maps to None) is unanswered and scores 0. Raises AnswerError
    when an answer is not valid for its indicator (e.g. N/A where it is not allowed) or when
    a code is not in the instrument.
    """
    known = {indicator.code for indicator in instrument.indicators}
    unknown = sorted(code for code in answers if code not in known)
    if unknown:
        raise AnswerError(
            _("Kode indikator tidak ada di instrumen %(instrument)s: %(codes)s.")
            % {"instrument": instrument.code, "codes": ", ".join(unknown)}
        )

    # 1. Each indicator's normalised score; None marks N/A (not applicable).
    normalised = {
        indicator.code: _normalised(indicator, answers.get(indicator.code))
        for indicator in instrument.indicators
    }
    # 2. Within each dimension, each indicator's share of the dimension, and its score.
    indicator_shares = {
        dimension.code: _shares(
            [(indicator.weight, normalised[indicator.code]) for indicator in dimension.indicators]
        )
        for dimension in instrument.dimensions
    }
    dimension_scores = {
        dimension.code: _weighted_sum(
            indicator_shares[dimension.code],
            [normalised[indicator.code] for indicator in dimension.indicators],
        )
        for dimension in instrument.dimensions
    }
    # 3. Each dimension's share of the index, and the index.
    dimension_shares = _shares(
        [
            (dimension.weight, dimension_scores[dimension.code])
            for dimension in instrument.dimensions
        ]
    )
    index = _weighted_sum(
        dimension_shares, [dimension_scores[dimension.code] for dimension in instrument.dimensions]
    )

    dimensions = tuple(
        DimensionResult(
            code=dimension.code,
            name=dimension.name,
            weight=dimension.weight,
            score=dimension_scores[dimension.code],
            shown=_rounded(dimension_scores[dimension.code], instrument.decimals),
            weight_in_index=share,
        )
        for dimension, share in zip(instrument.dimensions, dimension_shares, strict=True)
    )
    lines = tuple(
        _trace_line(
            dimension,
            indicator,
            answers.get(indicator.code),
            normalised[indicator.code],
            share,
            share * dimension_share,
        )
        for dimension, dimension_share in zip(instrument.dimensions, dimension_shares, strict=True)
        for indicator, share in zip(
            dimension.indicators, indicator_shares[dimension.code], strict=True
        )
    )
    shown = _rounded(index, instrument.decimals)
    coverage = _coverage(instrument, normalised)
    sufficient = instrument.min_coverage is None or coverage >= Fraction(instrument.min_coverage)
    return Result(
        index=index,
        index_shown=shown,
        predicate=None if shown is None or not sufficient else instrument.predicate_for(shown),
        dimensions=dimensions,
        lines=lines,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        decimals=instrument.decimals,
        coverage=coverage,
        min_coverage=instrument.min_coverage,
    )


def _coverage(instrument: Instrument, normalised: Mapping[str, Fraction | None]) -> Fraction:
    """Σ (W/ΣW)·(w/Σw) over the applicable indicators: nominal weights, before re-weighting."""
    total = sum((Fraction(d.weight) for d in instrument.dimensions), Fraction(0))
    coverage = Fraction(0)
    for dimension in instrument.dimensions:
        inside = sum((Fraction(i.weight) for i in dimension.indicators), Fraction(0))
        for indicator in dimension.indicators:
            if normalised[indicator.code] is not None:
                coverage += Fraction(dimension.weight) / total * Fraction(indicator.weight) / inside
    return coverage


def _normalised(indicator: Indicator, answer: Answer | None) -> Fraction | None:
    if answer is None:
        return Fraction(0)  # unanswered: applicable, and scores nothing
    try:
        return normalised_score(indicator, answer)
    except AnswerError as exc:
        raise AnswerError(
            _("%(code)s: %(message)s") % {"code": indicator.code, "message": exc.message}
        ) from exc


def _shares(items: list[tuple[Decimal, Fraction | None]]) -> list[Fraction]:
    """Each weight's share of the total weight of the applicable items (score not None);
    0 for the others. This is where N/A answers are re-weighted away."""
    total = sum((Fraction(weight) for weight, value in items if value is not None), Fraction(0))
    return [
        Fraction(weight) / total if value is not None else Fraction(0) for weight, value in items
    ]


def _weighted_sum(shares: list[Fraction], values: list[Fraction | None]) -> Fraction | None:
    """Σ share × value over the applicable values; None when none is applicable."""
    applicable = [
        (share, value) for share, value in zip(shares, values, strict=True) if value is not None
    ]
    if not applicable:
        return None
    return sum((share * value for share, value in applicable), Fraction(0))


def _rounded(value: Fraction | None, decimals: int) -> Decimal | None:
    return None if value is None else round_half_up(value, decimals)


def _trace_line(
    dimension: Dimension,
    indicator: Indicator,
    answer: Answer | None,
    normalised: Fraction | None,
    weight_in_dimension: Fraction,
    weight_in_index: Fraction,
) -> TraceLine:
    if answer is None:
        status, raw = STATUS_UNANSWERED, ""
    else:
        status, raw = (STATUS_NA if answer.na else STATUS_ANSWERED), answer.raw
    return TraceLine(
        dimension=dimension.code,
        indicator=indicator.code,
        name=indicator.name,
        status=status,
        raw=raw,
        normalised=normalised,
        weight=indicator.weight,
        weight_in_dimension=weight_in_dimension,
        weight_in_index=weight_in_index,
        contribution=weight_in_index * (normalised or 0),
    )
