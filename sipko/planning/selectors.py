"""Reads of planning: RPJMD trees, periods and programmes, already scoped to the user."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.accounts import access
from sipko.planning.models import (
    FundingSource,
    Period,
    PeriodState,
    Programme,
    ProgrammeIndicator,
    ProgrammeState,
    Rpjmd,
    RpjmdItem,
    RpjmdLevel,
)
from sipko.regions.models import Region, ancestor_codes, within_q
from sipko.registry.history import Change, HistoryEntry
from sipko.registry.models import Bidang
from sipko.workflow.engine import state_log

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.registry.models import Ormas


# --- RPJMD -------------------------------------------------------------------------------------


def _natural(code: str) -> list[Any]:
    """`M2` before `M10`: codes sorted by their numbers, not character by character."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def _sort_key(item: RpjmdItem) -> tuple[int, list[Any]]:
    return (item.order, _natural(item.code))


@dataclass
class TreeNode:
    item: RpjmdItem
    children: list[TreeNode] = field(default_factory=list)


def rpjmd_tree(rpjmd: Rpjmd) -> list[TreeNode]:
    """The misi of an RPJMD with their tujuan → sasaran → indikator, in one query."""
    items = list(rpjmd.items.all())
    nodes = {item.pk: TreeNode(item) for item in sorted(items, key=_sort_key)}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.item.parent_id) if node.item.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def rpjmd_for_period(period: Period) -> Rpjmd | None:
    """The RPJMD a period refers to, else the one of its region that covers its first year."""
    if period.rpjmd_id:
        return period.rpjmd
    year = period.start.year
    return Rpjmd.objects.filter(
        region_id=period.region_id, start_year__lte=year, end_year__gte=year
    ).first()


def sasaran_groups(rpjmds: list[Rpjmd]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Sasaran grouped under their misi (and RPJMD, when several), for a grouped choice list."""
    sasaran = RpjmdItem.objects.filter(rpjmd__in=rpjmds, level=RpjmdLevel.SASARAN).select_related(
        "rpjmd", "parent__parent"
    )
    grouped: dict[tuple[int, int | None], list[RpjmdItem]] = {}
    misi_of: dict[tuple[int, int | None], RpjmdItem | None] = {}
    for item in sorted(sasaran, key=_sort_key):
        misi = item.parent.parent if item.parent else None
        key = (item.rpjmd_id, misi.pk if misi else None)
        grouped.setdefault(key, []).append(item)
        misi_of[key] = misi
    several = len({rpjmd.pk for rpjmd in rpjmds}) > 1
    groups = []
    for key in sorted(grouped, key=lambda k: _sort_key(misi_of[k]) if misi_of[k] else (0, [])):
        misi = misi_of[key]
        label = f"{misi.code} {misi.text}" if misi else _("Tanpa misi")
        if several:
            label = f"{grouped[key][0].rpjmd} · {label}"
        groups.append((label, [(item.pk, item_label(item)) for item in grouped[key]]))
    return groups


def item_label(item: RpjmdItem) -> str:
    label = f"{item.code} {item.text}"
    return f"{label} ({_('ilustratif')})" if item.illustrative else label


# --- periods -----------------------------------------------------------------------------------


def periods_for(user: User) -> QuerySet[Period]:
    return access.periods_visible_to(user).select_related("region", "rpjmd")


def periods_for_ormas(ormas: Ormas) -> QuerySet[Period]:
    """Periods a programme of this ormas may belong to: its region's and those above it."""
    return Period.objects.filter(region_id__in=ancestor_codes(ormas.region_id)).select_related(
        "region", "rpjmd"
    )


# A programme is written for a period being prepared or open; it is submitted once it is open.
PROGRAMME_PERIOD_STATES = (PeriodState.DRAFT, PeriodState.OPEN)


def programme_periods(ormas: Ormas, programme: Programme | None = None) -> QuerySet[Period]:
    """The periods offered on the programme form of this ormas (an existing programme keeps its
    own period whatever its state)."""
    offered = Q(state__in=PROGRAMME_PERIOD_STATES)
    if programme is not None:
        offered |= Q(pk=programme.period_id)
    return periods_for_ormas(ormas).filter(offered)


def programme_form_refusal(ormas: Ormas) -> str | None:
    """Why no new programme can be written for this ormas now (no period to put it in)."""
    if programme_periods(ormas).exists():
        return None
    return _(
        "Belum ada periode yang dibuka untuk pengajuan program kerja di wilayah ormas ini. "
        "Program kerja dapat dibuat setelah Kesbangpol menyiapkan periodenya."
    )


PERIOD_ACTIONS = {
    "open": gettext_lazy("Buka periode"),
    "start_assessment": gettext_lazy("Mulai penilaian"),
    "publish": gettext_lazy("Umumkan hasil"),
    "close": gettext_lazy("Tutup periode"),
}
PERIOD_ACTION_NOTES = {
    "open": gettext_lazy("Ormas dapat mulai mengajukan program kerja untuk periode ini."),
    "start_assessment": gettext_lazy("Periode masuk tahap penilaian kinerja."),
    "publish": gettext_lazy("Hasil penilaian periode ini diumumkan."),
    "close": gettext_lazy(
        "Periode yang ditutup dibekukan: program, laporan dan data periode ini tidak dapat "
        "diubah lagi. Tindakan ini tidak dapat dibatalkan."
    ),
}
PROGRAMME_ACTIONS = {
    "submit": gettext_lazy("Diajukan"),
    "accept": gettext_lazy("Diterima"),
    "return": gettext_lazy("Dikembalikan"),
}


def transition_message(exc: ValidationError, obj: Period | Programme, action: str) -> str:
    """A refused move in words: the engine names codes, people need the labels."""
    if getattr(exc, "code", None) != "illegal_transition":
        return " ".join(exc.messages)
    if isinstance(obj, Period):
        return _("%(action)s tidak dapat dilakukan: “%(name)s” berstatus %(state)s.") % {
            "action": PERIOD_ACTIONS.get(action, action),
            "name": obj.name,
            "state": obj.get_state_display(),
        }
    return _("Tindakan ini tidak dapat dilakukan: program berstatus %(state)s.") % {
        "state": obj.get_state_display()
    }


@dataclass(frozen=True)
class LogEntry:
    when: dt.datetime
    who: str
    action: str
    old: str
    new: str
    reason: str


def state_entries(obj: Period | Programme) -> list[LogEntry]:
    """The logged state changes of a period or programme, with readable labels."""
    states = dict(PeriodState.choices if isinstance(obj, Period) else ProgrammeState.choices)
    actions = {**PERIOD_ACTIONS, **PROGRAMME_ACTIONS}
    return [
        LogEntry(
            when=change.at,
            who=(change.actor.get_full_name() or change.actor.username)
            if change.actor
            else _("sistem"),
            action=str(actions.get(change.action, change.action)),
            old=str(states.get(change.old_state, change.old_state)),
            new=str(states.get(change.new_state, change.new_state)),
            reason=change.reason,
        )
        for change in state_log(obj)
    ]


# --- programmes --------------------------------------------------------------------------------


def programmes_for(user: User) -> QuerySet[Programme]:
    return access.programmes_visible_to(user).select_related(
        "ormas", "ormas__region", "period", "period__region"
    )


@dataclass(frozen=True)
class ProgrammeFilters:
    q: str = ""
    period: int | None = None
    state: str = ""
    kecamatan: str = ""
    ormas: str = ""


def programme_search(user: User, filters: ProgrammeFilters) -> QuerySet[Programme]:
    qs = programmes_for(user)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(ormas__name__icontains=filters.q)
            | Q(ormas__acronym__icontains=filters.q)
        )
    if filters.period:
        qs = qs.filter(period_id=filters.period)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kecamatan:
        qs = qs.filter(within_q(filters.kecamatan, "ormas__region__code"))
    if filters.ormas:
        qs = qs.filter(ormas__uuid=filters.ormas)
    return qs.order_by("-period__start", "ormas__name", "title")


def review_queue(user: User) -> QuerySet[Programme]:
    """Submitted programmes this user may accept or return (region and national admins)."""
    if not access.can_administer_registry(user):
        return Programme.objects.none()
    return programmes_for(user).filter(state=ProgrammeState.SUBMITTED)


def programme_counts(user: User, period: Period) -> list[tuple[str, str, int]]:
    """How many visible programmes of a period are in each state."""
    rows = dict(
        programmes_for(user)
        .filter(period=period)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [(state.value, str(state.label), rows.get(state.value, 0)) for state in ProgrammeState]


def funding_labels(codes: list[str] | None) -> list[str]:
    labels = dict(FundingSource.choices)
    return [str(labels.get(code, code)) for code in codes or []]


# --- version history ---------------------------------------------------------------------------

HIDDEN_FIELDS = ["id", "uuid", "created_at", "programme", "order"]
# Saves of one person within this many seconds (a save and its M2M updates) are one version.
SAME_VERSION = dt.timedelta(seconds=5)


def _value(record: Any, model: type, name: str) -> str:
    model_field = model._meta.get_field(name)
    value = getattr(record, model_field.attname, None)
    if name == "funding_sources":
        return ", ".join(funding_labels(value)) or "—"
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and value is not None:
        try:
            return str(getattr(record, name))
        except model_field.related_model.DoesNotExist:
            return "—"
    if value in (None, "", []):
        return "—"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return formats.localize(value, use_l10n=True)


def _m2m_names(name: str, rows: list[dict[str, Any]]) -> str:
    if name == "bidang":
        codes = [row["bidang"] for row in rows]
        names = {b.code: str(b) for b in Bidang.objects.filter(code__in=codes)}
        return ", ".join(names.get(code, code) for code in codes) or "—"
    if name == "locations":
        codes = [row["region"] for row in rows]
        regions = {r.code: r.display_name for r in Region.objects.filter(code__in=codes)}
        return ", ".join(regions.get(code, code) for code in codes) or "—"
    ids = [row["rpjmditem"] for row in rows]
    items = RpjmdItem.objects.in_bulk(ids)
    return ", ".join(items[pk].code if pk in items else str(pk) for pk in ids) or "—"


def _changes(record: Any, previous: Any, model: type) -> list[Change]:
    delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
    changes = []
    for change in delta.changes:
        label = str(model._meta.get_field(change.field).verbose_name)
        if change.field in ("bidang", "sasaran", "locations"):
            old = _m2m_names(change.field, change.old)
            new = _m2m_names(change.field, change.new)
            if old != new:
                changes.append(Change(label, old, new))
        else:
            changes.append(
                Change(
                    label,
                    _value(previous, model, change.field),
                    _value(record, model, change.field),
                )
            )
    return changes


def _merge_into(entries: list[HistoryEntry], entry: HistoryEntry) -> None:
    """Append `entry`, or fold it into the previous one when it is the same save."""
    last = entries[-1] if entries else None
    if (
        last is not None
        and last.subject == entry.subject
        and last.who == entry.who
        and entry.when - last.when <= SAME_VERSION
        and not entry.reason
    ):
        for change in entry.changes:
            earlier = next((c for c in last.changes if c.label == change.label), None)
            if earlier:
                earlier.new = change.new
            else:
                last.changes.append(change)
        return
    entries.append(entry)


def _reason(reason: str) -> str:
    """Transitions store "submit: note"; show the action's label instead of its code."""
    code, sep, note = reason.partition(": ")
    if sep and code in PROGRAMME_ACTIONS:
        label = str(PROGRAMME_ACTIONS[code])
        return f"{label}: {note}" if note.strip() else label
    return reason


def _entries(records: list[Any], model: type, subject: Any) -> list[HistoryEntry]:
    verbs = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
    entries: list[HistoryEntry] = []
    previous: Any = None
    for record in records:
        changes = _changes(record, previous, model) if previous is not None else []
        previous = record
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue
        user = record.history_user
        entry = HistoryEntry(
            when=record.history_date,
            who=(user.get_full_name() or user.username) if user else _("sistem"),
            subject=subject(record),
            action=str(verbs.get(record.history_type, "")),
            reason=_reason(record.history_change_reason or ""),
            changes=changes,
        )
        _merge_into(entries, entry)
    return entries


def programme_versions(programme: Programme, *, limit: int = 200) -> list[HistoryEntry]:
    """Every saved version of a programme and its indicators, newest first, each with what
    changed from the version before it."""
    records = list(
        programme.history.select_related("history_user", "period").order_by("history_date")
    )
    entries = _entries(records[-limit:], Programme, lambda r: _("Program"))
    by_indicator: dict[int, list[Any]] = {}
    indicator_records = ProgrammeIndicator.history.filter(programme_id=programme.pk)
    for record in indicator_records.select_related("history_user").order_by("history_date"):
        by_indicator.setdefault(record.id, []).append(record)
    for records_of_one in by_indicator.values():
        entries += _entries(
            records_of_one,
            ProgrammeIndicator,
            lambda r: _("Indikator: %(name)s") % {"name": r.name},
        )
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]
