"""Queries about accounts, always through `access.users_visible_to` (docs/accounts.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sipko.accounts import access
from sipko.accounts.models import Role

if TYPE_CHECKING:
    from sipko.accounts.access import AnyUser
    from sipko.accounts.models import User


def never_activated(actor: AnyUser) -> QuerySet[User]:
    """Active operator accounts in the actor's reach that have never been taken into use."""
    return (
        access.users_visible_to(actor)
        .filter(role=Role.OPERATOR, is_active=True, activated_at__isnull=True, last_login=None)
        .select_related("ormas")
        .order_by("date_joined", "pk")
    )
