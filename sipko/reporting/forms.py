"""Reporting forms. They check shape; business rules live in services (errors are mapped back)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.lib.forms import (
    MultipleFileField,
    MultipleFileInput,
    StyledForm,
    StyledModelForm,
)
from sipko.lib.uploads import DOCUMENT_TYPES, check_upload
from sipko.lib.versions import VersionedFormMixin
from sipko.regions.models import within_q
from sipko.registry.forms import DateInput, RegionCodeField
from sipko.reporting.models import (
    PARTICIPANT_FIELDS,
    ActivityReport,
    FinancialSummary,
    ReportState,
)
from sipko.reporting.services import MAX_EVIDENCE_PER_REPORT

if TYPE_CHECKING:
    from sipko.planning.models import Period, Programme, ProgrammeIndicator

MAX_PARTICIPANTS_PER_GROUP = 1_000_000  # more than any single activity of an ormas gathers
MAX_QUERY = 100
MAX_NARRATIVE = 10_000  # characters: a few pages of text, not a pasted document
VALUE_PREFIX = "value_"

_THOUSANDS_ID = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.500.000 or 1.500.000,00
_THOUSANDS_EN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,500,000 or 1,500,000.00


def normalise_amount(raw: str) -> str:
    """`Rp 1.500.000`, `1.500.000,00`, `1,500,000` and `1500000` all become `1500000`."""
    value = re.sub(r"(?i)^\s*(rp\.?|idr)\s*", "", raw.strip()).replace(" ", "")
    if _THOUSANDS_ID.match(value):
        return value.replace(".", "").replace(",", ".")
    if _THOUSANDS_EN.match(value):
        return value.replace(",", "")
    return value.replace(",", ".") if value.count(",") == 1 and "." not in value else value


def plain_decimal(value: Decimal) -> Decimal:
    """`25.00` → `25`, `12.50` → `12.5`, never an exponent (`1E+2`) in a number input."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class RupiahField(forms.DecimalField):
    """Whole rupiah, typed the way people write amounts, with a numeric phone keyboard."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        kwargs.setdefault("help_text", gettext_lazy("Rupiah, misalnya 1.500.000."))
        super().__init__(**kwargs)
        self.error_messages["max_digits"] = gettext_lazy("Jumlah ini terlalu besar.")
        self.error_messages["max_decimal_places"] = gettext_lazy("Tulis rupiah tanpa sen.")

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = normalise_amount(value)
        amount = super().to_python(value)
        if amount is not None and amount.is_finite() and amount == amount.to_integral_value():
            amount = amount.to_integral_value()  # "1.500.000,00" is a whole amount
        return amount

    def clean(self, value: Any) -> Decimal:
        cleaned = super().clean(value)
        return Decimal(0) if cleaned is None else cleaned


class IndicatorValueField(forms.DecimalField):
    """A realised value: decimal comma or point, never negative, the model's precision."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


class ReportForm(VersionedFormMixin, StyledModelForm):
    """An activity report of one programme; the programme's indicators become value fields."""

    class Meta:
        model = ActivityReport
        fields = [
            "title",
            "start_date",
            "end_date",
            "location",
            "location_detail",
            "narrative",
            *PARTICIPANT_FIELDS,
            "cost",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "narrative": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"location_detail": gettext_lazy("Tempat (gedung, balai, alamat)")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.indicators: list[ProgrammeIndicator] = list(programme.indicators.all())
        report: ActivityReport | None = self.instance if self.instance.pk else None
        kabkota = programme.ormas.kabkota_code
        self.fields["location"] = RegionCodeField(
            scope_q=within_q(kabkota), label=_("Lokasi kegiatan (kelurahan/desa atau kecamatan)")
        )
        self.initial["location"] = report.location_id if report else self._default_location()
        for name in PARTICIPANT_FIELDS:
            field = self.fields[name]
            field.required = False
            field.validators.append(
                MaxValueValidator(
                    MAX_PARTICIPANTS_PER_GROUP, message=_("Jumlah peserta tidak masuk akal.")
                )
            )
            field.widget.attrs.update(
                {
                    "inputmode": "numeric",
                    "min": 0,
                    "max": MAX_PARTICIPANTS_PER_GROUP,
                    "data-sum": "youth participants" if "youth" in name else "participants",
                    "placeholder": "0",
                }
            )
            if report is None:
                self.initial[name] = None  # an empty box is quicker to type into than a 0
        narrative = self.fields["narrative"]
        narrative.max_length = MAX_NARRATIVE
        narrative.validators.append(MaxLengthValidator(MAX_NARRATIVE))
        narrative.widget.attrs["maxlength"] = MAX_NARRATIVE
        self.fields["cost"] = RupiahField(label=_("Biaya kegiatan (Rp)"))
        self.fields["title"].widget.attrs["placeholder"] = _("misalnya Pelatihan kader posyandu")
        saved = {v.indicator_id: v.value for v in report.values.all()} if report else {}
        for indicator in self.indicators:
            target = _("Target program: %(target)s %(unit)s") % {
                "target": floatformat(indicator.target, "-2g"),
                "unit": indicator.unit,
            }
            self.fields[f"{VALUE_PREFIX}{indicator.pk}"] = IndicatorValueField(
                label=f"{indicator.name} ({indicator.unit})",
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                help_text=target,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "min": 0}),
            )
            if indicator.pk in saved:
                self.initial[f"{VALUE_PREFIX}{indicator.pk}"] = plain_decimal(saved[indicator.pk])
        self.style_fields()

    def _default_location(self) -> str:
        ormas = self.programme.ormas
        inside = self.programme.locations.filter(within_q(ormas.kabkota_code)).first()
        return inside.code if inside else ormas.region_id

    @property
    def participant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PARTICIPANT_FIELDS]

    @property
    def value_fields(self) -> list[forms.BoundField]:
        return [self[f"{VALUE_PREFIX}{i.pk}"] for i in self.indicators]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("title", "start_date", "end_date", "location", "location_detail")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in PARTICIPANT_FIELDS:
            if name in data and data[name] is None:
                data[name] = 0
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        foreign = [
            key for key in self.data if key.startswith(VALUE_PREFIX) and key not in self.fields
        ]
        if foreign:
            raise ValidationError(
                _("Ada nilai untuk indikator yang bukan milik program ini; muat ulang halaman."),
                code="foreign_indicator",
            )
        return data

    def service_data(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(VALUE_PREFIX)
        }

    def values(self) -> dict[ProgrammeIndicator, Decimal | None]:
        return {i: self.cleaned_data.get(f"{VALUE_PREFIX}{i.pk}") for i in self.indicators}


class EvidenceForm(StyledForm):
    """Photos straight from the camera and/or files from the gallery; all or none are added."""

    photos = MultipleFileField(
        label=gettext_lazy("Ambil foto dengan kamera"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    files = MultipleFileField(
        label=gettext_lazy("Pilih dari galeri atau berkas (JPEG, PNG, PDF)"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    caption = forms.CharField(
        label=gettext_lazy("Keterangan (opsional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("misalnya Suasana pelatihan")}),
    )

    def __init__(self, *args: Any, existing: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing
        for name in ("photos", "files"):  # drafts.js shrinks larger photos before sending
            self.fields[name].widget.attrs["data-max-bytes"] = self.max_size

    @property
    def remaining(self) -> int:
        return max(0, MAX_EVIDENCE_PER_REPORT - self.existing)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        uploads = [*data.get("photos", []), *data.get("files", [])]
        if self.errors:
            return data
        if not uploads:
            raise ValidationError(_("Pilih foto atau berkas terlebih dahulu."), code="empty")
        if len(uploads) > self.remaining:
            raise ValidationError(
                _(
                    "Paling banyak %(max)s bukti per laporan; masih dapat ditambah %(left)s, "
                    "dipilih %(chosen)s."
                )
                % {"max": MAX_EVIDENCE_PER_REPORT, "left": self.remaining, "chosen": len(uploads)},
                code="too_many",
            )
        # Checked here too (the service checks again) so that nothing is stored when any fails.
        for name in ("photos", "files"):
            for upload in data.get(name, []):
                try:
                    check_upload(upload, allowed=DOCUMENT_TYPES)
                except ValidationError as exc:
                    for message in exc.messages:
                        self.add_error(name, f"{upload.name}: {message}")
        data["uploads"] = uploads
        return data

    @property
    def max_size(self) -> int:
        return settings.SIPKO_UPLOAD_MAX_BYTES


class ReviewForm(StyledForm):
    """Verify a submitted report, or return it; returning needs a reason the operator can act on."""

    VERIFY = "verify"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[(VERIFY, gettext_lazy("Verifikasi")), (RETURN, gettext_lazy("Kembalikan"))],
        error_messages={"required": gettext_lazy("Pilih verifikasi atau kembalikan.")},
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=gettext_lazy("Catatan / alasan dikembalikan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib diisi bila laporan dikembalikan: apa yang perlu diperbaiki."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan wajib diisi bila laporan dikembalikan."))
        return data


class FinancialSummaryForm(StyledModelForm):
    class Meta:
        model = FinancialSummary
        fields = [
            *FinancialSummary.INCOME_FIELDS,
            "expenditure",
            "reported",
            "audited",
            "published",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*FinancialSummary.INCOME_FIELDS, "expenditure"):
            label = FinancialSummary._meta.get_field(name).verbose_name
            self.fields[name] = RupiahField(label=capfirst(label), help_text="")
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("audited") and not data.get("reported"):
            self.add_error(
                "reported",
                _("Ringkasan yang diaudit harus juga ditandai sudah dilaporkan ke anggota/rapat."),
            )
        return data

    @property
    def income_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FinancialSummary.INCOME_FIELDS]

    @property
    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("reported", "audited", "published")]


def period_choices(periods: Any) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.name} · {p.region.name}") for p in periods.select_related("region")]


class PeriodForm(StyledForm):
    """Choose one of the periods the user may see; an invalid choice falls back to the default."""

    periode = forms.ChoiceField(label=gettext_lazy("Periode"), required=False)

    def __init__(self, *args: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.fields["periode"].choices = period_choices(periods)

    def period(self) -> Period | None:
        """The chosen period, else the most recent one that has begun (periods are ordered
        newest first): next year's period, opened early for programmes, has nothing due yet."""
        if self.is_bound and self.is_valid() and self.cleaned_data["periode"]:
            # Only a listed choice gets here, never raw input (e.g. a number too big for the DB).
            return self.periods.filter(pk=int(self.cleaned_data["periode"])).first()
        begun = self.periods.filter(start__lte=timezone.localdate()).first()
        return begun or self.periods.first()


class ReportFilterForm(StyledForm):
    """The report list's search and filters; invalid values are ignored, never an error page."""

    q = forms.CharField(label=gettext_lazy("Cari"), required=False)
    periode = forms.ChoiceField(label=gettext_lazy("Periode"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *ReportState.choices],
    )
    kecamatan = forms.ChoiceField(label=gettext_lazy("Kecamatan"), required=False)
    ormas = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        periods: Any,
        kecamatan_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [("", _("Semua")), *period_choices(periods)]
        if len(kecamatan_choices) > 1:
            self.fields["kecamatan"].choices = [("", _("Semua")), *kecamatan_choices]
        else:
            del self.fields["kecamatan"]  # one kecamatan (an operator's): nothing to choose

    def filters(self) -> dict[str, str]:
        """Valid filter values only: a tampered URL narrows nothing rather than failing."""
        self.is_valid()
        values = {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}
        if "q" in values:
            values["q"] = values["q"][:MAX_QUERY]
        return values
