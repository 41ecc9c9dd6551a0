"""Optimistic versions for edit forms: a stale form is refused with what changed since.

Every edited model keeps its history (django-simple-history writes a row per save), so the id of
an object's newest history row is its version. An edit form carries the version it was opened
at; the service locks the row, compares, and refuses the save when somebody else saved in
between, naming who changed which fields and when, instead of silently writing the old values
back over theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bookkeeping fields are not listed; personal ones only by name (a NIK or a phone number never
# appears in a message).
_SILENT = {"updated_at", "created_at", "name_key", "acronym_key", "nik_hash", "uuid", "id"}
_WITHOUT_VALUE = {"nik_encrypted", "nik", "phone"}


def edit_version(instance: models.Model) -> int:
    """The version of a saved object: the id of its newest history row (0 when it has none)."""
    if instance.pk is None:
        return 0
    newest = (
        instance.history.order_by("-history_id")  # type: ignore[attr-defined]
        .values_list("history_id", flat=True)
        .first()
    )
    return newest or 0


def ensure_current(instance: models.Model, version: int | None) -> None:
    """Refuse a save based on `version` when the object has been saved since.

    `version` None means the caller holds no form (a command, the importer, a system job).
    Call after locking the row, so two saves of the same version cannot both pass.
    """
    if version is None or instance.pk is None:
        return
    current = edit_version(instance)
    if version == current:
        return
    history = instance.history  # type: ignore[attr-defined]
    newer = list(history.filter(history_id__gt=version).order_by("history_id"))
    base = history.filter(history_id=version).first()
    raise ValidationError(_stale_message(instance, base, newer), code="stale")


def _stale_message(instance: models.Model, base: Any, newer: list[Any]) -> str:
    if not newer:
        return _("Data ini sudah diubah sejak formulir dibuka. Muat ulang halaman lalu ulangi.")
    last = newer[-1]
    who = (
        last.history_user.get_full_name() or last.history_user.username if last.history_user else ""
    )
    when = formats.date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT")
    changes = _changed_fields(instance, base, last)
    head = (
        _("%(who)s menyimpan perubahan pada %(when)s, setelah formulir ini Anda buka.")
        % {"who": who, "when": when}
        if who
        else _("Data ini diubah pada %(when)s, setelah formulir ini Anda buka.") % {"when": when}
    )
    tail = _("Perubahan Anda belum disimpan. Muat ulang halaman, periksa, lalu simpan lagi.")
    if not changes:
        return f"{head} {tail}"
    return "{head} {label}: {changes}. {tail}".format(
        head=head, label=_("Yang berubah"), changes="; ".join(changes), tail=tail
    )


def _changed_fields(instance: models.Model, base: Any, last: Any) -> list[str]:
    if base is None:
        return []
    delta = last.diff_against(base)
    described = []
    for change in delta.changes:
        if change.field in _SILENT:
            continue
        try:
            field = instance._meta.get_field(change.field)
        except FieldDoesNotExist:
            continue
        label = capfirst(str(getattr(field, "verbose_name", change.field)))
        if change.field in _WITHOUT_VALUE or isinstance(change.new, list):
            described.append(label)
        else:
            described.append(f"{label} → {_shown(field, change.new)}")
    return described


def _shown(field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


class VersionedFormMixin:
    """Adds a hidden `version` field holding the object's version when the form was opened;
    after validation `version()` gives it to pass to the service."""

    def __init__(self, *args: Any, version_of: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = version_of if version_of is not None else getattr(self, "instance", None)
        self.fields["version"] = forms.IntegerField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput,
            required=False,
            min_value=0,
            label=gettext_lazy("Versi"),
            initial=edit_version(target) if target is not None and target.pk else None,
        )

    def clean(self) -> dict[str, Any]:
        # Kept apart from the field values, so `cleaned_data` can go to a service as it is.
        cleaned = super().clean()  # type: ignore[misc]
        self._version = cleaned.pop("version", None)
        return cleaned

    def version(self) -> int | None:
        return getattr(self, "_version", None)
