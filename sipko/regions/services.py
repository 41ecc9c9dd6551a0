"""Loading the Kemendagri region table (the shape of shared/data/wilayah_kemendagri.csv)."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from sipko.regions.models import Kind, Level, Region

BUNDLED_CSV = Path(__file__).parent / "data" / "wilayah_kemendagri.csv.gz"
REQUIRED_COLUMNS = ("kode", "nama", "tingkat", "jenis", "kode_induk")
LEVEL_BY_NAME = {
    "provinsi": Level.PROVINSI,
    "kabupaten_kota": Level.KABUPATEN_KOTA,
    "kecamatan": Level.KECAMATAN,
    "kelurahan_desa": Level.KELURAHAN_DESA,
}
CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class RegionFileError(Exception):
    """The file was refused; `problems` lists every reason with its line number."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def open_region_file(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _parse(rows: Iterable[dict[str, str]]) -> tuple[list[Region], list[str]]:
    regions: list[Region] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        code = (row.get("kode") or "").strip()
        level = LEVEL_BY_NAME.get((row.get("tingkat") or "").strip())
        kind = (row.get("jenis") or "").strip()
        parent = (row.get("kode_induk") or "").strip() or None
        name = " ".join((row.get("nama") or "").split())
        if not CODE_RE.match(code):
            problems.append(
                _("baris %(line)s: kode '%(code)s' tidak sah") % {"line": line, "code": code}
            )
            continue
        if level is None or code.count(".") + 1 != level:
            problems.append(
                _("baris %(line)s: tingkat tidak sesuai kode %(code)s")
                % {"line": line, "code": code}
            )
            continue
        if kind not in Kind.values:
            problems.append(
                _("baris %(line)s: jenis '%(kind)s' tidak dikenal") % {"line": line, "kind": kind}
            )
            continue
        expected_parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent != expected_parent:
            problems.append(
                _("baris %(line)s: kode induk tidak sesuai kode %(code)s")
                % {"line": line, "code": code}
            )
            continue
        if not name:
            problems.append(_("baris %(line)s: nama kosong") % {"line": line})
            continue
        try:
            population = int(row["penduduk"]) if (row.get("penduduk") or "").strip() else None
            area = Decimal(row["luas_km2"]) if (row.get("luas_km2") or "").strip() else None
        except (ValueError, InvalidOperation):
            problems.append(_("baris %(line)s: penduduk atau luas bukan angka") % {"line": line})
            continue
        regions.append(
            Region(
                code=code,
                name=name,
                level=level,
                kind=kind,
                parent_id=parent,
                population=population,
                area_km2=area,
            )
        )
    return regions, problems


def regions_import(
    path: Path,
    *,
    prefixes: tuple[str, ...] = (),
    progress: Callable[[int, int], None] | None = None,
) -> RegionImportResult:
    """Create or update regions from a CSV (optionally gzip). All-or-nothing; idempotent.

    `prefixes` limits the load to those regions, their ancestors and everything below them
    (`("35",)` = Jawa Timur); empty loads the whole file.
    """
    try:
        with open_region_file(path) as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise RegionFileError(
                    [_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)}]
                )
            regions, problems = _parse(reader)
    except (UnicodeDecodeError, csv.Error, OSError, gzip.BadGzipFile) as exc:
        raise RegionFileError(
            [_("berkas tidak dapat dibaca sebagai CSV UTF-8: %(err)s") % {"err": exc}]
        ) from exc
    if prefixes:
        regions = [r for r in regions if _wanted(r.code, prefixes)]
    known = {r.code for r in regions}
    # At most the whole nation (~92k rows): one read beats a query per row or a huge IN list.
    existing = {
        r.code: r
        for r in Region.objects.only(
            "code", "name", "level", "kind", "parent_id", "population", "area_km2"
        )
    }
    for region in regions:
        parent = region.parent_id
        if parent and parent not in known and parent not in existing:
            problems.append(
                _("wilayah %(code)s: induk %(parent)s tidak ada")
                % {"code": region.code, "parent": parent}
            )
    if problems:
        raise RegionFileError(problems)

    result = RegionImportResult()
    fields = ("name", "level", "kind", "parent_id", "population", "area_km2")
    changed: list[Region] = []
    for region in regions:
        old = existing.get(region.code)
        if old is None:
            result.created += 1
            changed.append(region)
        elif any(getattr(old, f) != getattr(region, f) for f in fields):
            result.updated += 1
            changed.append(region)
        else:
            result.unchanged += 1
    changed.sort(key=lambda r: (r.level, r.code))  # parents before children
    with transaction.atomic():
        batch = 2000
        for start in range(0, len(changed), batch):
            Region.objects.bulk_create(
                changed[start : start + batch],
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "kind", "parent", "population", "area_km2"],
            )
            if progress:
                progress(min(start + batch, len(changed)), len(changed))
    return result


def _wanted(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code == p or code.startswith(p + ".") or p.startswith(code + ".") for p in prefixes)
