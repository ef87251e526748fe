from django.apps import AppConfig


class CityConfig(AppConfig):
    name = "sumberdaya.city"
    verbose_name = "Rekap kota"
