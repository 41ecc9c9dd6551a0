"""Shared fixtures: the regions of Blitar Raya and the named personas of every access test.

Personas: `region_admin` (Kota Blitar), `assessor` (Kota Blitar, assigned to `ormas`),
`operator` (of `ormas`), `other_operator` (of `other_ormas`, same city), `viewer` (Kota Blitar),
`national_admin`, `outside_admin` (Kabupaten Malang), and `anonymous` (not logged in); `staff`
(Kota Blitar's admin with a Django admin account) for the /admin/ pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_django
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from sipko.accounts.models import Role
from sipko.regions.services import regions_import
from sipko.registry.models import Assignment
from tests.factories import OrmasFactory, UserFactory

REGION_FIXTURE = Path(__file__).parent / "fixtures" / "wilayah_blitar.csv"
PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttles and once-per-interval marks live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _regions(db: None) -> None:
    """Jawa Timur's Blitar Raya and Kabupaten Malang, loaded for every test (a few hundred rows)."""
    regions_import(REGION_FIXTURE)


@pytest.fixture
def ormas():
    return OrmasFactory(name="Paguyuban Seni Kendang Kepanjen (fiktif)", acronym="PSKK")


@pytest.fixture
def other_ormas():
    return OrmasFactory(
        name="Yayasan Pelita Sanankulon (fiktif)",
        acronym="YPS",
        region_id="35.72.03.1001",
    )


@pytest.fixture
def outside_ormas():
    """An ormas in Kabupaten Malang: outside every Kota Blitar persona's scope."""
    return OrmasFactory(name="Perkumpulan Lereng Kawi (fiktif)", region_id="35.07.01.2001")


@pytest.fixture
def region_admin():
    return UserFactory(username="admin_kota", role=Role.REGION_ADMIN, region_id="35.72")


@pytest.fixture
def staff():
    """Kota Blitar's admin with a Django admin account (`is_staff`) but no superuser rights."""
    return UserFactory(
        username="staf_kota", role=Role.REGION_ADMIN, region_id="35.72", is_staff=True
    )


@pytest.fixture
def viewer():
    return UserFactory(username="pemantau_kota", role=Role.VIEWER, region_id="35.72")


@pytest.fixture
def assessor(ormas):
    user = UserFactory(username="penilai_kota", role=Role.ASSESSOR, region_id="35.72")
    Assignment.objects.create(assessor=user, ormas=ormas)
    return user


@pytest.fixture
def operator(ormas):
    return UserFactory(username="operator_ormas", role=Role.OPERATOR, ormas=ormas)


@pytest.fixture
def other_operator(other_ormas):
    return UserFactory(username="operator_lain", role=Role.OPERATOR, ormas=other_ormas)


@pytest.fixture
def national_admin():
    return UserFactory(username="admin_nasional", role=Role.NATIONAL_ADMIN)


@pytest.fixture
def outside_admin():
    return UserFactory(username="admin_malang", role=Role.REGION_ADMIN, region_id="35.07")


@pytest.fixture
def period():
    from tests.factories import PeriodFactory

    return PeriodFactory()


@pytest.fixture
def programme(ormas, period):
    """An accepted programme of `ormas` in the open `period`, with one indicator."""
    from tests.factories import IndicatorFactory, ProgrammeFactory

    programme = ProgrammeFactory(ormas=ormas, period=period, title="Program Uji Operator")
    IndicatorFactory(programme=programme, name="Peserta pelatihan", unit="orang", target=100)
    return programme


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None,
    django_db_blocker: pytest_django.DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Run `seed_demo` once per test module; yield its standard output. Everything is rolled back
    afterwards (the demo tests read it; each test's own writes roll back to it)."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", stdout=out, stderr=io.StringIO())
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
