from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_tally_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: put them back after every migrate."""
    from django.db import connections

    from sumberdaya.results.aggregates import install

    connection = connections[using]
    if "results_responsetally" in connection.introspection.table_names():
        install(connection)


class ResultsConfig(AppConfig):
    name = "sumberdaya.results"
    verbose_name = "Hasil"

    def ready(self) -> None:
        from sumberdaya.results import checks  # noqa: F401 (registers the system check)

        post_migrate.connect(_install_tally_triggers, sender=self)
