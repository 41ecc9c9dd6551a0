"""How long `analyse` takes on a national-scale period: 10,000 ormas × 16 indicators × 1,000 runs.

    .venv/bin/python benchmarks/methodology_bench.py [ormas] [runs]

Scores are random but shaped like real ones: a few levels per indicator, some N/A and some
unanswered. Prints the seconds `analyse` takes (the matrix is built before the clock starts).
"""

from __future__ import annotations

import os
import sys
import time

import django
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from sipko.assessment.methodology import (  # noqa: E402
    DimensionSpec,
    IndicatorSpec,
    ScoreMatrix,
    analyse,
)


def random_matrix(ormas: int, *, seed: int = 1) -> ScoreMatrix:
    rng = np.random.default_rng(seed)
    dimensions = tuple(
        DimensionSpec(
            code=dim,
            name=f"Dimensi {dim}",
            weight=weight,
            indicators=tuple(
                IndicatorSpec(code=f"{dim}{i}", name=f"Indikator {dim}{i}", weight=float(w))
                for i, w in enumerate(rng.integers(1, 5, size=4), start=1)
            ),
        )
        for dim, weight in (("KEL", 20.0), ("SDM", 25.0), ("PRG", 30.0), ("MNF", 25.0))
    )
    codes = [i.code for d in dimensions for i in d.indicators]
    # Four rubric levels (0, 33.3, 66.7, 100) drawn around an ormas-level "capacity".
    capacity = rng.normal(0, 1, size=(ormas, 1))
    levels = np.clip(np.round(1.5 + capacity + rng.normal(0, 1, (ormas, len(codes)))), 0, 3)
    values = levels / 3 * 100
    kind = rng.random((ormas, len(codes)))  # < 0.05 N/A, < 0.10 unanswered
    values[kind < 0.1] = 0.0
    keys = [f"ormas-{n:05d}" for n in range(ormas)]
    scores = {}
    unanswered = {}
    for row, key in enumerate(keys):
        scores[key] = {
            code: None if kind[row, col] < 0.05 else float(values[row, col])
            for col, code in enumerate(codes)
        }
        unanswered[key] = frozenset(
            code for col, code in enumerate(codes) if 0.05 <= kind[row, col] < 0.1
        )
    return ScoreMatrix(
        dimensions=dimensions,
        ormas=tuple((key, f"Ormas {key}") for key in keys),
        scores=scores,
        unanswered=unanswered,
    )


def main() -> None:
    ormas = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    matrix = random_matrix(ormas)
    start = time.perf_counter()
    report = analyse(matrix, runs=runs)
    seconds = time.perf_counter() - start
    print(f"analyse: {ormas} ormas × 16 indicators × {runs} runs in {seconds:.2f} s")
    for scenario in report.sensitivity.scenarios:
        print(
            f"  {scenario.code}: mean |shift| {scenario.mean_abs_rank_shift:.1f}, "
            f"Spearman {scenario.spearman:.4f}"
        )


if __name__ == "__main__":
    main()
