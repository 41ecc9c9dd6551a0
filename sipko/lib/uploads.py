"""Checks on uploaded files: type by content (never by name), size, image integrity."""

from __future__ import annotations

import io
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
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
        return XLSX if _is_xlsx(head) else None
    return kind.mime


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
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
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception as exc:  # Pillow raises many types for broken images
            raise ValidationError(
                _("Gambar rusak atau tidak dapat dibaca."), code="bad_image"
            ) from exc
    if mime not in allowed:
        raise ValidationError(
            _("Jenis berkas tidak diterima. Yang diterima: %(types)s.")
            % {"types": ", ".join(_LABELS[m] for m in allowed)},
            code="bad_type",
        )
    return mime
