"""The importer's vocabulary: bidang, legal form, activity status and letter-type words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sipko.lib.text import compact, fold
from sipko.registry.models import ActivityStatus, Bidang, LegalForm

OTHER_BIDANG = "lainnya"
_BIDANG_SEPARATORS = re.compile(r"\s*(?:[,;/\n&+]|\bdan\b|\bserta\b)\s*", re.IGNORECASE)
_FILLER_WORDS = {"bidang", "kegiatan", "dan", "serta", "yang"}


class BidangIndex:
    """Bidang by folded name, code and synonym (the configurable list, loaded once)."""

    def __init__(self, bidang: Iterable[Bidang]):
        self.by_key: dict[str, Bidang] = {}
        self.other: Bidang | None = None
        for item in bidang:
            if item.code == OTHER_BIDANG:
                self.other = item
            words = [item.code.replace("_", " "), item.name, *item.synonyms.split(",")]
            for word in words:
                if key := fold(word):
                    self.by_key.setdefault(key, item)
                    self.by_key.setdefault(key.replace(" ", ""), item)

    def match(self, cell: str) -> tuple[list[Bidang], list[str]]:
        """(known bidang in order, words not recognised as written in the cell)."""
        whole = self._lookup(cell)
        if whole is not None:
            return [whole], []
        known: list[Bidang] = []
        unknown: list[str] = []
        for part in _BIDANG_SEPARATORS.split(cell):
            if not fold(part):
                continue
            found = self._lookup(part)
            if found is not None:
                known.append(found)
                continue
            # "Sosial Keagamaan": every word a bidang of its own.
            words = [w for w in fold(part).split() if w not in _FILLER_WORDS]
            each = [self.by_key.get(w) for w in words]
            if words and all(each):
                known.extend(b for b in each if b is not None)
            else:
                unknown.append(" ".join(part.split()))
        return list(dict.fromkeys(known)), unknown

    def _lookup(self, text: str) -> Bidang | None:
        key = fold(text)
        if key.startswith("bidang "):
            key = key.removeprefix("bidang ")
        return self.by_key.get(key) or self.by_key.get(key.replace(" ", ""))


_NOT_A_LEGAL_ENTITY = (
    "tidak berbadan",
    "belum berbadan",
    "non badan",
    "nonbadan",
    "bukan badan",
    "tanpa badan",
    "tidak bh",
    "belum bh",
    "non bh",
)
_GENERIC_LEGAL_ENTITY = {"berbadan hukum", "badan hukum", "bh", "sudah berbadan hukum", "ya"}


def legal_form_of(cell: str) -> tuple[str | None, bool]:
    """(legal form, or None when unknown; whether the cell only says "berbadan hukum").

    "-" means *tidak berbadan hukum*: offices leave the dash where there is no legal entity.
    """
    if cell.strip() in {"-", "–", "—"}:
        return LegalForm.TIDAK_BERBADAN_HUKUM, False
    key = fold(cell)
    words = key.split()
    if key == "tbh" or any(key.startswith(prefix) for prefix in _NOT_A_LEGAL_ENTITY):
        return LegalForm.TIDAK_BERBADAN_HUKUM, False
    if "asing" in words:
        return LegalForm.ORMAS_ASING, False
    if "yayasan" in words:
        return LegalForm.YAYASAN, False
    if "perkumpulan" in words:
        return LegalForm.PERKUMPULAN, False
    if key in {"lainnya", "lain lain"}:
        return LegalForm.LAINNYA, False
    return None, key in _GENERIC_LEGAL_ENTITY


# Checked in order: "tidak aktif" before "aktif".
_STATUS_PHRASES = (
    ("tidak ditemukan", ActivityStatus.TIDAK_DITEMUKAN),
    ("tidak diketahui", ActivityStatus.TIDAK_DITEMUKAN),
    ("tidak aktif", ActivityStatus.TIDAK_AKTIF),
    ("non aktif", ActivityStatus.TIDAK_AKTIF),
    ("nonaktif", ActivityStatus.TIDAK_AKTIF),
    ("vakum", ActivityStatus.TIDAK_AKTIF),
    ("vacum", ActivityStatus.TIDAK_AKTIF),
    ("pasif", ActivityStatus.TIDAK_AKTIF),
    ("beku", ActivityStatus.DIBEKUKAN),
    ("bubar", ActivityStatus.BUBAR),
    ("aktif", ActivityStatus.AKTIF),
)


def activity_status_of(cell: str) -> str | None:
    key = fold(cell)
    for phrase, status in _STATUS_PHRASES:
        if phrase in key:
            return status
    return None


LOCAL_LETTER_TYPES = ("SKTL", "STTL", "SKKO", "SKL")


def letter_kind_of(cell: str) -> tuple[str | None, str]:
    """A letter-type cell → ("skt" | "ahu" | "local" | None, type label for local letters)."""
    key = compact(cell)
    if not key:
        return None, ""
    for letter_type in LOCAL_LETTER_TYPES:
        if key.startswith(letter_type.lower()):
            return "local", letter_type
    if key.startswith("skt") or key == "suratketeranganterdaftar":
        return "skt", ""
    if "ahu" in key or "kemenkumham" in key or "badanhukum" in key:
        return "ahu", ""
    # Regions name their acknowledgement letters differently; keep what the file says.
    return "local", " ".join(cell.split()).upper()[:20]
