from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_tally_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table: put them back after every migrate."""
    from django.db import connections

    from sumberdaya.results import breakdowns
    from sumberdaya.results.aggregates import SPANS, install, schema_complete

    connection = connections[using]
    # Not when the tables are only part of the way there (a migrate to an earlier migration): the migrate
    # that brings them up to date installs the triggers (`sumberdaya tallies` refuses to check until then).
    kept = schema_complete(connection)
    detailed = breakdowns.TABLE in connection.introspection.table_names()
    if not kept and not detailed:
        return
    if kept:
        install(connection)
    if detailed:
        breakdowns.install(connection)
    with connection.cursor() as cursor:
        # A flush (tests) empties the tables one by one; with no response left no tally may remain either.
        cursor.execute("SELECT 1 FROM surveys_response LIMIT 1")
        if cursor.fetchone() is None:
            tables = [span.table for span in SPANS] if kept else []
            tables += [breakdowns.TABLE] if detailed else []
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table names of the code)


class ResultsConfig(AppConfig):
    name = "sumberdaya.results"
    verbose_name = "Hasil"

    def ready(self) -> None:
        from sumberdaya.results import checks  # noqa: F401 (registers the system check)

        post_migrate.connect(_install_tally_triggers, sender=self)
