"""In-app notifications: something of the user's was returned, verified, published, decided or
assigned (docs/accounts.md#notifications)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        RETURNED = "returned", _("Dikembalikan")
        ACCEPTED = "accepted", _("Diterima")
        VERIFIED = "verified", _("Diverifikasi")
        PUBLISHED = "published", _("Diumumkan")
        DECIDED = "decided", _("Diputuskan")
        ASSIGNED = "assigned", _("Ditugaskan")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("pesan"), max_length=300)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="inbox_unread")]

    def __str__(self) -> str:
        return self.message
