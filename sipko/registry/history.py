"""Readable audit trail of an ormas: who changed which field, when, from what to what.

Built from django-simple-history snapshots of the ormas, its officers and its documents.
A NIK is never shown, only that it changed; officers' phones are masked for readers who may not
see them (the same rule as the detail page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sipko.lib.protected import mask_phone
from sipko.registry.models import Bidang, Document, Ormas, Pengurus, Verdict

HIDDEN_FIELDS = {
    "name_key",
    "acronym_key",
    "updated_at",
    "created_at",
    "nik_hash",
    "file",
    "original_name",
    "content_type",
    "size",
    "uploaded_at",
    "uuid",
    "id",
}
MASK = "•••"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    subject: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _format(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _display(record: Any, model: type[models.Model], name: str) -> str:
    model_field = model._meta.get_field(name)
    value = getattr(record, model_field.attname, None)
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        related = getattr(record, name, None) if value is not None else None
        return str(related) if related is not None else "—"
    return _format(value)


def _bidang_names(rows: list[dict[str, Any]]) -> str:
    codes = [row.get("bidang") for row in rows]
    names = {b.code: str(b) for b in Bidang.objects.filter(code__in=codes)}
    return ", ".join(names.get(code, str(code)) for code in codes) or "—"


def _changes(
    record: Any, previous: Any, model: type[models.Model], show_personal: bool
) -> list[Change]:
    delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
    changes = []
    # The NIK is not an editable field (diff_against skips those); its digest tells a change.
    if getattr(record, "nik_hash", None) != getattr(previous, "nik_hash", None):
        changes.append(Change(_("NIK"), MASK, MASK))
    for change in delta.changes:
        label = str(model._meta.get_field(change.field).verbose_name)
        if change.field == "bidang":
            changes.append(Change(label, _bidang_names(change.old), _bidang_names(change.new)))
        elif change.field == "phone" and model is Pengurus and not show_personal:
            changes.append(
                Change(label, mask_phone(change.old) or "—", mask_phone(change.new) or "—")
            )
        else:
            changes.append(
                Change(
                    label,
                    _display(previous, model, change.field),
                    _display(record, model, change.field),
                )
            )
    return changes


def _entries_for(
    records: list[Any],
    model: type[models.Model],
    subject: Callable[[Any], str],
    show_personal: bool,
) -> list[HistoryEntry]:
    actions = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
    entries: list[HistoryEntry] = []
    for record in records:
        changes: list[Change] = []
        if record.history_type == "~" and record.prev_record is not None:
            changes = _changes(record, record.prev_record, model, show_personal)
            if not changes and not record.history_change_reason:
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("sistem"),
                subject=subject(record),
                action=str(actions.get(record.history_type, "")),
                reason=_reason(record.history_change_reason or ""),
                changes=changes,
            )
        )
    return entries


def _reason(reason: str) -> str:
    """Verdict codes stored in reasons ("verifikasi: invalid") shown with their labels."""
    prefix, _sep, code = reason.partition(": ")
    if prefix == "verifikasi" and code in Verdict.values:
        return _("verifikasi: %(verdict)s") % {"verdict": Verdict(code).label}
    return reason


def history_entries(ormas: Ormas, *, show_personal: bool, limit: int = 300) -> list[HistoryEntry]:
    def recent(manager: Any) -> list[Any]:
        return list(manager.select_related("history_user").order_by("-history_date")[:limit])

    entries = (
        _entries_for(recent(ormas.history), Ormas, lambda r: _("Profil ormas"), show_personal)
        + _entries_for(
            recent(Pengurus.history.filter(ormas_id=ormas.pk)),
            Pengurus,
            lambda r: _("Pengurus: %(name)s") % {"name": r.name},
            show_personal,
        )
        + _entries_for(
            recent(Document.history.filter(ormas_id=ormas.pk)),
            Document,
            lambda r: _("Dokumen: %(type)s") % {"type": r.get_doc_type_display()},
            show_personal,
        )
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]
