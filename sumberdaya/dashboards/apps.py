from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "sumberdaya.dashboards"
    verbose_name = "Dasbor"
