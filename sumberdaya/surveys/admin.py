from django.contrib import admin

from sumberdaya.surveys.models import ImportRecord, Period, Response, UnitPeriod


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "start", "end", "input_deadline", "report_deadline"]
    search_fields = ["slug", "name"]


@admin.register(UnitPeriod)
class UnitPeriodAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "population", "survey_start", "survey_end"]
    list_filter = ["period"]
    raw_id_fields = ["unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here."""

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    """Read-only: citizens' answers are never edited or deleted (SKM.md §7)."""

    list_display = ["submitted_at", "unit", "instrument", "channel", "status", "flagged"]
    list_filter = ["instrument", "channel", "status", "flagged"]
    search_fields = ["unit__code", "unit__name"]
    date_hierarchy = "submitted_at"
    raw_id_fields = ["unit", "service"]


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyAdmin):
    """Read-only history of stored response imports (what the duplicate check compares against)."""

    list_display = ["imported_at", "unit", "file_name", "rows", "source", "duplicate_confirmed", "imported_by"]
    list_filter = ["source", "duplicate_confirmed"]
    search_fields = ["unit__code", "file_name", "sha256"]
    raw_id_fields = ["unit"]
