"""Users, their role and the region scope or ormas they act for (SPEC §2)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator ormas")
    ASSESSOR = "assessor", _("Penilai")
    REGION_ADMIN = "region_admin", _("Admin wilayah (Kesbangpol)")
    VIEWER = "viewer", _("Pemantau")
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")


class SipkoUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """`createsuperuser` makes the national administrator: the only role that works in the
        Django admin (see `access.can_use_django_admin`)."""
        extra.setdefault("role", Role.NATIONAL_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("cakupan wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Pengguna melihat wilayah ini dan semua wilayah di bawahnya."),
    )
    ormas = models.ForeignKey(
        "registry.Ormas",
        verbose_name=_("ormas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operators",
        help_text=_("Hanya untuk operator: ormas yang dikelolanya."),
    )
    # Only the keyed hash of a staff member's NIK, to find them among an ormas' pengurus (the
    # conflict-of-interest rule for assessors); the number itself is never stored.
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "nik_hash"])

    objects = SipkoUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def scope_code(self) -> str | None:
        return self.region_id

    def __str__(self) -> str:
        return self.get_full_name() or self.username
