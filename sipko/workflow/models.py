"""The log of every state change of every workflow object (programme, report, period, …)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class StateChange(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("tindakan"), max_length=30)
    old_state = models.CharField(_("status lama"), max_length=20)
    new_state = models.CharField(_("status baru"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("alasan/catatan"), blank=True)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = _("perubahan status")
        verbose_name_plural = _("perubahan status")

    def __str__(self) -> str:
        return f"{self.old_state} → {self.new_state} ({self.action})"
