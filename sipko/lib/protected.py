"""Protection of personal identifiers (NIK): encryption at rest, keyed hashes for matching, masks.

A NIK is stored twice, never in clear: Fernet ciphertext (to show it to the few who may see it)
and an HMAC-SHA256 digest (to find one person chairing several ormas without decrypting).
Both keys derive from settings.FIELD_ENCRYPTION_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NIK_RE = re.compile(r"^\d{16}$")


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"sipko-protected-fields", info=b"v1"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(material[:32])), material[32:]


def encrypt(value: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    """The clear value, or None when the token was made with another key."""
    if not token:
        return None
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def lookup_hash(value: str) -> str:
    _, mac_key = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(mac_key, value.encode(), hashlib.sha256).hexdigest()


def normalise_nik(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw or "")


def is_valid_nik(nik: str) -> bool:
    """16 digits whose first two are a plausible province code (11–99) and month-day plausible."""
    if not NIK_RE.match(nik):
        return False
    day = int(nik[6:8])
    day = day - 40 if day > 40 else day  # women's NIK add 40 to the birth day
    month = int(nik[8:10])
    return int(nik[:2]) >= 11 and 1 <= day <= 31 and 1 <= month <= 12


def mask_nik(nik: str | None) -> str:
    """`3572011234560001` → `3572••••••••0001`: region prefix and last four only."""
    if not nik:
        return ""
    return nik[:4] + "•" * (len(nik) - 8) + nik[-4:]


def mask_phone(phone: str | None) -> str:
    """`+6281234567890` → `+62812•••••890`."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "•" * len(phone)
    return phone[:6] + "•" * (len(phone) - 9) + phone[-3:]
