"""What a matched row would change: created, updated or unchanged, field by field.

"Unchanged" must mean exactly that — no field, bidang or chairman differs — because unchanged
rows are not saved at all: re-importing a file must add no history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sipko.lib import protected
from sipko.lib.text import fold
from sipko.registry import services
from sipko.registry.importer.draft import AHU, Chairman, Draft
from sipko.registry.importer.result import (
    CREATED,
    LEVEL_INFO,
    LEVEL_WARNING,
    UNCHANGED,
    UPDATED,
    RowOutcome,
)
from sipko.registry.models import LegalForm, Ormas, Pengurus, Position
from sipko.registry.validators import ahu_form_mismatch


@dataclass
class ChairmanPlan:
    pengurus: Pengurus | None
    data: dict[str, Any]
    nik: str | None


@dataclass
class Plan:
    draft: Draft
    outcome: RowOutcome
    target: Ormas | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    bidang_changed: bool = False
    chairman: ChairmanPlan | None = None


def decide(plans: list[Plan]) -> None:
    """Outcome of each row still open: created, updated or unchanged."""
    targets = [p.target.pk for p in plans if p.target is not None]
    bidang_of: dict[int, set[str]] = {pk: set() for pk in targets}
    links = Ormas.bidang.through.objects.filter(ormas_id__in=targets)
    for ormas_id, code in links.values_list("ormas_id", "bidang_id"):
        bidang_of[ormas_id].add(code)
    chair_of: dict[int, Pengurus] = {}
    chairs = Pengurus.objects.filter(ormas_id__in=targets, position=Position.KETUA)
    for officer in chairs.order_by("-pk"):  # the latest ketua when several are recorded
        chair_of.setdefault(officer.ormas_id, officer)
    for plan in plans:
        draft = plan.draft
        if plan.target is None:
            _plan_create(plan)
        else:
            _plan_update(plan, bidang_of[plan.target.pk], chair_of.get(plan.target.pk))
        _check_legal_form(plan)
        if plan.outcome.status == UPDATED:
            plan.outcome.reason = _("Cocok dengan %(name)s; berubah: %(fields)s.") % {
                "name": plan.target.name if plan.target else draft.name,
                "fields": ", ".join(_changed_labels(plan)),
            }
        elif plan.outcome.status == UNCHANGED:
            plan.outcome.reason = _("Sama dengan data %(name)s yang terdaftar.") % {
                "name": plan.target.name if plan.target else draft.name
            }


def _plan_create(plan: Plan) -> None:
    draft = plan.draft
    plan.changes = {**draft.values, "region": draft.region}
    plan.changes.setdefault("legal_form", draft.derived_legal_form)
    plan.bidang_changed = draft.bidang is not None
    if draft.chairman is not None:
        plan.chairman = ChairmanPlan(None, _chair_data(draft.chairman), draft.chairman.nik)
    plan.outcome.status = CREATED
    plan.outcome.reason = _("Ormas baru.")


def _plan_update(plan: Plan, bidang: set[str], chair: Pengurus | None) -> None:
    draft, ormas = plan.draft, plan.target
    assert ormas is not None and draft.region is not None
    for field_name, value in draft.values.items():
        if field_name == "name":
            continue  # same name_key (or acronym): keep the registered spelling
        if getattr(ormas, field_name) != value:
            plan.changes[field_name] = value
    if draft.name_key != ormas.name_key:
        draft.add(
            LEVEL_INFO,
            draft.columns.get("name", ""),
            _("Cocok dengan %(registered)s lewat nomor dan singkatan; nama terdaftar tidak diubah.")
            % {"registered": ormas.name},
        )
    region = draft.region.code
    # A less precise region in the file (kecamatan) never replaces a kelurahan on record.
    if region != ormas.region_id and not ormas.region_id.startswith(region + "."):
        plan.changes["region"] = draft.region
    issued = plan.changes.get("skt_issued")
    if (
        issued
        and "skt_expires" not in draft.values
        and (ormas.skt_number or "skt_number" in plan.changes)
    ):
        expires = services.skt_expiry_for(issued)
        if expires != ormas.skt_expires:
            plan.changes["skt_expires"] = expires
    plan.bidang_changed = draft.bidang is not None and {b.code for b in draft.bidang} != bidang
    if draft.chairman is not None:
        plan.chairman = _chair_change(draft.chairman, chair)
    changed = plan.changes or plan.bidang_changed or plan.chairman
    plan.outcome.status = UPDATED if changed else UNCHANGED


def _chair_data(chairman: Chairman) -> dict[str, Any]:
    return {"name": chairman.name, "position": Position.KETUA, "phone": chairman.phone or ""}


def _chair_change(chairman: Chairman, chair: Pengurus | None) -> ChairmanPlan | None:
    if chair is None:
        return ChairmanPlan(None, _chair_data(chairman), chairman.nik)
    data: dict[str, Any] = {}
    if fold(chair.name) != fold(chairman.name):
        data["name"] = chairman.name
    if chairman.phone and chairman.phone != chair.phone:
        data["phone"] = chairman.phone
    nik = chairman.nik
    if nik and protected.lookup_hash(nik) == chair.nik_hash:
        nik = None
    return ChairmanPlan(chair, data, nik) if data or nik else None


def _check_legal_form(plan: Plan) -> None:
    draft, ormas = plan.draft, plan.target
    if AHU not in draft.numbers and "legal_form" not in draft.values:
        return
    number = draft.numbers.get(AHU) or (ormas.ahu_number if ormas else "")
    form = (
        plan.changes.get("legal_form")
        or draft.values.get("legal_form")
        or (ormas.legal_form if ormas else draft.derived_legal_form)
    )
    if number and form != LegalForm.LAINNYA and (message := ahu_form_mismatch(number, form)):
        column = draft.columns.get("legal_form") or draft.columns.get("ahu_number", "")
        draft.add(LEVEL_WARNING, column, message)


def _changed_labels(plan: Plan) -> list[str]:
    labels = [str(Ormas._meta.get_field(name).verbose_name) for name in plan.changes]
    if plan.bidang_changed:
        labels.append(_("bidang"))
    if plan.chairman:
        labels.append(_("ketua"))
    return list(dict.fromkeys(labels))
