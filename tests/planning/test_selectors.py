"""Planning reads: who sees which RPJMD, the tree's shape, and readable versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from sipko.accounts import access
from sipko.planning import selectors, services
from sipko.regions.models import Region
from tests.factories import (
    PeriodFactory,
    ProgrammeFactory,
    RpjmdFactory,
    RpjmdItemFactory,
    UserFactory,
)


def test_rpjmd_reach_follows_the_region(
    operator, viewer, region_admin, national_admin, outside_admin
) -> None:
    province = RpjmdFactory(region_id="35", title="RPJMD Jawa Timur")
    city = RpjmdFactory(region_id="35.72", title="RPJMD Kota Blitar")
    malang = RpjmdFactory(region_id="35.07", title="RPJMD Kabupaten Malang")
    provincial_viewer = UserFactory(username="pemantau_prov", role="viewer", region_id="35")

    def seen(user) -> set[str]:
        return set(access.rpjmds_visible_to(user).values_list("title", flat=True))

    assert seen(operator) == seen(viewer) == seen(region_admin) == {province.title, city.title}
    assert seen(outside_admin) == {province.title, malang.title}
    assert (
        seen(national_admin)
        == seen(provincial_viewer)
        == {
            province.title,
            city.title,
            malang.title,
        }
    )
    orphan = UserFactory(username="operator_tanpa_ormas", role="operator")
    assert seen(orphan) == set()


def test_tree_nests_levels_and_orders_codes_naturally() -> None:
    rpjmd = RpjmdFactory()
    m10 = RpjmdItemFactory(rpjmd=rpjmd, level="misi", code="M10")
    m2 = RpjmdItemFactory(rpjmd=rpjmd, level="misi", code="M2")
    tujuan = RpjmdItemFactory(rpjmd=rpjmd, level="tujuan", code="T2.1", parent=m2)
    tree = selectors.rpjmd_tree(rpjmd)
    assert [node.item for node in tree] == [m2, m10]
    assert [child.item for child in tree[0].children] == [tujuan]


def test_rpjmd_for_period_falls_back_to_the_region_plan() -> None:
    plan = RpjmdFactory()
    assert selectors.rpjmd_for_period(PeriodFactory(rpjmd=None)) == plan
    later = PeriodFactory(
        rpjmd=None, start=datetime.date(2031, 1, 1), end=datetime.date(2031, 12, 31)
    )
    assert selectors.rpjmd_for_period(later) is None


def test_versions_fold_one_save_with_its_links_into_one_entry(operator, ormas, period) -> None:
    rpjmd = RpjmdFactory()
    misi = RpjmdItemFactory(rpjmd=rpjmd, level="misi", code="M1")
    tujuan = RpjmdItemFactory(rpjmd=rpjmd, level="tujuan", code="T1", parent=misi)
    sasaran = RpjmdItemFactory(rpjmd=rpjmd, level="sasaran", code="S1", parent=tujuan)
    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft", title="Lama")
    services.programme_save(
        actor=operator,
        ormas=ormas,
        programme=programme,
        data={"title": "Baru", "funding_sources": ["hibah_pemerintah"]},
        sasaran=[sasaran],
    )
    entries = selectors.programme_versions(programme)
    assert len(entries) == 2  # created, then one change (fields and sasaran together)
    assert entries[0].who == operator.username and entries[1].action == "dibuat"
    changes = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert changes["judul program"] == ("Lama", "Baru")
    assert changes["sumber dana"] == ("—", "Hibah pemerintah")
    assert changes["sasaran RPJMD"] == ("—", "S1")


def test_versions_name_the_locations_that_changed(operator, ormas, period) -> None:
    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft")
    kauman = Region.objects.get(code="35.72.01.1004")
    sukorejo = Region.objects.get(code="35.72.02")

    def location_changes() -> list[tuple[str, str]]:
        return [
            (c.old, c.new)
            for entry in selectors.programme_versions(programme)
            for c in entry.changes
            if c.label == "lokasi"
        ]

    services.programme_save(
        actor=operator, ormas=ormas, programme=programme, data={}, locations=[kauman]
    )
    assert location_changes() == [("—", "Kauman")]
    services.programme_save(
        actor=operator, ormas=ormas, programme=programme, data={}, locations=[kauman, sukorejo]
    )
    # The same person within seconds: one version, from before the first save to after the last.
    assert location_changes() == [("—", "Kauman, Kec. Sukorejo")]


def test_service_refuses_sasaran_of_another_regions_rpjmd(ormas, period) -> None:
    malang = RpjmdFactory(region_id="35.07")
    foreign = RpjmdItemFactory(rpjmd=malang, level="sasaran", code="S-M")
    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft")
    with pytest.raises(ValidationError, match="RPJMD wilayah ormas ini"):
        services.programme_save(
            actor=None, ormas=ormas, programme=programme, data={}, sasaran=[foreign]
        )
    assert not programme.sasaran.exists()
