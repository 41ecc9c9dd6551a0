"""Django admin for Kesbangpol staff. NIKs are never shown or edited here (only masked)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sipko.registry.models import Assignment, Bidang, Document, Ormas, Pengurus


@admin.register(Bidang)
class BidangAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "icnpo_group", "sort_order")
    list_editable = ("sort_order",)


class PengurusInline(admin.TabularInline):
    model = Pengurus
    fields = ("name", "position", "term_start", "term_end", "nik_masked")
    readonly_fields = ("nik_masked",)
    extra = 0


@admin.register(Ormas)
class OrmasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "acronym", "legal_form", "region", "activity_status", "is_demo")
    list_filter = ("legal_form", "activity_status", "scope_level", "is_demo")
    search_fields = ("name", "acronym", "skt_number", "ahu_number")
    raw_id_fields = ("region", "parent", "merged_into")
    filter_horizontal = ("bidang",)
    inlines = [PengurusInline]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("ormas", "doc_type", "number", "verdict")
    list_filter = ("doc_type", "verdict")
    raw_id_fields = ("ormas", "verified_by", "uploaded_by")
    exclude = ("file",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("assessor", "ormas", "no_conflict_declared_at")
    raw_id_fields = ("assessor", "ormas", "assigned_by")
