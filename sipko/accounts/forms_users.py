"""Forms of the user-management, onboarding and activation pages. They check shape only; the
rules (what a user may grant, which codes work) are the services' (errors are mapped back)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sipko.accounts import access
from sipko.accounts.models import Role
from sipko.lib.forms import StyledForm
from sipko.regions.models import Level, Region, within_q
from sipko.registry.models import ActivityStatus, Ormas

if TYPE_CHECKING:
    from sipko.accounts.models import User


class UserStatus:
    ACTIVE = "aktif"
    INACTIVE = "nonaktif"
    NOT_ACTIVATED = "belum_aktivasi"
    CHOICES = [
        ("", _("Semua status")),
        (ACTIVE, _("Aktif")),
        (INACTIVE, _("Nonaktif")),
        (NOT_ACTIVATED, _("Belum aktivasi")),
    ]


class UserFilterForm(StyledForm):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Peran"), required=False, choices=[("", _("Semua peran")), *Role.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=UserStatus.CHOICES)

    def filter(self, queryset: Any) -> Any:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            queryset = queryset.filter(
                Q(username__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(ormas__name__icontains=q)
                | Q(ormas__acronym__icontains=q)
            )
        if data["role"]:
            queryset = queryset.filter(role=data["role"])
        if data["status"] == UserStatus.ACTIVE:
            queryset = queryset.filter(is_active=True).filter(
                Q(activated_at__isnull=False) | Q(last_login__isnull=False)
            )
        elif data["status"] == UserStatus.INACTIVE:
            queryset = queryset.filter(is_active=False)
        elif data["status"] == UserStatus.NOT_ACTIVATED:
            queryset = queryset.filter(is_active=True, activated_at=None, last_login=None)
        return queryset


def region_choices(actor: User) -> list[tuple[str, str]]:
    """Provinces and kabupaten/kota inside the actor's scope: where a staff account works."""
    regions = Region.objects.filter(level__lte=Level.KABUPATEN_KOTA)
    if actor.role != Role.NATIONAL_ADMIN:
        regions = regions.filter(within_q(actor.region_id or "-"))
    return [("", "—"), *((r.code, f"{r.code} · {r.display_name}") for r in regions)]


class UserForm(StyledForm):
    """Create (with username) or edit an account; roles and places are limited to what the
    actor may grant, and the service checks them again."""

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Huruf, angka dan tanda @ . + - _ tanpa spasi. Tidak dapat diubah nanti."),
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    role = forms.ChoiceField(label=_("Peran"))
    region = forms.ChoiceField(
        label=_("Cakupan wilayah"),
        required=False,
        help_text=_("Untuk penilai, pemantau dan admin wilayah."),
    )
    ormas = forms.ModelChoiceField(
        label=_("Ormas"),
        queryset=None,
        required=False,
        help_text=_("Untuk operator: ormas yang dikelolanya."),
    )
    send_code_by_email = forms.BooleanField(
        label=_("Kirim tautan aktivasi lewat surel"), required=False
    )

    def __init__(self, *args: Any, actor: User, target: User | None = None, **kwargs: Any):
        if target is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": target.get_full_name(),
                    "email": target.email,
                    "role": target.role,
                    "region": target.region_id or "",
                    "ormas": target.ormas_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if value in access.grantable_roles(actor)
        ]
        self.fields["region"].choices = region_choices(actor)
        self.fields["ormas"].queryset = Ormas.objects.current().for_user(actor)
        if target is not None:
            del self.fields["username"]
            del self.fields["send_code_by_email"]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            "name": data["name"],
            "email": data["email"],
            "role": data["role"],
            "region_code": data["region"] or None,
            "ormas": data["ormas"],
        }
        if "username" in data:
            values["username"] = data["username"]
            values["send_code_by_email"] = data["send_code_by_email"]
        return values


class OnboardForm(forms.Form):
    """Which ormas get an operator account: chosen one by one, or every active one waiting.

    `candidates` are the ormas the page offers; `choosable` those an id may name (every current
    ormas in reach), so that an ormas given an account meanwhile is refused by the service with
    its name instead of dropping silently out of the list."""

    ormas = forms.ModelMultipleChoiceField(
        queryset=Ormas.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_active = forms.BooleanField(
        label=_("Semua ormas aktif yang belum punya akun operator"), required=False
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: list[Ormas], choosable: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["ormas"].queryset = choosable

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("all_active") and not data.get("ormas"):
            raise forms.ValidationError(_("Pilih setidaknya satu ormas."))
        return data

    def chosen(self) -> list[Ormas]:
        if self.cleaned_data["all_active"]:
            return [o for o in self.candidates if o.activity_status == ActivityStatus.AKTIF]
        return list(self.cleaned_data["ormas"])


class ActivationCodeForm(StyledForm):
    kode = forms.CharField(
        label=_("Kode aktivasi"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXXX-XXXXX",
                "class": "form-control-lg font-monospace",
            }
        ),
    )


class ActivationPasswordForm(StyledForm):
    kode = forms.CharField(max_length=20, widget=forms.HiddenInput)
    password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 8 karakter, bukan hanya angka, tidak mirip nama pengguna."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
