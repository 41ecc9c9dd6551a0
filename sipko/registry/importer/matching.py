"""Is this row an ormas we already know — earlier in the file, or in the registry?

Registration numbers are compared with `registration_key` (no case, spaces or punctuation);
names with `name_key` within one kabupaten/kota. Only current records (not merged into another)
are candidates. Everything needed is loaded in two queries before the first row is matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.lib.text import registration_key
from sipko.regions.models import within_q
from sipko.registry.importer.draft import NUMBER_FIELD, Draft, kind_label
from sipko.registry.models import Ormas

if TYPE_CHECKING:
    from sipko.accounts.models import User


@dataclass
class Match:
    ormas: Ormas | None = None  # the registered ormas this row describes
    duplicate: str = ""  # why the row is a duplicate, in Indonesian


def _keys(draft: Draft) -> dict[str, str]:
    return {kind: registration_key(number) for kind, number in draft.numbers.items()}


class FileIndex:
    """Rows accepted so far in this file, to catch the same ormas listed twice."""

    def __init__(self) -> None:
        self._by_number: dict[str, tuple[int, str]] = {}
        self._by_name: dict[tuple[str, str], int] = {}

    def check(self, draft: Draft) -> str:
        for kind, key in _keys(draft).items():
            if key in self._by_number:
                row, number = self._by_number[key]
                return _(
                    "Sama dengan baris %(row)s: nomor %(kind)s %(number)s sudah ada di berkas ini."
                ) % {"row": row, "kind": kind_label(kind), "number": number}
        row = self._by_name.get((draft.name_key, draft.kabkota))
        if row is not None:
            return _("Sama dengan baris %(row)s: nama dan kabupaten/kota sama.") % {"row": row}
        return ""

    def add(self, draft: Draft) -> None:
        for kind, key in _keys(draft).items():
            self._by_number.setdefault(key, (draft.row, draft.numbers[kind]))
        self._by_name.setdefault((draft.name_key, draft.kabkota), draft.row)


class RegistryIndex:
    """Current ormas of the kab/kota the file touches, plus any sharing one of its numbers."""

    def __init__(self, drafts: Iterable[Draft], actor: User | None):
        drafts = list(drafts)
        self.actor = actor
        kabkota = {d.kabkota for d in drafts if d.kabkota}
        numbers = {n for d in drafts for n in d.numbers.values()}
        conditions = [within_q(code, "region__code") for code in sorted(kabkota)]
        if numbers:
            conditions.append(
                Q(ahu_number__in=numbers)
                | Q(skt_number__in=numbers)
                | Q(local_letter_number__in=numbers)
            )
        self._by_number: dict[str, list[Ormas]] = {}
        self._by_name: dict[tuple[str, str], list[Ormas]] = {}
        if not conditions:
            return
        known = Ormas.objects.current().filter(reduce(or_, conditions)).select_related("region")
        for ormas in known.order_by("pk"):
            for field_name in NUMBER_FIELD.values():
                if key := registration_key(getattr(ormas, field_name)):
                    self._by_number.setdefault(key, []).append(ormas)
            self._by_name.setdefault((ormas.name_key, ormas.kabkota_code), []).append(ormas)

    def match(self, draft: Draft) -> Match:
        keys = _keys(draft)
        by_number = list(
            dict.fromkeys(o for key in keys.values() for o in self._by_number.get(key, ()))
        )
        if by_number:
            same = [
                o
                for o in by_number
                if o.name_key == draft.name_key
                or (draft.acronym_key and o.acronym_key == draft.acronym_key)
            ]
            if same:
                return self._reachable(same[0])
            other = by_number[0]
            kind, number = next(
                (k, draft.numbers[k])
                for k, key in keys.items()
                if key in {registration_key(getattr(other, f)) for f in NUMBER_FIELD.values()}
            )
            return Match(
                duplicate=_("Nomor %(kind)s %(number)s sudah terdaftar atas nama %(name)s.")
                % {"kind": kind_label(kind), "number": number, "name": other.name}
            )
        by_name = self._by_name.get((draft.name_key, draft.kabkota), [])
        for ormas in by_name:
            if not self._conflict(ormas, keys):
                return self._reachable(ormas)
        if by_name:
            ormas = by_name[0]
            kind = next(k for k in keys if self._conflict(ormas, {k: keys[k]}))
            return Match(
                duplicate=_(
                    "Nama sama dengan %(name)s yang sudah terdaftar dengan nomor %(kind)s lain "
                    "(%(number)s)."
                )
                % {
                    "name": ormas.name,
                    "kind": kind_label(kind),
                    "number": getattr(ormas, NUMBER_FIELD[kind]),
                }
            )
        return Match()

    @staticmethod
    def _conflict(ormas: Ormas, keys: dict[str, str]) -> bool:
        """Both have a number of the same kind and the numbers differ."""
        for kind, key in keys.items():
            registered = registration_key(getattr(ormas, NUMBER_FIELD[kind]))
            if registered and registered != key:
                return True
        return False

    def _reachable(self, ormas: Ormas) -> Match:
        if self.actor is not None and not access.in_scope(self.actor, ormas.region_id):
            return Match(
                duplicate=_(
                    "Ormas ini sudah terdaftar di wilayah di luar cakupan Anda (%(region)s)."
                )
                % {"region": ormas.region.name}
            )
        return Match(ormas=ormas)
