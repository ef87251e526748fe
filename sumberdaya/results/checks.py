"""System check: the triggers that keep ResponseTally and BreakdownTally must exist, or recaps would go stale."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connection

from sumberdaya.results.aggregates import schema_complete


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'surveys_response'::regclass")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'surveys_response'")
        return {row[0] for row in cursor.fetchall()}


def expected_triggers() -> set[str]:
    if connection.vendor == "postgresql":
        return {
            "results_tally_insert", "results_tally_delete", "results_tally_update",
            "results_breakdown_insert", "results_breakdown_delete", "results_breakdown_update",
        }
    return {
        "results_tally_insert", "results_tally_delete", "results_tally_update_old", "results_tally_update_new",
        "results_breakdown_insert", "results_breakdown_delete", "results_breakdown_update_old",
        "results_breakdown_update_new",
    }


@register(Tags.database)
def tally_triggers(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    if not databases or connection.alias not in databases:
        return []
    try:
        if not schema_complete(connection):
            return []  # not migrated that far (or migrated back): `migrate` creates the tables and installs them
        expected = expected_triggers()
        if "results_breakdowntally" not in connection.introspection.table_names():
            # Not migrated that far yet: `migrate` (which runs this check first) creates and installs them.
            expected = {name for name in expected if not name.startswith("results_breakdown_")}
        missing = expected - installed_triggers()
    except DatabaseError:
        return []
    if not missing:
        return []
    return [
        Error(
            f"Pemicu tally respons tidak ada: {', '.join(sorted(missing))}.",
            hint="Jalankan `sumberdaya migrate` atau `sumberdaya tallies --repair`.",
            id="sumberdaya.E101",
        )
    ]
