from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sumberdaya.core"
    verbose_name = "Inti"
