"""SIPKO's scoring engine: plain Python, no ORM, no database.

An instrument and a set of answers go in; an index, dimension scores, a predicate and a
line-by-line trace come out. The ORM layer feeds it and stores what it returns; the `simulate`
command uses it directly on files. Read in this order:

- `instrument` — what an instrument is (dataclasses);
- `schema` — the instrument file: validation, YAML in and out;
- `answers` — what may be answered to each indicator type, and its 0–100 score;
- `engine` — weighting, N/A re-weighting, the index, rounding, the predicate, the trace;
- `simulate` — CSV files of answers in, CSV of results out.

The methodology, with worked examples, is in docs/instrument.md.
"""

from __future__ import annotations

from pathlib import Path

from .answers import NOT_APPLICABLE, Answer, AnswerError, normalised_score, parse_answer
from .engine import DimensionResult, Result, TraceLine, score
from .instrument import (
    INDICATOR_TYPES,
    SOURCES,
    SYSTEM_COMPUTATIONS,
    Dimension,
    Indicator,
    Instrument,
    Level,
    Predicate,
)
from .rounding import format_fixed, round_half_up
from .schema import (
    CODE_PATTERN,
    InstrumentError,
    Problem,
    dump_instrument_yaml,
    instrument_to_dict,
    load_instrument_yaml,
    parse_instrument,
)

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"
# The seed instruments (SPEC §3.6), oldest first, explained in docs/instrument.md. 2026.1 computes
# income sources and financial reporting and sets a minimum coverage; results scored with 2025.1
# keep it (a published instrument never changes).
IKO_2025_FILE = INSTRUMENTS_DIR / "iko-default-2025.1.yaml"
DEFAULT_INSTRUMENT_FILE = INSTRUMENTS_DIR / "iko-default-2026.1.yaml"
DEFAULT_INSTRUMENT_FILES = (IKO_2025_FILE, DEFAULT_INSTRUMENT_FILE)

__all__ = [
    "CODE_PATTERN",
    "DEFAULT_INSTRUMENT_FILE",
    "DEFAULT_INSTRUMENT_FILES",
    "IKO_2025_FILE",
    "INDICATOR_TYPES",
    "INSTRUMENTS_DIR",
    "NOT_APPLICABLE",
    "SOURCES",
    "SYSTEM_COMPUTATIONS",
    "Answer",
    "AnswerError",
    "Dimension",
    "DimensionResult",
    "Indicator",
    "Instrument",
    "InstrumentError",
    "Level",
    "Predicate",
    "Problem",
    "Result",
    "TraceLine",
    "dump_instrument_yaml",
    "format_fixed",
    "instrument_to_dict",
    "load_instrument_yaml",
    "normalised_score",
    "parse_answer",
    "parse_instrument",
    "round_half_up",
    "score",
]
