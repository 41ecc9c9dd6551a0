"""Scoring tests run without a database: the engine must never need one.

pytest-django refuses database access to any test that does not ask for it, so these tests
also prove that scoring, the schema and `simulate` never touch the database.
"""

from __future__ import annotations

import pytest

from sipko.assessment.scoring import (
    IKO_2025_FILE,
    INSTRUMENTS_DIR,
    Instrument,
    load_instrument_yaml,
)

from .helpers import DATA


@pytest.fixture(autouse=True)
def _regions() -> None:
    """Replaces the project-wide fixture that loads regions into the database."""


@pytest.fixture(scope="session")
def default_instrument() -> Instrument:
    return load_instrument_yaml(IKO_2025_FILE.read_bytes())


@pytest.fixture(scope="session")
def sakip_instrument() -> Instrument:
    return load_instrument_yaml((INSTRUMENTS_DIR / "sakip-example.yaml").read_bytes())


@pytest.fixture(scope="session")
def spec_instrument() -> Instrument:
    """The instrument file printed in SPEC §6, verbatim."""
    return load_instrument_yaml((DATA / "spec-sample.yaml").read_bytes())
