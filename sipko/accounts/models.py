"""Users, their role and the region scope or ormas they act for (SPEC §2)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
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
    # Set when an administrator gives a temporary password: the next sign-in must change it.
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)
    # When the account was first taken into use (activation code, or first password sign-in).
    activated_at = models.DateTimeField(_("diaktifkan"), null=True, blank=True)
    email_notifications = models.BooleanField(
        _("kirim pemberitahuan lewat surel"),
        default=True,
        help_text=_("Pemberitahuan selalu tampil di SIPKO; surel hanya bila ini dicentang."),
    )
    # A fictional demo account (seed_demo); see settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR.
    is_demo = models.BooleanField(default=False, editable=False)
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


class ActivationCode(models.Model):
    """A one-time code that lets an onboarded operator choose its password (docs/accounts.md).

    The code is found by its keyed hash; the clear code is kept encrypted only while it can still
    be used, so the administrator can print the slips again, and is wiped when used or revoked.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_encrypted = models.TextField(blank=True, editable=False)
    batch = models.UUIDField(_("kelompok"), db_index=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode aktivasi")
        verbose_name_plural = _("kode aktivasi")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class AccountEvent(models.Model):
    """The audit trail of an account: who did what to it, and when (shown on its page)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Akun dibuat")
        UPDATED = "updated", _("Akun diubah")
        DEACTIVATED = "deactivated", _("Akun dinonaktifkan")
        REACTIVATED = "reactivated", _("Akun diaktifkan kembali")
        CODE_ISSUED = "code_issued", _("Kode aktivasi diterbitkan")
        CODE_EMAILED = "code_emailed", _("Tautan aktivasi dikirim lewat surel")
        ACTIVATED = "activated", _("Akun diaktivasi dengan kode")
        TEMPORARY_PASSWORD = "temporary_password", _("Kata sandi sementara diberikan")
        PASSWORD_CHANGED = "password_changed", _("Kata sandi diganti")
        PASSWORD_RESET = "password_reset", _("Kata sandi disetel ulang lewat surel")
        TWO_FACTOR_ENABLED = "two_factor_enabled", _("Verifikasi dua langkah diaktifkan")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Verifikasi dua langkah dimatikan")
        TWO_FACTOR_RESET = "two_factor_reset", _("Verifikasi dua langkah disetel ulang admin")
        RECOVERY_CODES = "recovery_codes", _("Kode pemulihan dibuat baru")
        RECOVERY_CODE_USED = "recovery_code_used", _("Masuk dengan kode pemulihan")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("peristiwa"), max_length=30, choices=Kind.choices)
    detail = models.CharField(_("keterangan"), max_length=255, blank=True)
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("peristiwa akun")
        verbose_name_plural = _("peristiwa akun")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"


def record_event(user: User, kind: str, actor: User | None = None, detail: str = "") -> None:
    """Add one line to an account's audit trail."""
    AccountEvent.objects.create(user=user, actor=actor, kind=kind, detail=detail[:255])
