from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "sumberdaya.complaints"
    verbose_name = "Pengaduan warga"
