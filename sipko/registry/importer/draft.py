"""A spreadsheet row once read: cleaned Ormas field values, numbers, region, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sipko.lib.text import compact, name_key
from sipko.regions.models import Region
from sipko.registry.importer.result import LEVEL_ERROR, Problem
from sipko.registry.models import Bidang, LegalForm

# Registration kinds as keys of Draft.numbers, and the Ormas field each fills.
AHU, SKT, LOCAL = "ahu", "skt", "local"
NUMBER_FIELD = {AHU: "ahu_number", SKT: "skt_number", LOCAL: "local_letter_number"}
NUMBER_COLUMNS = ("registration_number", "skt_number", "ahu_number", "local_number")


def kind_label(kind: str) -> str:
    return {AHU: _("SK AHU"), SKT: _("SKT"), LOCAL: _("surat keterangan daerah")}[kind]


@dataclass
class Chairman:
    name: str
    phone: str | None = None
    nik: str | None = None  # clean and valid; never written to a message


@dataclass
class Draft:
    row: int
    name: str
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # Ormas field → header it came from
    numbers: dict[str, str] = field(default_factory=dict)  # kind → number as stored
    bidang: list[Bidang] | None = None
    region: Region | None = None
    kabkota: str = ""
    derived_legal_form: str = LegalForm.TIDAK_BERBADAN_HUKUM  # used when creating only
    # Kind of the number in the combined/SKT column: the issue date belongs to it.
    primary_kind: str | None = None
    chairman: Chairman | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.level == LEVEL_ERROR for p in self.problems)

    @property
    def name_key(self) -> str:
        return name_key(self.name)

    @property
    def acronym_key(self) -> str:
        return compact(self.values.get("acronym", ""))

    def add(self, level: str, column: str, message: str) -> None:
        self.problems.append(Problem(self.row, column, level, message))

    def set(self, field_name: str, value: Any, column: str) -> None:
        self.values[field_name] = value
        self.columns[field_name] = column
