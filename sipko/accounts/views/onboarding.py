"""Bulk onboarding: one operator account per chosen ormas, then the batch's slips and e-mails.

Choosing → confirmation page listing exactly the accounts to be made (ormas → username) →
the batch page. The confirmation posts the ormas ids it showed, so "all active" means the
list the admin saw, not whatever matches when the button is pressed.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access, services, slips
from sipko.accounts.forms_users import OnboardForm
from sipko.accounts.models import ActivationCode
from sipko.registry.models import Ormas


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage_users(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def onboard(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    candidates = list(access.ormas_awaiting_operator(request.user).select_related("region"))
    form = OnboardForm(
        request.POST or None,
        candidates=candidates,
        choosable=Ormas.objects.current().for_user(request.user),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        try:
            if form.cleaned_data["confirm"]:
                batch = services.onboard_ormas(request.user, chosen)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s akun operator dibuat.", "%(n)s akun operator dibuat.", len(chosen)
                    )
                    % {"n": len(chosen)},
                )
                return redirect("users:batch", batch=batch)
            plan = services.onboarding_plan(request.user, chosen)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "accounts/users/onboard_confirm.html", {"plan": plan})
    return render(request, "accounts/users/onboard.html", {"form": form, "candidates": candidates})


def _batch_codes(request: HttpRequest, batch: uuid.UUID) -> list[ActivationCode]:
    """The batch's codes: 404 when none of its accounts is in the user's reach, 403 when some
    are not the user's to manage (the service decides)."""
    _require_manager(request)
    visible = access.users_visible_to(request.user)
    if not ActivationCode.objects.filter(batch=batch, user__in=visible).exists():
        raise Http404
    return services.batch_codes(request.user, batch)


@login_required
def batch_detail(request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
    codes = _batch_codes(request, batch)
    rows = [(code, services.code_state(code)) for code in codes]
    usable = [code for code, state in rows if state == services.CodeState.USABLE]
    without_email = [c.user for c in usable if not services.recipient(c.user)]
    context = {
        "batch": batch,
        "rows": rows,
        "usable": len(usable),
        # The same rule as `activation_emails_send`: usable, not e-mailed yet, with an address.
        "can_email": any(not c.emailed_at and services.recipient(c.user) for c in usable),
        "without_email": without_email,
    }
    return render(request, "accounts/users/batch.html", context)


@login_required
def batch_slips(request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
    codes = _batch_codes(request, batch)
    usable = [c for c in codes if services.code_state(c) == services.CodeState.USABLE]
    if not usable:
        messages.warning(request, _("Tidak ada kode yang masih berlaku dalam kelompok ini."))
        return redirect("users:batch", batch=batch)
    return slips.pdf_response(usable, f"slip-aktivasi-{str(batch)[:8]}.pdf")


def _names(users: list) -> str:
    return ", ".join(u.ormas.name if u.ormas else u.username for u in users)


@login_required
@require_POST
def batch_email(request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
    _batch_codes(request, batch)
    try:
        sent, without_email, failed = services.activation_emails_send(request.user, batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("users:batch", batch=batch)
    messages.success(
        request,
        ngettext(
            "Tautan aktivasi dikirim ke %(n)s alamat surel.",
            "Tautan aktivasi dikirim ke %(n)s alamat surel.",
            sent,
        )
        % {"n": sent},
    )
    if without_email:
        messages.warning(
            request,
            _("Tanpa alamat surel (serahkan slip cetak): %(names)s.")
            % {"names": _names(without_email)},
        )
    if failed:
        messages.error(
            request,
            _(
                "Surel tidak terkirim ke: %(names)s. Periksa alamat surelnya, coba lagi nanti, "
                "atau serahkan slip cetak."
            )
            % {"names": _names(failed)},
        )
    return redirect("users:batch", batch=batch)
