from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sumberdaya.core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from sumberdaya.core import checks  # noqa: F401  (registers the system checks)
