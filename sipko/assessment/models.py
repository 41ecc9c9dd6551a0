"""Performance assessment (SPEC §3.5): instruments, assessments, answers, appeals and guidance.

The scoring rules live in `sipko.assessment.scoring` (plain Python). These models store what it
needs (the instrument definition, the answers) and what it returns (the result and its trace),
and the workflow state around them. Every write goes through `services`.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sipko.lib.uploads import EXTENSION_BY_TYPE

if TYPE_CHECKING:
    from sipko.assessment.scoring import Instrument as InstrumentSpec


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", _("Rancangan")
    PUBLISHED = "published", _("Berlaku")
    RETIRED = "retired", _("Tidak dipakai lagi")


class Instrument(models.Model):
    """A versioned performance standard. Once published its definition never changes."""

    code = models.CharField(_("kode"), max_length=40)
    version = models.CharField(_("versi"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=InstrumentStatus.choices, default=InstrumentStatus.DRAFT
    )
    # The canonical definition (`scoring.instrument_to_dict`); the engine is fed from it.
    definition = models.JSONField(_("definisi"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong untuk instrumen nasional."),
    )
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("disalin dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("diberlakukan pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_instrument_version")
        ]
        verbose_name = _("instrumen penilaian")
        verbose_name_plural = _("instrumen penilaian")

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    @cached_property
    def spec(self) -> InstrumentSpec:
        from sipko.assessment.scoring import parse_instrument

        return parse_instrument(self.definition)

    @property
    def is_published(self) -> bool:
        return self.status != InstrumentStatus.DRAFT


class PeriodStandard(models.Model):
    """Which instrument a period's ormas are assessed with."""

    period = models.OneToOneField(
        "planning.Period",
        verbose_name=_("periode"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="standard",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrumen"), on_delete=models.PROTECT, related_name="periods"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standar penilaian periode")
        verbose_name_plural = _("standar penilaian periode")

    def __str__(self) -> str:
        return f"{self.period} — {self.instrument}"


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Penilaian mandiri")
    SUBMITTED = "submitted", _("Menunggu verifikasi")
    RECONCILIATION = "reconciliation", _("Rekonsiliasi")
    VERIFIED = "verified", _("Terverifikasi")
    PUBLISHED = "published", _("Diumumkan")
    APPEAL = "appeal", _("Keberatan")
    FINAL = "final", _("Final")


# States whose result the public, viewers and the ormas itself may see.
PUBLIC_STATES = (AssessmentState.PUBLISHED, AssessmentState.APPEAL, AssessmentState.FINAL)


class Assessment(models.Model):
    """One ormas assessed in one period, with one instrument."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ormas = models.ForeignKey(
        "registry.Ormas", verbose_name=_("ormas"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        "planning.Period",
        verbose_name=_("periode"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrumen"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("status"), max_length=16, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penilai kedua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    verified_at = models.DateTimeField(_("terverifikasi pada"), null=True, blank=True)
    published_at = models.DateTimeField(_("diumumkan pada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appeal_until = models.DateField(_("batas keberatan"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final pada"), null=True, blank=True)

    # The self-assessment score: shown to the ormas only, never used for ranking.
    provisional = models.JSONField(_("skor sementara"), null=True, blank=True, editable=False)
    # The score from verified values (the official one once published), with its trace.
    result = models.JSONField(_("hasil"), null=True, blank=True, editable=False)
    index = models.DecimalField(
        _("indeks"), max_digits=9, decimal_places=6, null=True, blank=True, editable=False
    )
    predicate = models.CharField(_("predikat"), max_length=10, blank=True, editable=False)
    inputs_hash = models.CharField(_("sidik masukan"), max_length=64, blank=True, editable=False)
    scored_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["provisional", "result", "scored_at"])

    class Meta:
        ordering = ["ormas__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ormas", "period"], name="unique_assessment_period")
        ]
        indexes = [models.Index(fields=["period", "state"])]
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")

    def __str__(self) -> str:
        return f"{self.ormas} — {self.period}"

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def is_frozen(self) -> bool:
        """Published results change only through an appeal decision."""
        return self.state in PUBLIC_STATES


class Answer(models.Model):
    """The answer to one indicator, and how it was verified.

    Values are stored as the canonical text the engine parses (`scoring.parse_answer`): a level,
    a number, `ya`/`tidak`, a ratio `actual/target`, or `NA`; "" means unanswered. The ormas' own
    value feeds only its provisional score; the official score counts the reconciled (or appeal)
    value, else the first assessor's, and an answer nobody has verified yet counts as unanswered,
    so a score in verification never shows the ormas' unchecked claims.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.CharField(_("indikator"), max_length=40)
    value = models.CharField(_("jawaban"), max_length=60, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    # How SIPKO computed a `system` value, in words ("2 dari 3 program terkait RPJMD").
    system_detail = models.CharField(_("dasar perhitungan"), max_length=300, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    verified_value = models.CharField(_("nilai verifikasi"), max_length=60, blank=True)
    verified_reason = models.TextField(_("alasan perubahan"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    second_value = models.CharField(_("nilai penilai kedua"), max_length=60, blank=True)
    second_reason = models.TextField(_("alasan penilai kedua"), blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_at = models.DateTimeField(null=True, blank=True)

    final_value = models.CharField(_("nilai akhir"), max_length=60, blank=True)
    final_reason = models.TextField(_("alasan rekonsiliasi/keberatan"), blank=True)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="unique_answer")
        ]
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.counted_value}"

    @property
    def counted_value(self) -> str:
        if self.final_at is not None:
            return self.final_value
        if self.verified_at is not None:
            return self.verified_value
        return ""

    @property
    def disagreement(self) -> bool:
        """Both assessors looked and set different values, and nobody has reconciled them."""
        return (
            self.verified_at is not None
            and self.second_at is not None
            and self.final_at is None
            and self.verified_value != self.second_value
        )


class PrivateFile(models.Model):
    """An uploaded PDF/JPEG/PNG, checked by content, stored under a random name and served only
    through an access-checked view (`lib.files.stream_private`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.file.name  # type: ignore[attr-defined]

    @property
    def extension(self) -> str:
        return EXTENSION_BY_TYPE.get(self.content_type, "bin")


def answer_file_upload_to(instance: AnswerFile, filename: str) -> str:
    return f"assessment/{instance.answer.assessment.uuid}/{uuid.uuid4().hex}.{instance.extension}"


class AnswerFile(PrivateFile):
    """Evidence (*bukti dukung*) attached to an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=answer_file_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")


class AppealState(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    GRANTED = "granted", _("Diterima")
    PARTLY = "partly", _("Diterima sebagian")
    REJECTED = "rejected", _("Ditolak")


class Appeal(models.Model):
    """A *keberatan* against a published result, decided by a reviewer who did not verify it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="appeal")
    grounds = models.TextField(_("alasan keberatan"))
    indicators = models.JSONField(_("indikator yang dipersoalkan"), default=list, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        _("status"), max_length=10, choices=AppealState.choices, default=AppealState.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peninjau"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("pertimbangan keputusan"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    index_before = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    predicate_before = models.CharField(max_length=10, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")

    def __str__(self) -> str:
        return str(_("Keberatan %(ormas)s") % {"ormas": self.assessment.ormas})


def appeal_file_upload_to(instance: AppealFile, filename: str) -> str:
    return f"appeal/{instance.appeal.uuid}/{uuid.uuid4().hex}.{instance.extension}"


class AppealFile(PrivateFile):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=appeal_file_upload_to)

    class Meta(PrivateFile.Meta):
        verbose_name = _("lampiran keberatan")
        verbose_name_plural = _("lampiran keberatan")


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Belum ditindaklanjuti")
    IN_PROGRESS = "in_progress", _("Sedang berjalan")
    DONE = "done", _("Selesai")
    DROPPED = "dropped", _("Tidak dilanjutkan")


class FollowUp(models.Model):
    """A guidance (*pembinaan*) action for an ormas, carried into the next period until done.

    Recommendations are generated from the weakest indicators of a result; Kesbangpol turns the
    ones it agrees with into follow-ups, or writes its own.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="follow_ups")
    indicator = models.CharField(_("indikator"), max_length=40, blank=True)
    action = models.TextField(_("tindak lanjut"))
    due = models.DateField(_("target selesai"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    progress_note = models.TextField(_("catatan perkembangan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tindak lanjut pembinaan")
        verbose_name_plural = _("tindak lanjut pembinaan")

    def __str__(self) -> str:
        return self.action[:60]


class EligibilityRule(models.Model):
    """A flag such as "layak hibah" given to ormas whose final predicate is one of `predicates`."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nama"), max_length=120)
    predicates = models.JSONField(_("predikat yang memenuhi"), default=list)
    description = models.TextField(_("keterangan"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("syarat kelayakan")
        verbose_name_plural = _("syarat kelayakan")

    def __str__(self) -> str:
        return self.name
