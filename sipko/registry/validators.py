"""Format rules for registry numbers, shared by forms, services and the importer."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sipko.registry.models import LegalForm

# AHU-0001234.AH.01.07.Tahun 2019 — "07" perkumpulan, "04" yayasan (Kemenkumham numbering).
AHU_RE = re.compile(r"^AHU-(\d{1,8})\.AH\.01\.(\d{2})\.TAHUN\s?(\d{4})$", re.IGNORECASE)
AHU_SERIES = {"07": LegalForm.PERKUMPULAN, "04": LegalForm.YAYASAN}


def normalise_ahu(number: str) -> str:
    """Uniform spacing and case: `ahu-12.ah.01.07.tahun2019` → `AHU-12.AH.01.07.Tahun 2019`."""
    match = AHU_RE.match(" ".join((number or "").split()))
    if not match:
        return " ".join((number or "").split())
    serial, series, year = match.groups()
    return f"AHU-{serial}.AH.01.{series}.Tahun {year}"


def is_ahu_number(number: str) -> bool:
    return (number or "").strip().upper().startswith("AHU")


def validate_ahu_number(number: str) -> None:
    if not AHU_RE.match(" ".join(number.split())):
        raise ValidationError(
            _(
                "Nomor SK AHU harus berbentuk AHU-0001234.AH.01.07.Tahun 2019 "
                "(AH.01.07 perkumpulan, AH.01.04 yayasan)."
            ),
            code="ahu_format",
        )


def ahu_form_mismatch(number: str, legal_form: str) -> str | None:
    """A message when the AHU series does not fit the legal form, else None."""
    match = AHU_RE.match(" ".join((number or "").split()))
    if not match:
        return None
    expected = AHU_SERIES.get(match.group(2))
    if expected is None:
        return _("Seri AH.01.%(series)s tidak dikenal untuk ormas.") % {"series": match.group(2)}
    if legal_form and legal_form != expected:
        return _(
            "Nomor SK AHU seri AH.01.%(series)s adalah untuk %(expected)s, bukan %(form)s."
        ) % {
            "series": match.group(2),
            "expected": LegalForm(expected).label.lower(),
            "form": LegalForm(legal_form).label.lower(),
        }
    return None


def normalise_npwp(raw: str) -> str:
    return re.sub(r"\D", "", raw or "")


def validate_npwp(raw: str) -> None:
    digits = normalise_npwp(raw)
    if len(digits) not in (15, 16):
        raise ValidationError(
            _("NPWP harus 15 atau 16 angka (tertulis %(count)s angka).") % {"count": len(digits)},
            code="npwp_length",
        )
