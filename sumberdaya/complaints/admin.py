from django.contrib import admin

from sumberdaya.complaints.models import Policy


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The city's complaint rules; the text and contact of complaints are not in the admin (see the inbox)."""

    list_display = ("__str__", "response_days", "retention_days", "updated_at")
