"""Signing in (password, then a code where the account has a second factor) and passwords."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sipko.accounts import own_account, two_factor
from sipko.accounts.forms_auth import (
    CodeForm,
    LoginForm,
    OwnPasswordChangeForm,
    ResetRequestForm,
    ResetSetPasswordForm,
)


def safe_next(request: HttpRequest, target: str | None) -> str:
    """`target` if it is a page of this site, else the landing page."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Step 1: the password. An account with a second factor is not signed in yet: the session
    remembers it for a few minutes and the code page asks for the code."""

    form_class = LoginForm
    template_name = "registration/login.html"

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        if two_factor.has_two_factor(user):
            two_factor.pending_start(self.request, user, self.get_success_url())
            return redirect("two_factor_verify")
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_without_two_factor"] = (
            settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR and settings.SIPKO_TWO_FACTOR_REQUIRED
        )
        return context


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the authenticator app, or a recovery code."""
    user, pending = two_factor.pending_user(request)
    if user is None:
        messages.info(request, _("Waktu masuk habis. Masukkan lagi nama pengguna dan kata sandi."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor.verify_code(user, form.cleaned_data["code"])
        if result.ok:
            two_factor.pending_clear(request)
            auth_login(request, user, backend=pending["backend"])
            two_factor.session_verified(request, result.device)
            if result.recovery:
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode pemulihan; kode itu kini tidak berlaku. Sisa "
                        "%(count)s kode."
                    )
                    % {"count": two_factor.recovery_codes_left(user)},
                )
            return HttpResponseRedirect(safe_next(request, pending.get("next")))
        if result.wait_until:
            form.add_error("code", two_factor.wait_message(result.wait_until))
        elif two_factor.pending_failed(request):
            messages.error(
                request, _("Terlalu banyak kode salah. Masuk lagi dengan kata sandi Anda.")
            )
            return redirect("login")
        else:
            form.add_error("code", _("Kode salah atau sudah dipakai."))
    return render(request, "accounts/auth/two_factor_verify.html", {"form": form, "pending": user})


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The Django admin's login page: SIPKO's own sign-in, so the admin cannot skip the code."""
    target = request.GET.get("next") or reverse("admin:index")
    # Signed in here, the middleware has already asked for the second factor.
    if request.user.is_authenticated and admin.site.has_permission(request):
        return HttpResponseRedirect(safe_next(request, target))
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")


# --- passwords ----------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change_form.html"

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:
        user = self.request.user
        own_account.password_set(actor=user, user=user, password=form.cleaned_data["new_password1"])
        # The other sessions of the account end; this one stays signed in (and verified).
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target:
            return HttpResponseRedirect(safe_next(self.request, target))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next", "")
        return context


class _ReadOnlyPage:
    """A page that only reads answers a POST as a GET, like SIPKO's other pages."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)  # type: ignore[attr-defined]


class PasswordChangeDoneView(_ReadOnlyPage, auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


RESET_MAIL_INTERVAL = 10 * 60  # seconds


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address; answers the same page, as fast, whether or not an account
    has it: the mail goes out in the background (`own_account.send_password_reset`)."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        # Django's choice of accounts: active, with a password, the address matching. One link
        # per account every RESET_MAIL_INTERVAL, so the page cannot flood anyone's inbox.
        for user in form.get_users(form.cleaned_data["email"]):
            if cache.add(f"sipko:reset-mail:{user.pk}", True, RESET_MAIL_INTERVAL):
                own_account.send_password_reset.enqueue(user.pk)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(_ReadOnlyPage, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm
    template_name = "registration/password_reset_confirm.html"

    def get_user(self, uidb64: str) -> Any:
        """The link of a deactivated account is invalid (it was mailed while it was active)."""
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: ResetSetPasswordForm) -> HttpResponse:
        own_account.password_set(
            actor=self.user,
            user=self.user,
            password=form.cleaned_data["new_password1"],
            reset=True,
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(_ReadOnlyPage, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
