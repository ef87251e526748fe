from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from sumberdaya.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    filter_horizontal = ["units", "groups", "user_permissions"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Sumber Daya", {"fields": ("role", "units")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Sumber Daya", {"fields": ("role", "units")}))
