"""Two-factor sign-in (TOTP, docs/accounts.md): devices, recovery codes and the half-done login.

Built on django-otp: a confirmed `TOTPDevice` is the authenticator app, a `StaticDevice` holds
the single-use recovery codes. A user "has two factors" when it has a confirmed TOTP device;
the recovery codes only stand in for it. django-otp throttles wrong codes on each device
(exponential back-off) and refuses a TOTP code of a time step already used (`last_t`).

Signing in with a device happens in two steps: the password (the normal login form, so
django-axes still counts wrong passwords), then a code. Between the two the session holds only
the pending user, its backend and the time: nobody is signed in until the code is right.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipko.accounts import access
from sipko.accounts.models import AccountEvent, record_event
from sipko.lib import protected

if TYPE_CHECKING:
    from sipko.accounts.models import User

RECOVERY_CODE_COUNT = 10
# The half-done sign-in (password right, code not yet given) lasts this long, and takes at
# most this many wrong codes before the password must be given again.
PENDING_SECONDS = 5 * 60
PENDING_MAX_FAILURES = 5
PENDING_SESSION_KEY = "sipko_two_factor_pending"
# The key of the device being set up, kept in the session until a code confirms it.
SETUP_SESSION_KEY = "sipko_two_factor_setup_key"
# Set in a session that gave a code: once the device that took it is gone (an admin's reset,
# the factor turned off or renewed in another session), the session has to sign in again.
VERIFIED_SESSION_KEY = "sipko_two_factor_verified"
DEVICE_NAME = "Aplikasi autentikator"
_RECOVERY_NAME = "Kode pemulihan"


# --- reading ----------------------------------------------------------------------------------


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator device, if any."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    """Whether the user signs in with a second factor (a confirmed authenticator device)."""
    return (
        bool(user.is_authenticated)
        and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def format_key(hex_key: str) -> str:
    """A device key as people type it into an authenticator app: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user: User, hex_key: str) -> str:
    """The otpauth:// address the QR code carries (issuer SIPKO, the username as label)."""
    return TOTPDevice(user=user, key=hex_key).config_url


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI, for an `<img>` (no inline script or style)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def recovery_token(code: str) -> str:
    """What is stored of a recovery code: a keyed hash (the key lives in the settings, not the
    database), truncated to django-otp's 16-character token column. A copy of the database
    alone does not give the codes away."""
    return protected.lookup_hash("recovery-code:" + normalise_code(code))[:16]


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes ("123 456", "abcd-efgh") and in any case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


# --- verifying a code -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The outcome of checking one code: the device that accepted it (None when refused),
    whether it was a recovery code, and until when the device refuses codes (throttled)."""

    device: Any = None
    recovery: bool = False
    wait_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def _throttled_until(device: Any) -> dt.datetime | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    return (data or {}).get("locked_until") or timezone.now() + dt.timedelta(seconds=1)


def verify_code(user: User, code: str) -> Verification:
    """Check a six-digit TOTP code, or else a recovery code, of `user`.

    A recovery code is used up (deleted) when it matches, and the account's trail says so.
    Wrong codes count towards the device's throttling; a throttled device checks nothing.
    """
    code = normalise_code(code)
    if not code:
        return Verification()
    if code.isdigit() and len(code) < 8:  # a TOTP code (recovery codes have 8 characters)
        device = totp_device(user)
        recovery = False
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        recovery = True
    if device is None:
        return Verification()
    if wait := _throttled_until(device):
        return Verification(wait_until=wait)
    with transaction.atomic():
        token = recovery_token(code) if recovery else code
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None and recovery:
            left = StaticToken.objects.filter(device=verified).count()
            record_event(
                user,
                AccountEvent.Kind.RECOVERY_CODE_USED,
                actor=user,
                detail=_("Sisa %(count)s kode pemulihan.") % {"count": left},
            )
    return Verification(device=verified, recovery=recovery)


# --- the half-done sign-in ----------------------------------------------------------------------


def pending_start(request: HttpRequest, user: User, redirect_to: str) -> None:
    """Remember that `user` gave the right password; the code comes next (nobody signed in)."""
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "at": timezone.now().timestamp(),
        "failures": 0,
        "next": redirect_to,
    }


def pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    """The user waiting for its second step, or None when there is none or it expired."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None, {}
    age = timezone.now().timestamp() - float(pending.get("at", 0))
    if not 0 <= age <= PENDING_SECONDS:
        pending_clear(request)
        return None, {}
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or pending.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        pending_clear(request)
        return None, {}
    user.backend = pending["backend"]
    return user, pending


def pending_failed(request: HttpRequest) -> bool:
    """Count a wrong code; True when the half-done sign-in has taken its last one."""
    pending = request.session.get(PENDING_SESSION_KEY) or {}
    pending["failures"] = int(pending.get("failures", 0)) + 1
    if pending["failures"] >= PENDING_MAX_FAILURES:
        pending_clear(request)
        return True
    request.session[PENDING_SESSION_KEY] = pending
    return False


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


# --- the signed-in session ------------------------------------------------------------------------


def session_verified(request: HttpRequest, device: Any) -> None:
    """This session gave a code of `device` (django-otp remembers the device)."""
    django_otp.login(request, device)
    request.session[VERIFIED_SESSION_KEY] = True


def session_forgets_device(request: HttpRequest) -> None:
    """This session turned its own second factor off: it stays signed in with the password."""
    request.session.pop(VERIFIED_SESSION_KEY, None)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)


def session_lost_its_code(request: HttpRequest) -> bool:
    """Whether a signed-in session must sign in again: the account has a device but this
    session never gave a code of it, or the device that took its code is gone."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return False
    return bool(request.session.get(VERIFIED_SESSION_KEY)) or has_two_factor(user)  # type: ignore[arg-type]


# --- services -----------------------------------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by ten new ones; answer them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_RECOVERY_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_token(t)) for t in codes]
    )
    return codes


def setup_key(request: HttpRequest) -> str:
    """The key of the device the user is setting up (a new one, kept in its session)."""
    key = request.session.get(SETUP_SESSION_KEY)
    if not isinstance(key, str) or not re.fullmatch(r"[0-9a-f]{40}", key):
        key = TOTPDevice().key  # django-otp's default: 20 random bytes, hex
        request.session[SETUP_SESSION_KEY] = key
    return key


def two_factor_enable(*, actor: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a new authenticator device of `actor` (its own) with a code from it.

    Answers the device and the ten recovery codes, which are shown once. Raises ValidationError
    for a wrong code (throttled like any other), PermissionDenied for an account that already
    has a device (it turns that one off first).
    """
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    if not re.fullmatch(r"[0-9a-f]{40}", key or ""):
        raise ValidationError(_("Kunci pemasangan tidak dikenal. Muat ulang halaman ini."))
    with transaction.atomic():
        _lock_user(actor)
        if has_two_factor(actor):
            raise PermissionDenied(_("Verifikasi dua langkah sudah aktif."))
        TOTPDevice.objects.filter(user=actor, confirmed=False).exclude(key=key).delete()
        device, _created = TOTPDevice.objects.get_or_create(
            user=actor, key=key, confirmed=False, defaults={"name": DEVICE_NAME}
        )
    if wait := _throttled_until(device):
        raise ValidationError(wait_message(wait))
    # A wrong code is raised only after this transaction, so its throttling count is kept.
    codes: list[str] = []
    with transaction.atomic():
        verified = django_otp.verify_token(actor, device.persistent_id, normalise_code(code))
        if verified is not None:
            verified.confirmed = True
            verified.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(actor)
            record_event(actor, AccountEvent.Kind.TWO_FACTOR_ENABLED, actor=actor)
    if verified is None:
        raise ValidationError(_("Kode salah atau sudah kedaluwarsa. Coba kode yang baru."))
    return verified, codes


def recovery_codes_renew(*, actor: User) -> list[str]:
    """New recovery codes for `actor`'s own account (the old ones stop working)."""
    with transaction.atomic():
        _lock_user(actor)
        if not has_two_factor(actor):
            raise PermissionDenied(_("Verifikasi dua langkah belum aktif."))
        codes = _new_recovery_codes(actor)
        record_event(actor, AccountEvent.Kind.RECOVERY_CODES, actor=actor)
    return codes


def can_disable_two_factor(user: User) -> bool:
    """A user turns its own second factor off only when its role does not require one."""
    return has_two_factor(user) and not access.two_factor_required(user)


def two_factor_disable(*, actor: User, password: str) -> None:
    """Turn off `actor`'s own second factor, after its password (refused where required)."""
    with transaction.atomic():
        _lock_user(actor)
        if not can_disable_two_factor(actor):
            raise PermissionDenied(_("Peran Anda wajib memakai verifikasi dua langkah."))
        if not actor.check_password(password):
            raise ValidationError(_("Kata sandi salah."))
        _delete_devices(actor)
        record_event(actor, AccountEvent.Kind.TWO_FACTOR_DISABLED, actor=actor)


def two_factor_reset(actor: User, user: User) -> None:
    """An administrator removes `user`'s second factor (a lost phone), audited.

    Only an administrator who may manage the account (`access.can_manage_user`: its region,
    below its role, never itself). The user then signs in with its password alone, and sets up
    a new device at once if its role requires one.
    """
    if not access.can_manage_user(actor, user):
        raise PermissionDenied(_("Anda tidak berwenang mengelola akun ini."))
    with transaction.atomic():
        _lock_user(user)
        if not _delete_devices(user):
            raise ValidationError(_("Akun ini tidak memakai verifikasi dua langkah."))
        record_event(user, AccountEvent.Kind.TWO_FACTOR_RESET, actor=actor)


def _lock_user(user: User) -> None:
    """Serialise the second-factor changes of one account (two tabs confirming at once)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _delete_devices(user: User) -> int:
    """Remove every device of `user` (authenticator and recovery codes); answer how many."""
    totp = TOTPDevice.objects.filter(user=user).delete()[0]
    static = StaticDevice.objects.filter(user=user).delete()[0]
    return totp + static


def wait_message(until: dt.datetime) -> str:
    seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    return _("Terlalu banyak kode salah. Tunggu %(seconds)s detik, lalu coba lagi.") % {
        "seconds": seconds
    }
