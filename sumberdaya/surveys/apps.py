from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "sumberdaya.surveys"
    verbose_name = "Survei"
