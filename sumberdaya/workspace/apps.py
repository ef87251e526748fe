from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "sumberdaya.workspace"
    verbose_name = "Ruang kerja unit"
