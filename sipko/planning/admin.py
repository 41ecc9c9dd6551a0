"""Django admin for staff. Planning records are read-only here: they change through SIPKO's own
pages, whose services check parents, periods, states and freezing, and log every move."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sipko.planning.models import Period, Programme, ProgrammeIndicator, Rpjmd, RpjmdItem
from sipko.registry.admin import ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RpjmdItemInline(ReadOnlyInline):
    model = RpjmdItem
    fields = ("code", "level", "parent", "text", "unit", "illustrative")
    readonly_fields = fields


@admin.register(Rpjmd)
class RpjmdAdmin(ReadOnlyAdmin):
    list_display = ("title", "region", "start_year", "end_year", "legal_basis")
    list_filter = ("start_year",)
    search_fields = ("title", "region__name", "region__code")
    inlines = [RpjmdItemInline]


@admin.register(RpjmdItem)
class RpjmdItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "level", "rpjmd", "illustrative")
    list_filter = ("level", "illustrative")
    search_fields = ("code", "text")


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "start", "end", "state", "report_frequency")
    list_filter = ("state", "report_frequency")
    search_fields = ("name", "region__name", "region__code")


class IndicatorInline(ReadOnlyInline):
    model = ProgrammeIndicator
    fields = ("name", "unit", "baseline", "target", "polarity", "aggregation")
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("title", "ormas", "period", "state", "budget", "submitted_at")
    list_filter = ("state", "period")
    search_fields = ("title", "ormas__name", "ormas__acronym")
    raw_id_fields = ("ormas",)
    inlines = [IndicatorInline]


@admin.register(ProgrammeIndicator)
class ProgrammeIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("name", "programme", "unit", "target", "polarity", "aggregation")
    list_filter = ("polarity", "aggregation")
    search_fields = ("name", "programme__title")
