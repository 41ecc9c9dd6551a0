"""`import_ormas`: read the sheet, plan every row, then write in one transaction (SPEC §7).

Planning never writes. Each row gets an outcome (created, updated, unchanged, duplicate, error)
before anything is saved, so the all-or-nothing rule, `--dry-run` and the report all rest on the
same plan. Writes go through `services.ormas_save` / `pengurus_save`, which audit every change;
rows that would change nothing are not saved at all, so re-importing a file adds no history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.regions.models import Region
from sipko.registry import selectors, services
from sipko.registry.importer.changes import Plan, decide
from sipko.registry.importer.columns import settle_columns
from sipko.registry.importer.draft import Draft
from sipko.registry.importer.headers import (
    SCAN_ROWS,
    HeaderMap,
    locate_header,
    recognised_elsewhere,
)
from sipko.registry.importer.matching import FileIndex, RegistryIndex
from sipko.registry.importer.reader import Table, check_row_count, read_tables
from sipko.registry.importer.regions import RegionNames
from sipko.registry.importer.result import (
    CREATED,
    DUPLICATE,
    ERROR,
    LEVEL_DUPLICATE,
    LEVEL_ERROR,
    LEVEL_INFO,
    UPDATED,
    ImportFileError,
    ImportResult,
    Problem,
    RowOutcome,
)
from sipko.registry.importer.rows import RowCleaner
from sipko.registry.importer.vocab import BidangIndex
from sipko.registry.models import Bidang

if TYPE_CHECKING:
    from sipko.accounts.models import User

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 25
_WRITE_ERRORS = (ValidationError, PermissionDenied, DatabaseError)
_PENDING = "pending"  # matched, outcome not yet compared


def import_ormas(
    source: Path | IO[bytes],
    *,
    filename: str,
    region_code: str | None,
    actor: User | None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    column_mapping: dict[str, str] | None = None,
    ignore_unknown: bool = False,
    require_known_columns: bool = False,
) -> ImportResult:
    """Import a registry spreadsheet. Never raises for bad input.

    A file that cannot be used at all (wrong type, no header, unknown region code, an actor
    without import rights, over one of the limits SIPKO_IMPORT_MAX_BYTES, SIPKO_IMPORT_MAX_ROWS
    and SIPKO_IMPORT_MAX_UNZIPPED_BYTES) comes back with `file_error` set and nothing written.
    Otherwise every data row has an outcome; `written` says whether the plan was saved: not on
    `dry_run`, and not when any row has an error unless `skip_invalid`.

    Columns whose header is unknown (docs/import.md#unknown-columns): `column_mapping` (column
    key → field or "ignore") settles them for this import, then the mapping saved for the
    region, then their content. A column still unknown that holds data is a warning listed
    first (`unknown_columns`), or an info line with `ignore_unknown`. With
    `require_known_columns` (the web import) such a column also holds the write back
    (`needs_mapping`); otherwise a warning is not an error (SPEC §7) and the import goes on.
    """
    result = ImportResult(filename=filename or _name_of(source), dry_run=dry_run)
    try:
        scope = resolve_scope(region_code, actor)
        tables = read_tables(
            _read(source),
            result.filename,
            max_rows=settings.SIPKO_IMPORT_MAX_ROWS,
            max_unzipped_bytes=settings.SIPKO_IMPORT_MAX_UNZIPPED_BYTES,
        )
        table, headers = _choose_table(tables)
        # Before any row is cleaned or matched: that work, not the reading, is what a
        # 300,000-row file would hold the import worker for.
        check_row_count(
            sum(1 for number, _values in table.rows if number > headers.last_row),
            settings.SIPKO_IMPORT_MAX_ROWS,
        )
    except ImportFileError as exc:
        result.file_error = str(exc)
        result.problems.append(Problem(0, "", LEVEL_ERROR, str(exc)))
        return result
    result.sheet = table.name
    names = RegionNames()
    mapping = column_mapping or {}
    known_keys = {c.key for columns in headers.columns.values() for c in columns}
    known_keys |= {c.key for c in headers.unknown}
    settled = settle_columns(
        table,
        headers,
        mapping=mapping,
        saved=selectors.import_column_mappings(scope),
        names=names,
        scope=scope,
        ignore_unknown=ignore_unknown,
    )
    result.unknown_columns = settled.unresolved
    result.needs_mapping = require_known_columns and bool(settled.unresolved)
    importer = _Importer(
        actor=actor,
        scope=scope,
        filename=result.filename,
        progress=progress or (lambda done, total: None),
        names=names,
    )
    for key in mapping:
        if key not in known_keys and not key.startswith("#"):
            importer.notes.append(
                Problem(
                    0,
                    key,
                    LEVEL_INFO,
                    _("Pemetaan untuk kolom '%(key)s' tidak dipakai: kolom itu tidak ada.")
                    % {"key": key},
                )
            )
    if table.name and sum(1 for t in tables if t.rows) > 1:
        importer.notes.append(
            Problem(
                0,
                "",
                LEVEL_INFO,
                _("Hanya lembar '%(sheet)s' yang dibaca.") % {"sheet": table.name},
            )
        )
    plans = importer.plan(table, headers)
    result.rows = [plan.outcome for plan in plans]
    has_errors = any(plan.outcome.status == ERROR for plan in plans)
    if not dry_run and not result.needs_mapping and (skip_invalid or not has_errors):
        result.written = importer.write(plans, skip_invalid=skip_invalid)
    row_problems = [p for outcome in result.rows for p in outcome.messages]
    # The columns first: an unknown column holding data is what the operator must see first.
    result.problems = settled.problems + sorted(importer.notes + row_problems, key=lambda p: p.row)
    return result


def parse_region_code(text: str) -> str:
    """`35.72`, `3572` or ` 35.72.01 ` → the dotted Kemendagri code."""
    cleaned = text.strip()
    digits = re.sub(r"\D", "", cleaned)
    if cleaned.isdigit() and len(digits) in (2, 4, 6, 10):
        parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
        return ".".join(p for p in parts if p)
    return cleaned


def resolve_scope(region_code: str | None, actor: User | None) -> Region | None:
    """The import's region (`--region`), checked against the actor. Raises ImportFileError."""
    if actor is not None and not access.can_administer_registry(actor):
        raise ImportFileError(_("Anda tidak berhak mengimpor data ormas."))
    if not region_code:
        return None
    code = parse_region_code(region_code)
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise ImportFileError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": region_code})
    if actor is not None and not access.in_scope(actor, region.code):
        raise ImportFileError(
            _("Wilayah %(region)s di luar cakupan Anda.") % {"region": region.name}
        )
    return region


def _name_of(source: Path | IO[bytes]) -> str:
    return PurePath(str(getattr(source, "name", source) or "")).name


def _read(source: Path | IO[bytes]) -> bytes:
    """The file's bytes, refused above SIPKO_IMPORT_MAX_BYTES without reading it all."""
    limit = settings.SIPKO_IMPORT_MAX_BYTES
    if isinstance(source, str | PurePath):
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError as exc:
            raise ImportFileError(_("Berkas tidak ditemukan: %(path)s") % {"path": source}) from exc
        except OSError as exc:
            raise ImportFileError(
                _("Berkas tidak dapat dibuka: %(reason)s") % {"reason": exc.strerror}
            ) from exc
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        raw: Any = source.read(limit + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > limit:
        raise ImportFileError(
            _("Berkas terlalu besar; batasnya %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    return data


def _choose_table(tables: list[Table]) -> tuple[Table, HeaderMap]:
    best: tuple[Table, HeaderMap] | None = None
    for table in tables:
        headers = locate_header(table)
        if headers is not None and (best is None or headers.score > best[1].score):
            best = (table, headers)
    if best is None:
        found = max((recognised_elsewhere(t) for t in tables), key=len, default=[])
        if found:
            raise ImportFileError(
                _(
                    "Kolom nama ormas tidak ditemukan (kolom yang dikenali: %(columns)s). Beri "
                    "judul kolom 'Nama Ormas'."
                )
                % {"columns": ", ".join(found)}
            )
        raise ImportFileError(
            _(
                "Baris judul kolom tidak ditemukan dalam %(rows)s baris pertama. Lembar kerja "
                "harus memiliki judul kolom seperti 'Nama Ormas', 'Kecamatan', 'No. SKT'."
            )
            % {"rows": SCAN_ROWS}
        )
    table, headers = best
    if not any(number > headers.last_row for number, _values in table.rows):
        raise ImportFileError(_("Tidak ada baris data di bawah judul kolom."))
    return best


class _Importer:
    def __init__(
        self,
        *,
        actor: User | None,
        scope: Region | None,
        filename: str,
        progress: Progress,
        names: RegionNames,
    ):
        self.actor = actor
        self.scope = scope
        self.names = names
        self.filename = filename
        self.progress = progress
        self.notes: list[Problem] = []  # about the file, not one row
        self.total = 0

    # --- planning -----------------------------------------------------------------------------

    def plan(self, table: Table, headers: HeaderMap) -> list[Plan]:
        """Every data row's outcome, decided before anything is written."""
        drafts = self._clean_rows(table, headers)
        plans = self._match(drafts)
        decide([p for p in plans if p.outcome.status == _PENDING])
        return plans

    def _clean_rows(self, table: Table, headers: HeaderMap) -> list[Draft]:
        cleaner = RowCleaner(
            headers,
            names=self.names,
            bidang=BidangIndex(Bidang.objects.all()),
            scope=self.scope,
            actor=self.actor,
            banner_rows=table.banner_rows,
        )
        data_rows = [(n, values) for n, values in table.rows if n > headers.last_row]
        self.total = len(data_rows)
        # Below the table sit notes and the signature block ("Mengetahui, Kepala Badan …"),
        # one cell per line and never numbered: such rows after the last full row are not ormas.
        last_full = max((n for n, values in data_rows if cleaner.filled(values) >= 2), default=0)
        drafts: list[Draft] = []
        for done, (number, values) in enumerate(data_rows, start=1):
            if (
                0 < last_full < number
                and cleaner.filled(values) == 1
                and headers.cell(values, "row_number")[0] is None
            ):
                self._note_trailing(number, values)
            elif (draft := cleaner.clean(number, values)) is not None:
                drafts.append(draft)
            if done % PROGRESS_EVERY == 0:
                self.progress(done, self.total)
        self.progress(self.total, self.total)
        return drafts

    def _match(self, drafts: list[Draft]) -> list[Plan]:
        """Errors and duplicates settled; the rest pending with their registered ormas, if any."""
        registry = RegistryIndex((d for d in drafts if not d.failed), self.actor)
        seen = FileIndex()
        claimed: dict[int, int] = {}  # registered ormas pk → the row that matched it
        plans = []
        for draft in drafts:
            plan = Plan(draft, RowOutcome(draft.row, _PENDING, draft.name, draft.problems))
            plans.append(plan)
            if draft.failed:
                plan.outcome.status = ERROR
                plan.outcome.reason = _("Baris mengandung galat; tidak disimpan.")
                continue
            duplicate = seen.check(draft)
            match = registry.match(draft) if not duplicate else None
            duplicate = duplicate or (match.duplicate if match else "")
            if match and match.ormas and match.ormas.pk in claimed:
                # Two rows that reach one registered ormas by different keys (number, name).
                duplicate = _("Sama dengan baris %(row)s: keduanya cocok dengan %(name)s.") % {
                    "row": claimed[match.ormas.pk],
                    "name": match.ormas.name,
                }
            if duplicate:
                plan.outcome.status = DUPLICATE
                plan.outcome.reason = duplicate
                draft.add(LEVEL_DUPLICATE, "", duplicate)
                continue
            seen.add(draft)
            plan.target = match.ormas if match else None
            if plan.target is not None:
                claimed[plan.target.pk] = draft.row
        return plans

    def _note_trailing(self, number: int, values: list[object]) -> None:
        text = next((str(v) for v in values if v is not None), "")
        self.notes.append(
            Problem(
                number,
                "",
                LEVEL_INFO,
                _("Baris di bawah tabel diabaikan (hanya satu sel terisi: '%(text)s').")
                % {"text": " ".join(text.split())[:80]},
            )
        )

    # --- writing ------------------------------------------------------------------------------

    def write(self, plans: list[Plan], *, skip_invalid: bool) -> bool:
        """Save the planned creates and updates in one transaction; True when committed."""
        pending = [p for p in plans if p.outcome.status in (CREATED, UPDATED)]
        total = self.total + len(pending)
        current: Plan | None = None
        try:
            with transaction.atomic():
                for done, plan in enumerate(pending, start=1):
                    current = plan
                    if skip_invalid:
                        try:
                            with transaction.atomic():
                                self._apply(plan)
                        except _WRITE_ERRORS as exc:
                            self._failed(plan, exc)
                    else:
                        self._apply(plan)
                    if done % PROGRESS_EVERY == 0:
                        self.progress(self.total + done, total)
        except _WRITE_ERRORS as exc:
            if current is not None:
                self._failed(current, exc)
            return False
        self.progress(total, total)
        return True

    def _apply(self, plan: Plan) -> None:
        reason = _("impor %(file)s baris %(row)s") % {"file": self.filename, "row": plan.draft.row}
        bidang = plan.draft.bidang if plan.bidang_changed else None
        ormas = plan.target
        if ormas is None or plan.changes or plan.bidang_changed:
            ormas = services.ormas_save(
                actor=self.actor,
                data=plan.changes,
                bidang=bidang,
                ormas=plan.target,
                reason=reason,
            )
        if plan.chairman is not None:
            services.pengurus_save(
                actor=self.actor,
                ormas=ormas,
                data=plan.chairman.data,
                nik=plan.chairman.nik,
                pengurus=plan.chairman.pengurus,
            )

    @staticmethod
    def _failed(plan: Plan, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            message = " ".join(exc.messages)
        elif isinstance(exc, PermissionDenied):
            message = _("Anda tidak berhak mengubah ormas ini.")
        else:
            message = _("Basis data menolak baris ini: %(reason)s") % {"reason": exc}
        plan.outcome.status = ERROR
        plan.outcome.reason = _("Gagal disimpan.")
        plan.draft.add(LEVEL_ERROR, "", _("Gagal disimpan: %(reason)s") % {"reason": message})
