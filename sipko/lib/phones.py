"""Indonesian phone numbers in E.164 form (`+62…`)."""

from __future__ import annotations

import re


def normalise_phone(raw: str | int | float | None) -> str | None:
    """`0812-3456-7890`, `62812…`, `+62 812…`, `812…` → `+62812…`; None when it cannot be a number.

    Landlines keep their area code (`(0342) 801234` → `+62342801234`).
    """
    if raw is None:
        return None
    if isinstance(raw, float):
        raw = str(int(raw))
    text = str(raw).strip()
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") and not digits.startswith("62"):
        return None  # a foreign number; not ours to normalise
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits
    else:
        return None
    national = national.lstrip("0")
    if not 7 <= len(national) <= 13:
        return None
    return "+62" + national
