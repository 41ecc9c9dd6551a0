"""Bootstrap classes on every widget, so templates render plain `{{ field }}`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from sipko.lib.dates import EARLIEST_YEAR, LATEST_YEAR

_CLASS_BY_WIDGET: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.CheckboxSelectMultiple, "form-check-input"),
    (forms.RadioSelect, "form-check-input"),
    (forms.CheckboxInput, "form-check-input"),
    (forms.Select, "form-select"),
    (forms.Widget, "form-control"),
)


class StyledFormMixin:
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css = next(c for kind, c in _CLASS_BY_WIDGET if isinstance(widget, kind))
            existing = widget.attrs.get("class", "")
            if css not in existing.split():
                widget.attrs["class"] = f"{existing} {css}".strip()

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        cleaned = getattr(self, "cleaned_data", {})
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field, forms.DateField) or value is None:
                continue
            if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                message = _("Tanggal harus antara tahun %(first)s dan %(last)s.") % {
                    "first": EARLIEST_YEAR,
                    "last": LATEST_YEAR,
                }
                self.add_error(name, ValidationError(message))  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; an empty choice is an empty list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def add_service_error(
    form: forms.BaseForm, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, else at the top, prefixed with the field's label so it still makes sense."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, errors in exc.error_dict.items():
        name = (rename or {}).get(name, name)
        if name in form.fields or name == NON_FIELD_ERRORS:
            form.add_error(name if name in form.fields else None, errors)
            continue
        label = name
        if model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = name
        for error in errors:
            for message in error.messages:
                form.add_error(None, f"{label}: {message}")


def form_error_text(form: forms.BaseForm) -> str:
    """A form's errors as one sentence for a flash message, each named by its field's label."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        parts.append(label + " ".join(str(e) for e in errors))
    return " ".join(parts)
