from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "sumberdaya.results"
    verbose_name = "Hasil"
