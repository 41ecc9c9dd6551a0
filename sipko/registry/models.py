"""The ormas registry (SPEC §3.2).

Legal form, registration and activity status are separate facts. Validity (*berlaku / akan habis /
kedaluwarsa*) is never stored: it is derived from dates on read (see `selectors.validity_of` and
`OrmasQuerySet.with_validity`), so it cannot go stale. Writes go through `services.py`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Left, Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sipko.lib import protected
from sipko.lib.uploads import EXTENSION_BY_TYPE

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sipko.accounts.models import User


class LegalForm(models.TextChoices):
    PERKUMPULAN = "perkumpulan", _("Perkumpulan")
    YAYASAN = "yayasan", _("Yayasan")
    TIDAK_BERBADAN_HUKUM = "tidak_berbadan_hukum", _("Tidak berbadan hukum")
    ORMAS_ASING = "ormas_asing", _("Ormas asing")
    LAINNYA = "lainnya", _("Lainnya")


class RegistrationKind(models.TextChoices):
    SK_AHU = "sk_ahu", _("SK Badan Hukum (AHU)")
    SKT = "skt", _("SKT")
    LOCAL = "local", _("Surat keterangan daerah")
    NONE = "none", _("Tidak terdaftar")


class Validity(models.TextChoices):
    BERLAKU = "berlaku", _("Berlaku")
    AKAN_HABIS = "akan_habis", _("Akan habis")
    KEDALUWARSA = "kedaluwarsa", _("Kedaluwarsa")
    TIDAK_DIKETAHUI = "tidak_diketahui", _("Masa berlaku tidak diketahui")
    TIDAK_TERDAFTAR = "tidak_terdaftar", _("Tidak terdaftar")


class ActivityStatus(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")
    TIDAK_DITEMUKAN = "tidak_ditemukan", _("Tidak ditemukan")
    DIBEKUKAN = "dibekukan", _("Dibekukan")
    BUBAR = "bubar", _("Bubar")


class ScopeLevel(models.TextChoices):
    NASIONAL = "nasional", _("Nasional")
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN_KOTA = "kabupaten_kota", _("Kabupaten/kota")
    KECAMATAN = "kecamatan", _("Kecamatan")


class Office(models.TextChoices):
    MILIK = "milik", _("Milik sendiri")
    SEWA = "sewa", _("Sewa")
    PINJAM = "pinjam", _("Pinjam/menumpang")
    TIDAK_ADA = "tidak_ada", _("Tidak ada")


class Bidang(models.Model):
    """A field of activity. The list is configurable (admin); ICNPO group feeds BPS statistics."""

    code = models.SlugField(_("kode"), max_length=40, primary_key=True)
    name = models.CharField(_("nama"), max_length=80)
    name_en = models.CharField(_("nama (Inggris)"), max_length=80, blank=True)
    icnpo_group = models.CharField(_("kelompok ICNPO"), max_length=8, blank=True)
    synonyms = models.CharField(
        _("sinonim"),
        max_length=300,
        blank=True,
        help_text=_("Kata lain yang dikenali saat impor, dipisah koma."),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("bidang")
        verbose_name_plural = _("bidang")

    def __str__(self) -> str:
        """The name in the active language (the list is data, not a translatable string)."""
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name


# The province and kab/kota codes an ormas is counted under, stored beside `region` (the most
# precise region known) so national and provincial filters and roll-ups use an index instead of
# a prefix scan. Codes are fixed width: `35` (province), `35.72` (kab/kota).
PROVINCE_CODE_LENGTH = 2
KABKOTA_CODE_LENGTH = 5


def region_codes(region_code: str) -> tuple[str, str]:
    """`35.72.01.1001` → `('35', '35.72')`; a province alone has no kab/kota code."""
    kabkota = region_code[:KABKOTA_CODE_LENGTH] if len(region_code) >= KABKOTA_CODE_LENGTH else ""
    return region_code[:PROVINCE_CODE_LENGTH], kabkota


def province_code_expression(field: str = "region") -> Left:
    """`region_codes(...)[0]` as SQL, for the check constraint and bulk updates."""
    return Left(field, PROVINCE_CODE_LENGTH)


def kabkota_code_expression(field: str = "region") -> Case:
    """`region_codes(...)[1]` as SQL, for the check constraint and bulk updates."""
    return Case(
        When(
            GreaterThanOrEqual(Length(field), KABKOTA_CODE_LENGTH),
            then=Left(field, KABKOTA_CODE_LENGTH),
        ),
        default=Value(""),
        output_field=models.CharField(),
    )


class OrmasQuerySet(models.QuerySet["Ormas"]):
    def for_user(self, user: User | AnonymousUser) -> OrmasQuerySet:
        from sipko.accounts import access

        return access.ormas_visible_to(user, self)

    def current(self) -> OrmasQuerySet:
        """Records that are not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Ormas(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama ormas"), max_length=255)
    acronym = models.CharField(_("singkatan"), max_length=60, blank=True)
    # Normalised name and acronym (services.normalise_name) for duplicate detection and import.
    name_key = models.CharField(max_length=255, db_index=True, editable=False)
    acronym_key = models.CharField(max_length=60, blank=True, db_index=True, editable=False)

    legal_form = models.CharField(
        _("bentuk"),
        max_length=24,
        choices=LegalForm.choices,
        default=LegalForm.TIDAK_BERBADAN_HUKUM,
    )
    legal_form_other = models.CharField(_("bentuk (teks asli)"), max_length=120, blank=True)
    bidang = models.ManyToManyField(Bidang, verbose_name=_("bidang"), blank=True)
    bidang_other = models.CharField(_("bidang lain (teks asli)"), max_length=200, blank=True)
    scope_level = models.CharField(
        _("lingkup"), max_length=16, choices=ScopeLevel.choices, default=ScopeLevel.KABUPATEN_KOTA
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("organisasi induk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
    )
    founding_year = models.PositiveSmallIntegerField(_("tahun berdiri"), null=True, blank=True)

    address = models.CharField(_("alamat sekretariat"), max_length=300, blank=True)
    # The most precise region known (kelurahan/desa, else kecamatan, else kabupaten/kota).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    # Derived from `region` on every save (see `region_codes`); a check constraint refuses a row
    # whose codes disagree with its region, so a bulk path that forgets them fails loudly: such a
    # path calls `derive_region_codes()` on each object (bulk_create/bulk_update) or writes
    # `region_codes(code)` beside `region` in the same `.update()`.
    province_code = models.CharField(
        _("kode provinsi"), max_length=PROVINCE_CODE_LENGTH, blank=True, editable=False
    )
    kabkota_code = models.CharField(
        _("kode kabupaten/kota"), max_length=KABKOTA_CODE_LENGTH, blank=True, editable=False
    )
    office = models.CharField(
        _("kantor/sekretariat"), max_length=12, choices=Office.choices, blank=True
    )
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon kantor"), max_length=20, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    has_bank_account = models.BooleanField(_("rekening atas nama ormas"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("jumlah anggota"), null=True, blank=True)

    ahu_number = models.CharField(_("nomor SK AHU"), max_length=60, blank=True, db_index=True)
    ahu_date = models.DateField(_("tanggal SK AHU"), null=True, blank=True)
    skt_number = models.CharField(_("nomor SKT"), max_length=80, blank=True, db_index=True)
    skt_issued = models.DateField(_("tanggal terbit SKT"), null=True, blank=True)
    skt_expires = models.DateField(_("berlaku SKT sampai"), null=True, blank=True, db_index=True)
    local_letter_type = models.CharField(
        _("jenis surat daerah"),
        max_length=20,
        blank=True,
        help_text=_("Misalnya SKL, SKTL, STTL, SKKO."),
    )
    local_letter_number = models.CharField(
        _("nomor surat daerah"), max_length=80, blank=True, db_index=True
    )
    local_letter_date = models.DateField(_("tanggal surat daerah"), null=True, blank=True)

    activity_status = models.CharField(
        _("status keaktifan"),
        max_length=16,
        choices=ActivityStatus.choices,
        default=ActivityStatus.AKTIF,
        db_index=True,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("digabung ke"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    is_demo = models.BooleanField(_("data demo (fiktif)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrmasQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[bidang])

    class Meta:
        ordering = ["name"]
        verbose_name = _("ormas")
        verbose_name_plural = _("ormas")
        indexes = [
            models.Index(fields=["region", "name"]),
            models.Index(fields=["name_key", "region"]),
            models.Index(fields=["province_code"], name="registry_ormas_province_idx"),
            models.Index(fields=["kabkota_code"], name="registry_ormas_kabkota_idx"),
            # The demo banner asks on every page whether any demo ormas exists.
            models.Index(
                fields=["is_demo"], condition=Q(is_demo=True), name="registry_ormas_demo_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(province_code=province_code_expression())
                & Q(kabkota_code=kabkota_code_expression()),
                name="registry_ormas_region_codes",
                violation_error_message=_(
                    "Kode provinsi dan kabupaten/kota tidak cocok dengan wilayah."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_region_codes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"region", "region_id"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "province_code", "kabkota_code"}
        super().save(*args, **kwargs)

    def derive_region_codes(self) -> None:
        if self.region_id:
            self.province_code, self.kabkota_code = region_codes(self.region_id)

    def clean(self) -> None:
        # Before `validate_constraints`, so full_clean checks the codes the save will write.
        self.derive_region_codes()
        super().clean()

    @property
    def registration_kind(self) -> str:
        if self.ahu_number:
            return RegistrationKind.SK_AHU
        if self.skt_number:
            return RegistrationKind.SKT
        if self.local_letter_number:
            return RegistrationKind.LOCAL
        return RegistrationKind.NONE

    def get_registration_kind_display(self) -> str:
        return str(RegistrationKind(self.registration_kind).label)


class Position(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    WAKIL_KETUA = "wakil_ketua", _("Wakil ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    PEMBINA = "pembina", _("Pembina")
    PENGAWAS = "pengawas", _("Pengawas")
    ANGGOTA = "anggota", _("Anggota pengurus")


class Pengurus(models.Model):
    """A board officer. The NIK is stored encrypted, with a keyed hash for matching."""

    ormas = models.ForeignKey(
        Ormas, verbose_name=_("ormas"), on_delete=models.CASCADE, related_name="pengurus"
    )
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=16, choices=Position.choices)
    term_start = models.DateField(_("awal masa bakti"), null=True, blank=True)
    term_end = models.DateField(_("akhir masa bakti"), null=True, blank=True)
    nik_encrypted = models.TextField(blank=True, editable=False)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["ormas", "position", "name"]
        verbose_name = _("pengurus")
        verbose_name_plural = _("pengurus")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"

    @property
    def nik_masked(self) -> str:
        return protected.mask_nik(protected.decrypt(self.nik_encrypted))

    @property
    def phone_masked(self) -> str:
        return protected.mask_phone(self.phone)


class DocumentType(models.TextChoices):
    AD_ART = "ad_art", _("AD/ART")
    AKTA_NOTARIS = "akta_notaris", _("Akta notaris")
    SK_AHU = "sk_ahu", _("SK AHU")
    SKT = "skt", _("SKT")
    SK_KEPENGURUSAN = "sk_kepengurusan", _("SK kepengurusan")
    NPWP = "npwp", _("NPWP")
    SURAT_DOMISILI = "surat_domisili", _("Surat keterangan domisili")
    FOTO_KANTOR = "foto_kantor", _("Foto kantor/sekretariat")


class Verdict(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    VALID = "valid", _("Sah")
    INVALID = "invalid", _("Tidak sah")


def document_upload_to(instance: Document, filename: str) -> str:
    # A random name and an extension from the checked content: the uploader's file name is kept
    # in the row for display, never trusted on disk.
    ext = EXTENSION_BY_TYPE.get(instance.content_type, "bin")
    return f"registry/{instance.ormas.uuid}/{uuid.uuid4().hex}.{ext}"


class Document(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ormas = models.ForeignKey(
        Ormas, verbose_name=_("ormas"), on_delete=models.CASCADE, related_name="documents"
    )
    doc_type = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    issued = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires = models.DateField(_("berlaku sampai"), null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=60, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    verdict = models.CharField(
        _("hasil verifikasi"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING
    )
    verdict_reason = models.TextField(_("alasan"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("waktu verifikasi"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["ormas", "doc_type", "-uploaded_at"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}".strip()


class Assignment(models.Model):
    """An assessor assigned to verify one ormas, with the conflict-of-interest declaration."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penilai"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    ormas = models.ForeignKey(
        Ormas, verbose_name=_("ormas"), on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditugaskan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    no_conflict_declared_at = models.DateTimeField(_("pernyataan bebas konflik"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessor", "ormas"], name="unique_assignment")
        ]
        verbose_name = _("penugasan penilai")
        verbose_name_plural = _("penugasan penilai")

    def __str__(self) -> str:
        return f"{self.assessor} → {self.ormas}"


class DuplicateDismissal(models.Model):
    """A pair of ormas a person judged *not* to be duplicates; the detector stops proposing it."""

    first = models.ForeignKey(Ormas, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Ormas, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("alasan"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="unique_dismissal")]

    def __str__(self) -> str:
        return f"{self.first} ≠ {self.second}"


class ImportJob(models.Model):
    """One registry spreadsheet upload: its progress and its outcome, for the web importer."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Diproses")
        DONE = "done", _("Selesai")
        # Nothing written: columns holding data are unknown; the page asks what they are.
        NEEDS_MAPPING = "mapping", _("Perlu pemetaan kolom")
        REJECTED = "rejected", _("Ditolak")
        FAILED = "failed", _("Gagal")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    report = models.FileField(upload_to="imports/reports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status in (self.Status.QUEUED, self.Status.RUNNING) else 100
        return min(100, round(self.processed_rows * 100 / self.total_rows))


class ImportColumnMapping(models.Model):
    """How imports into a region read a column whose header the importer does not know.

    Saved from the web import's column choices (`services.import_column_mapping_save`) and
    applied to that region's next imports; `field` is an importer field name, or IGNORE for a
    column dropped on purpose (docs/import.md#unknown-columns).
    """

    IGNORE = "ignore"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    header_key = models.CharField(_("kunci judul kolom"), max_length=200)
    header = models.CharField(_("judul kolom"), max_length=200)
    field = models.CharField(_("isian"), max_length=40)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "header_key"], name="unique_import_column_mapping"
            )
        ]
        verbose_name = _("pemetaan kolom impor")
        verbose_name_plural = _("pemetaan kolom impor")

    def __str__(self) -> str:
        return f"{self.header} → {self.field}"
