"""Migrations without downtime (issue 13, item 6): a new version's migrations run while the previous version
still serves, so no migration rewrites or long-locks the responses table, and the old code's INSERTs and
SELECTs keep working. The rules (README, "Migrations without downtime") are checked on every migration
of the project that came after the rule; the checker is tested on migrations that break them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation

from sumberdaya.core.online_migrations import AddIndexOnline, RemoveIndexOnline

TABLE = ("surveys", "response")
# Released before the rule (the table was new or small then); never edited, so never checked.
RELEASED_BEFORE_THE_RULE = {("surveys", "0001_initial"), ("surveys", "0002_response_client_idx"),
                            ("surveys", "0003_response_window_index")}
# Changing only these never touches the table (they live in Python).
PYTHON_ONLY = {"verbose_name", "help_text", "choices", "validators", "editable", "blank", "error_messages", "default"}


def _operations(operations: list[Operation]) -> list[Operation]:
    flat: list[Operation] = []
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            flat.extend(_operations(operation.database_operations))
        else:
            flat.append(operation)
    return flat


def _field_kwargs(field: models.Field) -> dict[str, Any]:
    _name, path, args, kwargs = field.deconstruct()
    return {"path": path, "args": args, **{k: v for k, v in kwargs.items() if k not in PYTHON_ONLY}}


def problems(migration: Any, state_before: Any) -> list[str]:
    """What in this migration would rewrite or lock the responses table, or break the previous version."""
    found = []
    name = f"{migration.app_label}.{migration.name}"
    for operation in _operations(migration.operations):
        model = getattr(operation, "model_name", None) or getattr(operation, "name", "")
        if (migration.app_label, str(model).lower()) != TABLE and not isinstance(operation, migrations.RunSQL):
            continue
        if isinstance(operation, migrations.AddField):
            field = operation.field
            if not field.null and field.db_default is models.NOT_PROVIDED:
                found.append(f"{name}: AddField {operation.name} must be null=True or have db_default "
                             "(the previous version inserts rows without it)")
            if field.db_index or field.unique or (field.is_relation and field.db_index is not False):
                found.append(f"{name}: AddField {operation.name} builds an index in the same statement; "
                             "use db_index=False and AddIndexOnline")
        elif isinstance(operation, migrations.AlterField):
            old = state_before.models[TABLE].fields[operation.name]
            if _field_kwargs(old) != _field_kwargs(operation.field):
                found.append(f"{name}: AlterField {operation.name} changes the column (type, null, size or "
                             "index: a rewrite or a long lock)")
        elif isinstance(operation, migrations.RenameField | migrations.RenameModel | migrations.AlterModelTable
                        | migrations.DeleteModel):
            found.append(f"{name}: {type(operation).__name__} breaks the previous version, which still uses the old name")
        elif isinstance(operation, migrations.AddIndex | migrations.RemoveIndex) and not isinstance(
            operation, AddIndexOnline | RemoveIndexOnline
        ):
            found.append(f"{name}: {type(operation).__name__} locks writes; use AddIndexOnline/RemoveIndexOnline")
        elif isinstance(operation, migrations.AddConstraint):
            found.append(f"{name}: AddConstraint on the responses table (an index built under lock, a full scan)")
        elif isinstance(operation, migrations.RunSQL):
            sql = str(operation.sql).lower()
            if "surveys_response" in sql and (
                ("create" in sql and "index" in sql and "concurrently" not in sql) or " type " in sql
            ):
                found.append(f"{name}: RunSQL on surveys_response without CONCURRENTLY or changing a type")
        if isinstance(operation, AddIndexOnline | RemoveIndexOnline) and migration.atomic:
            found.append(f"{name}: CONCURRENTLY needs `atomic = False` on the migration")
    return found


def test_no_migration_rewrites_or_locks_the_responses_table(db: Any) -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    ours = [key for key in loader.disk_migrations if loader.disk_migrations[key].__module__.startswith("sumberdaya.")]
    assert ("surveys", "0001_initial") in ours and len(ours) > 10  # the loader saw the project's migrations
    found = []
    for key in sorted(ours):
        if key in RELEASED_BEFORE_THE_RULE:
            continue
        found += problems(loader.disk_migrations[key], loader.project_state(key, at_end=False))
    assert found == []


def _state_before(loader: MigrationLoader) -> Any:
    return loader.project_state(("surveys", "0003_response_window_index"), at_end=True)


def _migration(*operations: Operation, atomic: bool = True) -> Any:
    migration = migrations.Migration("0099_probe", "surveys")
    migration.operations = list(operations)
    migration.atomic = atomic
    return migration


def test_the_check_finds_each_kind_of_migration_that_would_stop_the_survey(db: Any) -> None:
    state = _state_before(MigrationLoader(connection, ignore_no_migrations=True))
    bad = {
        "must be null=True": migrations.AddField("response", "score", models.IntegerField(default=0)),
        "builds an index": migrations.AddField("response", "ref", models.CharField(max_length=9, null=True, db_index=True)),
        "changes the column": migrations.AlterField("response", "comment", models.CharField(max_length=500, blank=True)),
        "RenameField breaks": migrations.RenameField("response", "comment", "remark"),
        "AddIndex locks writes": migrations.AddIndex("response", models.Index(fields=["channel"], name="r_channel_idx")),
        "without CONCURRENTLY": migrations.RunSQL("CREATE INDEX r_x ON surveys_response (channel)"),
    }
    for expected, operation in bad.items():
        found = problems(_migration(operation), state)
        assert len(found) == 1 and expected in found[0], (expected, found)
    online = AddIndexOnline("response", models.Index(fields=["channel"], name="r_channel_idx"))
    assert "atomic = False" in problems(_migration(online), state)[0]


def test_the_check_lets_the_safe_ways_through(db: Any) -> None:
    state = _state_before(MigrationLoader(connection, ignore_no_migrations=True))
    comment = state.models[TABLE].fields["comment"].clone()
    comment.verbose_name = "komentar warga"
    good = [
        migrations.AddField("response", "score", models.IntegerField(null=True)),
        migrations.AddField("response", "weight", models.IntegerField(db_default=1)),
        migrations.AlterField("response", "comment", comment),  # a label only
        migrations.RunSQL("CREATE INDEX CONCURRENTLY r_x ON surveys_response (channel)"),
        AddIndexOnline("response", models.Index(fields=["channel"], name="r_channel_idx")),
        migrations.AddField("period", "note", models.TextField(default="")),  # another, small table
    ]
    assert problems(_migration(*good, atomic=False), state) == []


@pytest.mark.django_db(transaction=True)
def test_the_online_index_operation_builds_and_drops_the_index_on_this_database() -> None:
    """CONCURRENTLY on PostgreSQL (outside a transaction, as the migration's atomic = False runs it), plain on
    SQLite; the index really exists afterwards and is gone after the reverse."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    before = loader.project_state(("surveys", "0003_response_window_index"), at_end=True)
    index = models.Index(fields=["channel", "submitted_at"], name="response_probe_idx")
    add = AddIndexOnline("response", index)
    after = before.clone()
    add.state_forwards("surveys", after)
    with connection.schema_editor(atomic=False) as editor:
        add.database_forwards("surveys", editor, before, after)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "surveys_response")
    assert constraints["response_probe_idx"]["columns"] == ["channel", "submitted_at"]
    remove = RemoveIndexOnline("response", "response_probe_idx")
    with connection.schema_editor(atomic=False) as editor:
        remove.database_forwards("surveys", editor, after, before)
    with connection.cursor() as cursor:
        assert "response_probe_idx" not in connection.introspection.get_constraints(cursor, "surveys_response")
        assert "response_window_idx" in connection.introspection.get_constraints(cursor, "surveys_response")


@pytest.mark.django_db(transaction=True)
def test_the_online_index_operation_issues_create_index_concurrently_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("CONCURRENTLY is PostgreSQL's")
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    before = loader.project_state(("surveys", "0003_response_window_index"), at_end=True)
    add = AddIndexOnline("response", models.Index(fields=["channel"], name="response_probe2_idx"))
    after = before.clone()
    add.state_forwards("surveys", after)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        add.database_forwards("surveys", editor, before, after)
    assert any(sql.startswith("CREATE INDEX CONCURRENTLY") and "surveys_response" in sql for sql in editor.collected_sql)
