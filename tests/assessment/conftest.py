"""Fixtures of the assessment tests that use the database.

Nothing here is autouse: the scoring tests below this folder run without a database and must
keep doing so. Tests ask for what they need: an instrument, a period that uses it, and a `Flow`
that drives one assessment through the workflow with the shared personas (tests/conftest.py).
"""

from __future__ import annotations

import pytest

from sipko.accounts.models import User
from sipko.assessment.models import Instrument
from sipko.planning.models import Period
from tests.assessment.factories import (
    SMALL_YAML,
    AssessorFactory,
    Flow,
    RegionAdminFactory,
    default_instrument,
    fill_small,
    make_flow,
    published_instrument,
)


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded evidence goes to a temporary folder, not the shared test media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def iko(db) -> Instrument:
    """The default instrument (iko-default-2025.1.yaml), national and published."""
    return default_instrument()


@pytest.fixture
def small(db) -> Instrument:
    """The hand-scorable instrument of tests/assessment/factories.py, published."""
    return published_instrument(SMALL_YAML)


@pytest.fixture
def assessing_period(period: Period) -> Period:
    """The open 2025 period moved on to its assessment stage (publication needs it)."""
    Period.objects.filter(pk=period.pk).update(state="assessment")
    period.refresh_from_db()
    return period


@pytest.fixture
def second_assessor(db) -> User:
    return AssessorFactory(username="penilai_kedua", first_name="Bayu", last_name="Prakoso")


@pytest.fixture
def other_admin(db) -> User:
    """A second Kesbangpol officer of Kota Blitar, who took no part in verifying."""
    return RegionAdminFactory(username="admin_kota_dua")


@pytest.fixture
def small_flow(
    small, assessing_period, ormas, operator, region_admin, assessor, private_media
) -> Flow:
    """A draft assessment of `ormas` with the small instrument, in a period under assessment."""
    return make_flow(
        instrument=small,
        period=assessing_period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )


@pytest.fixture
def verified_small(small_flow: Flow, private_media) -> Flow:
    """The small assessment filled in, submitted, verified as answered (AS set to 2) and
    completed: LV 3 → 50, YN ya → 100, BD 12 → 50, RT 3/4 → 75, AS 2 → 50.

    D1 = (50 + 100) / 2 = 75; D2 = (50 + 75 + 2·50) / 4 = 56.25; index = 65.625 → 65.63 (C).
    """
    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign()
    small_flow.verify_all({"AS": "2"})
    small_flow.complete()
    return small_flow


@pytest.fixture
def published_small(verified_small: Flow) -> Flow:
    verified_small.publish()
    verified_small.fresh()
    return verified_small
