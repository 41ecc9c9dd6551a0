"""Answers: what may be answered to each indicator type, and the 0–100 score it earns.

Two steps, kept apart so that the trace can show both:

1. `parse_answer` reads the text a person (or a CSV file) gave — "3", "3,0", "ya", "3/4",
   "NA" — into an `Answer` holding its exact value;
2. `normalised_score` turns that value into a score from 0 to 100 with the formula of the
   indicator's type (SPEC §3.5, docs/instrument.md#scoring).

The engine calls `normalised_score` again on every answer it scores, so an `Answer` built by
hand (the ORM layer, for system computations) is held to exactly the same rules as parsed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from .instrument import BANDED, LEVEL, RATIO, YESNO, Indicator
from .rounding import plain_decimal

_YES = frozenset({"ya", "yes", "1"})
_NO = frozenset({"tidak", "no", "0"})
_NOT_APPLICABLE = frozenset({"na", "n/a"})

# A number as people type it: optional sign, digits, and at most one decimal mark, either "."
# or "," (Indonesian). Thousands separators are refused rather than guessed, see _number().
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<whole>\d*)(?:(?P<mark>[.,])(?P<fraction>\d*))?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Answer:
    """One indicator's answer.

    `raw` is the canonical text of the answer ("3", "ya", "3/4", "0.75", "NA"), what the
    trace shows. `na` marks "not applicable" (*tidak berlaku*), and then `value` is None.
    Otherwise `value` is exact: the level for `level`, 1 or 0 for `yesno`, the uncapped ratio
    for `ratio` and the number for `banded`.
    """

    raw: str
    na: bool = False
    value: Fraction | None = None


NOT_APPLICABLE = Answer(raw="NA", na=True, value=None)


class AnswerError(ValueError):
    """An answer that is not valid for its indicator; `message` is Indonesian, for the person
    who gave the answer (it does not repeat the indicator's code, the caller knows it)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def parse_answer(indicator: Indicator, raw: str) -> Answer | None:
    """The answer written as `raw` for `indicator`, or None when `raw` is blank (unanswered).

    Accepted, per type (surrounding spaces ignored, case ignored):

    - any type: "NA" or "N/A" when the indicator allows N/A;
    - `level`: a number equal to one of the level values ("3", "3.0", "3,0");
    - `yesno`: "ya"/"yes"/"1" and "tidak"/"no"/"0";
    - `ratio`: a non-negative number ("0.75", "0,75") or "actual/target" ("3/4"), target > 0;
    - `banded`: a non-negative number ("12", "12.5", "12,5") not below the first threshold.

    Numbers take "." or a lone "," as decimal mark; thousands separators ("1.250.000") and
    forms that read both ways ("1.250": 1250 or 1.25?) are refused with an explanation.
    Raises AnswerError otherwise.
    """
    text = raw.strip()
    if not text:
        return None
    if text.casefold() in _NOT_APPLICABLE:
        answer = NOT_APPLICABLE
    elif indicator.type == YESNO:
        answer = _yes_no(text)
    elif indicator.type == RATIO:
        answer = _ratio(text)
    elif indicator.type in (LEVEL, BANDED):
        number = _number(text)
        answer = Answer(raw=plain_decimal(number), value=Fraction(number))
    else:
        raise ValueError(f"unknown indicator type {indicator.type!r}")
    normalised_score(indicator, answer)  # the type's own rules, with the same messages
    return answer


def normalised_score(indicator: Indicator, answer: Answer) -> Fraction | None:
    """The answer's score on 0..100, exactly; None for N/A. Raises AnswerError when the answer
    is not valid for the indicator (N/A not allowed, level not in the rubric, …).

    - level:  (v − min) / (max − min) × 100, min and max being the smallest and largest level
    - yesno:  ya → 100, tidak → 0
    - ratio:  min(r, cap) / cap × 100 — anything at or above the cap earns the full score
    - banded: the number's level k of n (thresholds are inclusive lower bounds) scored as a
              level from 1 to n: (k − 1) / (n − 1) × 100
    """
    if answer.na:
        if not indicator.accepts_na:
            raise AnswerError(_("Indikator ini tidak boleh dijawab NA (tidak berlaku)."))
        return None
    value = answer.value
    if value is None:
        raise AnswerError(_("Jawaban tanpa nilai; kosongkan saja bila belum dijawab."))
    if indicator.type == LEVEL:
        if value not in {Fraction(level.value) for level in indicator.levels}:
            raise AnswerError(
                _("Level '%(value)s' tidak ada di rubrik; pilih salah satu: %(levels)s.")
                % {
                    "value": answer.raw,
                    "levels": ", ".join(plain_decimal(level.value) for level in indicator.levels),
                }
            )
        low, high = Fraction(indicator.min_level), Fraction(indicator.max_level)
        return (value - low) / (high - low) * 100
    if indicator.type == YESNO:
        if value not in (0, 1):
            raise AnswerError(_("Jawab ya atau tidak."))
        return value * 100
    if indicator.type == RATIO:
        _refuse_negative(value, answer.raw)
        cap = Fraction(indicator.cap)
        return min(value, cap) / cap * 100
    if indicator.type == BANDED:
        _refuse_negative(value, answer.raw)
        band = indicator.band_of(value)
        if band is None:
            raise AnswerError(
                _("Angka %(value)s di bawah ambang terendah (%(lowest)s).")
                % {"value": answer.raw, "lowest": plain_decimal(indicator.thresholds[0])}
            )
        return Fraction(band - 1, len(indicator.thresholds) - 1) * 100
    raise ValueError(f"unknown indicator type {indicator.type!r}")


def _refuse_negative(value: Fraction, raw: str) -> None:
    if value < 0:
        raise AnswerError(_("Angka tidak boleh negatif: '%(value)s'.") % {"value": raw})


def _yes_no(text: str) -> Answer:
    folded = text.casefold()
    if folded in _YES:
        return Answer(raw="ya", value=Fraction(1))
    if folded in _NO:
        return Answer(raw="tidak", value=Fraction(0))
    raise AnswerError(_("Jawab 'ya' atau 'tidak', bukan '%(value)s'.") % {"value": text})


def _ratio(text: str) -> Answer:
    if "/" not in text:
        number = _number(text)
        return Answer(raw=plain_decimal(number), value=Fraction(number))
    parts = text.split("/")
    if len(parts) != 2:
        raise AnswerError(
            _("Tulis rasio sebagai aktual/target, mis. 3/4, bukan '%(value)s'.") % {"value": text}
        )
    actual, target = (_number(part.strip()) for part in parts)
    if actual < 0 or target < 0:
        raise AnswerError(_("Angka tidak boleh negatif: '%(value)s'.") % {"value": text})
    if target == 0:
        raise AnswerError(_("Target tidak boleh 0: '%(value)s'.") % {"value": text})
    return Answer(
        raw=f"{plain_decimal(actual)}/{plain_decimal(target)}",
        value=Fraction(actual) / Fraction(target),
    )


def _number(text: str) -> Decimal:
    """The exact number written as `text`; AnswerError with a useful message otherwise."""
    match = _NUMBER.fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        if text.endswith("%"):
            raise AnswerError(
                _("Tulis tanpa persen: %(value)s ditulis sebagai pecahan, mis. 0.75 untuk 75%%.")
                % {"value": text}
            )
        if _GROUPED.fullmatch(text):
            raise AnswerError(
                _(
                    "'%(value)s' memakai pemisah ribuan; tulis tanpa pemisah ribuan dengan satu "
                    "tanda desimal, mis. 1250 atau 1250,5."
                )
                % {"value": text}
            )
        raise AnswerError(_("'%(value)s' bukan angka.") % {"value": text})
    sign, whole, mark, fraction = match["sign"], match["whole"], match["mark"], match["fraction"]
    if mark and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole.strip("0"):
        # "1.250" is 1250 to an Indonesian reader and 1.25 to an English one. Guessing wrong
        # would silently change a score a thousandfold, so ask for an unambiguous spelling.
        as_thousands = f"{sign}{whole}{fraction}".lstrip("+")
        as_decimal = plain_decimal(Decimal(f"{sign}{whole}.{fraction}"))
        raise AnswerError(
            _(
                "'%(value)s' bisa dibaca %(thousands)s atau %(decimal)s. Tulis %(thousands)s "
                "bila maksudnya ribuan, atau %(decimal)s bila maksudnya pecahan desimal."
            )
            % {"value": text, "thousands": as_thousands, "decimal": as_decimal}
        )
    return Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
