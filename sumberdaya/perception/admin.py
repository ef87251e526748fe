from django.contrib import admin

from sumberdaya.perception.models import PerceptionSetting


@admin.register(PerceptionSetting)
class PerceptionSettingAdmin(admin.ModelAdmin):
    list_display = ("period", "enabled", "spkp_scale", "spak_scale", "exclude_steered")
    list_filter = ("enabled", "exclude_steered")
