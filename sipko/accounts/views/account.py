"""One's own account (*Akun saya*), its second factor, and an admin resetting someone else's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sipko.accounts import access, own_account, two_factor
from sipko.accounts.forms_auth import AccountForm, CodeForm, DisableTwoFactorForm
from sipko.accounts.models import User
from sipko.accounts.views.auth import safe_next


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        changed = own_account.account_update(actor=user, user=user, changes=changes)
        if changed:
            messages.success(request, _("Perubahan akun Anda disimpan."))
        else:
            messages.info(request, _("Tidak ada yang berubah."))
        return redirect("account")
    context = {
        "form": form,
        "account_user": user,
        "two_factor_on": two_factor.has_two_factor(user),
        "two_factor_required": access.two_factor_required(user),
    }
    return render(request, "accounts/auth/account.html", context)


# --- the second factor ----------------------------------------------------------------------------


@login_required
def two_factor_status(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "two_factor_on": two_factor.has_two_factor(user),
        "required": access.two_factor_required(user),
        "can_disable": two_factor.can_disable_two_factor(user),
        "codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "accounts/auth/two_factor.html", context)


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The recovery codes, shown once (never stored anywhere the user can open them again)."""
    grouped = [f"{code[:4]}-{code[4:]}" for code in codes]
    response = render(
        request, "accounts/auth/recovery_codes.html", {"codes": grouped, "next_url": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), confirm with a code, then keep the recovery codes."""
    user = request.user
    if two_factor.has_two_factor(user):
        messages.info(request, _("Verifikasi dua langkah sudah aktif."))
        return redirect("two_factor")
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = request.session.get(two_factor.SETUP_SESSION_KEY, "")
        try:
            device, codes = two_factor.two_factor_enable(
                actor=user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            request.session.pop(two_factor.SETUP_SESSION_KEY, None)
            two_factor.session_verified(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return _recovery_codes_page(request, codes, safe_next(request, next_url))
    key = two_factor.setup_key(request)
    context = {
        "form": form,
        "qr": two_factor.qr_data_uri(two_factor.config_url(user, key)),
        "key": two_factor.format_key(key),
        "required": access.two_factor_required(user),
        "next": next_url,
    }
    return render(request, "accounts/auth/two_factor_setup.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation (the old codes stop working); POST shows the new ones once."""
    user = request.user
    if not two_factor.has_two_factor(user):
        messages.info(request, _("Pasang verifikasi dua langkah dulu."))
        return redirect("two_factor")
    if request.method == "GET":
        return render(
            request,
            "accounts/auth/recovery_codes_confirm.html",
            {"codes_left": two_factor.recovery_codes_left(user)},
        )
    codes = two_factor.recovery_codes_renew(actor=user)
    # A session verified with a recovery code stays verified, by the authenticator device.
    two_factor.session_verified(request, two_factor.totp_device(user))
    messages.success(request, _("Kode pemulihan baru dibuat; kode lama tidak berlaku lagi."))
    return _recovery_codes_page(request, codes, reverse("two_factor"))


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off, with the password; not for roles that require it."""
    user = request.user
    if not two_factor.has_two_factor(user):
        return redirect("two_factor")
    if not two_factor.can_disable_two_factor(user):
        raise PermissionDenied(_("Peran Anda wajib memakai verifikasi dua langkah."))
    form = DisableTwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_disable(actor=user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc.messages[0])
        else:
            # The other sessions of the account sign in again; this one gave the password.
            two_factor.session_forgets_device(request)
            messages.success(request, _("Verifikasi dua langkah dimatikan."))
            return redirect("two_factor")
    return render(request, "accounts/auth/two_factor_disable.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator removes another account's second factor (a lost phone). GET lists what
    will happen; POST does it."""
    target = get_object_or_404(access.users_visible_to(request.user), pk=pk)
    if not access.can_manage_user(request.user, target):
        raise PermissionDenied
    back = _user_page(target)
    if request.method == "GET":
        context = {
            "target": target,
            "two_factor_on": two_factor.has_two_factor(target),
            "codes_left": two_factor.recovery_codes_left(target),
            "required": access.two_factor_required(target),
            "back": back,
        }
        return render(request, "accounts/auth/two_factor_reset.html", context)
    try:
        two_factor.two_factor_reset(request.user, target)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Verifikasi dua langkah %(user)s disetel ulang.") % {"user": target.username},
        )
    return redirect(back)


def _user_page(user: User) -> str:
    """The account's page in user management (or its list, or home, while those are built)."""
    for name, args in (("users:detail", [user.pk]), ("users:list", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse("home")
