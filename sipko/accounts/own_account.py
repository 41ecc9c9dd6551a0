"""What a user changes on its own account: details, preferences and its password.

Administrators change other accounts through `sipko/accounts/services.py`; these functions only
ever act on the actor's own account (a password-reset link proves who the actor is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

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


@task()
def send_password_reset(user_id: int) -> bool:
    """Mail a password-reset link to an account (queued by the *Lupa kata sandi?* page).

    In the background, so the page answers as fast for a known address as for an unknown one;
    the queue holds the account's id only, the link's token is made here. In the site's
    language (Indonesian), with the address of `SITE_URL`. Nothing is sent to an account that
    was deactivated meanwhile or has no password yet (it activates with its code).
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    site = urlsplit(settings.SITE_URL)
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme,
        "domain": site.netloc,
        "site_url": settings.SITE_URL,
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = loader.render_to_string("accounts/auth/password_reset_subject.txt", context)
        body = loader.render_to_string("accounts/auth/password_reset_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True
