"""Access expectations of performance assessment (instruments, assessments, appeals, guidance).

Assessments of `ormas`, each in its own period: a draft self-assessment (not yet assigned, with
an evidence file), one submitted and assigned to `assessor`, a published result verified by
`assessor`, and one under appeal with an attachment; a period with none yet (to start one and to
open all in bulk); a draft instrument of Kota Blitar (to publish). Viewers see only published
results; assessors only those they are assigned to. Every workflow is costly, so each route
builds only what it needs, on first use (see `NEEDS` and `build`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sipko.assessment import selectors, services
from sipko.assessment.models import FollowUp
from tests.access import action, form_page, page, row
from tests.access.reporting import image_upload
from tests.factories import PeriodFactory

DEFAULT_INSTRUMENT = (
    Path(__file__).resolve().parents[2] / "sipko/assessment/instruments/iko-default-2025.1.yaml"
)

SIGNED_IN = row(
    operator=200,
    other_operator=200,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=200,
)
# Region-wide pages of a Kota Blitar period: its Kesbangpol and the national admin.
MANAGE_PERIOD = row(
    operator=403,
    other_operator=403,
    viewer=403,
    assessor=403,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
# The draft self-assessment: the ormas and Kesbangpol; not viewers, not unassigned assessors.
DRAFT = row(
    operator=200,
    other_operator=404,
    viewer=404,
    assessor=404,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
DRAFT_POST = {**DRAFT, "operator": 302, "region_admin": 302, "national_admin": 302}
# A published result: everyone in reach reads it.
PUBLISHED = row(
    operator=200,
    other_operator=404,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
# A submitted assessment: the ormas, its assessor and Kesbangpol; viewers wait for the result.
SUBMITTED = {**PUBLISHED, "viewer": 404}
NOBODY_BUT_NATIONAL = {
    **{p: 403 for p in SIGNED_IN},
    "anonymous": 302,
    "national_admin": 302,
}
# Drafts of Kota Blitar's instrument: its Kesbangpol and the national admin; hidden from others.
REGIONAL_DRAFT = row(
    operator=404,
    other_operator=404,
    viewer=404,
    assessor=404,
    region_admin=302,
    national_admin=302,
    outside_admin=404,
)
ELIGIBILITY = row(
    operator=403,
    other_operator=403,
    viewer=403,
    assessor=403,
    region_admin=200,
    national_admin=403,
    outside_admin=200,
)


def redirected(statuses: dict[str, int]) -> dict[str, int]:
    """The POST of a form page: whoever gets the page (200) writes and is redirected (302)."""
    return {p: 302 if s == 200 else s for p, s in statuses.items()}


EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "assessment:list": page(SIGNED_IN),
    # Only an ormas' operator starts its own self-assessment (in a period without one).
    "assessment:start": action(
        row(
            operator=302,
            other_operator=302,
            viewer=403,
            assessor=403,
            region_admin=403,
            national_admin=403,
            outside_admin=404,
        )
    ),
    "assessment:period_standard": form_page(MANAGE_PERIOD, redirected(MANAGE_PERIOD)),
    # GET lists what would change and asks for confirmation; POST opens them all.
    "assessment:period_bulk": form_page(MANAGE_PERIOD, redirected(MANAGE_PERIOD)),
    "assessment:methodology": page({**MANAGE_PERIOD, "viewer": 200, "assessor": 200}),
    "assessment:methodology_export": page({**MANAGE_PERIOD, "viewer": 200, "assessor": 200}),
    # A region's own rules: its Kesbangpol (the national admin has no region of its own).
    "assessment:eligibility": form_page(ELIGIBILITY, redirected(ELIGIBILITY)),
    "assessment:instrument_list": page(SIGNED_IN),
    "assessment:instrument_load": form_page(
        row(
            operator=403,
            other_operator=403,
            viewer=403,
            assessor=403,
            region_admin=200,
            national_admin=200,
            outside_admin=200,
        ),
        row(
            operator=403,
            other_operator=403,
            viewer=403,
            assessor=403,
            region_admin=302,
            national_admin=302,
            outside_admin=302,
        ),
    ),
    "assessment:instrument_detail": page(SIGNED_IN),
    "assessment:instrument_yaml": page(SIGNED_IN),
    "assessment:instrument_publish": action(REGIONAL_DRAFT),
    # The national instrument is the national admin's to copy.
    "assessment:instrument_new_version": action(NOBODY_BUT_NATIONAL),
    "assessment:detail": page(DRAFT),
    "assessment:trace": page(PUBLISHED),
    "assessment:assign": form_page({**DRAFT, "operator": 403}, {**DRAFT_POST, "operator": 403}),
    "assessment:move": action(DRAFT_POST),
    "assessment:answer_save": action(DRAFT_POST),
    "assessment:answer_file_add": action(DRAFT_POST),
    "assessment:answer_file": page(DRAFT),
    "assessment:answer_file_remove": action(DRAFT_POST),
    # Only the assigned assessor verifies.
    "assessment:answer_verify": action(
        {
            **SUBMITTED,
            **dict.fromkeys(("operator", "region_admin", "national_admin"), 403),
            "assessor": 302,
        }
    ),
    # The published result refuses a reconciliation with a message (200).
    "assessment:answer_reconcile": action({**PUBLISHED, "operator": 403, "viewer": 403}),
    # The keberatan is the ormas' own right.
    "assessment:appeal": form_page(
        {
            **PUBLISHED,
            **dict.fromkeys(("viewer", "assessor", "region_admin", "national_admin"), 403),
        },
        {
            **PUBLISHED,
            **dict.fromkeys(("viewer", "assessor", "region_admin", "national_admin"), 403),
            "operator": 302,
        },
    ),
    # Decided by Kesbangpol staff who did not verify: never the assessor.
    "assessment:appeal_decide": form_page(
        {**PUBLISHED, "operator": 403, "viewer": 403, "assessor": 403},
        {
            **PUBLISHED,
            "operator": 403,
            "viewer": 403,
            "assessor": 403,
            "region_admin": 302,
            "national_admin": 302,
        },
    ),
    "assessment:appeal_attachment": page({**PUBLISHED, "viewer": 403}),
    "assessment:follow_up_add": action(
        {
            **PUBLISHED,
            **dict.fromkeys(("operator", "viewer", "assessor"), 403),
            "region_admin": 302,
            "national_admin": 302,
        }
    ),
    "assessment:follow_up_update": action(
        {
            **PUBLISHED,
            "viewer": 403,
            "assessor": 403,
            "operator": 302,
            "region_admin": 302,
            "national_admin": 302,
        }
    ),
}
NO_WRITE = {
    "assessment:answer_reconcile": "needs two assessors who disagree; a published result "
    "refuses it with a message",
}

# What each route needs built (the instrument always).
NEEDS = {
    "assessment:list": ("open", "published"),
    "assessment:start": ("fresh",),
    "assessment:period_standard": ("fresh",),
    "assessment:period_bulk": ("fresh",),
    "assessment:methodology": ("open",),
    "assessment:methodology_export": ("open",),
    "assessment:instrument_publish": ("regional_draft",),
    "assessment:detail": ("open",),
    "assessment:assign": ("open",),
    "assessment:move": ("open",),
    "assessment:answer_save": ("open",),
    "assessment:answer_file_add": ("open",),
    "assessment:answer_file": ("open",),
    "assessment:answer_file_remove": ("open",),
    "assessment:answer_verify": ("submitted",),
    "assessment:trace": ("published",),
    "assessment:answer_reconcile": ("published",),
    "assessment:appeal": ("published",),
    "assessment:follow_up_add": ("published",),
    "assessment:follow_up_update": ("published",),
    "assessment:appeal_decide": ("appealed",),
    "assessment:appeal_attachment": ("appealed",),
}


def setup(world: dict[str, Any]) -> None:
    """Nothing up front: the assessment workflows are costly, and only these routes need them,
    so `url_kwargs` builds what a route needs on first use (see `build`)."""


def _earlier(year: int) -> Any:
    return PeriodFactory(
        name=f"Periode Penilaian Akses {year}",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        programme_due=dt.date(year, 3, 31),
        state="assessment",
    )


def _submitted(world: dict[str, Any], period: Any) -> Any:
    """An assessment of `ormas` submitted and assigned to `assessor`."""
    users = world["users"]
    operator, admin = users["operator"], users["region_admin"]
    services.period_standard_set(actor=admin, period=period, instrument=world["instrument"])
    assessment = services.assessment_open(actor=operator, ormas=world["ormas"], period=period)
    services.assessment_submit(actor=operator, assessment=assessment)
    services.assessment_assign(
        actor=admin, assessment=assessment, assessor=users["assessor"], declared=True
    )
    return assessment


def _published(world: dict[str, Any], period: Any, *, appeal: bool) -> Any:
    """An assessment of `ormas` taken through verification to publication (and an appeal)."""
    users = world["users"]
    operator, assessor, admin = users["operator"], users["assessor"], users["region_admin"]
    assessment = _submitted(world, period)
    for answer in assessment.answers.all():
        value = answer.value or "2"
        if answer.indicator in ("SDM4",):
            value = answer.value or "tidak"
        services.answer_verify(actor=assessor, answer=answer, value=value, reason="uji akses")
    services.assessment_complete(actor=assessor, assessment=assessment)
    services.assessment_publish(actor=admin, assessment=assessment)
    if appeal:
        services.appeal_file(
            actor=operator,
            assessment=assessment,
            grounds="Nilai kantor kami keliru; foto papan nama terlampir.",
            indicators=["KEL4"],
            uploads=[image_upload("papan-nama.png")],
        )
    assessment.refresh_from_db()
    return assessment


def _build_instrument(world: dict[str, Any]) -> None:
    instrument = services.instrument_load(actor=None, text=DEFAULT_INSTRUMENT.read_bytes())
    services.instrument_publish(actor=None, instrument=instrument)
    world["instrument"] = instrument


def _build_open(world: dict[str, Any]) -> None:
    """The open period: the draft self-assessment of `ormas`, and the neighbour's."""
    users = world["users"]
    operator = users["operator"]
    period = PeriodFactory(name="Periode Penilaian Akses (buka)")
    services.period_standard_set(
        actor=users["region_admin"], period=period, instrument=world["instrument"]
    )
    draft = services.assessment_open(actor=operator, ormas=world["ormas"], period=period)
    answer = draft.answers.get(indicator="KEL4")
    services.answer_save(actor=operator, answer=answer, value="3")
    evidence = services.answer_file_add(actor=operator, answer=answer, upload=image_upload())
    # The neighbour's draft must never show up for `operator`.
    services.assessment_open(
        actor=users["other_operator"], ormas=world["other_ormas"], period=period
    )
    world.update(assessment_period=period, assessment_draft=draft, assessment_evidence=evidence)


def _build_fresh(world: dict[str, Any]) -> None:
    """A period with its instrument and no assessment yet."""
    period = PeriodFactory(
        name="Periode Penilaian Akses 2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        programme_due=dt.date(2026, 3, 31),
    )
    services.period_standard_set(
        actor=world["users"]["region_admin"], period=period, instrument=world["instrument"]
    )
    world["assessment_fresh_period"] = period


def _build_submitted(world: dict[str, Any]) -> None:
    world["assessment_submitted"] = _submitted(world, _earlier(2022))


def _build_published(world: dict[str, Any]) -> None:
    published = _published(world, _earlier(2024), appeal=False)
    world["assessment_published"] = published
    world["assessment_follow_up"] = FollowUp.objects.create(
        assessment=published, action="Lengkapi AD/ART yang disahkan notaris.", indicator="KEL3"
    )


def _build_appealed(world: dict[str, Any]) -> None:
    appealed = _published(world, _earlier(2023), appeal=True)
    world["assessment_appealed"] = appealed
    world["assessment_appeal_file"] = appealed.appeal.files.first()


def _build_regional_draft(world: dict[str, Any]) -> None:
    """Kota Blitar's own instrument, loaded and not yet published."""
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8").replace(
        "code: IKO-DEFAULT", "code: IKO-KOTA-BLITAR", 1
    )
    world["assessment_regional_draft"] = services.instrument_load(
        actor=world["users"]["region_admin"], text=text.encode(), region_code="35.72"
    )


BUILDERS = {
    "open": _build_open,
    "fresh": _build_fresh,
    "submitted": _build_submitted,
    "published": _build_published,
    "appealed": _build_appealed,
    "regional_draft": _build_regional_draft,
}


def build(world: dict[str, Any], *pieces: str) -> None:
    """Build the instrument and the named pieces ("all" for every one), each once per world."""
    done = world.setdefault("assessment_built", set())
    if "instrument" not in done:
        _build_instrument(world)
        done.add("instrument")
    for piece in BUILDERS if "all" in pieces else pieces:
        if piece not in done:
            BUILDERS[piece](world)
            done.add(piece)


UNNAMED = {"assessment:instrument_list", "assessment:instrument_load"}


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("assessment:"):
        return None
    needs = NEEDS.get(name, ())
    build(world, *needs)
    instrument = world["instrument"]
    if name == "assessment:instrument_publish":
        instrument = world["assessment_regional_draft"]
    if name.startswith("assessment:instrument_") and name not in UNNAMED:
        return {"code": instrument.code, "version": instrument.version}
    if "fresh" in needs:
        period = {"pk": world["assessment_fresh_period"].pk}
        return {**period, "action": selectors.BULK_OPEN} if name.endswith("bulk") else period
    if name.startswith("assessment:methodology"):
        period = {"pk": world["assessment_period"].pk}
        return {**period, "fmt": "csv"} if name.endswith("export") else period
    if name in ("assessment:answer_file", "assessment:answer_file_remove"):
        return {"uuid": world["assessment_evidence"].uuid}
    if name == "assessment:appeal_attachment":
        return {"uuid": world["assessment_appeal_file"].uuid}
    if name == "assessment:appeal_decide":
        return {"uuid": world["assessment_appealed"].uuid}
    if name == "assessment:answer_verify":
        return {"uuid": world["assessment_submitted"].uuid, "code": "KEL4"}
    if "open" in needs and name != "assessment:list":
        draft = {"uuid": world["assessment_draft"].uuid}
        extra = {
            "assessment:move": {"action": "submit"},
            "assessment:answer_save": {"code": "KEL4"},
            "assessment:answer_file_add": {"code": "KEL4"},
        }
        return {**draft, **extra.get(name, {})}
    if "published" in needs and name != "assessment:list":
        published = {"uuid": world["assessment_published"].uuid}
        extra = {
            "assessment:answer_reconcile": {"code": "KEL4"},
            "assessment:follow_up_update": {"pk": world["assessment_follow_up"].pk},
        }
        return {**published, **extra.get(name, {})}
    return None


def _instrument_text(code: str) -> bytes:
    text = DEFAULT_INSTRUMENT.read_text(encoding="utf-8")
    return text.replace("code: IKO-DEFAULT", f"code: {code}", 1).encode()


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    reason = "Diperiksa pada uji akses: sesuai bukti yang dilampirkan."
    if name == "assessment:period_standard":
        return {"instrument": str(world["instrument"].pk)}
    if name == "assessment:period_bulk":
        period = world["assessment_fresh_period"]
        confirmed = sorted(o.pk for o in selectors.ormas_to_open(period))
        return {"daftar": ",".join(str(pk) for pk in confirmed)}
    if name == "assessment:eligibility":
        return {"name": "Layak hibah (uji akses)", "predicates": ["A", "B"], "description": ""}
    if name == "assessment:instrument_load":
        scope = getattr(user, "region_id", None) or "nasional"
        return {
            "file": SimpleUploadedFile(
                "instrumen.yaml", _instrument_text("IKO-UJI-AKSES"), content_type="text/yaml"
            ),
            "scope": scope,
        }
    if name == "assessment:instrument_new_version":
        return {"version": "2025.9"}
    if name == "assessment:assign":
        return {"assessor": str(world["users"]["assessor"].pk), "declared": "on"}
    if name == "assessment:answer_save":
        return {"KEL4-value": "2", "KEL4-note": "Papan nama sudah dipasang."}
    if name == "assessment:answer_file_add":
        return {"KEL4-file": image_upload("papan-nama.png")}
    if name == "assessment:answer_verify":
        return {"KEL4-value": "2", "KEL4-reason": reason}
    if name == "assessment:answer_reconcile":
        return {"KEL4-value": "2", "KEL4-reason": reason}
    if name == "assessment:appeal":
        return {
            "grounds": "Nilai kantor kami keliru; papan nama sudah terpasang sejak Maret.",
            "indicators": ["KEL4"],
            "files": image_upload("papan-nama.png"),
        }
    if name == "assessment:appeal_decide":
        return {"decision": "rejected", "reason": reason}
    if name == "assessment:follow_up_add":
        return {"action": "Daftarkan ulang SKT sebelum habis.", "indicator": "KEL3", "due": ""}
    if name == "assessment:follow_up_update":
        return {"state": "in_progress", "progress_note": "Berkas sedang disiapkan."}
    if name in (
        "assessment:start",
        "assessment:instrument_publish",
        "assessment:move",
        "assessment:answer_file_remove",
    ):
        return {}
    return None
