"""Kemendagri administrative regions.

The code is the primary key and encodes the hierarchy: `35` → `35.72` → `35.72.01` →
`35.72.01.1001`. Everything that rolls up (access scopes, dashboards) does so by code prefix, so
no tree walking is ever needed: "inside 35.72" is `code = '35.72' OR code LIKE '35.72.%'`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN_KOTA = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    KELURAHAN_DESA = 4, _("Kelurahan/Desa")


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")


def within_q(code: str, field: str = "code") -> Q:
    """Q object matching `code` itself and every region below it, on any code-valued field."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


def ancestor_codes(code: str) -> list[str]:
    """`35.72.01.1001` → `['35', '35.72', '35.72.01', '35.72.01.1001']`."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class RegionQuerySet(models.QuerySet["Region"]):
    def within(self, code: str) -> RegionQuerySet:
        return self.filter(within_q(code))

    def children_of(self, code: str | None) -> RegionQuerySet:
        return self.filter(parent_id=code) if code else self.filter(parent__isnull=True)


class Region(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    population = models.PositiveBigIntegerField(_("penduduk"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("luas (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        """Name with "Kec." for kecamatan; other levels' names already say what they are."""
        if self.kind == Kind.KECAMATAN:
            return f"Kec. {self.name}"
        return self.name

    def code_at(self, level: int) -> str | None:
        parts = self.code.split(".")
        return ".".join(parts[:level]) if len(parts) >= level else None
