"""Planning (SPEC §3.3): the RPJMD of a region, assessment periods, and ormas work programmes."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Rpjmd(models.Model):
    """A five-year regional development plan: visi here, misi → … → indikator as items."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("judul"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    visi = models.TextField(_("visi"))
    note = models.TextField(
        _("catatan"),
        blank=True,
        help_text=_("Misalnya: rumusan misi masih rancangan; tujuan dan sasaran ilustratif."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "-start_year"]
        verbose_name = _("RPJMD")
        verbose_name_plural = _("RPJMD")
        constraints = [
            models.UniqueConstraint(fields=["region", "start_year"], name="unique_rpjmd_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start_year}–{self.end_year}"


class RpjmdLevel(models.TextChoices):
    MISI = "misi", _("Misi")
    TUJUAN = "tujuan", _("Tujuan")
    SASARAN = "sasaran", _("Sasaran")
    INDIKATOR = "indikator", _("Indikator")


PARENT_LEVEL = {
    RpjmdLevel.MISI: None,
    RpjmdLevel.TUJUAN: RpjmdLevel.MISI,
    RpjmdLevel.SASARAN: RpjmdLevel.TUJUAN,
    RpjmdLevel.INDIKATOR: RpjmdLevel.SASARAN,
}


class RpjmdItem(models.Model):
    rpjmd = models.ForeignKey(Rpjmd, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=RpjmdLevel.choices)
    code = models.CharField(_("kode"), max_length=30)
    text = models.TextField(_("rumusan"))
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    illustrative = models.BooleanField(
        _("ilustratif"),
        default=False,
        help_text=_("Contoh untuk demo/uji coba, bukan rumusan resmi."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rpjmd", "code"]
        verbose_name = _("butir RPJMD")
        verbose_name_plural = _("butir RPJMD")
        constraints = [
            models.UniqueConstraint(fields=["rpjmd", "code"], name="unique_rpjmd_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class ReportFrequency(models.TextChoices):
    SEMESTER = "semester", _("Per semester")
    YEARLY = "yearly", _("Tahunan")


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("Rancangan")
    OPEN = "open", _("Dibuka")
    ASSESSMENT = "assessment", _("Penilaian")
    PUBLISHED = "published", _("Diumumkan")
    CLOSED = "closed", _("Ditutup")


@dataclass(frozen=True)
class ReportWindow:
    """One reporting window of a period: activities from `start` to `end`, report due `due`."""

    key: str
    label: str
    start: dt.date
    end: dt.date
    due: dt.date


class Period(models.Model):
    """A periode penilaian (usually a year) of one region, with its windows and deadlines."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nama"), max_length=120)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    report_frequency = models.CharField(
        _("frekuensi laporan"),
        max_length=10,
        choices=ReportFrequency.choices,
        default=ReportFrequency.SEMESTER,
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("batas laporan (hari setelah akhir semester/tahun)"), default=15
    )
    programme_due = models.DateField(_("batas pengajuan program kerja"))
    self_assessment_due = models.DateField(_("batas penilaian mandiri"), null=True, blank=True)
    verification_due = models.DateField(_("batas verifikasi"), null=True, blank=True)
    appeal_due = models.DateField(_("batas keberatan"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    rpjmd = models.ForeignKey(
        Rpjmd,
        verbose_name=_("RPJMD acuan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="periods",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "region"]
        verbose_name = _("periode penilaian")
        verbose_name_plural = _("periode penilaian")

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.state == PeriodState.CLOSED

    def report_windows(self) -> list[ReportWindow]:
        """Semesters (Jan–Jun, Jul–Dec) or the whole period, each due `report_due_days` later."""
        grace = dt.timedelta(days=self.report_due_days)
        if self.report_frequency == ReportFrequency.YEARLY:
            return [ReportWindow("Y", str(_("Tahunan")), self.start, self.end, self.end + grace)]
        windows = []
        cursor = self.start
        while cursor <= self.end:
            half_end = (
                dt.date(cursor.year, 6, 30) if cursor.month <= 6 else dt.date(cursor.year, 12, 31)
            )
            end = min(half_end, self.end)
            number = 1 if cursor.month <= 6 else 2
            windows.append(
                ReportWindow(
                    f"S{number}-{cursor.year}",
                    str(_("Semester %(n)s %(year)s") % {"n": number, "year": cursor.year}),
                    cursor,
                    end,
                    end + grace,
                )
            )
            cursor = end + dt.timedelta(days=1)
        return windows


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    ACCEPTED = "accepted", _("Diterima")
    RETURNED = "returned", _("Dikembalikan")


class FundingSource(models.TextChoices):
    IURAN = "iuran", _("Iuran anggota")
    USAHA = "usaha", _("Usaha sendiri")
    HIBAH = "hibah_pemerintah", _("Hibah pemerintah")
    DONASI = "donasi", _("Donasi")
    CSR = "csr_lainnya", _("CSR/lainnya")


class Programme(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ormas = models.ForeignKey(
        "registry.Ormas",
        verbose_name=_("ormas"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("judul program"), max_length=200)
    objective = models.TextField(_("tujuan program"))
    bidang = models.ManyToManyField("registry.Bidang", verbose_name=_("bidang"), blank=True)
    sasaran = models.ManyToManyField(
        RpjmdItem,
        verbose_name=_("sasaran RPJMD"),
        blank=True,
        related_name="programmes",
        limit_choices_to={"level": RpjmdLevel.SASARAN},
    )
    locations = models.ManyToManyField(
        "regions.Region", verbose_name=_("lokasi"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    budget = models.DecimalField(_("anggaran (Rp)"), max_digits=15, decimal_places=0, default=0)
    funding_sources = models.JSONField(_("sumber dana"), default=list, blank=True)
    target_beneficiaries = models.PositiveIntegerField(
        _("target penerima manfaat (orang)"), default=0
    )
    beneficiary_description = models.CharField(
        _("siapa penerima manfaatnya"), max_length=200, blank=True
    )
    state = models.CharField(
        _("status"), max_length=10, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT
    )
    review_note = models.TextField(_("catatan Kesbangpol"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditinjau oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[bidang, sasaran, locations])

    class Meta:
        ordering = ["period", "ormas", "title"]
        verbose_name = _("program kerja")
        verbose_name_plural = _("program kerja")

    def __str__(self) -> str:
        return self.title


class Polarity(models.TextChoices):
    HIGHER = "higher", _("Makin tinggi makin baik")
    LOWER = "lower", _("Makin rendah makin baik")
    EXACT = "exact", _("Tepat sasaran")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Dijumlahkan")
    LAST = "last", _("Nilai terakhir")
    AVERAGE = "average", _("Rata-rata")


class ProgrammeIndicator(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=40)
    baseline = models.DecimalField(
        _("nilai awal"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    polarity = models.CharField(
        _("arah"), max_length=8, choices=Polarity.choices, default=Polarity.HIGHER
    )
    aggregation = models.CharField(
        _("cara menghitung capaian"),
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("indikator program")
        verbose_name_plural = _("indikator program")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"
