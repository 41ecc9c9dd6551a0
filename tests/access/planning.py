"""Access expectations of planning (RPJMD, periods, programmes and their indicators)."""

from __future__ import annotations

from typing import Any

from sipko.planning.forms import IndicatorForm, PeriodForm, ProgrammeForm, RpjmdForm, RpjmdItemForm
from sipko.planning.models import RpjmdLevel
from tests.access import (
    ADMINS,
    NOT_ADMIN,
    OWN_EDIT,
    OWN_POST,
    OWN_READ,
    action,
    form_body,
    form_page,
    page,
    row,
)
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
REGION_POST = {**REGION_MANAGE, "region_admin": 302, "national_admin": 302}
# Creating an RPJMD or a period: every admin, each in its own region.
CREATE = row(**NOT_ADMIN, **ADMINS)
CREATE_POST = row(**NOT_ADMIN, **dict.fromkeys(ADMINS, 302))
REVIEW = {**REGION_MANAGE, "other_operator": 404}

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "planning:rpjmd_list": page(EVERYONE),
    "planning:rpjmd_create": form_page(CREATE, CREATE_POST),
    "planning:rpjmd_detail": page(REGION_READ),
    "planning:rpjmd_edit": form_page(REGION_MANAGE, REGION_POST),
    "planning:rpjmd_item_add": form_page(REGION_MANAGE, REGION_POST),
    "planning:rpjmd_item_edit": form_page(REGION_MANAGE, REGION_POST),
    "planning:period_list": page(EVERYONE),
    "planning:period_create": form_page(CREATE, CREATE_POST),
    "planning:period_detail": page(REGION_READ),
    "planning:period_edit": form_page(REGION_MANAGE, REGION_POST),
    # GET asks for confirmation; POST moves the period (here: open → assessment).
    "planning:period_move": form_page(REGION_MANAGE, REGION_POST),
    "planning:programme_list": page(EVERYONE),
    "planning:programme_create": form_page(OWN_EDIT, OWN_POST),
    "planning:programme_detail": page(OWN_READ),
    "planning:programme_edit": form_page(OWN_EDIT, OWN_POST),
    "planning:programme_submit": action(OWN_POST),
    "planning:programme_review": form_page(
        REVIEW, {**REVIEW, "region_admin": 302, "national_admin": 302}
    ),
    "planning:indicator_add": form_page(OWN_EDIT, OWN_POST),
    "planning:indicator_edit": form_page(OWN_EDIT, OWN_POST),
    # GET asks for confirmation; POST deletes.
    "planning:indicator_delete": form_page(OWN_EDIT, OWN_POST),
}


def _region(user: Any) -> str:
    """The kabupaten/kota an admin plans for: its own (Kota Blitar for the national admin)."""
    return user.region_id if user and getattr(user, "region_id", None) else "35.72"


def _admin(world: dict[str, Any], user: Any) -> Any:
    """Forms built for a user need one; refused personas send what Kota Blitar's admin would."""
    users = world["users"]
    return (
        user if user in (users["national_admin"], users["outside_admin"]) else users["region_admin"]
    )


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    rpjmd, period, draft = world["plan_rpjmd"], world["plan_period"], world["plan_draft"]
    note = "Disesuaikan pada uji akses."
    if name == "planning:rpjmd_create":
        return {
            "region": _region(user),
            "title": "RPJMD Uji Akses 2030-2034",
            "start_year": "2030",
            "end_year": "2034",
            "visi": "Visi uji akses",
        }
    if name == "planning:rpjmd_edit":
        return form_body(RpjmdForm(instance=rpjmd, user=_admin(world, user)), note=note)
    if name == "planning:rpjmd_item_add":
        return {"level": RpjmdLevel.MISI, "code": "M9", "text": "Misi tambahan uji akses"}
    if name == "planning:rpjmd_item_edit":
        item = world["plan_item"]
        return form_body(RpjmdItemForm(instance=item, rpjmd=rpjmd), text="Tujuan diperjelas")
    if name == "planning:period_create":
        return {
            "region": _region(user),
            "name": "Periode Uji Akses 2026",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "programme_due": "2026-03-31",
            "report_frequency": "semester",
            "report_due_days": "30",
        }
    if name == "planning:period_edit":
        return form_body(PeriodForm(instance=period, user=_admin(world, user)), name="Periode 2025")
    if name == "planning:period_move":
        return {"reason": "Masa penilaian dimulai (uji akses)."}
    if name == "planning:programme_create":
        return {
            "period": str(period.pk),
            "title": "Program Baru Uji Akses",
            "objective": "Melatih 40 pemuda bermain kendang.",
            "start_date": "2025-04-01",
            "end_date": "2025-10-31",
            "budget": "2.500.000",
            "target_beneficiaries": "40",
        }
    if name == "planning:programme_edit":
        return form_body(ProgrammeForm(instance=draft, ormas=draft.ormas), title="Festival Kendang")
    if name == "planning:programme_review":
        return {"decision": "accept", "note": "Program jelas dan terukur."}
    if name == "planning:indicator_add":
        return form_body(IndicatorForm(), name="Penonton festival", unit="orang", target="500")
    if name == "planning:indicator_edit":
        indicator = draft.indicators.first()
        return form_body(IndicatorForm(instance=indicator), target="150")
    if name in ("planning:programme_submit", "planning:indicator_delete"):
        return {}
    return None


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
