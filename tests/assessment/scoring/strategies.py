"""Hypothesis strategies: random valid instruments (built through the schema) and answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from sipko.assessment.scoring import Answer, Indicator, Instrument, parse_answer, parse_instrument
from sipko.assessment.scoring.rounding import plain_decimal

# Relative weights as people write them: whole numbers or two decimals.
weights = st.one_of(
    st.integers(min_value=1, max_value=100),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
)


@st.composite
def predicate_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    """1–5 bands, highest first, each with `min` or `above`, the last one `min: 0`."""
    bounds = draw(
        st.lists(
            st.decimals(min_value=Decimal("0.5"), max_value=Decimal(100), places=1),
            max_size=4,
            unique=True,
        )
    )
    bands = []
    for position, bound in enumerate(sorted(bounds, reverse=True)):
        key = "above" if bound < 100 and draw(st.booleans()) else "min"
        bands.append({"code": f"P{position}", "label": f"Predikat {position}", key: bound})
    bands.append({"code": "Z", "label": "Terendah", "min": 0})
    return bands


@st.composite
def indicator_dicts(draw: st.DrawFn, code: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["level", "yesno", "ratio", "banded"]))
    data: dict[str, Any] = {
        "code": code,
        "name": f"Indikator {code}",
        "type": kind,
        "weight": draw(weights),
        "source": draw(st.sampled_from(["self", "assessor"])),
        "allow_na": draw(st.booleans()),
    }
    if kind == "level":
        values = draw(st.lists(st.integers(-2, 10), min_size=2, max_size=5, unique=True))
        data["levels"] = [{"value": v, "label": f"Level {v}"} for v in values]
    elif kind == "ratio":
        data["cap"] = draw(st.sampled_from([Decimal("0.3"), Decimal("0.5"), 1, Decimal("1.5")]))
    elif kind == "banded":
        values = draw(
            st.lists(
                st.decimals(min_value=0, max_value=1000, places=1),
                min_size=2,
                max_size=5,
                unique=True,
            )
        )
        data["thresholds"] = sorted(values)
    return data


@st.composite
def instrument_dicts(draw: st.DrawFn) -> dict[str, Any]:
    dimensions = []
    for d in range(draw(st.integers(min_value=1, max_value=3))):
        count = draw(st.integers(min_value=1, max_value=4))
        dimensions.append(
            {
                "code": f"D{d}",
                "name": f"Dimensi {d}",
                "weight": draw(weights),
                "indicators": [draw(indicator_dicts(f"D{d}I{i}")) for i in range(count)],
            }
        )
    return {
        "code": "ACAK",
        "version": draw(st.sampled_from(["1", "2025.1", "v2"])),
        "name": "Instrumen acak",
        "decimals": draw(st.integers(min_value=0, max_value=6)),
        "predicates": draw(predicate_lists()),
        "dimensions": dimensions,
    }


instruments = instrument_dicts().map(parse_instrument)


def valid_texts(indicator: Indicator) -> st.SearchStrategy[str]:
    """Texts that are a valid, applicable answer to `indicator` (never blank, never NA)."""
    if indicator.type == "level":
        return st.sampled_from([plain_decimal(level.value) for level in indicator.levels])
    if indicator.type == "yesno":
        return st.sampled_from(["ya", "tidak", "Ya", "TIDAK", "yes", "no", "1", "0"])
    if indicator.type == "ratio":
        fraction = st.tuples(st.integers(0, 300), st.integers(1, 200)).map(
            lambda pair: f"{pair[0]}/{pair[1]}"
        )
        decimal = st.decimals(min_value=0, max_value=3, places=2).map(
            lambda d: plain_decimal(d).replace(".", ",")
        )
        return st.one_of(fraction, decimal)
    lowest = indicator.thresholds[0]
    return st.decimals(min_value=lowest, max_value=lowest + 2000, places=2).map(plain_decimal)


def best_text(indicator: Indicator) -> str:
    """The answer that earns 100."""
    if indicator.type == "level":
        return plain_decimal(indicator.max_level)
    if indicator.type == "ratio":
        return plain_decimal(indicator.cap)
    if indicator.type == "banded":
        return plain_decimal(indicator.thresholds[-1])
    return "ya"


@st.composite
def answer_sets(draw: st.DrawFn, instrument: Instrument) -> dict[str, Answer | None]:
    """Answers for some of the instrument's indicators: valid values, blanks, and N/A where
    allowed; indicators left out are unanswered."""
    answers: dict[str, Answer | None] = {}
    for indicator in instrument.indicators:
        choices = ["value", "value", "missing", "blank"] + (["na"] if indicator.allow_na else [])
        choice = draw(st.sampled_from(choices))
        if choice == "missing":
            continue
        text = {"blank": " ", "na": "N/A"}.get(choice) or draw(valid_texts(indicator))
        answers[indicator.code] = parse_answer(indicator, text)
    return answers
