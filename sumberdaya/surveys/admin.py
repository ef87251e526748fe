from django.contrib import admin

from sumberdaya.surveys.models import Period, Response, UnitPeriod


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "start", "end", "input_deadline", "report_deadline"]
    search_fields = ["slug", "name"]


@admin.register(UnitPeriod)
class UnitPeriodAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "population", "survey_start", "survey_end"]
    list_filter = ["period"]
    raw_id_fields = ["unit"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: citizens' answers are never edited or deleted (SKM.md §7)."""

    list_display = ["submitted_at", "unit", "instrument", "channel", "status", "flagged"]
    list_filter = ["instrument", "channel", "status", "flagged"]
    search_fields = ["unit__code", "unit__name"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["unit", "service"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
