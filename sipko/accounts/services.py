"""Writes to accounts: creating and changing users, onboarding ormas, activation codes.

Every function that takes an `actor` checks it with `access.can_grant` / `can_manage_user` /
`can_manage_users` itself (PermissionDenied otherwise), works in one transaction and leaves a
line in the account's audit trail (`record_event`) beside the history row of the user
(`audited`). `activate` is the one public move: whoever holds a valid code may use it.

Activation codes (docs/accounts.md): ten characters from an alphabet without look-alikes
(no 0/O, 1/I/L), written `XXXXX-XXXXX`; found by their keyed hash; kept encrypted only while
usable (to print the slips again), wiped once used or revoked.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import smtplib
import unicodedata
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.accounts import access
from sipko.accounts.models import AccountEvent, ActivationCode, Role, User, record_event
from sipko.lib import protected
from sipko.lib.audit import audited
from sipko.lib.locking import lock, save_new
from sipko.lib.text import compact, fold, name_key
from sipko.regions.models import Region

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sipko.registry.models import Ormas

logger = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 10
# Temporary passwords are read aloud or copied from a screen: lowercase, no look-alikes.
TEMPORARY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# Wrong codes from one client address before it must wait (guessing codes on the public page).
ACTIVATION_FAILURE_LIMIT = 10
ACTIVATION_FAILURE_WINDOW = 15 * 60
USERNAME_MAX = 16  # typed on a phone from a paper slip
EMAIL_SEND_ERRORS = (smtplib.SMTPException, OSError)

Kind = AccountEvent.Kind


class CodeState(models.TextChoices):
    USABLE = "usable", gettext_lazy("Berlaku")
    USED = "used", gettext_lazy("Sudah dipakai")
    REVOKED = "revoked", gettext_lazy("Dicabut")
    EXPIRED = "expired", gettext_lazy("Kedaluwarsa")


class NewAccount(NamedTuple):
    """A created account and its activation code in clear: shown once, never stored so."""

    user: User
    code: str


class PlannedAccount(NamedTuple):
    ormas: Ormas
    username: str


# --- codes ----------------------------------------------------------------------------------------


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: capitals, without spaces and dashes, nor the invisible
    marks (zero-width spaces, direction marks: Unicode "format" characters) that chat apps
    and PDF viewers add to copied text."""
    visible = "".join(ch for ch in raw or "" if unicodedata.category(ch) != "Cf")
    return re.sub(r"[\s\-–—_.]", "", visible).upper()


def format_code(code: str) -> str:
    """`ABCDE23456` → `ABCDE-23456`, as slips and pages show it."""
    code = normalise_code(code)
    return f"{code[:5]}-{code[5:]}"


def activation_link(code: str) -> str:
    """The link of e-mails and QR codes. The code follows `#`: a fragment never reaches the server,
    so no access log or proxy records it; the page's script fills it in (`?kode=` also works)."""
    return f"{settings.SITE_URL}{reverse('users:activate')}#kode={format_code(code)}"


def code_state(code: ActivationCode, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if code.used_at:
        return CodeState.USED
    if code.revoked_at:
        return CodeState.REVOKED
    if code.expires_at <= now:
        return CodeState.EXPIRED
    return CodeState.USABLE


def usable_codes() -> models.QuerySet[ActivationCode]:
    """Codes not used, revoked nor expired (for slips and e-mails)."""
    return ActivationCode.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def code_clear(code: ActivationCode) -> str | None:
    """The clear code of a usable one (None once wiped, or made under another key)."""
    return protected.decrypt(code.code_encrypted)


def _new_code(user: User, actor: User | None, batch: uuid.UUID | None) -> str:
    """Revoke the user's earlier unused codes and store a new one; answer it in clear."""
    _revoke_codes(user)
    while True:
        clear = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        digest = protected.lookup_hash(clear)
        if not ActivationCode.objects.filter(code_hash=digest).exists():
            break
    ActivationCode.objects.create(
        user=user,
        code_hash=digest,
        code_encrypted=protected.encrypt(clear),
        batch=batch or uuid.uuid4(),
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=settings.SIPKO_ACTIVATION_DAYS),
    )
    record_event(user, Kind.CODE_ISSUED, actor)
    return format_code(clear)


def _revoke_codes(user: User) -> int:
    return ActivationCode.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), code_encrypted="")


# --- validation -----------------------------------------------------------------------------------

_username_rule = ASCIIUsernameValidator()


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Nama pengguna wajib diisi.")})
    if len(username) > 150:
        raise ValidationError({"username": _("Nama pengguna paling panjang 150 karakter.")})
    try:
        _username_rule(username)
    except ValidationError as exc:
        message = _(
            "Nama pengguna hanya boleh berisi huruf, angka dan tanda @ . + - _ (tanpa spasi)."
        )
        raise ValidationError({"username": message}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    return username


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    # Django's validator lets through up to 320 characters; the column holds 254.
    if len(email) > User._meta.get_field("email").max_length:
        raise ValidationError({"email": _("Alamat surel terlalu panjang.")})
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": _("Alamat surel tidak sah.")}) from exc
    return email


def _placement(
    actor: User, role: str, region_code: str | None, ormas: Ormas | None
) -> tuple[str | None, Ormas | None]:
    """The region and ormas an account of `role` gets, checked against what `actor` may grant:
    an operator works for one ormas (its scope follows the ormas), staff for a region, the
    national admin for the nation."""
    if role not in Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    if role == Role.OPERATOR:
        if ormas is None:
            raise ValidationError({"ormas": _("Operator harus terhubung ke satu ormas.")})
        if ormas.merged_into_id:
            raise ValidationError({"ormas": _("Ormas ini sudah digabung ke data lain.")})
        region_code = None
    else:
        ormas = None
        if role == Role.NATIONAL_ADMIN:
            region_code = None
        elif not region_code:
            raise ValidationError({"region": _("Pilih cakupan wilayah akun ini.")})
        elif not Region.objects.filter(code=region_code).exists():
            raise ValidationError({"region": _("Wilayah tidak dikenal.")})
    if not access.can_grant(actor, role, region_code, ormas):
        raise PermissionDenied(_("Anda tidak dapat memberi peran ini di wilayah itu."))
    return region_code, ormas


def _set_name(user: User, name: str) -> None:
    name = " ".join((name or "").split())
    if len(name) > 150:
        raise ValidationError({"name": _("Nama paling panjang 150 karakter.")})
    user.first_name, user.last_name = name, ""


# --- accounts -------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    actor: User,
    *,
    username: str,
    name: str,
    email: str,
    role: str,
    region_code: str | None = None,
    ormas: Ormas | None = None,
    send_code_by_email: bool = False,
) -> NewAccount:
    """Create an account with no usable password and an activation code, answered in clear
    once (or give it a temporary password afterwards with `user_set_temporary_password`)."""
    if not access.can_manage_users(actor):
        raise PermissionDenied
    region_code, ormas = _placement(actor, role, region_code, ormas)
    user = User(
        username=_clean_username(username),
        email=_clean_email(email),
        role=role,
        region_id=region_code,
        ormas=ormas,
    )
    _set_name(user, name)
    user.set_unusable_password()
    audited(user, actor, "dibuat")
    save_new(user, _("Nama pengguna ini sudah dipakai."))
    record_event(user, Kind.CREATED, actor, _role_detail(user))
    code = _new_code(user, actor, None)
    if send_code_by_email:
        latest = user.activation_codes.get(revoked_at__isnull=True, used_at__isnull=True)
        _email_code(latest, code, actor, get_connection())
    return NewAccount(user, code)


def _role_detail(user: User) -> str:
    where = user.ormas.name if user.role == Role.OPERATOR and user.ormas else user.region_id
    return f"{user.get_role_display()}{f' · {where}' if where else ''}"


UPDATABLE = frozenset({"name", "email", "role", "region_code", "ormas"})


@transaction.atomic
def user_update(actor: User, user: User, **changes: Any) -> User:
    """Change name, email, role, region_code or ormas. The account as stored must be in the
    actor's hands, and so must the account as changed (no moving it out of the actor's scope,
    nor above the actor's role)."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"user_update() does not change {sorted(unknown)}")
    lock(user)
    if not access.can_manage_user(actor, user):
        raise PermissionDenied
    role = changes.get("role", user.role)
    region_code = changes.get("region_code", user.region_id)
    ormas = changes.get("ormas", user.ormas)
    region_code, ormas = _placement(actor, role, region_code, ormas)
    changed = []
    if "name" in changes and " ".join((changes["name"] or "").split()) != user.get_full_name():
        _set_name(user, changes["name"])
        changed.append(_("nama"))
    if "email" in changes:
        email = _clean_email(changes["email"])
        if email != user.email:
            user.email = email
            changed.append(_("surel"))
    placement_before = (user.role, user.region_id, user.ormas_id)
    user.role, user.region_id, user.ormas = role, region_code, ormas
    if (user.role, user.region_id, user.ormas_id) != placement_before:
        changed.append(_role_detail(user))
    if not changed:
        return user
    audited(user, actor, "diubah")
    user.save()
    record_event(user, Kind.UPDATED, actor, "; ".join(str(c) for c in changed))
    return user


def _managed(actor: User, user: User) -> User:
    """Lock the account and check, on the row as committed, that the actor may manage it."""
    lock(user)
    if not access.can_manage_user(actor, user):
        raise PermissionDenied
    return user


@transaction.atomic
def user_deactivate(actor: User, user: User) -> User:
    """Stop the account from signing in; its unused activation codes are revoked."""
    _managed(actor, user)
    if not user.is_active:
        raise ValidationError(_("Akun ini sudah nonaktif."))
    user.is_active = False
    _revoke_codes(user)
    audited(user, actor, "dinonaktifkan")
    user.save()
    record_event(user, Kind.DEACTIVATED, actor)
    return user


@transaction.atomic
def user_reactivate(actor: User, user: User) -> User:
    _managed(actor, user)
    if user.is_active:
        raise ValidationError(_("Akun ini sudah aktif."))
    user.is_active = True
    audited(user, actor, "diaktifkan kembali")
    user.save()
    record_event(user, Kind.REACTIVATED, actor)
    return user


def _temporary_password(user: User) -> str:
    while True:
        groups = ["".join(secrets.choice(TEMPORARY_ALPHABET) for _i in range(4)) for _g in "abc"]
        password = "-".join(groups)
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password


@transaction.atomic
def user_set_temporary_password(actor: User, user: User) -> str:
    """Give the account a readable random password that must be changed at the next sign-in.
    It is answered once, for the page to show, and stored only as a hash. Unused activation
    codes are revoked: one way in at a time."""
    _managed(actor, user)
    if not user.is_active:
        raise ValidationError(_("Aktifkan kembali akun ini sebelum memberi kata sandi."))
    password = _temporary_password(user)
    user.set_password(password)
    user.must_change_password = True
    _revoke_codes(user)
    audited(user, actor, "kata sandi sementara")
    user.save()
    record_event(user, Kind.TEMPORARY_PASSWORD, actor)
    return password


@transaction.atomic
def activation_code_issue(actor: User, user: User, batch: uuid.UUID | None = None) -> str:
    """A new activation code for the account (`XXXXX-XXXXX`, answered once); earlier unused
    codes stop working."""
    _managed(actor, user)
    if not user.is_active:
        raise ValidationError(_("Aktifkan kembali akun ini sebelum menerbitkan kode."))
    return _new_code(user, actor, batch)


# --- onboarding -----------------------------------------------------------------------------------


def _username_base(ormas: Ormas) -> str:
    """A short ASCII name from the ormas' acronym, else the first letters of its name's words
    (`Paguyuban Seni Kendang Kepanjen` → `pskk`), else its first word."""
    acronym = compact(ormas.acronym)
    if 2 <= len(acronym) <= USERNAME_MAX - 3:
        return acronym
    words = name_key(ormas.name).split() or fold(ormas.name).split()
    if len(words) >= 2:
        return "".join(w[0] for w in words)[: USERNAME_MAX - 3]
    base = words[0] if words else "ormas"
    return base[: USERNAME_MAX - 3] if len(base) >= 2 else f"ormas{base}"


def _plan(ormas_list: Iterable[Ormas]) -> list[PlannedAccount]:
    taken = set()
    planned = []
    for ormas in ormas_list:
        base = _username_base(ormas)
        candidates = [base, *(f"{base}{n}" for n in range(2, 1000))]
        for candidate in candidates:
            if candidate in taken or User.objects.filter(username__iexact=candidate).exists():
                continue
            taken.add(candidate)
            planned.append(PlannedAccount(ormas, candidate))
            break
    return planned


def _onboarding_ormas(actor: User, ormas_list: Iterable[Ormas], *, for_update: bool) -> list:
    from sipko.registry.models import Ormas

    if not access.can_manage_users(actor):
        raise PermissionDenied
    pks = list(dict.fromkeys(o.pk for o in ormas_list))
    if not pks:
        raise ValidationError(_("Pilih setidaknya satu ormas."))
    rows = Ormas.objects.filter(pk__in=pks).order_by("name", "pk")
    if for_update:
        rows = rows.select_for_update()
    found = list(rows)
    if len(found) != len(pks) or not all(
        access.can_grant(actor, Role.OPERATOR, None, o) for o in found
    ):
        raise PermissionDenied(_("Ada ormas di luar wilayah Anda."))
    merged = [o.name for o in found if o.merged_into_id]
    if merged:
        raise ValidationError(
            _("Ormas ini sudah digabung ke data lain: %(names)s.") % {"names": ", ".join(merged)}
        )
    have = set(
        User.objects.filter(role=Role.OPERATOR, is_active=True, ormas__in=found).values_list(
            "ormas__name", flat=True
        )
    )
    if have:
        message = _("Ormas ini sudah punya akun operator: %(names)s.")
        raise ValidationError(message % {"names": ", ".join(sorted(have))})
    return found


def onboarding_plan(actor: User, ormas_list: Iterable[Ormas]) -> list[PlannedAccount]:
    """The accounts `onboard_ormas` would create for these ormas (the confirmation page)."""
    return _plan(_onboarding_ormas(actor, ormas_list, for_update=False))


@transaction.atomic
def onboard_ormas(actor: User, ormas_list: Iterable[Ormas]) -> uuid.UUID:
    """One operator account per ormas, each with an activation code in one new batch (for the
    slips). Refuses the whole list when one ormas is outside the actor's scope, merged, or
    already has an active operator: nothing is skipped silently."""
    found = _onboarding_ormas(actor, ormas_list, for_update=True)
    batch = uuid.uuid4()
    for ormas, username in _plan(found):
        user = User(
            username=username,
            role=Role.OPERATOR,
            ormas=ormas,
            email=ormas.email,
            first_name=(_("Operator %(ormas)s") % {"ormas": ormas.acronym or ormas.name})[:150],
        )
        user.set_unusable_password()
        audited(user, actor, "onboarding")
        save_new(user, _("Nama pengguna %(name)s baru saja dipakai.") % {"name": username})
        record_event(user, Kind.CREATED, actor, _("onboarding ormas"))
        _new_code(user, actor, batch)
    return batch


def batch_codes(actor: User, batch: uuid.UUID) -> list[ActivationCode]:
    """The codes of a batch whose accounts the actor may manage. A province admin's batch can
    span several kabupaten/kota: each of their admins gets its own part of it (and an account
    moved out of the actor's reach since drops out). PermissionDenied when none is the actor's."""
    if not access.can_manage_users(actor):
        raise PermissionDenied
    codes = [
        code
        for code in ActivationCode.objects.filter(batch=batch)
        .select_related("user", "user__ormas")
        .order_by("user__ormas__name", "user__username")
        if access.can_manage_user(actor, code.user)
    ]
    if not codes:
        raise PermissionDenied
    return codes


def recipient(user: User) -> str:
    """Where the account's activation link goes: its ormas' address, else its own."""
    ormas = user.ormas if user.role == Role.OPERATOR else None
    return (ormas.email if ormas and ormas.email else "") or user.email


def _send_code_mail(code: ActivationCode, clear: str, actor: User, connection: Any) -> bool:
    """E-mail the account's activation link; False when it has no address. Mail errors are
    the caller's (EMAIL_SEND_ERRORS)."""
    address = recipient(code.user)
    if not address:
        return False
    context = {
        "ormas": code.user.ormas if code.user.role == Role.OPERATOR else None,
        "username": code.user.username,
        "code": format_code(clear),
        "link": activation_link(clear),
        "site": settings.SITE_URL,
        "expires_at": code.expires_at,
    }
    # For the ormas, in the site's language, whatever language the admin's pages are in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/activation/email_subject.txt", context)
        subject = " ".join(subject.split())
        body = render_to_string("accounts/activation/email.txt", context)
    EmailMessage(subject, body, to=[address], connection=connection).send()
    code.emailed_at = timezone.now()
    code.save(update_fields=["emailed_at"])
    record_event(code.user, Kind.CODE_EMAILED, actor)
    return True


def _email_code(code: ActivationCode, clear: str, actor: User, connection: Any) -> bool:
    try:
        return _send_code_mail(code, clear, actor, connection)
    except EMAIL_SEND_ERRORS as exc:
        logger.warning("activation e-mail not sent: %s", type(exc).__name__)
        raise ValidationError(
            _("Surel tidak dapat dikirim: server surel tidak menjawab. Coba lagi nanti.")
        ) from exc


class EmailResult(NamedTuple):
    """What `activation_emails_send` did: how many links left, which accounts have no address
    (they get a slip), which could not be mailed (address refused, or the server stopped
    answering: those after it were not tried)."""

    sent: int
    without_email: list[User]
    failed: list[User]


@transaction.atomic
def activation_emails_send(actor: User, batch: uuid.UUID) -> EmailResult:
    """E-mail the activation link of each still usable code of the batch to its ormas (or the
    user's own address). One refused address does not stop the others; a mail server that
    stops answering ends the run, keeping what was sent (`emailed_at`, audit)."""
    codes = batch_codes(actor, batch)
    usable = [c for c in codes if code_state(c) == CodeState.USABLE]
    if not usable:
        raise ValidationError(_("Tidak ada kode yang masih berlaku dalam kelompok ini."))
    # A link already e-mailed is not sent again by pressing the button twice; a lost e-mail
    # takes a new code from the account's page (which revokes the old one).
    usable = [c for c in usable if not c.emailed_at]
    if not any(recipient(c.user) for c in usable):
        if any(c.emailed_at for c in codes):
            raise ValidationError(
                _(
                    "Semua tautan aktivasi kelompok ini sudah dikirim. Bila ada yang tidak "
                    "sampai, terbitkan kode baru dari halaman akunnya."
                )
            )
        raise ValidationError(
            _("Tidak ada ormas dalam kelompok ini yang punya alamat surel; serahkan slip cetak.")
        )
    sent, without_email, failed = 0, [], []
    connection = get_connection()
    for position, code in enumerate(usable):
        clear = code_clear(code)
        try:
            if clear and _send_code_mail(code, clear, actor, connection):
                sent += 1
            else:
                without_email.append(code.user)
        except smtplib.SMTPRecipientsRefused:
            logger.warning("activation e-mail refused for one recipient")
            failed.append(code.user)
        except EMAIL_SEND_ERRORS as exc:
            logger.warning("activation e-mails stopped: %s", type(exc).__name__)
            failed += [c.user for c in usable[position:] if recipient(c.user)]
            without_email += [c.user for c in usable[position:] if not recipient(c.user)]
            break
    return EmailResult(sent, without_email, failed)


# --- activation (public) --------------------------------------------------------------------------


def _failure_key(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return f"sipko:activation-failures:{get_client_ip_address(request) or 'unknown'}"


def _check_throttle(key: str | None) -> None:
    if key and (cache.get(key) or 0) >= ACTIVATION_FAILURE_LIMIT:
        raise ValidationError(
            _("Terlalu banyak kode yang salah. Tunggu %(minutes)s menit, lalu coba lagi.")
            % {"minutes": ACTIVATION_FAILURE_WINDOW // 60},
            code="throttled",
        )


def _count_failure(key: str | None) -> None:
    if key:
        cache.add(key, 0, ACTIVATION_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, ACTIVATION_FAILURE_WINDOW)


def _usable_code(raw: str, request: HttpRequest | None, *, for_update: bool) -> ActivationCode:
    """The code typed, if it can still be used; a clear reason otherwise."""
    key = _failure_key(request)
    _check_throttle(key)
    code = normalise_code(raw)
    rows = ActivationCode.objects.select_for_update() if for_update else ActivationCode.objects
    found = None
    if len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET):
        found = rows.filter(code_hash=protected.lookup_hash(code)).first()
    if found is None:
        _count_failure(key)
        raise ValidationError(
            _("Kode aktivasi tidak dikenal. Periksa kembali kode pada slip Anda."), code="unknown"
        )
    state = code_state(found)
    if state == CodeState.USED:
        message = _(
            "Kode ini sudah dipakai. Masuk dengan nama pengguna dan kata sandi Anda, atau minta "
            "kode baru kepada Kesbangpol."
        )
    elif state == CodeState.REVOKED:
        message = _(
            "Kode ini sudah tidak berlaku karena diganti kode baru atau dicabut. Pakai kode "
            "terbaru, atau minta kode baru kepada Kesbangpol."
        )
    elif state == CodeState.EXPIRED:
        message = _("Kode ini sudah kedaluwarsa. Minta kode baru kepada Kesbangpol.")
    elif not found.user.is_active:
        message = _("Akun ini sedang dinonaktifkan. Hubungi Kesbangpol.")
    else:
        return found
    raise ValidationError(message, code=state)


def activation_code_check(raw: str, *, request: HttpRequest | None = None) -> User:
    """The account a typed code would activate (the page's first step), or a clear reason."""
    return _usable_code(raw, request, for_update=False).user


@transaction.atomic
def activate(
    code: str, password1: str, password2: str, *, request: HttpRequest | None = None
) -> User:
    """Take an account into use with its activation code and a password chosen now.

    The code row is locked, so two requests with the same code cannot both use it. Wrong codes
    count against the client address (`request`): after ACTIVATION_FAILURE_LIMIT of them within
    ACTIVATION_FAILURE_WINDOW seconds, every try is refused until the window passes."""
    found = _usable_code(code, request, for_update=True)
    user = lock(found.user)
    if not user.is_active:
        raise ValidationError(_("Akun ini sedang dinonaktifkan. Hubungi Kesbangpol."))
    if not password1:
        raise ValidationError({"password1": _("Isi kata sandi baru.")})
    if password1 != password2:
        raise ValidationError({"password2": _("Kedua kata sandi tidak sama.")})
    try:
        password_validation.validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    now = timezone.now()
    user.set_password(password1)
    user.must_change_password = False
    user.activated_at = user.activated_at or now
    audited(user, user, "aktivasi")
    user.save()
    found.used_at = now
    found.code_encrypted = ""
    found.save(update_fields=["used_at", "code_encrypted"])
    record_event(user, Kind.ACTIVATED, user)
    return user
