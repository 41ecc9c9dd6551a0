"""The landing page (*Yang perlu dikerjakan*), notifications and the reminders page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sipko.accounts import access
from sipko.inbox import selectors, services
from sipko.inbox.models import Notification
from sipko.inbox.todo import todo_for

NOTIFICATIONS_PER_PAGE = 20
LOG_PER_PAGE = 30


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors sign in; everyone else sees what is waiting for them."""
    if not request.user.is_authenticated:
        return redirect("login")
    return render(
        request,
        "inbox/home.html",
        {
            "todo": todo_for(request.user),
            "own_ormas": access.own_ormas(request.user),
            "may_send_reminders": services.may_send_reminders(
                request.user, request.user.region_id or ""
            ),
        },
    )


# --- notifications -----------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    unread = selectors.notifications_for(request.user).filter(read_at__isnull=True).exists()
    return render(request, "inbox/notifications.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    url = services.notification_open(actor=request.user, notification=notification)
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("inbox:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(actor=request.user)
    if count:
        messages.success(request, _("%(n)s pemberitahuan ditandai sudah dibaca.") % {"n": count})
    return redirect("inbox:notifications")


# --- reminders ---------------------------------------------------------------------------------


def _reminder_region(request: HttpRequest) -> str:
    """The region whose reminders the page shows: the admin's own scope; the national admin
    picks one (`wilayah`) or sees the whole country. 403 for anyone else, 404 for a region
    outside the admin's scope."""
    user = request.user
    if not access.can_administer_registry(user):
        raise PermissionDenied
    wanted = (request.POST.get("wilayah") or request.GET.get("wilayah") or "").strip()
    region_code = wanted or user.region_id or ""
    if not services.may_send_reminders(user, region_code):
        raise Http404
    if wanted and not selectors.region_choices().filter(code=wanted).exists():
        raise Http404
    return region_code


def _reminder_context(request: HttpRequest, region_code: str) -> dict:
    log = Paginator(selectors.reminder_log(region_code), LOG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return {
        "region_code": region_code,
        "region": selectors.region_choices().filter(code=region_code).first(),
        "previews": selectors.reminder_previews(region_code),
        "log": log,
        "log_rows": selectors.log_rows(list(log.object_list)),
        "query": f"wilayah={region_code}" if region_code else "",
        # The national admin chooses a region; a region admin works in its own.
        "regions": selectors.region_choices() if access.in_scope(request.user, "") else None,
    }


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    region_code = _reminder_region(request)
    return render(request, "inbox/reminders.html", _reminder_context(request, region_code))


@login_required
def reminders_send(request: HttpRequest) -> HttpResponse:
    """GET: what will be sent, for confirmation. POST: send exactly that."""
    region_code = _reminder_region(request)
    if request.method == "POST":
        try:
            count = services.reminders_send(
                actor=request.user,
                region_code=region_code,
                confirmed=request.POST.getlist("pesan"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "%(n)s surel pengingat sedang dikirim di latar belakang. Yang sudah terkirim "
                    "pindah dari daftar ke catatan pengiriman; muat ulang halaman untuk melihat "
                    "kemajuannya."
                )
                % {"n": count},
            )
        url = redirect("inbox:reminders").url
        return redirect(f"{url}?wilayah={region_code}" if region_code else url)
    return render(request, "inbox/reminders_send.html", _reminder_context(request, region_code))
