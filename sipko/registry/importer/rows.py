"""One spreadsheet row → a `Draft`: cleaned Ormas field values plus the problems found.

Only cells with something in them produce values: an empty cell never clears what the registry
already holds. Nothing here touches the database except through the lookups it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.lib.text import fold
from sipko.regions.models import Level, Region
from sipko.registry.importer import parse
from sipko.registry.importer.draft import AHU, Chairman, Draft
from sipko.registry.importer.headers import HeaderMap
from sipko.registry.importer.reader import is_column_numbering
from sipko.registry.importer.regions import RegionNames, label
from sipko.registry.importer.registration import read_registration
from sipko.registry.importer.result import (
    LEVEL_ERROR,
    LEVEL_WARNING,
)
from sipko.registry.importer.vocab import (
    BidangIndex,
    activity_status_of,
    legal_form_of,
)
from sipko.registry.models import LegalForm, Ormas

if TYPE_CHECKING:
    from sipko.accounts.models import User

_FOOTER_WORDS = {"jumlah", "total", "jumlah total", "jumlah ormas", "total ormas", "sub total"}


class RowCleaner:
    def __init__(
        self,
        headers: HeaderMap,
        *,
        names: RegionNames,
        bidang: BidangIndex,
        scope: Region | None,
        actor: User | None,
        banner_rows: set[int],
    ):
        self.headers = headers
        self.names = names
        self.bidang = bidang
        self.scope = scope
        self.actor = actor
        self.banner_rows = banner_rows

    def clean(self, number: int, values: list[object]) -> Draft | None:
        """The row as a draft, or None for rows that are not ormas (blank, titles, totals)."""
        name_cell, name_column = self.headers.cell(values, "name")
        name = parse.value_text(name_cell)
        filled = self.filled(values)
        if (
            number in self.banner_rows
            or is_column_numbering(values)
            or self.headers.is_header_repeat(values)
            or fold(name) in _FOOTER_WORDS
            or (not name and filled <= 1)
        ):
            return None
        draft = Draft(row=number, name=name)
        if not name:
            draft.add(LEVEL_ERROR, name_column, _("Nama ormas kosong."))
        else:
            draft.set("name", name, name_column)
        self._text_fields(draft, values)
        self._registration(draft, values)
        self._region(draft, values)
        self._profile(draft, values)
        self._chairman(draft, values)
        self._check_fields(draft)
        return draft

    def filled(self, values: list[object]) -> int:
        """How many known columns (besides the row number) hold something in this row."""
        return sum(
            1
            for field_name in self.headers.columns
            if field_name != "row_number"
            and not parse.is_empty(self.headers.cell(values, field_name)[0])
        )

    def _cell(self, values: list[object], field_name: str) -> tuple[object, str]:
        return self.headers.cell(values, field_name)

    # --- plain text ---------------------------------------------------------------------------

    def _text_fields(self, draft: Draft, values: list[object]) -> None:
        acronym, column = self._cell(values, "acronym")
        if text := parse.value_text(acronym):
            draft.set("acronym", text, column)
        address, column = self._cell(values, "address")
        if text := parse.value_text(address):
            limit = Ormas._meta.get_field("address").max_length or 300
            if len(text) > limit:
                draft.add(
                    LEVEL_WARNING,
                    column,
                    _("Alamat dipotong menjadi %(limit)s huruf.") % {"limit": limit},
                )
                text = text[:limit]
            draft.set("address", text, column)

    # --- registration -------------------------------------------------------------------------

    def _registration(self, draft: Draft, values: list[object]) -> None:
        read_registration(draft, lambda field_name: self._cell(values, field_name))

    # --- region -------------------------------------------------------------------------------

    def _region(self, draft: Draft, values: list[object]) -> None:
        kab_cell, kab_column = self._cell(values, "kabkota")
        kec_cell, kec_column = self._cell(values, "kecamatan")
        kel_cell, kel_column = self._cell(values, "kelurahan")
        scope = self.scope
        kabkota: Region | None = None
        if kab_text := parse.value_text(kab_cell):
            found = self.names.find_kabkota(kab_text, scope)
            if found.error:
                draft.add(LEVEL_ERROR, kab_column, found.error)
                return
            if found.warning:
                draft.add(LEVEL_WARNING, kab_column, found.warning)
            kabkota = found.region
        elif scope is not None and scope.level >= Level.KABUPATEN_KOTA:
            kabkota = self.names.get(scope.code[:5])
        else:
            draft.add(
                LEVEL_ERROR,
                kab_column,
                _(
                    "Kabupaten/kota tidak diketahui: isi kolom Kab/Kota atau pilih wilayah impor "
                    "(opsi --region, mis. 35.72)."
                ),
            )
            return
        assert kabkota is not None
        if scope is not None and not _related(kabkota.code, scope.code):
            draft.add(
                LEVEL_ERROR,
                kab_column,
                _("%(region)s di luar wilayah impor %(scope)s.")
                % {"region": kabkota.name, "scope": scope.name},
            )
            return
        draft.kabkota = kabkota.code
        kecamatan: Region | None = None
        if kec_text := parse.value_text(kec_cell):
            found = self.names.find_kecamatan(kabkota, kec_text)
            if found.error:
                draft.add(LEVEL_ERROR, kec_column, found.error)
                return
            if found.warning:
                draft.add(LEVEL_WARNING, kec_column, found.warning)
            kecamatan = found.region
        elif scope is not None and scope.level == Level.KECAMATAN:
            kecamatan = scope
        region = kecamatan or kabkota
        if kel_text := parse.value_text(kel_cell):
            found = self.names.find_kelurahan(kabkota, kecamatan, kel_text)
            if found.error:
                draft.add(LEVEL_ERROR, kel_column, found.error)
                return
            if found.warning:
                draft.add(LEVEL_WARNING, kel_column, found.warning)
            region = found.region or region
        column = kel_column or kec_column or kab_column
        if scope is not None and not _related(region.code, scope.code):
            draft.add(
                LEVEL_ERROR,
                column,
                _("%(region)s di luar wilayah impor %(scope)s.")
                % {"region": label(region), "scope": scope.name},
            )
            return
        if self.actor is not None and not access.in_scope(self.actor, region.code):
            draft.add(
                LEVEL_ERROR,
                column,
                _("%(region)s (%(code)s) di luar cakupan wilayah Anda.")
                % {"region": label(region), "code": region.code},
            )
            return
        draft.region = region

    # --- profile ------------------------------------------------------------------------------

    def _profile(self, draft: Draft, values: list[object]) -> None:
        self._bidang(draft, values)
        self._legal_form(draft, values)
        cell, column = self._cell(values, "activity_status")
        if text := parse.value_text(cell):
            if status := activity_status_of(text):
                draft.set("activity_status", status, column)
            else:
                draft.add(
                    LEVEL_WARNING,
                    column,
                    _("Status '%(value)s' tidak dikenal; tidak dicatat.") % {"value": text},
                )
        parsers = (
            (
                "phone",
                parse.parse_phone,
                _("Nomor telepon '%(value)s' tidak dapat dibaca; tidak dicatat."),
            ),
            ("email", parse.parse_email, _("Alamat surel '%(value)s' tidak sah; tidak dicatat.")),
            (
                "npwp",
                parse.parse_npwp,
                _("NPWP '%(value)s' harus 15 atau 16 angka; tidak dicatat."),
            ),
            (
                "founding_year",
                parse.parse_year,
                _("Tahun berdiri '%(value)s' tidak masuk akal; tidak dicatat."),
            ),
            (
                "members_count",
                parse.parse_count,
                _("Jumlah anggota '%(value)s' bukan angka; tidak dicatat."),
            ),
        )
        for field_name, parser, message in parsers:
            self._parsed(draft, values, field_name, parser, message)

    def _parsed(
        self,
        draft: Draft,
        values: list[object],
        field_name: str,
        parser: Callable[[object], Any],
        message: str,
    ) -> None:
        """A value that is optional: unreadable means a warning and nothing stored."""
        cell, column = self._cell(values, field_name)
        try:
            value = parser(cell)
        except ValueError:
            draft.add(
                LEVEL_WARNING,
                column,
                message % {"value": parse.text(cell)},
            )
            return
        if value is not None:
            draft.set(field_name, value, column)

    def _bidang(self, draft: Draft, values: list[object]) -> None:
        cell, column = self._cell(values, "bidang")
        text = parse.value_text(cell)
        if not text:
            return
        known, unknown = self.bidang.match(text)
        other = ""
        if unknown and self.bidang.other is not None:
            draft.add(
                LEVEL_WARNING,
                column,
                _("Bidang '%(words)s' tidak dikenal; dicatat sebagai Lainnya dengan teks aslinya.")
                % {"words": ", ".join(unknown)},
            )
            known.append(self.bidang.other)
            other = ", ".join(unknown)[:200]
        draft.bidang = list(dict.fromkeys(known))
        draft.set("bidang_other", other, column)

    def _legal_form(self, draft: Draft, values: list[object]) -> None:
        cell, column = self._cell(values, "legal_form")
        text = parse.text(cell)
        if not text:
            return
        form, generic = legal_form_of(text)
        if form is None and generic and AHU in draft.numbers:
            form = draft.derived_legal_form
        if form is None:
            draft.add(
                LEVEL_WARNING,
                column,
                _("Bentuk '%(value)s' tidak dikenal; dicatat sebagai Lainnya dengan teks aslinya.")
                % {"value": text},
            )
            draft.set("legal_form", LegalForm.LAINNYA, column)
            draft.set("legal_form_other", text[:120], column)
            return
        draft.set("legal_form", form, column)
        draft.set("legal_form_other", "", column)

    # --- chairman -----------------------------------------------------------------------------

    def _chairman(self, draft: Draft, values: list[object]) -> None:
        name_cell, _name_column = self._cell(values, "chairman_name")
        nik_cell, nik_column = self._cell(values, "chairman_nik")
        phone_cell, phone_column = self._cell(values, "chairman_phone")
        name = parse.value_text(name_cell)
        if not name:
            if not (parse.is_empty(nik_cell) and parse.is_empty(phone_cell)):
                draft.add(
                    LEVEL_WARNING,
                    nik_column or phone_column,
                    _("NIK/HP ketua tanpa nama ketua diabaikan."),
                )
            return
        chairman = Chairman(name=name[:150])
        try:
            chairman.nik = parse.parse_nik(nik_cell)
        except parse.NikAsNumber:
            draft.add(
                LEVEL_WARNING,
                nik_column,
                _(
                    "NIK ketua tersimpan sebagai angka di Excel sehingga angka terakhirnya bisa "
                    "berubah; format sel sebagai teks. NIK tidak dicatat."
                ),
            )
        except ValueError:
            draft.add(
                LEVEL_WARNING,
                nik_column,
                _("NIK ketua harus 16 angka yang sah; NIK tidak dicatat."),
            )
        try:
            chairman.phone = parse.parse_phone(phone_cell)
        except ValueError:
            # A personal number: not repeated in the message.
            draft.add(LEVEL_WARNING, phone_column, _("HP ketua tidak dapat dibaca; tidak dicatat."))
        draft.chairman = chairman

    # --- model validation ---------------------------------------------------------------------

    def _check_fields(self, draft: Draft) -> None:
        """Run the model's own field checks now, so a bad value is a row error, not a crash."""
        fields = {f.name for f in Ormas._meta.concrete_fields}
        probe_values = {k: v for k, v in draft.values.items() if k in fields}
        probe = Ormas(**probe_values)
        try:
            probe.clean_fields(exclude=[f for f in fields if f not in probe_values])
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                draft.add(LEVEL_ERROR, draft.columns.get(field_name, ""), " ".join(messages))
                draft.values.pop(field_name, None)


def _related(code: str, scope: str) -> bool:
    """Whether one region contains the other (a kab/kota row in a kecamatan-scoped import)."""
    return code == scope or code.startswith(scope + ".") or scope.startswith(code + ".")
