from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from sipko.lib import protected
from sipko.lib.dates import DateParseError, add_years, parse_date
from sipko.lib.phones import normalise_phone
from sipko.lib.text import compact, name_key, registration_key
from sipko.lib.uploads import DOCUMENT_TYPES, PDF, PNG, check_upload

JULY_29 = dt.date(2025, 7, 29)


@pytest.mark.parametrize(
    "value",
    [
        "29/07/2025",
        "29-07-2025",
        "29.07.2025",
        "2025-07-29",
        "29 Juli 2025",
        "29 Jul 2025",
        "29 juli 2025",
        " 29  Juli  2025 ",
        45867,
        45867.0,
        "45867",
        dt.datetime(2025, 7, 29, 8, 0),
        JULY_29,
    ],
)
def test_parse_date_accepts_every_office_format(value: object) -> None:
    assert parse_date(value) == JULY_29


@pytest.mark.parametrize(
    "value", ["31/02/2025", "2025/13/01", "kemarin", "29 Julii 2025", "1/2/25", 0]
)
def test_parse_date_refuses_what_it_cannot_read(value: object) -> None:
    with pytest.raises(DateParseError):
        parse_date(value)


@pytest.mark.parametrize("value", [None, "", "  ", "-"])
def test_parse_date_empty_is_none(value: object) -> None:
    assert parse_date(value) is None


def test_add_years_handles_leap_day() -> None:
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)
    assert add_years(dt.date(2021, 3, 1), 5) == dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0342) 801234", "+62342801234"),
        (81234567890.0, "+6281234567890"),
        ("12", None),
        ("+1 202 555 0100", None),
        ("", None),
        ("tidak ada", None),
    ],
)
def test_normalise_phone(raw: object, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


def test_name_key_ignores_generic_words_case_and_punctuation() -> None:
    assert name_key("Yayasan Al-Hikmah") == name_key("AL HIKMAH") == "al hikmah"
    assert name_key("Paguyuban Seni Tirta Wening") == name_key("PAGUYUBAN SENI TIRTA-WENING")
    assert name_key("Paguyuban") == "paguyuban"  # never empty
    assert compact("P.M.I.") == compact("pmi")
    assert registration_key("220/12/410.206/2021") == registration_key("220 / 12 / 410.206 / 2021")


def test_nik_is_encrypted_hashed_and_masked() -> None:
    nik = "3572014507900001"
    token = protected.encrypt(nik)
    assert nik not in token
    assert protected.decrypt(token) == nik
    assert protected.decrypt("rusak") is None
    assert (
        protected.lookup_hash(nik)
        == protected.lookup_hash(nik)
        != protected.lookup_hash("3572014507900002")
    )
    assert protected.mask_nik(nik) == "3572••••••••0001"
    assert protected.mask_phone("+6281234567890") == "+62812•••••890"


@pytest.mark.parametrize(
    ("nik", "valid"),
    [
        ("3572014507900001", True),
        ("3572010101900001", True),
        ("357201450790000", False),
        ("0572014507900001", False),
        ("3572013213900001", False),
        ("35720145079000a1", False),
    ],
)
def test_nik_validation(nik: str, valid: bool) -> None:
    assert protected.is_valid_nik(nik) is valid


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_masked_nik_never_reveals_the_middle(nik: str) -> None:
    masked = protected.mask_nik(nik)
    assert masked[4:-4] == "•" * 8 and len(masked) == 16


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_upload_checked_by_content_not_name() -> None:
    assert (
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"), allowed=DOCUMENT_TYPES) == PDF
    )
    assert check_upload(SimpleUploadedFile("foto.pdf", _png()), allowed=DOCUMENT_TYPES) == PNG
    with pytest.raises(ValidationError, match="Jenis berkas tidak diterima"):
        check_upload(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary"), allowed=DOCUMENT_TYPES)
    with pytest.raises(ValidationError, match="Gambar rusak"):
        check_upload(SimpleUploadedFile("x.png", _png()[:40]), allowed=DOCUMENT_TYPES)
    with pytest.raises(ValidationError, match="kosong"):
        check_upload(SimpleUploadedFile("x.pdf", b""), allowed=DOCUMENT_TYPES)


def test_upload_size_limit(settings) -> None:
    settings.SIPKO_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="terlalu besar"):
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 200), allowed=DOCUMENT_TYPES)
