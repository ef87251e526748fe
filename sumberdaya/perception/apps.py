from django.apps import AppConfig


class PerceptionConfig(AppConfig):
    name = "sumberdaya.perception"
    verbose_name = "Survei persepsi (SPKP dan SPAK)"
