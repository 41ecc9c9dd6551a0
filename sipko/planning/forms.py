"""Planning forms. They check shape; business rules live in services (errors are mapped back)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.accounts import access
from sipko.lib.forms import StyledForm, StyledModelForm
from sipko.lib.versions import VersionedFormMixin
from sipko.planning import selectors
from sipko.planning.models import (
    FundingSource,
    Period,
    PeriodState,
    Programme,
    ProgrammeIndicator,
    ProgrammeState,
    Rpjmd,
    RpjmdItem,
    RpjmdLevel,
)
from sipko.regions.models import Level, Region, within_q
from sipko.registry.forms import DateInput
from sipko.registry.models import Bidang

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.registry.models import Ormas

MAX_QUERY = 100
MAX_DUE_DAYS = 365


def planning_regions(user: User) -> QuerySet[Region]:
    """Provinces and kabupaten/kota the user may plan for (RPJMD and periods live there)."""
    regions = Region.objects.filter(level__lte=Level.KABUPATEN_KOTA)
    return regions.filter(within_q(user.region_id)) if user.region_id else regions


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name} ({obj.code})"


class GroupedChoicesMixin:
    """Checkbox lists whose choices come in groups (sasaran under misi, villages under their
    kecamatan): `groups_of(name)` gives `[(label, [BoundWidget, ...]), ...]` for the template."""

    fields: dict[str, forms.Field]

    def groups_of(self, name: str) -> list[tuple[str, list[BoundWidget]]]:
        bound = self[name]  # type: ignore[index]
        by_value = {str(widget.data["value"]): widget for widget in bound.subwidgets}
        return [
            (label, [by_value[str(value)] for value, _label in options])
            for label, options in self.fields[name].choices
        ]


# --- RPJMD -------------------------------------------------------------------------------------


class RpjmdForm(StyledModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), label=gettext_lazy("Wilayah"))

    class Meta:
        model = Rpjmd
        fields = ["region", "title", "start_year", "end_year", "legal_basis", "visi", "note"]
        widgets = {
            "visi": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]  # an RPJMD never moves to another region
        else:
            self.fields["region"].queryset = planning_regions(user)
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update({"min": 2000, "max": 2100})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("start_year", "end_year"):
            year = data.get(name)
            if year is not None and not 2000 <= year <= 2100:
                self.add_error(name, _("Tahun tidak masuk akal."))
        region = data.get("region") or getattr(self.instance, "region", None)
        start = data.get("start_year")
        same = Rpjmd.objects.filter(region=region, start_year=start).exclude(pk=self.instance.pk)
        if region and start and same.exists():
            self.add_error(
                "start_year",
                _("RPJMD %(region)s yang mulai tahun %(year)s sudah ada.")
                % {"region": region.name, "year": start},
            )
        return data

    def validate_unique(self) -> None:
        # `clean` says it in words; Django's generic message for this constraint reads wrongly
        # in Indonesian ("… ini tidak ada").
        return


class RpjmdItemForm(StyledModelForm):
    class Meta:
        model = RpjmdItem
        fields = ["level", "parent", "code", "text", "unit", "illustrative", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "unit": gettext_lazy("Untuk indikator, misalnya persen atau orang."),
            "order": gettext_lazy("Urutan tampil di antara butir yang setingkat."),
        }

    def __init__(self, *args: Any, rpjmd: Rpjmd, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rpjmd = rpjmd
        parents = rpjmd.items.exclude(level=RpjmdLevel.INDIKATOR)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        parent_field = self.fields["parent"]
        parent_field.queryset = parents
        parent_field.label_from_instance = lambda item: (
            f"{item.get_level_display()} {item.code} — {item.text[:60]}"
        )
        parent_field.help_text = _("Kosongkan untuk misi; tujuan di bawah misi, dan seterusnya.")
        self.fields["order"].required = False

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0

    def clean_code(self) -> str:
        code = " ".join(self.cleaned_data.get("code", "").split())
        taken = self.rpjmd.items.filter(code=code).exclude(pk=self.instance.pk or None)
        if code and taken.exists():
            raise ValidationError(_("Kode %(code)s sudah dipakai di RPJMD ini.") % {"code": code})
        return code


# --- periods -----------------------------------------------------------------------------------


class RpjmdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rpjmd) -> str:
        return f"{obj} — {obj.region.name}"


class PeriodForm(VersionedFormMixin, StyledModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), label=gettext_lazy("Wilayah"))
    rpjmd = RpjmdChoiceField(
        queryset=Rpjmd.objects.none(), required=False, label=gettext_lazy("RPJMD acuan")
    )

    class Meta:
        model = Period
        fields = [
            "region",
            "name",
            "start",
            "end",
            "rpjmd",
            "programme_due",
            "report_frequency",
            "report_due_days",
            "self_assessment_due",
            "verification_due",
            "appeal_due",
        ]
        widgets = {
            name: DateInput()
            for name in (
                "start",
                "end",
                "programme_due",
                "self_assessment_due",
                "verification_due",
                "appeal_due",
            )
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]  # programmes of the region's ormas hang on it
        else:
            self.fields["region"].queryset = planning_regions(user)
        self.fields["rpjmd"].queryset = access.rpjmds_visible_to(user)
        self.fields["report_due_days"].widget.attrs.update({"min": 0, "max": MAX_DUE_DAYS})

    def clean_report_due_days(self) -> int | None:
        days = self.cleaned_data.get("report_due_days")
        if days is not None and days > MAX_DUE_DAYS:
            raise ValidationError(
                _("Paling lama %(days)s hari setelah akhir semester/tahun.")
                % {"days": MAX_DUE_DAYS}
            )
        return days


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Catatan (opsional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- programmes --------------------------------------------------------------------------------


def location_choices(kabkota: Region) -> list[tuple[str, list[tuple[str, str]]]]:
    """The kab/kota itself, then each kecamatan with its kelurahan/desa, as choice groups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    regions = Region.objects.filter(within_q(kabkota.code), level__gt=Level.KABUPATEN_KOTA)
    for region in regions.order_by("code"):
        kecamatan = region.code_at(3) or region.code
        if region.level == Level.KECAMATAN:
            labels[kecamatan] = region.display_name
            groups.setdefault(kecamatan, []).insert(0, (region.code, _("Seluruh kecamatan")))
        else:
            groups.setdefault(kecamatan, []).append((region.code, region.name))
    whole = (kabkota.name, [(kabkota.code, _("Seluruh %(name)s") % {"name": kabkota.name})])
    return [whole, *((labels.get(code, code), options) for code, options in groups.items())]


class ProgrammeForm(VersionedFormMixin, GroupedChoicesMixin, StyledModelForm):
    """A programme of one ormas. Sasaran come from the RPJMD of the periods on offer; the
    locations from the ormas' own kabupaten/kota."""

    period = forms.ModelChoiceField(queryset=Period.objects.none(), label=gettext_lazy("Periode"))
    bidang = forms.ModelMultipleChoiceField(
        queryset=Bidang.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=gettext_lazy("Bidang"),
    )
    sasaran = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Sasaran RPJMD yang didukung"),
    )
    locations = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Lokasi kegiatan"),
    )
    funding_sources = forms.MultipleChoiceField(
        choices=FundingSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Sumber dana"),
    )

    class Meta:
        model = Programme
        fields = [
            "period",
            "title",
            "objective",
            "bidang",
            "sasaran",
            "locations",
            "start_date",
            "end_date",
            "budget",
            "funding_sources",
            "target_beneficiaries",
            "beneficiary_description",
        ]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        localized_fields = ["budget"]

    def __init__(self, *args: Any, ormas: Ormas, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ormas = ormas
        instance: Programme | None = self.instance if self.instance.pk else None
        periods = list(selectors.programme_periods(ormas, instance))
        self.fields["period"].queryset = Period.objects.filter(pk__in=[p.pk for p in periods])
        open_periods = [p for p in periods if p.state == PeriodState.OPEN]
        if not instance and len(open_periods) == 1:
            self.initial["period"] = open_periods[0].pk
        self.rpjmd_by_period = {p.pk: selectors.rpjmd_for_period(p) for p in periods}
        rpjmds = list({r.pk: r for r in self.rpjmd_by_period.values() if r}.values())
        self.fields["sasaran"].choices = [
            (label, [(str(pk), text) for pk, text in options])
            for label, options in selectors.sasaran_groups(rpjmds)
        ]
        if not rpjmds:
            self.fields["sasaran"].help_text = _("Periode ini belum memiliki RPJMD acuan.")
        kabkota = Region.objects.get(code=ormas.kabkota_code)
        self.fields["locations"].choices = location_choices(kabkota)
        if instance:
            chosen = instance.sasaran.values_list("pk", flat=True)
            self.initial["sasaran"] = [str(pk) for pk in chosen]
            self.initial["locations"] = list(instance.locations.values_list("code", flat=True))
        budget = self.fields["budget"]
        budget.label = _("Anggaran (Rp)")
        budget.widget.attrs.update({"inputmode": "numeric"})
        budget.help_text = _("Tulis angka saja, misalnya 2.500.000.")
        for name in ("budget", "target_beneficiaries"):
            self.fields[name].required = False
        self.fields["target_beneficiaries"].widget.attrs.update({"min": 0})
        self.style_fields()

    @property
    def sasaran_groups(self) -> list[tuple[str, list[BoundWidget]]]:
        return self.groups_of("sasaran")

    @property
    def location_groups(self) -> list[tuple[str, list[BoundWidget]]]:
        return self.groups_of("locations")

    def clean_budget(self) -> Any:
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise ValidationError(_("Anggaran tidak boleh negatif."))
        return budget or 0

    def clean_target_beneficiaries(self) -> int:
        return self.cleaned_data.get("target_beneficiaries") or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        period = data.get("period")
        chosen = RpjmdItem.objects.filter(pk__in=data.get("sasaran") or [])
        rpjmd = self.rpjmd_by_period.get(period.pk) if period else None
        if period and any(item.rpjmd_id != getattr(rpjmd, "pk", None) for item in chosen):
            self.add_error(
                "sasaran", _("Pilih sasaran dari RPJMD acuan “%(name)s”.") % {"name": period.name}
            )
        data["sasaran"] = list(chosen)
        data["locations"] = list(Region.objects.filter(code__in=data.get("locations") or []))
        return data

    def service_data(self) -> dict[str, Any]:
        related = ("bidang", "sasaran", "locations")
        return {k: v for k, v in self.cleaned_data.items() if k not in related}


class IndicatorForm(StyledModelForm):
    class Meta:
        model = ProgrammeIndicator
        fields = ["name", "unit", "baseline", "target", "polarity", "aggregation"]
        localized_fields = ["baseline", "target"]
        help_texts = {
            "unit": gettext_lazy("Misalnya orang, kegiatan, persen, kg."),
            "baseline": gettext_lazy("Keadaan sebelum program dimulai, bila diketahui."),
            "aggregation": gettext_lazy(
                "Bagaimana nilai dari beberapa laporan digabung: dijumlahkan (peserta), "
                "nilai terakhir (persentase akhir) atau rata-rata."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("baseline", "target"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", gettext_lazy("Terima program")),
            ("return", gettext_lazy("Kembalikan untuk diperbaiki")),
        ],
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan untuk ormas"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib diisi bila program dikembalikan: apa yang perlu diperbaiki."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tulis catatan perbaikan bila program dikembalikan."))
        return data


class ProgrammeFilterForm(StyledForm):
    """Search and filters of the programme list; invalid values are ignored, never an error."""

    q = forms.CharField(label=gettext_lazy("Cari"), required=False)
    period = forms.TypedChoiceField(label=gettext_lazy("Periode"), required=False, coerce=int)
    state = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Semua")), *ProgrammeState.choices],
    )
    kecamatan = forms.ChoiceField(label=gettext_lazy("Kecamatan"), required=False)
    ormas = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        periods: QuerySet[Period],
        kecamatan_choices: list[tuple[str, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("Semua")), *((p.pk, p.name) for p in periods)]
        if kecamatan_choices is None:
            del self.fields["kecamatan"]
        else:
            self.fields["kecamatan"].choices = [("", _("Semua")), *kecamatan_choices]

    def filters(self) -> dict[str, Any]:
        """Valid filter values only: a tampered URL narrows nothing rather than failing."""
        self.is_valid()
        values = {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}
        if "q" in values:
            values["q"] = values["q"][:MAX_QUERY]
        if "ormas" in values:
            values["ormas"] = str(values["ormas"])
        return values
