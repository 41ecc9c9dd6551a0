"""Row locks for read-then-write services.

Two requests that read the same row, decide, then write (double-clicked buttons, two assessors at
once) must not both act on what they read. A service therefore locks the row it decides on
(`SELECT … FOR UPDATE` on PostgreSQL) inside its transaction and re-reads it, so its checks run on
the state the second request will find once the first has committed. SQLite takes a lock on the
whole database for every write transaction, so there `select_for_update` is not needed and Django
leaves it out.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


def lock(instance: M) -> M:
    """Lock `instance`'s row until the surrounding transaction ends and reload its fields.

    Must be called inside `transaction.atomic`; changes the caller made to the instance before
    are discarded, so lock first and change afterwards.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() needs an open transaction")
    manager = type(instance)._default_manager
    instance.refresh_from_db(from_queryset=manager.select_for_update())
    return instance


def save_new(instance: models.Model, message: str) -> None:
    """Save a row that a unique key guards, where there is no existing row to lock: of two
    requests creating the same one at once, the second gets `message` instead of a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(message, code="taken") from exc
