"""What an instrument *is*: frozen dataclasses, nothing else.

An instrument (*instrumen / standar kinerja*) is a versioned tree

    Instrument ── predicates (bands of the index, highest first)
               └─ dimensions (relative weights)
                    └─ indicators (relative weights, a type, a rubric, who answers)

These classes trust their contents. The only way from outside data to a valid instrument is
`schema.parse_instrument`, which checks every rule listed in docs/instrument.md; code that builds
an `Instrument` by hand (tests, the ORM layer) takes over that responsibility.

All numbers are `Decimal`, never float: they come from text (YAML, JSON, the database) and
must compare and hash exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

LEVEL = "level"
YESNO = "yesno"
RATIO = "ratio"
BANDED = "banded"
INDICATOR_TYPES = (LEVEL, YESNO, RATIO, BANDED)

SELF = "self"  # answered by the ormas (self-assessment), then verified
ASSESSOR = "assessor"  # answered by the assigned assessor
SYSTEM = "system"  # computed by SIPKO from its own data, see SYSTEM_COMPUTATIONS
SOURCES = (SELF, ASSESSOR, SYSTEM)

# The computations SIPKO knows how to perform from its own data, and the indicator type each
# one yields. An instrument may only name these, and must declare the matching type, because the
# ORM layer hands the engine a value of exactly that type. What each one measures is described in
# docs/instrument.md#system-computations.
SYSTEM_COMPUTATIONS: dict[str, str] = {
    "legal_status": LEVEL,
    "board_term": YESNO,
    "documents_complete": RATIO,
    "rpjmd_alignment": RATIO,
    "programme_achievement": RATIO,
    "reporting_on_time": RATIO,
    "youth_share": RATIO,
    "income_sources": BANDED,
    "financial_reporting": LEVEL,
}

# Checks shown to the assessor beside a number the ormas declared, when SIPKO's own records
# make it doubtful (docs/instrument.md#plausibility). "participants": the declared count against
# the participants of the period's verified activity reports.
PLAUSIBILITY_CHECKS: tuple[str, ...] = ("participants",)

# Level-type computations produce fixed values, so the instrument's rubric must offer exactly
# these levels (a rubric of 1–5 would silently make the computation's best value a 75).
SYSTEM_LEVEL_VALUES: dict[str, tuple[Decimal, ...]] = {
    "legal_status": (Decimal(1), Decimal(2), Decimal(3), Decimal(4)),
    "financial_reporting": (Decimal(1), Decimal(2), Decimal(3), Decimal(4)),
}


@dataclass(frozen=True)
class Level:
    """One step of a `level` rubric: the value scored, and the text the answerer chooses from."""

    value: Decimal
    label: str
    description: str = ""


@dataclass(frozen=True)
class Predicate:
    """A band of the index (*predikat*), e.g. A "Sangat Baik".

    Exactly one of `min` and `above` is set: `min` is an inclusive lower bound (index >= min),
    `above` an exclusive one (index > above), so that both "B ≥ 70" and SAKIP's "AA > 90" can be
    written as they appear in the regulation.
    """

    code: str
    label: str
    min: Decimal | None = None
    above: Decimal | None = None

    def matches(self, shown_index: Decimal) -> bool:
        """Whether the *rounded* index (as shown to people) falls in this band or higher."""
        if self.min is not None:
            return shown_index >= self.min
        assert self.above is not None
        return shown_index > self.above


@dataclass(frozen=True)
class Indicator:
    """One measured item. Which fields matter depends on `type`:

    - `level`: `levels`, the rubric (at least two distinct values);
    - `yesno`: nothing more;
    - `ratio`: `cap`, the ratio that already earns the full score;
    - `banded`: `thresholds`, ascending inclusive lower bounds of levels 1..n, and optional
      `labels` naming those levels; `unit` names what is counted.

    `weight` is relative to the other indicators of the same dimension. `system` names the
    computation when `source` is "system", and is None otherwise. `advice` is the guidance
    (*pembinaan*) shown to an ormas when this indicator is among its weakest.
    """

    code: str
    name: str
    type: str
    weight: Decimal
    source: str = SELF
    system: str | None = None
    levels: tuple[Level, ...] = ()
    thresholds: tuple[Decimal, ...] = ()
    labels: tuple[str, ...] = ()
    cap: Decimal = Decimal(1)
    evidence: bool = False
    allow_na: bool = False
    description: str = ""
    unit: str = ""
    advice: str = ""
    plausibility: str = ""  # a check of a declared number, see PLAUSIBILITY_CHECKS

    @property
    def accepts_na(self) -> bool:
        """Whether N/A is a valid answer. `allow_na` lets a person answer N/A; a `system`
        indicator is N/A whenever the missing-data rule says its base is not due yet
        (docs/instrument.md#missing-data), whatever `allow_na` says."""
        return self.allow_na or self.source == SYSTEM

    @property
    def min_level(self) -> Decimal:
        """The smallest level value (scores 0). Only meaningful for `level` indicators."""
        return min(level.value for level in self.levels)

    @property
    def max_level(self) -> Decimal:
        """The largest level value (scores 100). Only meaningful for `level` indicators."""
        return max(level.value for level in self.levels)

    def band_of(self, number: Fraction | Decimal) -> int | None:
        """The 1-based level a `banded` number falls in, None when below the first threshold."""
        band = None
        for position, threshold in enumerate(self.thresholds, start=1):
            if Fraction(number) >= Fraction(threshold):
                band = position
        return band

    def band_label(self, band: int) -> str:
        """The label of a 1-based band, or "" when the instrument gives none."""
        return self.labels[band - 1] if self.labels else ""


@dataclass(frozen=True)
class Dimension:
    """A group of indicators with a weight relative to the other dimensions."""

    code: str
    name: str
    weight: Decimal
    indicators: tuple[Indicator, ...]
    description: str = ""


@dataclass(frozen=True)
class Instrument:
    """A complete, versioned standard. `(code, version)` identifies it between regions.

    `decimals` is how many decimal places shown scores have (0..6); `predicates` are ordered
    highest band first and the last one catches an index of 0. `min_coverage` (0 < c ≤ 1, or
    None for no minimum) is the share of the instrument's total weight that must be applicable
    for an index to earn a predicate: below it the index is shown as "data tidak cukup".
    """

    code: str
    version: str
    name: str
    decimals: int
    predicates: tuple[Predicate, ...]
    dimensions: tuple[Dimension, ...]
    description: str = ""
    min_coverage: Decimal | None = None

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, dimension by dimension, in the order of the file."""
        return tuple(indicator for _, indicator in self._walk())

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code; KeyError if there is none."""
        for _, indicator in self._walk():
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def dimension(self, code: str) -> Dimension:
        """The dimension with this code; KeyError if there is none."""
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    def dimension_of(self, indicator_code: str) -> Dimension:
        """The dimension holding the indicator with this code; KeyError if there is none."""
        for dimension, indicator in self._walk():
            if indicator.code == indicator_code:
                return dimension
        raise KeyError(indicator_code)

    def predicate_for(self, shown_index: Decimal) -> Predicate | None:
        """The band of a rounded index: the first (highest) band it reaches.

        None only for an instrument whose lowest band does not catch the index, which
        `parse_instrument` never lets through for indexes in 0..100.
        """
        for predicate in self.predicates:
            if predicate.matches(shown_index):
                return predicate
        return None

    def _walk(self) -> Iterator[tuple[Dimension, Indicator]]:
        for dimension in self.dimensions:
            for indicator in dimension.indicators:
                yield dimension, indicator
