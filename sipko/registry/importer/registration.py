"""Registration numbers and their dates in one row (SPEC §3.2, §7).

One column often holds either number: an `AHU-…` number is an SK AHU (Kemenkumham), anything
else an SKT — or a local letter (SKL, SKTL, STTL, SKKO …) when the row or the column says so.
An issue date belongs to the number beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sipko.lib.dates import DateParseError
from sipko.lib.text import compact
from sipko.registry.importer import parse
from sipko.registry.importer.draft import (
    AHU,
    LOCAL,
    NUMBER_COLUMNS,
    NUMBER_FIELD,
    SKT,
    Draft,
    kind_label,
)
from sipko.registry.importer.result import LEVEL_ERROR, LEVEL_WARNING
from sipko.registry.importer.vocab import LOCAL_LETTER_TYPES, letter_kind_of
from sipko.registry.models import LegalForm
from sipko.registry.validators import AHU_RE, AHU_SERIES, normalise_ahu, validate_ahu_number

# A field name → (cell value, header of the column it came from).
Cell = Callable[[str], tuple[object, str]]


def read_registration(draft: Draft, cell: Cell) -> None:
    """Fill the draft's numbers, registration dates and the legal form the AHU series implies."""
    _numbers(draft, cell)
    _dates(draft, cell)


def _numbers(draft: Draft, cell: Cell) -> None:
    letter_cell, _column = cell("letter_type")
    hint, letter_type = letter_kind_of(parse.value_text(letter_cell))
    primary: str | None = None
    for source in NUMBER_COLUMNS:
        value, column = cell(source)
        for part in parse.split_numbers(value):
            kind, number, local_type = _classify(part, source, hint, letter_type, column)
            if primary is None and source != "ahu_number":
                primary = kind
            if kind == AHU:
                try:
                    validate_ahu_number(number)
                except ValidationError as exc:
                    draft.add(
                        LEVEL_ERROR,
                        column,
                        _("Nomor SK AHU '%(number)s' tidak sah: %(reason)s")
                        % {"number": number, "reason": " ".join(exc.messages)},
                    )
                    continue
            if kind in draft.numbers and draft.numbers[kind] != number:
                draft.add(
                    LEVEL_WARNING,
                    column,
                    _("Ada lebih dari satu nomor %(kind)s; hanya %(kept)s yang dicatat.")
                    % {"kind": kind_label(kind), "kept": draft.numbers[kind]},
                )
                continue
            draft.numbers[kind] = number
            draft.set(NUMBER_FIELD[kind], number, column)
            if kind == LOCAL and local_type:
                draft.set("local_letter_type", local_type, column)
    draft.primary_kind = primary
    ahu = draft.numbers.get(AHU, "")
    match = AHU_RE.match(ahu)
    if match:
        draft.derived_legal_form = AHU_SERIES.get(match.group(2), LegalForm.TIDAK_BERBADAN_HUKUM)


def _classify(
    part: str, source: str, hint: str | None, letter_type: str, column: str
) -> tuple[str, str, str]:
    """(kind, number as stored, local letter type) of one number found in a cell."""
    upper = part.upper()
    if source == "ahu_number" or "AHU" in upper:
        start = upper.find("AHU")
        return AHU, normalise_ahu(part[start:] if start >= 0 else part), ""
    number, prefix = parse.strip_number_prefix(part)
    if prefix in LOCAL_LETTER_TYPES:
        return LOCAL, number, prefix
    if source == "local_number":
        header_type = next((t for t in LOCAL_LETTER_TYPES if t.lower() in compact(column)), "SKL")
        return LOCAL, number, letter_type or header_type
    if hint == LOCAL:
        return LOCAL, number, letter_type
    return SKT, number, ""


def _date(draft: Draft, cell: Cell, source: str) -> tuple[dt.date | None, str]:
    value, column = cell(source)
    try:
        return parse.parse_day(value), column
    except DateParseError:
        draft.add(
            LEVEL_ERROR,
            column,
            _("Tanggal '%(value)s' tidak dapat dibaca; tulis seperti 29/07/2025 atau 29 Juli 2025.")
            % {"value": parse.text(value)},
        )
        return None, column


def _dates(draft: Draft, cell: Cell) -> None:
    issued, issued_column = _date(draft, cell, "issued")
    ahu_date, ahu_column = _date(draft, cell, "ahu_date")
    if ahu_date and AHU in draft.numbers:
        draft.set("ahu_date", ahu_date, ahu_column)
    elif ahu_date:
        draft.add(
            LEVEL_WARNING, ahu_column, _("Tanggal SK AHU diabaikan karena nomor SK AHU kosong.")
        )
    # The issue date belongs to the number beside it (the combined or SKT column).
    target = draft.primary_kind
    if target is None and len(draft.numbers) == 1:
        target = next(iter(draft.numbers))
    if issued:
        if target == SKT:
            draft.set("skt_issued", issued, issued_column)
        elif target == LOCAL:
            draft.set("local_letter_date", issued, issued_column)
        elif target == AHU and "ahu_date" not in draft.values:
            draft.set("ahu_date", issued, issued_column)
        elif target != AHU:
            draft.add(
                LEVEL_WARNING,
                issued_column,
                _("Tanggal terbit diabaikan karena tidak ada nomor SKT atau surat."),
            )
    _expiry(draft, cell, issued if target == SKT else None)


def _expiry(draft: Draft, cell: Cell, issued: dt.date | None) -> None:
    value, column = cell("expires")
    if parse.is_empty(value):
        return
    try:
        start, end = parse.parse_period(value, issued)
    except DateParseError:
        draft.add(
            LEVEL_ERROR,
            column,
            _("Masa berlaku '%(value)s' tidak dapat dibaca; tulis tanggal seperti 29/07/2030.")
            % {"value": parse.text(value)},
        )
        return
    except ValueError:
        draft.add(
            LEVEL_WARNING,
            column,
            _("Masa berlaku '%(value)s' diabaikan karena tanggal terbit SKT kosong.")
            % {"value": parse.text(value)},
        )
        return
    if SKT not in draft.numbers:
        if end:
            draft.add(
                LEVEL_WARNING,
                column,
                _("Masa berlaku hanya dicatat untuk SKT; baris ini tidak memiliki nomor SKT."),
            )
        return
    if start and "skt_issued" not in draft.values:
        draft.set("skt_issued", start, column)
    issued = draft.values.get("skt_issued")
    if end and issued and end < issued:
        draft.add(
            LEVEL_WARNING, column, _("Masa berlaku berakhir sebelum tanggal terbit; diabaikan.")
        )
    elif end:
        draft.set("skt_expires", end, column)
