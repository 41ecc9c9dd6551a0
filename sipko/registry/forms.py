"""Registry forms. They check shape; business rules live in services (errors are mapped back)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.accounts import access
from sipko.lib.forms import StyledForm, StyledModelForm
from sipko.lib.phones import normalise_phone
from sipko.lib.protected import is_valid_nik, normalise_nik
from sipko.lib.versions import VersionedFormMixin
from sipko.regions.models import Level, Region, within_q
from sipko.registry.models import (
    ActivityStatus,
    Bidang,
    Document,
    LegalForm,
    Ormas,
    Pengurus,
    RegistrationKind,
    Validity,
    Verdict,
)
from sipko.registry.services import ADMIN_ONLY_FIELDS
from sipko.registry.validators import (
    ahu_form_mismatch,
    normalise_npwp,
    validate_ahu_number,
    validate_npwp,
)

if TYPE_CHECKING:
    from sipko.accounts.models import User

MAX_REGION_CHOICES = 1500
MAX_QUERY = 100
MAX_MEMBERS = 50_000_000  # more than any ormas in Indonesia claims


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def region_choices(codes_q: Any) -> list[tuple[str, Any]]:
    """Regions as grouped choices (kab/kota, then each kecamatan with its villages), or [] when
    there are too many for one list."""
    regions = Region.objects.filter(codes_q, level__gte=Level.KABUPATEN_KOTA)
    if regions.count() > MAX_REGION_CHOICES:
        return []
    grouped: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    kabkota: list[tuple[str, str]] = []
    for region in regions.order_by("code"):
        if region.level == Level.KABUPATEN_KOTA:
            kabkota.append(
                (region.code, _("%(name)s (lokasi belum rinci)") % {"name": region.name})
            )
            continue
        kecamatan = ".".join(region.code.split(".")[:3])
        if region.level == Level.KECAMATAN:
            labels[kecamatan] = region.display_name
            grouped.setdefault(kecamatan, []).insert(
                0, (region.code, _("%(name)s (seluruh kecamatan)") % {"name": region.display_name})
            )
        else:
            grouped.setdefault(kecamatan, []).append(
                (region.code, f"{region.name} ({region.get_kind_display()})")
            )
    groups = [(labels.get(k, k), v) for k, v in grouped.items()]
    return [(_("Kabupaten/kota"), kabkota), *groups] if kabkota else groups


class RegionCodeField(forms.CharField):
    """A region chosen from a grouped list, or typed as a Kemendagri code for wide scopes."""

    def __init__(self, *, scope_q: Any, **kwargs: Any) -> None:
        self.scope_q = scope_q
        super().__init__(max_length=13, **kwargs)
        choices = region_choices(scope_q)
        if choices:
            self.widget = forms.Select(choices=[("", "—"), *choices])
        else:
            self.help_text = _("Kode wilayah Kemendagri, misalnya 35.72.01.1001.")

    def clean(self, value: Any) -> Region:
        code = super().clean(value).strip()
        region = Region.objects.filter(
            self.scope_q, code=code, level__gte=Level.KABUPATEN_KOTA
        ).first()
        if region is None:
            raise ValidationError(
                _("Wilayah tidak dikenal atau di luar cakupan Anda."), code="region"
            )
        return region


class OrmasForm(VersionedFormMixin, StyledModelForm):
    """Profile of an ormas. Operators get it without the Kesbangpol-only registration fields."""

    region = forms.CharField()  # replaced in __init__ by a scoped RegionCodeField
    bidang = forms.ModelMultipleChoiceField(
        queryset=Bidang.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("Bidang"),
    )
    website = forms.URLField(label=gettext_lazy("Situs web"), required=False, assume_scheme="https")
    npwp = forms.CharField(
        label=gettext_lazy("NPWP"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("15 atau 16 angka; titik dan tanda hubung boleh."),
    )

    class Meta:
        model = Ormas
        fields = [
            "name",
            "acronym",
            "legal_form",
            "bidang",
            "scope_level",
            "founding_year",
            "region",
            "address",
            "office",
            "email",
            "phone",
            "website",
            "npwp",
            "has_bank_account",
            "members_count",
            "ahu_number",
            "ahu_date",
            "skt_number",
            "skt_issued",
            "skt_expires",
            "local_letter_type",
            "local_letter_number",
            "local_letter_date",
            "activity_status",
        ]
        widgets = {
            "ahu_date": DateInput(),
            "skt_issued": DateInput(),
            "skt_expires": DateInput(),
            "local_letter_date": DateInput(),
            "has_bank_account": forms.NullBooleanSelect(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        instance: Ormas | None = self.instance if self.instance.pk else None
        if access.can_administer_registry(user):
            scope_q = within_q(user.region_id) if user.region_id else ~within_q("00")
        else:
            for name in ADMIN_ONLY_FIELDS & set(self.fields):
                del self.fields[name]
            kabkota = instance.kabkota_code if instance else "00"
            scope_q = within_q(kabkota)
        self.fields["region"] = RegionCodeField(
            scope_q=scope_q, label=_("Kelurahan/desa atau kecamatan")
        )
        if instance:
            self.initial["region"] = instance.region_id
        self.fields["founding_year"].widget.attrs.update({"min": 1900, "max": 2100})
        self.style_fields()

    def clean_npwp(self) -> str:
        value = self.cleaned_data.get("npwp", "")
        if value:
            validate_npwp(value)
        return normalise_npwp(value)

    def clean_ahu_number(self) -> str:
        value = " ".join(self.cleaned_data.get("ahu_number", "").split())
        if value:
            validate_ahu_number(value)
        return value

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise ValidationError(_("Nomor telepon tidak dikenali; tulis misalnya (0342) 801234."))
        return phone

    def clean_members_count(self) -> int | None:
        count = self.cleaned_data.get("members_count")
        if count is not None and count > MAX_MEMBERS:
            raise ValidationError(_("Jumlah anggota tidak masuk akal."))
        return count

    def clean_founding_year(self) -> int | None:
        year = self.cleaned_data.get("founding_year")
        if year is not None and not 1900 <= year <= 2100:
            raise ValidationError(_("Tahun berdiri tidak masuk akal."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ahu = data.get("ahu_number")
        if ahu and (message := ahu_form_mismatch(ahu, data.get("legal_form", ""))):
            self.add_error("ahu_number", message)
        issued, expires = data.get("skt_issued"), data.get("skt_expires")
        if issued and expires and expires <= issued:
            self.add_error(
                "skt_expires", _("Tanggal berakhir SKT harus setelah tanggal terbitnya.")
            )
        if (
            data.get("skt_number") is not None
            and not data.get("skt_number")
            and (issued or expires)
        ):
            self.add_error("skt_number", _("Isi nomor SKT bila tanggal SKT diisi."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "bidang"}


class PengurusForm(VersionedFormMixin, StyledModelForm):
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        required=False,
        max_length=24,
        help_text=gettext_lazy(
            "16 angka. Disimpan terenkripsi dan hanya ditampilkan tersamar. "
            "Kosongkan untuk tidak mengubah NIK yang tersimpan."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    clear_nik = forms.BooleanField(
        label=gettext_lazy("Hapus NIK yang tersimpan"),
        required=False,
    )

    class Meta:
        model = Pengurus
        fields = ["name", "position", "term_start", "term_end", "phone"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}

    def clean_nik(self) -> str | None:
        raw = self.cleaned_data.get("nik", "")
        if not raw:
            return None  # keep what is stored
        nik = normalise_nik(raw)
        if not is_valid_nik(nik):
            raise ValidationError(_("NIK harus 16 angka yang sah."))
        return nik

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise ValidationError(_("Nomor telepon tidak dikenali; tulis misalnya 0812-3456-7890."))
        return phone

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.nik_hash):
            del self.fields["clear_nik"]

    def nik_change(self) -> str | None:
        """What to do with the stored NIK: a new one, "" to remove it, None to keep it."""
        if self.cleaned_data.get("clear_nik"):
            return ""
        return self.cleaned_data.get("nik")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("clear_nik") and data.get("nik"):
            self.add_error("nik", _("Isi NIK baru atau centang hapus NIK, bukan keduanya."))
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("Akhir masa bakti tidak boleh sebelum awalnya."))
        return data


class DocumentForm(StyledModelForm):
    upload = forms.FileField(
        label=gettext_lazy("Berkas (PDF, JPEG atau PNG)"),
        required=True,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Document
        fields = ["doc_type", "number", "issued", "expires"]
        widgets = {"issued": DateInput(), "expires": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        issued, expires = data.get("issued"), data.get("expires")
        if issued and expires and expires < issued:
            self.add_error("expires", _("Tanggal berlaku tidak boleh sebelum tanggal terbit."))
        return data


class VerdictForm(StyledForm):
    verdict = forms.ChoiceField(label=gettext_lazy("Hasil"), choices=Verdict.choices)
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("verdict") == Verdict.INVALID and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan wajib diisi bila dokumen tidak sah."))
        return data


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegistryFilterForm(StyledForm):
    """The registry list's search and filters; invalid values are ignored, never an error page."""

    q = forms.CharField(label=gettext_lazy("Cari"), required=False)
    validity = forms.ChoiceField(
        label=gettext_lazy("Masa berlaku"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *Validity.choices],
    )
    registration = forms.ChoiceField(
        label=gettext_lazy("Pendaftaran"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *RegistrationKind.choices],
    )
    activity_status = forms.ChoiceField(
        label=gettext_lazy("Keaktifan"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *ActivityStatus.choices],
    )
    legal_form = forms.ChoiceField(
        label=gettext_lazy("Bentuk"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *LegalForm.choices],
    )
    bidang = forms.ChoiceField(label=gettext_lazy("Bidang"), required=False)
    kecamatan = forms.ChoiceField(label=gettext_lazy("Kecamatan"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Urutkan"),
        required=False,
        choices=[
            ("name", gettext_lazy("Nama A–Z")),
            ("-name", gettext_lazy("Nama Z–A")),
            ("skt_expires", gettext_lazy("SKT berakhir paling awal")),
            ("-skt_expires", gettext_lazy("SKT berakhir paling akhir")),
            ("region", gettext_lazy("Wilayah")),
            ("-updated", gettext_lazy("Terakhir diubah")),
        ],
    )

    def __init__(self, *args: Any, kecamatan_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bidang"].choices = [("", _("Semua"))] + [
            (b.code, str(b)) for b in Bidang.objects.all()
        ]
        self.fields["kecamatan"].choices = [("", _("Semua")), *kecamatan_choices]

    def filters(self) -> dict[str, str]:
        """Valid filter values only: a tampered URL narrows nothing rather than failing."""
        self.is_valid()
        values = {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}
        if "q" in values:
            values["q"] = values["q"][:MAX_QUERY]
        return values


class MergeForm(StyledForm):
    keep = forms.ChoiceField(
        label=gettext_lazy("Data yang dipertahankan"), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan penggabungan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, pair: tuple[Ormas, Ormas], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(o.uuid), o.name) for o in pair]
