"""Who made a change and why, attached to a row before it is saved (django-simple-history)."""

from __future__ import annotations

from typing import Any


def audited(instance: Any, actor: Any, reason: str = "") -> None:
    """Record `actor` (None for a system job) and an optional reason on the next history row."""
    instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]
