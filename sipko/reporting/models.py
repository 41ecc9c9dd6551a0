"""Reporting (SPEC §3.4): activity reports with evidence, financial summaries, reminders."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sipko.lib.uploads import EXTENSION_BY_TYPE


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Terverifikasi")
    RETURNED = "returned", _("Dikembalikan")


# Sex × age group, in the order of the participants grid (rows: sex; columns: age group).
PARTICIPANT_FIELDS = (
    "male_under16",
    "male_youth",
    "male_over30",
    "female_under16",
    "female_youth",
    "female_over30",
)


class ActivityReport(models.Model):
    """A laporan kegiatan of a programme; participants by sex and age (youth 16–30, UU 40/2009)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        "planning.Programme",
        verbose_name=_("program kerja"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    title = models.CharField(_("nama kegiatan"), max_length=200)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    location = models.ForeignKey(
        "regions.Region", verbose_name=_("lokasi"), on_delete=models.PROTECT, related_name="+"
    )
    location_detail = models.CharField(_("tempat"), max_length=200, blank=True)
    narrative = models.TextField(_("uraian kegiatan"))
    male_under16 = models.PositiveIntegerField(_("laki-laki < 16 th"), default=0)
    male_youth = models.PositiveIntegerField(_("laki-laki 16–30 th"), default=0)
    male_over30 = models.PositiveIntegerField(_("laki-laki > 30 th"), default=0)
    female_under16 = models.PositiveIntegerField(_("perempuan < 16 th"), default=0)
    female_youth = models.PositiveIntegerField(_("perempuan 16–30 th"), default=0)
    female_over30 = models.PositiveIntegerField(_("perempuan > 30 th"), default=0)
    cost = models.DecimalField(_("biaya (Rp)"), max_digits=15, decimal_places=0, default=0)
    state = models.CharField(
        _("status"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("laporan kegiatan")
        verbose_name_plural = _("laporan kegiatan")

    def __str__(self) -> str:
        return self.title

    @property
    def participants(self) -> int:
        return (
            self.male_under16
            + self.male_youth
            + self.male_over30
            + self.female_under16
            + self.female_youth
            + self.female_over30
        )

    @property
    def youth(self) -> int:
        return self.male_youth + self.female_youth


class ReportValue(models.Model):
    """The realised value of one programme indicator in one report."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "planning.ProgrammeIndicator", on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(_("nilai realisasi"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="unique_report_value")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    ext = EXTENSION_BY_TYPE.get(instance.content_type, "bin")
    return f"reports/{instance.report.uuid}/{uuid.uuid4().hex}.{ext}"


def thumbnail_upload_to(instance: Evidence, filename: str) -> str:
    return f"reports/{instance.report.uuid}/thumbs/{uuid.uuid4().hex}.jpg"


class Evidence(models.Model):
    """A bukti dukung: checked by content, stored outside the web root, served by an access view."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to)
    thumbnail = models.FileField(upload_to=thumbnail_upload_to, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self) -> str:
        return self.caption or self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class FinancialSummary(models.Model):
    """Ringkasan keuangan of an ormas for a period (SPEC §3.4)."""

    ormas = models.ForeignKey(
        "registry.Ormas",
        verbose_name=_("ormas"),
        on_delete=models.CASCADE,
        related_name="financial_summaries",
    )
    period = models.ForeignKey(
        "planning.Period", verbose_name=_("periode"), on_delete=models.PROTECT, related_name="+"
    )
    income_iuran = models.DecimalField(
        _("iuran anggota"), max_digits=15, decimal_places=0, default=0
    )
    income_usaha = models.DecimalField(
        _("usaha sendiri"), max_digits=15, decimal_places=0, default=0
    )
    income_hibah = models.DecimalField(
        _("hibah pemerintah"), max_digits=15, decimal_places=0, default=0
    )
    income_donasi = models.DecimalField(_("donasi"), max_digits=15, decimal_places=0, default=0)
    income_csr_lainnya = models.DecimalField(
        _("CSR/lainnya"), max_digits=15, decimal_places=0, default=0
    )
    expenditure = models.DecimalField(_("pengeluaran"), max_digits=15, decimal_places=0, default=0)
    reported = models.BooleanField(_("dilaporkan ke anggota/rapat"), default=False)
    audited = models.BooleanField(_("diaudit"), default=False)
    published = models.BooleanField(_("dipublikasikan"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    INCOME_FIELDS = (
        "income_iuran",
        "income_usaha",
        "income_hibah",
        "income_donasi",
        "income_csr_lainnya",
    )

    class Meta:
        verbose_name = _("ringkasan keuangan")
        verbose_name_plural = _("ringkasan keuangan")
        constraints = [
            models.UniqueConstraint(fields=["ormas", "period"], name="unique_financial_summary")
        ]

    def __str__(self) -> str:
        return f"{self.ormas} · {self.period}"

    @property
    def total_income(self) -> int:
        return sum(getattr(self, name) for name in self.INCOME_FIELDS)

    @property
    def income_sources_used(self) -> int:
        return sum(1 for name in self.INCOME_FIELDS if getattr(self, name) > 0)


class ReminderLog(models.Model):
    """One reminder sent; makes `send_reminders` idempotent per recipient, subject and day."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=120)
    recipient = models.EmailField()
    sent_on = models.DateField()
    # The ormas' region, so a region admin's *Pengingat* page lists its region's reminders.
    region_code = models.CharField(max_length=13, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient", "sent_on"], name="unique_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.recipient} ({self.sent_on})"
