"""Readable audit trail of an ormas: who changed which field, when, from what to what.

Built from django-simple-history snapshots of the ormas, its officers and its documents.
Protected values (NIK) are never shown, only that they changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sipko.registry.models import Document, Ormas, Pengurus

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
}
PROTECTED_FIELDS = {"nik_encrypted": "NIK"}


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


def _display(record: Any, name: str) -> str:
    value = getattr(record, name, None)
    if value in (None, ""):
        return "—"
    getter = getattr(record, f"get_{name}_display", None)
    return str(getter()) if callable(getter) else str(value)


def _entries_for(records: list[Any], model: type, subject: Any) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    actions = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
    for record in records:
        changes: list[Change] = []
        previous = record.prev_record
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                if change.field in PROTECTED_FIELDS:
                    changes.append(Change(PROTECTED_FIELDS[change.field], "•••", "•••"))
                    continue
                label = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    Change(label, _display(previous, change.field), _display(record, change.field))
                )
            if not changes and not record.history_change_reason:
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("sistem"),
                subject=subject(record),
                action=str(actions.get(record.history_type, "")),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def history_entries(ormas: Ormas, limit: int = 300) -> list[HistoryEntry]:
    own = list(ormas.history.select_related("history_user").order_by("history_date")[:limit])
    officers = list(
        Pengurus.history.filter(ormas_id=ormas.pk)
        .select_related("history_user")
        .order_by("history_date")[:limit]
    )
    documents = list(
        Document.history.filter(ormas_id=ormas.pk)
        .select_related("history_user")
        .order_by("history_date")[:limit]
    )
    entries = (
        _entries_for(own, Ormas, lambda r: _("Profil ormas"))
        + _entries_for(officers, Pengurus, lambda r: _("Pengurus: %(name)s") % {"name": r.name})
        + _entries_for(
            documents,
            Document,
            lambda r: _("Dokumen: %(type)s") % {"type": r.get_doc_type_display()},
        )
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)
