"""User management in the region: list, create, detail with audit trail, edit, (de)activate,
temporary password and activation codes (docs/accounts.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access, services, slips
from sipko.accounts.forms_users import UserFilterForm, UserForm
from sipko.accounts.models import User


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage_users(request.user):
        raise PermissionDenied


def _target(request: HttpRequest, pk: int) -> User:
    """An account in the user's reach (404 outside it)."""
    _require_manager(request)
    return get_object_or_404(
        access.users_visible_to(request.user).select_related("ormas", "region"), pk=pk
    )


def _manageable(request: HttpRequest, pk: int) -> User:
    target = _target(request, pk)
    if not access.can_manage_user(request.user, target):
        raise PermissionDenied
    return target


def _secret_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A page showing a code or password once: never kept by a browser or proxy cache."""
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserFilterForm(request.GET or None)
    queryset = form.filter(
        access.users_visible_to(request.user)
        .select_related("ormas", "region")
        .order_by("-is_active", "role", "username")
    )
    page = Paginator(queryset, settings.SIPKO_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_onboard": access.can_manage_users(request.user),
    }
    return render(request, "accounts/users/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(request.user, **form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            emailed = (
                form.cleaned_data["send_code_by_email"]
                and created.user.activation_codes.filter(emailed_at__isnull=False).exists()
            )
            return _secret_page(
                request,
                "accounts/users/code_issued.html",
                {"target": created.user, "code": created.code, "created": True, "emailed": emailed},
            )
    return render(request, "accounts/users/form.html", {"form": form, "target": None})


def _two_factor_enabled(target: User) -> bool:
    """Whether the account has a second factor (helper H2's module; absent in older trees)."""
    try:
        from sipko.accounts.two_factor import has_two_factor
    except ImportError:
        return False
    return bool(has_two_factor(target))


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    can_manage = access.can_manage_user(request.user, target)
    codes = [(code, services.code_state(code)) for code in target.activation_codes.all()[:10]]
    context = {
        "target": target,
        "can_manage": can_manage,
        "codes": codes,
        "has_usable_code": any(s == services.CodeState.USABLE for _c, s in codes),
        "events": target.account_events.select_related("actor")[:50],
        "has_two_factor": can_manage and _two_factor_enabled(target),
    }
    return render(request, "accounts/users/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _manageable(request, pk)
    form = UserForm(request.POST or None, actor=request.user, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(request.user, target, **form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Akun tersimpan."))
            return redirect("users:detail", pk=target.pk)
    return render(request, "accounts/users/form.html", {"form": form, "target": target})


# What each confirmation page says, and the service behind it.
ACTIONS = {
    "deactivate": (
        services.user_deactivate,
        _("Nonaktifkan akun"),
        _(
            "Akun ini tidak dapat masuk lagi sampai diaktifkan kembali. Kode aktivasi yang belum "
            "dipakai dicabut. Data yang sudah diisi tetap tersimpan."
        ),
        _("Akun dinonaktifkan."),
    ),
    "reactivate": (
        services.user_reactivate,
        _("Aktifkan kembali akun"),
        _("Akun ini dapat masuk lagi dengan kata sandinya (atau kode aktivasi baru)."),
        _("Akun diaktifkan kembali."),
    ),
}


def _confirmed_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    target = _manageable(request, pk)
    service, title, explanation, done = ACTIONS[action]
    if request.method == "POST":
        try:
            service(request.user, target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, str(done))
        return redirect("users:detail", pk=target.pk)
    context = {"target": target, "title": title, "explanation": explanation, "action": action}
    return render(request, "accounts/users/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_action(request, pk, "deactivate")


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_action(request, pk, "reactivate")


@login_required
@require_http_methods(["GET", "POST"])
def user_temporary_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _manageable(request, pk)
    if request.method == "POST":
        try:
            password = services.user_set_temporary_password(request.user, target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("users:detail", pk=target.pk)
        return _secret_page(
            request,
            "accounts/users/temporary_password.html",
            {"target": target, "password": password},
        )
    context = {
        "target": target,
        "title": _("Beri kata sandi sementara"),
        "explanation": _(
            "SIPKO membuat kata sandi acak yang ditampilkan sekali saja. Sampaikan langsung kepada "
            "pemilik akun; ia wajib menggantinya saat masuk berikutnya. Kata sandi lama dan kode "
            "aktivasi yang belum dipakai tidak berlaku lagi."
        ),
        "action": "temporary_password",
    }
    return render(request, "accounts/users/confirm.html", context)


@login_required
@require_POST
def code_issue(request: HttpRequest, pk: int) -> HttpResponse:
    target = _manageable(request, pk)
    try:
        code = services.activation_code_issue(request.user, target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("users:detail", pk=target.pk)
    return _secret_page(
        request, "accounts/users/code_issued.html", {"target": target, "code": code}
    )


@login_required
def code_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The slip of the account's code that can still be used (one page, to print)."""
    target = _manageable(request, pk)
    codes = list(services.usable_codes().filter(user=target).select_related("user__ormas"))
    if not codes:
        raise Http404(_("Akun ini tidak punya kode aktivasi yang masih berlaku."))
    return slips.pdf_response(codes, f"slip-aktivasi-{target.pk}.pdf")
