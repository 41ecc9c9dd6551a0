"""SIPKO's own middleware: the language of every page, and no control characters in a request.

Language choice: Bahasa Indonesia unless the user picked another language. Django's
LocaleMiddleware follows the browser's Accept-Language, so an official whose phone is set to
English would get English pages unasked. SIPKO is Indonesian first: only the explicit choice
(the language cookie set by the switch in the header) changes it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import bad_request

logger = logging.getLogger("django.security.ControlCharacter")


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# C0 control characters but tab, line feed and carriage return (textareas send CRLF).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharacterMiddleware:
    """A 400 page for a NUL or another control character in the URL or a form field.

    No page of SIPKO takes control characters, and a NUL that reaches a query is a 500 on
    PostgreSQL ("A string literal cannot contain NUL"), wherever the text goes: a search box
    (`/penilaian/?q=%00`), a slug or a form. Checked here once, before any view or the session
    can use the text. Only form fields are read, never uploaded files' contents; upload file
    names are cleaned by Django itself. The session cookie is checked too: its value is the
    key of a database query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_control_character(request):
            logger.warning("Control character in request to %r refused", request.path)
            return bad_request(request, SuspiciousOperation("control character"))
        return self.get_response(request)

    @staticmethod
    def _has_control_character(request: HttpRequest) -> bool:
        texts = [request.path, request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")]
        fields = [request.GET]
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                texts.append(key)
                texts.extend(values)
        return any(_CONTROL_CHARACTER.search(text) for text in texts)
