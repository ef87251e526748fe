"""Read-only admin lists of imported results and publications: changes go through the city pages, which audit them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sumberdaya.city.models import Publication, PublishedFigure
from sumberdaya.results.models import ImportedResult


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportedResult)
class ImportedResultAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "ikm", "mutu", "respondents", "method", "flagged", "imported_at"]
    list_filter = ["period", "flagged"]
    search_fields = ["unit__name", "unit__code"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["period", "published_at", "published_by", "method", "weight", "withdrawn_at"]
    list_filter = ["period"]
    exclude = ["snapshot"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The city's published averages of past years, entered by the admin; the city report's trend starts there."""

    list_display = ["year", "series", "ikm", "units", "source"]
    list_filter = ["year"]
