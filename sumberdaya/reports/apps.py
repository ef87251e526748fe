from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sumberdaya.reports"
    verbose_name = "Laporan"
