"""Access expectations of planning (RPJMD, periods, programmes and their indicators)."""

from __future__ import annotations

from typing import Any

from tests.access import ADMINS, NOT_ADMIN, OWN_EDIT, OWN_READ, row
from tests.factories import (
    IndicatorFactory,
    PeriodFactory,
    ProgrammeFactory,
    RpjmdFactory,
    RpjmdItemFactory,
)

EVERYONE = row(operator=200, other_operator=200, viewer=200, assessor=200, **ADMINS)
# A Kota Blitar RPJMD or period: readable by all of Kota Blitar, not by Kabupaten Malang's admin.
REGION_READ = {**EVERYONE, "outside_admin": 404}
# Maintaining a Kota Blitar RPJMD or period: Kota Blitar's admin and the national admin.
REGION_MANAGE = row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404)
# A POST that changes a programme of `ormas`, answered with a redirect to the programme.
OWN_POST = {**OWN_EDIT, "operator": 302, "region_admin": 302, "national_admin": 302}

EXPECTED: dict[str, dict[str, int]] = {
    "planning:rpjmd_list": EVERYONE,
    "planning:rpjmd_create": row(**NOT_ADMIN, **ADMINS),
    "planning:rpjmd_detail": REGION_READ,
    "planning:rpjmd_edit": REGION_MANAGE,
    "planning:rpjmd_item_add": REGION_MANAGE,
    "planning:rpjmd_item_edit": REGION_MANAGE,
    "planning:period_list": EVERYONE,
    "planning:period_create": row(**NOT_ADMIN, **ADMINS),
    "planning:period_detail": REGION_READ,
    "planning:period_edit": REGION_MANAGE,
    "planning:period_move": REGION_MANAGE,
    "planning:programme_list": EVERYONE,
    "planning:programme_create": OWN_EDIT,
    "planning:programme_detail": OWN_READ,
    "planning:programme_edit": OWN_EDIT,
    "planning:programme_submit": OWN_POST,
    "planning:programme_review": {**REGION_MANAGE, "other_operator": 404},
    "planning:indicator_add": OWN_EDIT,
    "planning:indicator_edit": OWN_EDIT,
    "planning:indicator_delete": OWN_POST,
}
# Routes exercised with the destructive POST rather than a GET page.
POST_ONLY = {"planning:programme_submit", "planning:indicator_delete"}


def setup(world: dict[str, Any]) -> None:
    ormas, other, outside = world["ormas"], world["other_ormas"], world["outside_ormas"]
    rpjmd = RpjmdFactory(region_id="35.72")
    misi = RpjmdItemFactory(rpjmd=rpjmd, level="misi", code="M1")
    tujuan = RpjmdItemFactory(rpjmd=rpjmd, level="tujuan", code="T1.1", parent=misi)
    sasaran = RpjmdItemFactory(
        rpjmd=rpjmd, level="sasaran", code="S1.1.1", parent=tujuan, illustrative=True
    )
    RpjmdItemFactory(rpjmd=rpjmd, level="indikator", code="I1.1.1.1", parent=sasaran)
    period = PeriodFactory(region_id="35.72", rpjmd=rpjmd)
    outside_period = PeriodFactory(
        region_id="35.07", name="Periode Kabupaten Malang (uji)", rpjmd=None
    )

    def programme(owner: Any, state: str, title: str, in_period: Any = period) -> Any:
        made = ProgrammeFactory(ormas=owner, period=in_period, state=state, title=title)
        made.sasaran.set([sasaran] if in_period == period else [])
        IndicatorFactory(programme=made, name=f"Peserta {title}")
        return made

    world["plan_rpjmd"] = rpjmd
    world["plan_item"] = tujuan
    world["plan_period"] = period
    world["plan_accepted"] = programme(ormas, "accepted", "Pelatihan Kendang Remaja")
    world["plan_draft"] = programme(ormas, "draft", "Festival Kendang Kampung")
    world["plan_submitted"] = programme(ormas, "submitted", "Kelas Gamelan Sekolah")
    programme(other, "submitted", "Program Rahasia Tetangga")
    programme(outside, "submitted", "Program Rahasia Malang", outside_period)
    world.setdefault("period", period)
    world.setdefault("programme", world["plan_accepted"])


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    rpjmd, period = world["plan_rpjmd"], world["plan_period"]
    draft = world["plan_draft"]
    indicator = draft.indicators.first()
    return {
        "planning:rpjmd_detail": {"pk": rpjmd.pk},
        "planning:rpjmd_edit": {"pk": rpjmd.pk},
        "planning:rpjmd_item_add": {"pk": rpjmd.pk},
        "planning:rpjmd_item_edit": {"pk": rpjmd.pk, "item_pk": world["plan_item"].pk},
        "planning:period_detail": {"pk": period.pk},
        "planning:period_edit": {"pk": period.pk},
        "planning:period_move": {"pk": period.pk, "action": "start_assessment"},
        "planning:programme_create": {"uuid": world["ormas"].uuid},
        "planning:programme_detail": {"uuid": world["plan_accepted"].uuid},
        "planning:programme_edit": {"uuid": draft.uuid},
        "planning:programme_submit": {"uuid": draft.uuid},
        "planning:programme_review": {"uuid": world["plan_submitted"].uuid},
        "planning:indicator_add": {"uuid": draft.uuid},
        "planning:indicator_edit": {"uuid": draft.uuid, "pk": indicator.pk},
        "planning:indicator_delete": {"uuid": draft.uuid, "pk": indicator.pk},
    }.get(name)
