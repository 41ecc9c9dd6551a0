"""Matching region names as clerks write them ("Kec. Sananwetaan", "KEL. BENDOGERIT") to codes.

Names are compared without case, spaces, punctuation and the usual prefixes. A close
misspelling (SequenceMatcher ratio ≥ 0.85, one best candidate) is accepted with a warning; an
unknown or ambiguous name is an error. Regions are loaded once per kabupaten/kota, never per row.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sipko.lib.text import fold
from sipko.regions.models import Kind, Level, Region

CLOSE_MATCH = 0.85
_KECAMATAN_PREFIXES = {"kec", "kecamatan"}
_KELURAHAN_PREFIXES = {"kel", "kelurahan", "desa", "ds", "kalurahan"}
_KABKOTA_PREFIXES = {"kab": Kind.KABUPATEN, "kabupaten": Kind.KABUPATEN, "kota": Kind.KOTA}
_KABKOTA_NOISE = {"adm", "administrasi"}


@dataclass
class Found:
    region: Region | None = None
    warning: str = ""
    error: str = ""


def _key(name: str, prefixes: set[str]) -> str:
    words = fold(name).split()
    while len(words) > 1 and words[0] in prefixes:
        words = words[1:]
    return "".join(words)


def _kabkota_key(name: str) -> tuple[str, str | None]:
    words = fold(name).split()
    kind = None
    while len(words) > 1 and (words[0] in _KABKOTA_PREFIXES or words[0] in _KABKOTA_NOISE):
        kind = _KABKOTA_PREFIXES.get(words[0], kind)
        words = words[1:]
    return "".join(words), kind


def label(region: Region) -> str:
    """How a region is named in messages: "Kecamatan Sukorejo", "Kota Blitar"."""
    if region.level == Level.KECAMATAN:
        return _("Kecamatan %(name)s") % {"name": region.name}
    if region.level == Level.KELURAHAN_DESA:
        word = _("Desa") if region.kind in (Kind.DESA, Kind.DESA_ADAT) else _("Kelurahan")
        return f"{word} {region.name}"
    return region.name


class RegionNames:
    """Name → region lookups for one import, cached by (parent, text)."""

    def __init__(self) -> None:
        self.kabkota = list(Region.objects.filter(level=Level.KABUPATEN_KOTA))
        self._below: dict[str, list[Region]] = {}
        self._cache: dict[tuple[str, str, str], Found] = {}

    def get(self, code: str) -> Region | None:
        for region in self.kabkota:
            if region.code == code:
                return region
        kabkota = ".".join(code.split(".")[:2])
        return next((r for r in self._regions_in(kabkota) if r.code == code), None)

    def _regions_in(self, kabkota_code: str) -> list[Region]:
        if kabkota_code not in self._below:
            self._below[kabkota_code] = list(
                Region.objects.within(kabkota_code).filter(
                    level__in=(Level.KECAMATAN, Level.KELURAHAN_DESA)
                )
            )
        return self._below[kabkota_code]

    def find_kabkota(self, text: str, scope: Region | None) -> Found:
        cache_key = ("kabkota", scope.code if scope else "", text)
        if cache_key not in self._cache:
            key, kind = _kabkota_key(text)
            candidates = [
                (_kabkota_key(r.name)[0], r) for r in self.kabkota if kind is None or r.kind == kind
            ]
            found = _pick(key, candidates, text, _("Kabupaten/kota"), _("Indonesia"))
            if found.error and scope is not None:
                # "Blitar" is both Kota and Kabupaten Blitar: the import's region decides.
                related = [(k, r) for k, r in candidates if _related(r.code, scope.code)]
                narrowed = _pick(key, related, text, _("Kabupaten/kota"), scope.name)
                if narrowed.region is not None:
                    found = narrowed
            self._cache[cache_key] = found
        return self._cache[cache_key]

    def find_kecamatan(self, kabkota: Region, text: str) -> Found:
        cache_key = ("kecamatan", kabkota.code, text)
        if cache_key not in self._cache:
            candidates = [
                (_key(r.name, _KECAMATAN_PREFIXES), r)
                for r in self._regions_in(kabkota.code)
                if r.level == Level.KECAMATAN
            ]
            self._cache[cache_key] = _pick(
                _key(text, _KECAMATAN_PREFIXES), candidates, text, _("Kecamatan"), kabkota.name
            )
        return self._cache[cache_key]

    def find_kelurahan(self, kabkota: Region, kecamatan: Region | None, text: str) -> Found:
        parent = kecamatan or kabkota
        cache_key = ("kelurahan", parent.code, text)
        if cache_key in self._cache:
            return self._cache[cache_key]
        key = _key(text, _KELURAHAN_PREFIXES)
        everywhere = [
            (_key(r.name, _KELURAHAN_PREFIXES), r)
            for r in self._regions_in(kabkota.code)
            if r.level == Level.KELURAHAN_DESA
        ]
        inside = [(k, r) for k, r in everywhere if r.parent_id == parent.code or kecamatan is None]
        found = _pick(key, inside, text, _("Kelurahan/desa"), label(parent))
        if found.error and kecamatan is not None:
            elsewhere = [r for k, r in everywhere if k == key]
            if elsewhere:
                found.error = _(
                    "Kelurahan/desa '%(name)s' tidak berada di %(kecamatan)s "
                    "(nama itu ada di %(places)s)."
                ) % {
                    "name": text,
                    "kecamatan": label(kecamatan),
                    "places": ", ".join(
                        label(self.get(r.parent_id) or r)
                        for r in elsewhere  # type: ignore[arg-type]
                    ),
                }
        self._cache[cache_key] = found
        return found


def _related(code: str, scope: str) -> bool:
    return code == scope or code.startswith(scope + ".") or scope.startswith(code + ".")


def _pick(
    key: str, candidates: list[tuple[str, Region]], text: str, what: str, where: str
) -> Found:
    exact = [region for candidate_key, region in candidates if candidate_key == key]
    if len(exact) == 1:
        return Found(region=exact[0])
    if len(exact) > 1:
        return Found(error=_ambiguous(what, text, exact))
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), r) for k, r in candidates if k),
        key=lambda pair: pair[0],
        reverse=True,
    )
    close = [(ratio, region) for ratio, region in scored if ratio >= CLOSE_MATCH]
    if not close:
        return Found(
            error=_("%(what)s '%(name)s' tidak ditemukan di %(where)s.")
            % {"what": what, "name": text, "where": where}
        )
    best_ratio, best = close[0]
    ties = [region for ratio, region in close if ratio == best_ratio]
    if len(ties) > 1:
        return Found(error=_ambiguous(what, text, ties))
    return Found(
        region=best,
        warning=_("%(what)s '%(name)s' tidak ada persis; dianggap %(match)s (%(code)s).")
        % {"what": what, "name": text, "match": label(best), "code": best.code},
    )


def _ambiguous(what: str, text: str, regions: list[Region]) -> str:
    return _("%(what)s '%(name)s' cocok dengan lebih dari satu wilayah: %(choices)s.") % {
        "what": what,
        "name": text,
        "choices": ", ".join(f"{label(r)} ({r.code})" for r in regions),
    }
