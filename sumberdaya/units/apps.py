from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "sumberdaya.units"
    verbose_name = "Unit pelayanan"
