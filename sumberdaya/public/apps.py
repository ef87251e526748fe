from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sumberdaya.public"
    verbose_name = "Hasil publik"
