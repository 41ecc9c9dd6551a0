"""Running a service from several threads at once, each on its own database connection.

This is what double-clicked buttons and two officers working on one object do to the services.
PostgreSQL runs them truly in parallel, so these tests run there (`.ci/run` does); SQLite
serialises every write transaction, which hides the races the row locks exist for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (SQLite serialises writers)",
)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(*calls: Callable[[], Any]) -> list[Outcome]:
    """Start every call at the same moment, each in its own thread and connection; wait for all.

    Each call should load what it works on itself, as a request would.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index].value = call()
        except BaseException as exc:  # the test inspects whatever happened
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a concurrent call did not finish"
    return outcomes


def errors(outcomes: list[Outcome]) -> list[BaseException]:
    return [o.error for o in outcomes if o.error is not None]
