from django.contrib import admin

from sumberdaya.units.models import Service, Unit


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "kind", "parent", "active"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    inlines = [ServiceInline]
    raw_id_fields = ["parent"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "active", "order"]
    list_filter = ["active", "unit__kind"]
    search_fields = ["name", "unit__name", "unit__code"]
    raw_id_fields = ["unit"]
