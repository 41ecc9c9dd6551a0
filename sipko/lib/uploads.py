"""Checks on uploaded files: type by content (never by name), size, image integrity."""

from __future__ import annotations

import io
import warnings
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
DOCUMENT_TYPES = (PDF, JPEG, PNG)
# Stored files take their extension from the checked content, never from the uploader's name.
EXTENSION_BY_TYPE = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", XLSX: "XLSX", CSV: "CSV"}


def sniff(head: bytes) -> str | None:
    """The MIME type the content itself declares, for the types SIPKO accepts."""
    if head.startswith(b"%PDF-"):
        return PDF
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime == "application/zip":
        return XLSX if is_xlsx(head) else None
    return kind.mime


def is_xlsx(data: bytes) -> bool:
    """Whether a ZIP archive holds an Excel workbook (False for any damaged archive)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # zipfile raises many types for damaged archives: not an XLSX we can read
        return False


def check_upload(
    upload: UploadedFile, *, allowed: tuple[str, ...], max_bytes: int | None = None
) -> str:
    """Return the content type of a valid upload, or raise ValidationError in Indonesian."""
    limit = max_bytes or settings.SIPKO_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    mime = sniff(data)
    if mime in (JPEG, PNG):
        _check_image(data)
    if mime not in allowed:
        raise ValidationError(
            _("Jenis berkas tidak diterima. Yang diterima: %(types)s.")
            % {"types": ", ".join(_LABELS[m] for m in allowed)},
            code="bad_type",
        )
    return mime


def _check_image(data: bytes) -> None:
    """Refuse a picture whose header declares too many pixels, then one that is damaged.

    `Image.open` reads the header only; the pixel count is checked before `verify()` or any
    decoding, because a 20 KB PNG can declare 13,000 × 13,000 pixels and take a gigabyte to
    decode. Every later decode (the evidence thumbnail) only sees pictures that passed here.
    Pillow's own guard (`Image.MAX_IMAGE_PIXELS`, about 89 million) fires inside `open`, before
    the size can be read: its warning is silenced, since SIPKO's limit decides, and its error
    (past twice its limit) ends as the same form message.
    """
    limit = settings.SIPKO_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > limit:
                    raise _TooManyPixels(width, height)
                image.verify()
    except _TooManyPixels as exc:
        raise ValidationError(
            _(
                "Gambar terlalu besar (%(width)s × %(height)s piksel); batasnya %(limit)s juta "
                "piksel. Perkecil gambar lalu unggah lagi."
            )
            % {
                "width": number_format(exc.width, force_grouping=True),
                "height": number_format(exc.height, force_grouping=True),
                "limit": _millions(limit),
            },
            code="too_many_pixels",
        ) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _(
                "Gambar terlalu besar; batasnya %(limit)s juta piksel. Perkecil gambar lalu "
                "unggah lagi."
            )
            % {"limit": _millions(limit)},
            code="too_many_pixels",
        ) from exc
    except Exception as exc:  # Pillow raises many types for broken images
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="bad_image") from exc


class _TooManyPixels(Exception):
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        super().__init__(f"{width} × {height}")


def _millions(pixels: int) -> str:
    return number_format(pixels / 1_000_000, decimal_pos=0 if pixels % 1_000_000 == 0 else 1)
