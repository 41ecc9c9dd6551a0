"""Helpers the reporting views share: scoped report lookup, refusals as text, browser drafts."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.reporting.models import ActivityReport

CLEARED_DRAFTS = "reporting_cleared_drafts"


def draft_key(request: HttpRequest, subject: str) -> str:
    """The browser-side key of a form's unsaved draft; per user, so a shared phone keeps apart."""
    return f"u{request.user.pk}:{subject}"


def draft_saved(request: HttpRequest, key: str) -> None:
    """Tell the next page to clear this draft from the browser: the server has it now."""
    request.session[CLEARED_DRAFTS] = [*request.session.get(CLEARED_DRAFTS, []), key]


def cleared_drafts(request: HttpRequest) -> str:
    return " ".join(request.session.pop(CLEARED_DRAFTS, []))


def error_text(exc: ValidationError, subject: Any = None) -> str:
    """A service's refusal as one sentence; illegal workflow moves name the current state."""
    if getattr(exc, "code", None) == "illegal_transition" and subject is not None:
        return _("Tindakan ini tidak dapat dilakukan pada laporan berstatus %(state)s.") % {
            "state": subject.get_state_display()
        }
    return " ".join(exc.messages)


def parse_uuid(value: str) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(value)
    except (ValueError, AttributeError) as exc:
        raise Http404 from exc


def get_report(request: HttpRequest, uuid: Any) -> ActivityReport:
    return get_object_or_404(
        access.reports_visible_to(request.user).select_related(
            "programme__ormas__region", "programme__period", "location", "verified_by"
        ),
        uuid=uuid,
    )
