"""Forms of signing in, passwords, the second factor and one's own account (docs/accounts.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from sipko.accounts.models import User
from sipko.lib.forms import StyledFormMixin

PASSWORD_MISMATCH = _("Kedua kata sandi baru tidak sama.")
PASSWORD_UNCHANGED = _("Kata sandi baru harus berbeda dari kata sandi saat ini.")


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's login form (it authenticates with the request, so django-axes counts failures)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class CodeForm(StyledFormMixin, forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off"}
        ),
        error_messages={"required": _("Masukkan kode dari aplikasi autentikator.")},
    )


class DisableTwoFactorForm(StyledFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class _NewPasswordLabels:
    """Project wording for Django's password forms ("kata sandi", not "sandi")."""

    def _relabel(self: Any) -> None:
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.error_messages = {**self.error_messages, "password_mismatch": PASSWORD_MISMATCH}


class OwnPasswordChangeForm(StyledFormMixin, _NewPasswordLabels, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()
        self.fields["old_password"].label = _("Kata sandi saat ini")
        self.error_messages["password_incorrect"] = _(
            "Kata sandi saat ini salah. Silakan masukkan lagi."
        )

    def clean(self) -> dict[str, Any]:
        """A new password is new: keeping a temporary one would skip the duty to change it.

        Checked only once the current password was given right, so the form never tells a
        borrowed session whether a guess is the current password.
        """
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if (
            new
            and not self.has_error("old_password")
            and not self.has_error("new_password1")
            and new == cleaned.get("old_password")
        ):
            self.add_error("new_password1", PASSWORD_UNCHANGED)
        return cleaned


class ResetSetPasswordForm(StyledFormMixin, _NewPasswordLabels, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relabel()


class ResetRequestForm(StyledFormMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Alamat surel akun Anda")


class AccountForm(StyledFormMixin, forms.ModelForm):
    """What a user changes on its own account page."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "email_notifications"]
        labels = {
            "first_name": _("Nama depan"),
            "last_name": _("Nama belakang"),
            "email": _("Alamat surel"),
        }
        help_texts = {
            "email": _("Untuk menyetel ulang kata sandi dan menerima pemberitahuan."),
        }

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"].strip())
