"""Django admin for staff. Registry records are read-only here: they change through SIPKO's own
pages, whose services validate, scope and audit every write. NIKs appear only masked."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sipko.accounts import access
from sipko.registry import services
from sipko.registry.models import Assignment, Bidang, Document, Ormas, Pengurus

admin.site.site_header = _("Administrasi SIPKO")
admin.site.site_title = _("Administrasi SIPKO")
# Superusers only, whatever `is_staff` and permissions say (`access.can_use_django_admin`).
admin.site.has_permission = lambda request: access.can_use_django_admin(request.user)  # type: ignore[method-assign]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Bidang)
class BidangAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "icnpo_group", "sort_order")
    list_editable = ("sort_order",)


class PengurusInline(admin.TabularInline):
    model = Pengurus
    fields = ("name", "position", "term_start", "term_end", "nik_masked", "phone_masked")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ormas)
class OrmasAdmin(ReadOnlyAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "acronym", "legal_form", "region", "activity_status", "is_demo")
    list_filter = ("legal_form", "activity_status", "scope_level", "is_demo")
    search_fields = ("name", "acronym", "skt_number", "ahu_number")
    inlines = [PengurusInline]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("ormas", "doc_type", "number", "verdict")
    list_filter = ("doc_type", "verdict")
    exclude = ("file",)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("assessor", "ormas")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("assessor") and data.get("ormas"):
            for problem in services.assignment_problems(
                assessor=data["assessor"], ormas=data["ormas"]
            ):
                self.add_error(None, problem)
        return data


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    list_display = ("assessor", "ormas", "assigned_by", "created_at")
    raw_id_fields = ("assessor", "ormas")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an assignment is made or removed, never edited into another one

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        # Through the service, like every other write: scope, conflict of interest, audit.
        saved = services.assignment_create(
            actor=request.user, assessor=obj.assessor, ormas=obj.ormas
        )
        obj.pk, obj.assigned_by = saved.pk, saved.assigned_by
