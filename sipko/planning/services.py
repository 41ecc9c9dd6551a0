"""Writes of planning: RPJMD, periods, programmes and their indicators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.inbox import events
from sipko.lib.audit import audited
from sipko.lib.locking import lock, save_new
from sipko.lib.versions import ensure_current
from sipko.planning.models import (
    PARENT_LEVEL,
    Period,
    Programme,
    ProgrammeIndicator,
    Rpjmd,
    RpjmdItem,
    RpjmdLevel,
)
from sipko.planning.workflows import PERIOD_WORKFLOW, PROGRAMME_EDITABLE, PROGRAMME_WORKFLOW
from sipko.regions.models import ancestor_codes
from sipko.workflow.engine import transition

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.registry.models import Ormas
    from sipko.workflow.models import StateChange


def ensure_not_frozen(period: Period) -> None:
    """A closed period is frozen: every write to it or its programmes/reports is refused."""
    if period.is_frozen:
        raise ValidationError(
            _("“%(name)s” sudah ditutup; datanya tidak dapat diubah lagi.") % {"name": period.name},
            code="period_closed",
        )


# --- RPJMD -------------------------------------------------------------------------------------


@transaction.atomic
def rpjmd_save(*, actor: User | None, data: dict[str, Any], rpjmd: Rpjmd | None = None) -> Rpjmd:
    if rpjmd is not None:
        lock(rpjmd)
        if actor is not None and not access.can_manage_region(actor, rpjmd.region_id):
            raise PermissionDenied
    target = rpjmd or Rpjmd()
    for name, value in data.items():
        setattr(target, name, value)
    if actor is not None and not access.can_manage_region(actor, target.region_id):
        raise PermissionDenied
    if target.end_year < target.start_year:
        raise ValidationError({"end_year": _("Tahun akhir tidak boleh sebelum tahun awal.")})
    target.full_clean()
    audited(target, actor)
    save_new(target, _("RPJMD wilayah ini untuk tahun itu baru saja disimpan; muat ulang halaman."))
    return target


@transaction.atomic
def rpjmd_item_save(
    *, actor: User | None, rpjmd: Rpjmd, data: dict[str, Any], item: RpjmdItem | None = None
) -> RpjmdItem:
    """Add or change a misi/tujuan/sasaran/indikator; its parent must be one level up."""
    if actor is not None and not access.can_manage_region(actor, rpjmd.region_id):
        raise PermissionDenied
    if item is not None and item.rpjmd_id != rpjmd.pk:
        raise PermissionDenied
    target = item or RpjmdItem(rpjmd=rpjmd)
    for name, value in data.items():
        setattr(target, name, value)
    stored = RpjmdItem.objects.filter(pk=target.pk).values_list("level", flat=True).first()
    if stored and target.level != stored and target.children.exists():
        raise ValidationError(
            {"level": _("Tingkat butir yang sudah memiliki turunan tidak dapat diubah.")}
        )
    expected = PARENT_LEVEL[RpjmdLevel(target.level)]
    parent = target.parent
    if expected is None and parent is not None:
        raise ValidationError({"parent": _("Misi tidak memiliki induk.")})
    if expected is not None and (
        parent is None or parent.level != expected or parent.rpjmd_id != rpjmd.pk
    ):
        raise ValidationError(
            {
                "parent": _("Induk %(level)s harus sebuah %(parent)s dari RPJMD yang sama.")
                % {"level": RpjmdLevel(target.level).label, "parent": RpjmdLevel(expected).label}
            }
        )
    target.full_clean()
    audited(target, actor)
    save_new(target, _("Kode butir ini baru saja dipakai; muat ulang halaman."))
    return target


# --- periods -----------------------------------------------------------------------------------


@transaction.atomic
def period_save(
    *,
    actor: User | None,
    data: dict[str, Any],
    period: Period | None = None,
    version: int | None = None,
) -> Period:
    if period is not None:
        lock(period)
        if actor is not None and not access.can_manage_region(actor, period.region_id):
            raise PermissionDenied
        ensure_not_frozen(period)
        ensure_current(period, version)
    target = period or Period()
    for name, value in data.items():
        setattr(target, name, value)
    if actor is not None and not access.can_manage_region(actor, target.region_id):
        raise PermissionDenied
    problems: dict[str, str] = {}
    if target.end <= target.start:
        problems["end"] = _("Akhir periode harus setelah awalnya.")
    if target.programme_due and not target.start <= target.programme_due <= target.end:
        problems["programme_due"] = _("Batas pengajuan program harus di dalam periode.")
    for name in ("self_assessment_due", "verification_due", "appeal_due"):
        if getattr(target, name) and getattr(target, name) < target.start:
            problems[name] = _("Batas ini tidak boleh sebelum awal periode.")
    if target.rpjmd_id and target.rpjmd.region_id not in ancestor_codes(target.region_id):
        problems["rpjmd"] = _(
            "RPJMD acuan harus milik wilayah periode ini atau wilayah di atasnya."
        )
    if problems:
        raise ValidationError(problems)
    target.full_clean()
    audited(target, actor)
    target.save()
    return target


@transaction.atomic
def period_move(*, actor: User, period: Period, action: str, reason: str = "") -> StateChange:
    if not access.can_manage_region(actor, period.region_id):
        raise PermissionDenied
    return transition(period, PERIOD_WORKFLOW, action, actor=actor, reason=reason)


# --- programmes --------------------------------------------------------------------------------


def _check_programme_writable(
    actor: User | None, ormas: Ormas, programme: Programme | None
) -> None:
    if actor is not None and not access.can_edit_plans_of(actor, ormas):
        raise PermissionDenied
    if programme is not None and programme.ormas_id != ormas.pk:
        raise PermissionDenied
    if programme is not None:
        ensure_not_frozen(programme.period)
        if programme.state not in PROGRAMME_EDITABLE:
            raise ValidationError(
                _("Program berstatus %(state)s tidak dapat diubah.")
                % {"state": programme.get_state_display()}
            )


def programme_ensure_editable(*, actor: User | None, programme: Programme) -> None:
    """Raise what `programme_save` would refuse: no right to edit, frozen period, wrong state."""
    _check_programme_writable(actor, programme.ormas, programme)


@transaction.atomic
def programme_save(
    *,
    actor: User | None,
    ormas: Ormas,
    data: dict[str, Any],
    bidang: Iterable[Any] | None = None,
    sasaran: Iterable[RpjmdItem] | None = None,
    locations: Iterable[Any] | None = None,
    programme: Programme | None = None,
    version: int | None = None,
) -> Programme:
    if programme is not None:
        lock(programme)
    _check_programme_writable(actor, ormas, programme)
    if programme is not None:
        ensure_current(programme, version)
    target = programme or Programme(ormas=ormas)
    for name, value in data.items():
        setattr(target, name, value)
    ensure_not_frozen(target.period)
    if target.end_date < target.start_date:
        raise ValidationError({"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    above_ormas = ancestor_codes(ormas.region_id)
    if target.period.region_id not in above_ormas:
        raise ValidationError({"period": _("Periode ini bukan periode wilayah ormas tersebut.")})
    if sasaran is not None:
        sasaran = list(sasaran)
        wrong = [s for s in sasaran if s.level != RpjmdLevel.SASARAN]
        if wrong:
            raise ValidationError({"sasaran": _("Pilih butir RPJMD tingkat sasaran.")})
        if any(s.rpjmd.region_id not in above_ormas for s in sasaran):
            raise ValidationError({"sasaran": _("Pilih sasaran dari RPJMD wilayah ormas ini.")})
    target.full_clean()
    audited(target, actor)
    target.save()
    if bidang is not None:
        target.bidang.set(list(bidang))
    if sasaran is not None:
        target.sasaran.set(sasaran)
    if locations is not None:
        target.locations.set(list(locations))
    return target


@transaction.atomic
def indicator_save(
    *,
    actor: User | None,
    programme: Programme,
    data: dict[str, Any],
    indicator: ProgrammeIndicator | None = None,
) -> ProgrammeIndicator:
    lock(programme)
    _check_programme_writable(actor, programme.ormas, programme)
    target = indicator or ProgrammeIndicator(programme=programme)
    if target.programme_id != programme.pk:
        raise PermissionDenied
    for name, value in data.items():
        setattr(target, name, value)
    target.full_clean()
    audited(target, actor)
    target.save()
    return target


@transaction.atomic
def indicator_delete(*, actor: User, indicator: ProgrammeIndicator) -> None:
    lock(indicator.programme)
    _check_programme_writable(actor, indicator.programme.ormas, indicator.programme)
    if indicator.values.exists():
        raise ValidationError(_("Indikator yang sudah punya realisasi tidak dapat dihapus."))
    audited(indicator, actor, "dihapus")
    indicator.delete()


@transaction.atomic
def programme_submit(*, actor: User, programme: Programme) -> StateChange:
    if not access.can_edit_plans_of(actor, programme.ormas):
        raise PermissionDenied
    ensure_not_frozen(programme.period)

    def stamp() -> None:
        programme.submitted_at = timezone.now()

    return transition(programme, PROGRAMME_WORKFLOW, "submit", actor=actor, changes=stamp)


@transaction.atomic
def programme_review(
    *, actor: User, programme: Programme, accept: bool, note: str = ""
) -> StateChange:
    """Kesbangpol accepts a submitted programme, or returns it with a note."""
    if not access.can_manage_region(actor, programme.ormas.region_id):
        raise PermissionDenied
    ensure_not_frozen(programme.period)

    def stamp() -> None:
        programme.review_note = note.strip()
        programme.reviewed_by = actor
        programme.reviewed_at = timezone.now()

    action = "accept" if accept else "return"
    change = transition(
        programme, PROGRAMME_WORKFLOW, action, actor=actor, reason=note, changes=stamp
    )
    events.programme_reviewed(programme)
    return change
