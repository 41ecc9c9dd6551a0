"""What a signed-in user must do before anything else (docs/accounts.md#two-factor-sign-in).

Every request of a signed-in user passes here, the Django admin's included, after django-otp's
middleware has said whether the session was verified with a second factor:

1. An account with an authenticator device whose session was not verified with it (it signed
   in before the device was added, elsewhere, or the session predates two-factor sign-in), and
   a session whose device is gone (an admin's reset, the factor turned off or its recovery codes
   renewed in another session), is signed out and sent to the sign-in page, whatever page it
   asked for: such an account signs in with a code.
2. A temporary password (`must_change_password`): every page leads to *Ganti kata sandi*.
3. A role that requires a second factor (`access.two_factor_required`) without a device: every
   page leads to setting one up.

For duties 2 and 3, signing out, these pages themselves, the language switch and static files
stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.accounts.two_factor import session_lost_its_code

# Pages a user who still has something to do may open.
OPEN_PAGES = frozenset(
    {
        "logout",
        "login",
        "two_factor_verify",
        "two_factor_setup",
        "password_change",
        "password_change_done",
        "set_language",
    }
)


class AccountDutiesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not self._static(request):
            if session_lost_its_code(request):
                logout(request)
                messages.info(request, _("Masuk lagi dengan kata sandi dan kode verifikasi Anda."))
                if not self._open(request):
                    return _to("login", request)
            elif not self._open(request):
                redirect = self._duty(request)
                if redirect is not None:
                    return redirect
        return self.get_response(request)

    @staticmethod
    def _static(request: HttpRequest) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return request.path_info.startswith(static)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 page shows nothing of the account's
        return match.view_name in OPEN_PAGES

    @staticmethod
    def _duty(request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if user.must_change_password:
            messages.warning(
                request, _("Anda masuk dengan kata sandi sementara. Ganti dulu kata sandi Anda.")
            )
            return _to("password_change", request)
        # Past `session_lost_its_code`, an account with a device has given its code here.
        if not user.is_verified() and access.two_factor_required(user):
            messages.warning(
                request,
                _("Peran Anda wajib memakai verifikasi dua langkah. Pasang dulu sebelum lanjut."),
            )
            return _to("two_factor_setup", request)
        return None


def _to(name: str, request: HttpRequest) -> HttpResponse:
    """A redirect to `name` that comes back to the page asked for (GET pages only)."""
    url = reverse(name)
    if request.method == "GET" and not request.htmx:  # type: ignore[attr-defined]
        url += "?" + urlencode({"next": request.get_full_path()})
    response = HttpResponseRedirect(url)
    if request.htmx:  # type: ignore[attr-defined]
        response["HX-Redirect"] = url
    return response
