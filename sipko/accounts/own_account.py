"""What a user changes on its own account: details, preferences and its password.

Administrators change other accounts through `sipko/accounts/services.py`; these functions only
ever act on the actor's own account (a password-reset link proves who the actor is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from sipko.accounts.models import AccountEvent, record_event
from sipko.lib.audit import audited

if TYPE_CHECKING:
    from sipko.accounts.models import User

EDITABLE_FIELDS = ("first_name", "last_name", "email", "email_notifications")


def _own(actor: User, user: User) -> None:
    if not actor.is_authenticated or not actor.is_active or actor.pk != user.pk:
        raise PermissionDenied


def account_update(*, actor: User, user: User, changes: dict[str, object]) -> list[str]:
    """Change the actor's own name, e-mail and notification preference; answer what changed.

    The trail names the fields, not their values (an e-mail address is personal data).
    """
    _own(actor, user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise PermissionDenied(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        fresh = get_user_model().objects.select_for_update().get(pk=user.pk)
        changed = [name for name, value in changes.items() if getattr(fresh, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(fresh, name, changes[name])
        fresh.full_clean(exclude=[f.name for f in fresh._meta.fields if f.name not in changed])
        audited(fresh, actor)
        fresh.save(update_fields=changed)
        labels = [str(fresh._meta.get_field(name).verbose_name) for name in changed]
        record_event(fresh, AccountEvent.Kind.UPDATED, actor=actor, detail=", ".join(labels))
    for name in changed:
        setattr(user, name, changes[name])
    return changed


def password_set(*, actor: User, user: User, password: str, reset: bool = False) -> None:
    """Give the actor's own account a new password (already checked by the validators).

    Ends a temporary password's duty to change it. `reset` says it came from an e-mailed link
    rather than from the signed-in account page.
    """
    _own(actor, user)
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        audited(user, actor)
        user.save(update_fields=["password", "must_change_password"])
        kind = AccountEvent.Kind.PASSWORD_RESET if reset else AccountEvent.Kind.PASSWORD_CHANGED
        record_event(user, kind, actor=actor)
