"""The public activation page (phone first): code → username shown, password chosen → signed in.

Step one takes the code (typed, or from the `#kode=` of the e-mailed link or the slip's QR
code, which activation.js fills in and submits; `?kode=` is read too); step two shows whose
account it is and asks for the password twice. The code is checked
again, under lock, when the password is set.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import services
from sipko.accounts.forms_users import ActivationCodeForm, ActivationPasswordForm

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _page(request: HttpRequest, context: dict) -> HttpResponse:
    response = render(request, "accounts/activation/activate.html", context)
    add_never_cache_headers(response)
    return response


def _code_step(request: HttpRequest, form: ActivationCodeForm) -> HttpResponse:
    return _page(request, {"code_form": form})


def _password_step(
    request: HttpRequest, code: str, form: ActivationPasswordForm | None = None
) -> HttpResponse:
    """Step two for a code already checked: whose account, and the password fields."""
    account = services.activation_code_check(code, request=request)
    form = form or ActivationPasswordForm(initial={"kode": services.format_code(code)})
    return _page(request, {"password_form": form, "account": account})


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "password1" in request.POST:
        form = ActivationPasswordForm(request.POST)
        code = request.POST.get("kode", "")
        if form.is_valid():
            try:
                user = services.activate(
                    form.cleaned_data["kode"],
                    form.cleaned_data["password1"],
                    form.cleaned_data["password2"],
                    request=request,
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):  # the code itself: back to step one
                    return _code_step(request, _refused(code, exc))
                form.add_error(None, exc)
            else:
                login(request, user, backend=MODEL_BACKEND)
                messages.success(request, _("Akun Anda sudah aktif. Selamat datang di SIPKO!"))
                return redirect("home")
        try:
            return _password_step(request, code, form)
        except ValidationError as exc:
            return _code_step(request, _refused(code, exc))

    raw = request.POST.get("kode") if request.method == "POST" else request.GET.get("kode")
    if raw is None:
        return _code_step(request, ActivationCodeForm())
    form = ActivationCodeForm({"kode": raw})
    if form.is_valid():
        try:
            return _password_step(request, form.cleaned_data["kode"])
        except ValidationError as exc:
            return _code_step(request, _refused(raw, exc))
    return _code_step(request, form)


def _refused(code: str, exc: ValidationError) -> ActivationCodeForm:
    form = ActivationCodeForm(initial={"kode": code})
    form.errors["kode"] = form.error_class(exc.messages)
    return form
