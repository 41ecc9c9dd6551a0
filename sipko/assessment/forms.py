"""Forms of performance assessment. They shape input; the services decide what is allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sipko.assessment import scoring
from sipko.assessment.models import AppealState, FollowUpState, Instrument
from sipko.assessment.scoring.schema import MAX_FILE_BYTES
from sipko.assessment.selectors import describe_value, value_choices
from sipko.lib.forms import MultipleFileField, MultipleFileInput, StyledForm
from sipko.registry.forms import DateInput

if TYPE_CHECKING:
    from sipko.accounts.models import User

MAX_INSTRUMENT_BYTES = MAX_FILE_BYTES  # the schema's own limit, so both say the same
NA = "NA"


def _value_field(
    indicator: scoring.Indicator, *, label: str, required: bool = False
) -> forms.Field:
    """A select for rubric levels and ya/tidak, a text box for numbers and ratios."""
    choices = value_choices(indicator)
    if indicator.allow_na:
        choices = [*choices, (NA, _("Tidak berlaku (N/A)"))] if choices else choices
    if choices:
        return forms.ChoiceField(
            label=label, choices=[("", _("— pilih —")), *choices], required=required
        )
    if indicator.type == "ratio":
        help_text = _("Tulis capaian/target, misalnya 3/4, atau rasio seperti 0,75.")
    else:
        help_text = _("Tulis angka, misalnya 12.")
    if indicator.allow_na:
        help_text += " " + _("Tulis NA bila tidak berlaku.")
    return forms.CharField(
        label=label,
        required=required,
        max_length=60,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class InstrumentUploadForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Berkas instrumen (YAML)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Pemilik"))

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_INSTRUMENT_BYTES:
            raise forms.ValidationError(
                _("Berkas instrumen terlalu besar (batas %(limit)s).")
                % {"limit": filesizeformat(MAX_INSTRUMENT_BYTES)}
            )
        data = upload.read()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Berkas instrumen harus teks UTF-8 (YAML).")) from exc
        return data


class NewVersionForm(StyledForm):
    version = forms.CharField(label=gettext_lazy("Versi baru"), max_length=20)


class PeriodStandardForm(StyledForm):
    instrument = forms.ModelChoiceField(
        label=gettext_lazy("Instrumen"), queryset=Instrument.objects.none()
    )

    def __init__(self, *args: Any, instruments: QuerySet[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class AnswerForm(StyledForm):
    """The ormas' answer to one indicator; system and assessor indicators only take a note."""

    note = forms.CharField(
        label=gettext_lazy("Catatan untuk penilai (opsional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, indicator: scoring.Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.source == "self":
            self.fields = {"value": _value_field(indicator, label=_("Jawaban")), **self.fields}
            self.style_fields()


class AnswerFileForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Bukti dukung (foto atau PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class VerifyForm(StyledForm):
    """An assessor's value: the ormas' answer preselected, a reason when it is changed."""

    reason = forms.CharField(
        label=gettext_lazy("Alasan (wajib bila nilai diubah)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, indicator: scoring.Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "value": _value_field(indicator, label=_("Nilai verifikasi")),
            **self.fields,
        }
        self.style_fields()


class ReconcileForm(VerifyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].label = _("Nilai yang disepakati")
        self.fields["reason"].label = _("Alasan rekonsiliasi")
        self.fields["reason"].required = True


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Catatan untuk ormas"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(StyledForm):
    assessor = forms.ModelChoiceField(label=gettext_lazy("Penilai"), queryset=None)
    second_assessor = forms.ModelChoiceField(
        label=gettext_lazy("Penilai kedua (opsional)"), queryset=None, required=False
    )
    declared = forms.BooleanField(
        label=gettext_lazy(
            "Saya menyatakan bahwa penilai yang ditugaskan bukan pengurus atau anggota ormas ini "
            "dan tidak memiliki konflik kepentingan dengannya."
        ),
        required=False,
    )

    def __init__(self, *args: Any, assessors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors
        self.fields["second_assessor"].queryset = assessors
        for name in ("assessor", "second_assessor"):
            self.fields[name].label_from_instance = lambda u: f"{u} ({u.username})"


class AppealForm(StyledForm):
    grounds = forms.CharField(
        label=gettext_lazy("Alasan keberatan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Jelaskan bagian hasil yang menurut ormas keliru dan mengapa."),
    )
    indicators = forms.MultipleChoiceField(
        label=gettext_lazy("Indikator yang dipersoalkan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(
        label=gettext_lazy("Lampiran (foto atau PDF, opsional)"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args: Any, instrument: scoring.Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [
            (i.code, f"{i.code} — {i.name}") for i in instrument.indicators
        ]


class AppealDecisionForm(StyledForm):
    """The decision, its reasons, and new values for the indicators the ormas disputed."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[
            (AppealState.GRANTED, AppealState.GRANTED.label),
            (AppealState.PARTLY, AppealState.PARTLY.label),
            (AppealState.REJECTED, AppealState.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Pertimbangan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        instrument: scoring.Instrument,
        codes: list[str],
        current: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.change_fields = []
        for code in codes:
            indicator = instrument.indicator(code)
            name = f"value_{code}"
            label = _("Nilai baru %(code)s (sekarang: %(now)s)") % {
                "code": code,
                "now": describe_value(indicator, current.get(code, "")),
            }
            self.fields[name] = _value_field(indicator, label=label)
            self.change_fields.append(name)
        self.style_fields()

    def changes(self) -> dict[str, str]:
        return {
            name.removeprefix("value_"): self.cleaned_data.get(name) or ""
            for name in self.change_fields
        }


class FollowUpForm(StyledForm):
    indicator = forms.ChoiceField(label=gettext_lazy("Indikator"), required=False)
    action = forms.CharField(
        label=gettext_lazy("Tindak lanjut"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due = forms.DateField(label=gettext_lazy("Target selesai"), required=False, widget=DateInput)

    def __init__(self, *args: Any, instrument: scoring.Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("— umum —"))] + [
            (i.code, f"{i.code} — {i.name}") for i in instrument.indicators
        ]


class FollowUpUpdateForm(StyledForm):
    state = forms.ChoiceField(label=gettext_lazy("Status"), choices=FollowUpState.choices)
    progress_note = forms.CharField(
        label=gettext_lazy("Catatan perkembangan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EligibilityRuleForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=120)
    predicates = forms.MultipleChoiceField(
        label=gettext_lazy("Predikat yang memenuhi"), widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=gettext_lazy("Keterangan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, predicates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predicates"].choices = predicates
