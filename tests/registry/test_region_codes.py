"""Province and kab/kota codes stored on each ormas: derived from `region` on every write path,
backfilled by the migration, and tied to `region` by a database check constraint."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from sipko.regions.models import Region
from sipko.registry import services
from sipko.registry.importer import import_ormas
from sipko.registry.models import Ormas, region_codes
from tests.factories import OrmasFactory
from tests.registry.test_importer import write_csv

pytestmark = pytest.mark.django_db

migration = importlib.import_module("sipko.registry.migrations.0006_ormas_region_codes")


def codes(ormas: Ormas) -> tuple[str, str]:
    """The codes as stored in the database, not as left on the instance."""
    row = Ormas.objects.values_list("province_code", "kabkota_code").get(pk=ormas.pk)
    return row[0], row[1]


def test_region_codes_by_depth() -> None:
    assert region_codes("35.72.01.1001") == ("35", "35.72")
    assert region_codes("35.72.01") == ("35", "35.72")
    assert region_codes("35.72") == ("35", "35.72")
    assert region_codes("35") == ("35", "")  # a province alone has no kab/kota


def test_derived_on_create_by_the_service(region_admin) -> None:
    ormas = services.ormas_save(
        actor=region_admin,
        data={
            "name": "Perkumpulan Kode Wilayah (fiktif)",
            "region": Region.objects.get(code="35.72.02.1001"),
        },
    )
    assert codes(ormas) == ("35", "35.72")


def test_derived_on_create_by_the_factory() -> None:
    assert codes(OrmasFactory(region_id="35.05.01.2001")) == ("35", "35.05")
    assert codes(OrmasFactory(region_id="35.07")) == ("35", "35.07")
    assert codes(OrmasFactory(region_id="35")) == ("35", "")


def test_changed_when_the_service_moves_the_ormas(national_admin, ormas) -> None:
    assert codes(ormas) == ("35", "35.72")
    services.ormas_save(
        actor=national_admin,
        ormas=ormas,
        data={"region": Region.objects.get(code="35.05.01.2001")},
    )
    assert codes(ormas) == ("35", "35.05")
    assert ormas.history.first().kabkota_code == "35.05"  # the history row carries them too


def test_save_with_update_fields_region_writes_the_codes(ormas) -> None:
    ormas.region_id = "35.07.01.2001"
    ormas.save(update_fields=["region"])
    assert codes(ormas) == ("35", "35.07")


def test_set_by_the_importer(tmp_path) -> None:
    path = write_csv(
        tmp_path / "ormas.csv",
        [["Nama Ormas", "Kecamatan", "Kelurahan"], ["Paguyuban Impor (fiktif)", "Sukorejo", ""]],
    )
    result = import_ormas(path, filename=path.name, region_code="35.72", actor=None)
    assert result.file_error is None
    imported = Ormas.objects.get(name="Paguyuban Impor (fiktif)")
    assert imported.region_id.startswith("35.72.")
    assert codes(imported) == ("35", "35.72")


def test_merge_keeps_them_right(region_admin, ormas, other_ormas) -> None:
    services.ormas_merge(actor=region_admin, keep=ormas, duplicate=other_ormas, reason="Ganda")
    for row in Ormas.objects.filter(pk__in=[ormas.pk, other_ormas.pk]):
        assert (row.province_code, row.kabkota_code) == region_codes(row.region_id)


def test_constraint_refuses_codes_that_disagree_with_the_region(ormas) -> None:
    rows = Ormas.objects.filter(pk=ormas.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(kabkota_code="35.05")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(province_code="36")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(region_id="35.05.01.2001")  # a bulk move that forgot the codes
    with pytest.raises(IntegrityError), transaction.atomic():
        Ormas.objects.bulk_create(
            [Ormas(name="Tanpa Kode (fiktif)", name_key="tanpa kode", region_id="35.07.01.2001")]
        )
    assert codes(ormas) == ("35", "35.72")


def test_bulk_paths_that_derive_the_codes_are_accepted(ormas) -> None:
    Ormas.objects.filter(pk=ormas.pk).update(
        region_id="35.05.01.2001",
        **dict(zip(("province_code", "kabkota_code"), region_codes("35.05.01.2001"), strict=True)),
    )
    assert codes(ormas) == ("35", "35.05")
    new = Ormas(name="Massal (fiktif)", name_key="massal", region_id="35.07.01.2001")
    new.derive_region_codes()
    Ormas.objects.bulk_create([new])
    assert Ormas.objects.get(name="Massal (fiktif)").kabkota_code == "35.07"


def test_migration_backfill(ormas, other_ormas) -> None:
    """The backfill fills cleared codes in one UPDATE per table (the history table has no
    constraint, so its rows can be cleared; a province-only region gets no kab/kota code)."""
    History = apps.get_model("registry", "HistoricalOrmas")
    History.objects.filter(id=other_ormas.pk).update(region_id="35")
    History.objects.update(province_code="", kabkota_code="")

    migration.backfill_region_codes(apps, None)

    assert set(History.objects.values_list("region_id", "province_code", "kabkota_code")) == {
        ("35.72.01.1001", "35", "35.72"),
        ("35", "35", ""),
    }
    assert codes(ormas) == ("35", "35.72") and codes(other_ormas) == ("35", "35.72")
