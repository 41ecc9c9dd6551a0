"""Django admin for staff: assessment records are read-only here. Instruments, answers and
results change only through SIPKO's pages and commands, whose services guard the workflow,
keep published instruments immutable and hash published results."""

from django.contrib import admin

from sipko.assessment.models import Appeal, Assessment, EligibilityRule, FollowUp, Instrument
from sipko.registry.admin import ReadOnlyAdmin


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "name", "status", "region", "published_at")
    list_filter = ("status",)
    search_fields = ("code", "name")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("ormas", "period", "instrument", "state", "predicate", "assessor")
    list_filter = ("state", "period")
    search_fields = ("ormas__name",)
    # The self-assessment score belongs to the ormas alone, even in the admin.
    exclude = ("provisional",)


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "state", "reviewer", "filed_at", "decided_at")
    list_filter = ("state",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "indicator", "state", "due")
    list_filter = ("state",)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "predicates", "active")
