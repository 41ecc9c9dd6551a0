"""Small builders shared by the scoring tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sipko.assessment.scoring import Answer, Instrument, parse_answer, parse_instrument

DATA = Path(__file__).parent / "data"
PREDICATES = [
    {"code": "A", "label": "Sangat Baik", "min": 85},
    {"code": "B", "label": "Baik", "min": 70},
    {"code": "C", "label": "Cukup", "min": 55},
    {"code": "D", "label": "Kurang", "min": 0},
]


def answers(instrument: Instrument, **raw: str) -> dict[str, Answer | None]:
    """Answers parsed from text, keyed by indicator code: answers(i, KEL1="3", SDM4="ya")."""
    return {code: parse_answer(instrument.indicator(code), text) for code, text in raw.items()}


def instrument(*dimensions: dict[str, Any], decimals: int = 2, **extra: Any) -> Instrument:
    """A valid instrument around the given dimension dicts, with the default predicates."""
    return parse_instrument(
        {
            "code": "UJI",
            "version": "1",
            "name": "Instrumen uji",
            "decimals": decimals,
            "predicates": PREDICATES,
            "dimensions": list(dimensions),
            **extra,
        }
    )


def indicator(code: str, type: str, weight: float | int = 1, **extra: Any) -> dict[str, Any]:
    """An indicator dict answered by the ormas itself."""
    return {
        "code": code,
        "name": f"Indikator {code}",
        "type": type,
        "weight": weight,
        "source": "self",
        **extra,
    }
