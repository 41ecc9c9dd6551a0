"""How fast the scoring engine scores a region: N ormas answering the default instrument.

    .venv/bin/python benchmarks/scoring_bench.py [ormas]

Answers are random but valid for each indicator type, with some N/A and some unanswered. Prints
the seconds `score()` takes for all of them (exact fractions throughout) and the rate per second.
"""

from __future__ import annotations

import os
import random
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from sipko.assessment.scoring import (  # noqa: E402
    DEFAULT_INSTRUMENT_FILE,
    Indicator,
    load_instrument_yaml,
    parse_answer,
    score,
)


def random_raw(indicator: Indicator, rng: random.Random) -> str | None:
    if rng.random() < 0.05:
        return None  # unanswered
    if indicator.allow_na and rng.random() < 0.1:
        return "NA"
    if indicator.type == "level":
        return str(rng.choice(indicator.levels).value)
    if indicator.type == "yesno":
        return rng.choice(("ya", "tidak"))
    if indicator.type == "banded":
        return str(rng.randint(int(indicator.thresholds[0]), int(indicator.thresholds[-1]) * 2))
    return f"{rng.randint(0, 12)}/{rng.randint(1, 12)}"


def main(count: int) -> None:
    instrument = load_instrument_yaml(DEFAULT_INSTRUMENT_FILE.read_bytes())
    rng = random.Random(1)
    answer_sets = []
    for _ in range(count):
        answers = {}
        for indicator in instrument.indicators:
            raw = random_raw(indicator, rng)
            if raw is not None:
                answers[indicator.code] = parse_answer(indicator, raw)
        answer_sets.append(answers)
    start = time.perf_counter()
    for answers in answer_sets:
        score(instrument, answers).to_dict()
    seconds = time.perf_counter() - start
    rate = count / seconds
    print(f"{count} ormas scored (with trace) in {seconds:.2f} s: {rate:,.0f} per second")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
