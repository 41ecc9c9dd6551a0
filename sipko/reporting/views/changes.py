"""What an ormas changed in a report since Kesbangpol last returned it.

Built from django-simple-history: the report's snapshot written by the last `return` transition
is compared with its latest snapshot; realised values and evidence are compared as they stood at
that moment and as they stand now. Workflow fields (state, timestamps, reviewer) are not changes
the ormas made and are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.template.defaultfilters import floatformat
from django.utils import formats

from sipko.regions.models import Region
from sipko.reporting.models import ActivityReport, Evidence, ReportValue

WORKFLOW_FIELDS = {
    "id",
    "uuid",
    "programme",
    "state",
    "return_reason",
    "submitted_at",
    "first_submitted_at",
    "verified_by",
    "verified_at",
    "created_at",
}
RETURN_REASON_PREFIX = "return:"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class ChangesSinceReturn:
    returned_at: dt.datetime
    fields: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.added or self.removed)


def _format(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | int):
        return floatformat(value, "-2g")
    return str(value)


def _display(record: Any, name: str) -> str:
    model_field = ActivityReport._meta.get_field(name)
    value = getattr(record, model_field.attname, None)
    if isinstance(model_field, models.ForeignKey) and model_field.related_model is Region:
        region = Region.objects.filter(code=value).first() if value else None
        return region.display_name if region else _format(value)
    return _format(value)


def _values_at(report: ActivityReport, moment: dt.datetime) -> dict[int, Decimal]:
    """Realised values per indicator id as they stood at `moment`."""
    latest: dict[int, Any] = {}
    records = ReportValue.history.filter(report_id=report.pk, history_date__lte=moment)
    for record in records.order_by("history_date", "history_id"):
        latest[record.indicator_id] = record
    return {k: r.value for k, r in latest.items() if r.history_type != "-"}


def changes_since_return(report: ActivityReport) -> ChangesSinceReturn | None:
    """None when the report was never returned; otherwise what changed since (may be empty)."""
    returned = (
        report.history.filter(history_change_reason__startswith=RETURN_REASON_PREFIX)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if returned is None:
        return None
    since = returned.history_date
    result = ChangesSinceReturn(returned_at=since)
    current = report.history.order_by("-history_date", "-history_id").first()
    if current is not None and current.history_id != returned.history_id:
        delta = current.diff_against(returned, excluded_fields=WORKFLOW_FIELDS)
        for change in delta.changes:
            label = str(ActivityReport._meta.get_field(change.field).verbose_name)
            result.fields.append(
                Change(label, _display(returned, change.field), _display(current, change.field))
            )
    before = _values_at(report, since)
    now = {v.indicator_id: v.value for v in report.values.all()}
    indicators = {i.pk: i for i in report.programme.indicators.all()}
    for indicator_id in sorted(set(before) | set(now)):
        old, new = before.get(indicator_id), now.get(indicator_id)
        if old != new and indicator_id in indicators:
            indicator = indicators[indicator_id]
            result.fields.append(
                Change(f"{indicator.name} ({indicator.unit})", _format(old), _format(new))
            )
    later = Evidence.history.filter(report_id=report.pk, history_date__gt=since)
    added = {r.id: r for r in later.filter(history_type="+")}
    removed = {r.id: r for r in later.filter(history_type="-")}
    for pk in set(added) - set(removed):
        result.added.append(added[pk].caption or added[pk].original_name)
    for pk in set(removed) - set(added):
        result.removed.append(removed[pk].caption or removed[pk].original_name)
    result.added.sort()
    result.removed.sort()
    return result
