from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, []) if mapping else []


@register.filter
def num(value: Any, places: Any = None) -> str:
    """A stored decimal string ("84.25") in the reader's format ("84,25"); "—" for none.

    With `places`, rounds half-up to that many places first (for shares shown as percentages).
    """
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places not in (None, ""):
        number = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return number_format(number, use_l10n=True)


@register.filter
def share_percent(value: Any, places: int = 1) -> str:
    """A 0–1 share ("0.0600") as a percentage of the reader's format ("6,0")."""
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    return num(number, places)
