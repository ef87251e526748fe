"""The trigger skeleton shared by the kept tallies (`aggregates`) and the kept breakdowns (`breakdowns`).

Both keep a table of sums exact under every change of a response with the same triggers on the response
table; only the SQL that adds or removes a contribution differs, and each module writes that.
- PostgreSQL: statement-level triggers over transition tables (`new_rows`, `old_rows`), so a COPY of many
  rows costs one grouped pass, not one upsert per row.
- SQLite: row triggers (`NEW`, `OLD`); an update counts only when a watched column changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db.backends.base.base import BaseDatabaseWrapper

RESPONSES = "surveys_response"


def _function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND $$"
    )


def postgres_triggers(prefix: str, *, inserted: str, deleted: str, updated: str) -> list[str]:
    """`<prefix>_insert|_delete|_update` triggers running `<prefix>_inserted|_deleted|_updated()`, whose
    bodies are the given statements (each ending with `;`)."""
    return [
        _function(f"{prefix}_inserted", inserted),
        _function(f"{prefix}_deleted", deleted),
        _function(f"{prefix}_updated", updated),
        *(f"DROP TRIGGER IF EXISTS {prefix}_{event} ON {RESPONSES}" for event in ("insert", "delete", "update")),
        f"CREATE TRIGGER {prefix}_insert AFTER INSERT ON {RESPONSES} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_inserted()",
        f"CREATE TRIGGER {prefix}_delete AFTER DELETE ON {RESPONSES} REFERENCING OLD TABLE AS old_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_deleted()",
        f"CREATE TRIGGER {prefix}_update AFTER UPDATE ON {RESPONSES} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_updated()",
    ]


def sqlite_triggers(prefix: str, watched: Sequence[str], *, adding: str, removing: str) -> list[str]:
    """`<prefix>_insert|_delete|_update_old|_update_new` row triggers for valid responses: `adding` runs for
    NEW, `removing` for OLD (both statements, `;`-separated, without the last `;`)."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    columns = ", ".join(watched)
    return [
        *(f"DROP TRIGGER IF EXISTS {prefix}_{event}" for event in ("insert", "delete", "update_old", "update_new")),
        f"CREATE TRIGGER {prefix}_insert AFTER INSERT ON {RESPONSES} WHEN NEW.status = 'valid' BEGIN {adding}; END",
        f"CREATE TRIGGER {prefix}_delete AFTER DELETE ON {RESPONSES} WHEN OLD.status = 'valid' BEGIN {removing}; END",
        f"CREATE TRIGGER {prefix}_update_old AFTER UPDATE OF {columns} ON {RESPONSES} "
        f"WHEN OLD.status = 'valid' AND ({changed}) BEGIN {removing}; END",
        f"CREATE TRIGGER {prefix}_update_new AFTER UPDATE OF {columns} ON {RESPONSES} "
        f"WHEN NEW.status = 'valid' AND ({changed}) BEGIN {adding}; END",
    ]


def for_vendor(vendor: str, builders: dict[str, Callable[[], list[str]]]) -> list[str]:
    """The statements of `builders[vendor]`, refused for a database without kept sums."""
    if vendor not in builders:
        raise NotImplementedError(f"Tally tidak tersedia untuk basis data {vendor}.")
    return builders[vendor]()


def install(connection: BaseDatabaseWrapper, statements: Sequence[str]) -> None:
    """Create (or replace) the triggers."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
