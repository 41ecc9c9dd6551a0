"""Printable activation slips (PDF): handed out at a sosialisasi meeting, one per ormas.

Typst lays them out (typst/slips.typ); everything printed is passed in as JSON through
`sys.inputs`, never written into the Typst source, so an ormas name cannot inject markup.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import qrcode
import qrcode.image.svg
import typst
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sipko.accounts import services
from sipko.accounts.models import ActivationCode, Role

TEMPLATE = Path(__file__).parent / "typst" / "slips.typ"


def _qr_svg(link: str) -> str:
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _labels() -> dict[str, object]:
    return {
        "title": _("SIPKO — Slip aktivasi akun"),
        "username": _("Nama pengguna"),
        "code": _("Kode aktivasi"),
        "address": _("Alamat aktivasi"),
        "expires": _("Berlaku sampai"),
        "steps": [
            _("Buka alamat di atas di ponsel, atau pindai kode QR."),
            _("Ketik kode aktivasi (sudah terisi bila memindai QR)."),
            _("Pilih kata sandi dan ketik sekali lagi."),
            _("Selanjutnya masuk dengan nama pengguna dan kata sandi itu."),
        ],
    }


def _slip(code: ActivationCode, clear: str) -> dict[str, str]:
    user = code.user
    ormas = user.ormas if user.role == Role.OPERATOR and user.ormas else None
    return {
        "ormas": ormas.name if ormas else user.get_full_name() or user.username,
        "username": user.username,
        "code": services.format_code(clear),
        "qr": _qr_svg(services.activation_link(clear)),
        "site": f"{settings.SITE_URL}{reverse('users:activate')}",
        "expires": date_format(timezone.localtime(code.expires_at).date(), "DATE_FORMAT"),
    }


def slips_pdf(codes: Iterable[ActivationCode]) -> bytes:
    """One slip per usable code (codes whose clear text is gone are left out), six to a page."""
    # Handed to the ormas: in the site's language, whatever language the admin's pages are in.
    with translation.override(settings.LANGUAGE_CODE):
        slips = [_slip(code, clear) for code in codes if (clear := services.code_clear(code))]
        data = json.dumps({"labels": _labels(), "slips": slips})
    return typst.compile(TEMPLATE.read_bytes(), format="pdf", sys_inputs={"data": data})


def pdf_response(codes: Iterable[ActivationCode], filename: str) -> HttpResponse:
    response = HttpResponse(slips_pdf(codes), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
