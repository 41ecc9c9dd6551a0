"""Django admin for staff: reporting records are read-only here. They change through SIPKO's own
pages, whose services validate, scope and audit every write; evidence files are reached only
through the access-checked view, so the admin shows their metadata, never a link to the file."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sipko.registry.admin import ReadOnlyAdmin
from sipko.reporting.models import (
    ActivityReport,
    Evidence,
    FinancialSummary,
    ReminderLog,
    ReportValue,
)


class ReportValueInline(admin.TabularInline):
    model = ReportValue
    fields = ("indicator", "value")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("original_name", "caption", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActivityReport)
class ActivityReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "programme", "start_date", "state", "submitted_at")
    list_filter = ("state", "programme__period")
    search_fields = ("title", "programme__title", "programme__ormas__name")
    list_select_related = ("programme",)
    inlines = (ReportValueInline, EvidenceInline)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_at")
    search_fields = ("original_name", "caption", "report__title")
    exclude = ("file", "thumbnail")
    list_select_related = ("report",)


@admin.register(FinancialSummary)
class FinancialSummaryAdmin(ReadOnlyAdmin):
    list_display = ("ormas", "period", "expenditure", "reported", "audited", "published")
    list_filter = ("period", "reported", "audited", "published")
    search_fields = ("ormas__name",)
    list_select_related = ("ormas", "period")


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("sent_on", "kind", "key", "recipient")
    list_filter = ("kind", "sent_on")
    search_fields = ("recipient", "key")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
