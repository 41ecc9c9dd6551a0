"""Text normalisation shared by duplicate detection, import matching and search."""

from __future__ import annotations

import re
import unicodedata

# Words that say what kind of body it is, not which one: "Yayasan Al Hikmah" ≈ "Al-Hikmah".
_GENERIC_WORDS = {
    "yayasan",
    "perkumpulan",
    "ormas",
    "organisasi",
    "kemasyarakatan",
    "perhimpunan",
    "paguyuban",
    "dpc",
    "dpd",
    "pc",
    "pd",
    "pac",
    "cabang",
    "kota",
    "kabupaten",
    "kab",
}


def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def name_key(name: str) -> str:
    """Key under which two spellings of one ormas name meet (see docs/glossary.md#duplikat)."""
    words = [w for w in fold(name).split() if w not in _GENERIC_WORDS]
    return " ".join(words) or fold(name)


def compact(text: str) -> str:
    """Folded with no spaces at all: `P.M.I.` and `PMI` meet."""
    return fold(text).replace(" ", "")


def registration_key(number: str) -> str:
    """Registration numbers compared without case, spaces and punctuation."""
    return re.sub(r"[^0-9A-Z]", "", (number or "").upper())
