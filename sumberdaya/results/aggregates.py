"""Response tallies kept with the data: database triggers that maintain `ResponseTally`, and their check.

Why triggers: a tally must stay exact under every change of a response (the survey form, paper entry,
imports by COPY or bulk insert, a review's exclusion and re-inclusion, a retention delete), in the same
transaction as the change. A trigger is the one place every such path goes through, on SQLite and on
PostgreSQL alike, and costs the survey no extra round trip.

A bucket is (instrument, local month, unit, shard) in `ResponseTally`, and the same sums per local year in
`YearTally` (`SPANS`): a year's recap adds up one row per unit and shard instead of twelve. Shard = response
id mod `SHARDS`, so concurrent submissions to one unit spread over several rows. Only valid responses count.
When a response leaves a bucket (deleted, excluded, moved) and was its earliest or latest one, the month
bucket's first/last are looked up again among the responses left, and the year bucket's among its months.

The triggers fix the local time zone when they are created (`install`): run `sumberdaya tallies --repair`
after changing TIME_ZONE. On SQLite the zone's UTC offset is fixed at install time (every Indonesian zone has
one; a zone with daylight saving time is refused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

from sumberdaya.results import triggers

SHARDS = 4
RESPONSES = "surveys_response"
CHANNELS = ("online", "kiosk", "paper", "interview")
ANSWERS = tuple(f"a{i}" for i in range(1, 10))


@dataclass(frozen=True)
class Span:
    """A kind of bucket: its table, the column holding the bucket's first day, and the calendar unit."""

    table: str
    column: str
    unit: str  # "month" or "year": date_trunc's unit, SQLite's "start of …" and the bucket's length

    def columns(self) -> tuple[str, ...]:
        return ("instrument", self.column, "unit_id", "shard", *COLUMNS[4:])


MONTHS = Span("results_responsetally", "month", "month")
YEARS = Span("results_yeartally", "year", "year")
SPANS = (MONTHS, YEARS)
COLUMNS = (
    "instrument", "month", "unit_id", "shard", "n", "first", "last", "complete", "answer_sum", "answer_squares",
    *(f"n_{c}" for c in CHANNELS), *(f"s{i}" for i in range(1, 10)), *(f"c{i}" for i in range(1, 10)),
    # Per-respondent scores of every respondent who answered anything (the IKM interval, `skm.interval`):
    # m = 2520 · (sum of answers) / (answers given), exact in integers; and the flagged responses' share.
    "answered", "mean_sum", "mean_squares",
    "flagged", *(f"fs{i}" for i in range(1, 10)), *(f"fc{i}" for i in range(1, 10)),
)
SUMMED = tuple(c for c in COLUMNS if c not in ("instrument", "month", "unit_id", "shard", "first", "last"))
TRIGGERS = ("results_tally_insert", "results_tally_delete", "results_tally_update_old", "results_tally_update_new")
WATCHED = ("status", "unit_id", "instrument", "channel", "submitted_at", "flagged", *ANSWERS)
LCM = 2520  # lcm(1..9), see skm.interval


def respondent_units_sql(row: str = "") -> str:
    """SQL of m = 2520 · Σa / k for one response (NULL when nothing was answered); `row` "NEW." or ""."""
    given = " + ".join(f"(CASE WHEN {row}{a} IS NULL THEN 0 ELSE 1 END)" for a in ANSWERS)
    total = " + ".join(f"COALESCE({row}{a}, 0)" for a in ANSWERS)
    return f"(CASE WHEN ({given}) = 0 THEN NULL ELSE {LCM} * ({total}) / ({given}) END)"


def _row_extras(row: str, sign: str) -> list[str]:
    """One response's contribution to the interval and flagged columns (row-level triggers)."""
    m = respondent_units_sql(f"{row}.")
    flagged = f"{row}.flagged"
    return [
        f"{sign} * (CASE WHEN {m} IS NULL THEN 0 ELSE 1 END)",
        f"{sign} * COALESCE({m}, 0)",
        f"{sign} * COALESCE({m} * {m}, 0)",
        f"{sign} * (CASE WHEN {flagged} THEN 1 ELSE 0 END)",
        *(f"{sign} * (CASE WHEN {flagged} THEN COALESCE({row}.{a}, 0) ELSE 0 END)" for a in ANSWERS),
        *(f"{sign} * (CASE WHEN {flagged} AND {row}.{a} IS NOT NULL THEN 1 ELSE 0 END)" for a in ANSWERS),
    ]


def _grouped_extras(sign: str) -> list[str]:
    """The same columns summed over a set of rows (statement triggers, rebuild and verify)."""
    m = respondent_units_sql()
    return [
        f"{sign} * count({m})",
        f"{sign} * COALESCE(sum({m}), 0)",
        f"{sign} * COALESCE(sum({m} * {m}), 0)",
        f"{sign} * COALESCE(sum(CASE WHEN flagged THEN 1 ELSE 0 END), 0)",
        *(f"{sign} * COALESCE(sum(CASE WHEN flagged THEN {a} ELSE 0 END), 0)" for a in ANSWERS),
        *(f"{sign} * COALESCE(sum(CASE WHEN flagged AND {a} IS NOT NULL THEN 1 ELSE 0 END), 0)" for a in ANSWERS),
    ]


def _zone(zone: str | None) -> str:
    """The configured zone, refused unless it is a known IANA name (it is written into SQL)."""
    name = zone or settings.TIME_ZONE
    ZoneInfo(name)  # raises for an unknown zone
    if not all(ch.isalnum() or ch in "/_-+" for ch in name):
        raise ValueError(f"Nama zona waktu tidak sah: {name!r}")
    return name


def _sqlite_offset_minutes(zone: str) -> int:
    """The zone's fixed UTC offset; refuse a zone whose offset changes over the year."""
    tz = ZoneInfo(zone)
    offsets = {dt.datetime(2024, month, 1, 12, tzinfo=tz).utcoffset() for month in (1, 4, 7, 10)}
    if len(offsets) != 1:
        raise ValueError(f"Zona waktu {zone} memakai waktu musim panas; tally SQLite memerlukan selisih UTC tetap.")
    offset = offsets.pop()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def month_sql(vendor: str, zone: str) -> str:
    """SQL of the local month (its first day) of a row's `submitted_at`, for a zone checked by `_zone`."""
    return bucket_sql(vendor, zone, MONTHS)


def bucket_sql(vendor: str, zone: str, span: Span, row: str = "") -> str:
    """SQL of the first day of a row's local month or year (`span`); `row` "NEW." / "OLD." or ""."""
    if vendor == "postgresql":
        return f"date_trunc('{span.unit}', {row}submitted_at AT TIME ZONE '{zone}')::date"
    return f"date({row}submitted_at, '{_sqlite_offset_minutes(zone):+d} minutes', 'start of {span.unit}')"


def _values(row: str, sign: str, total: str, bucket: str) -> list[str]:
    """The VALUES of one response's contribution (sign "1" or "-1") to its bucket, in `Span.columns` order."""
    return [
        f"{row}.instrument", bucket, f"{row}.unit_id", f"{row}.id % {SHARDS}", sign,
        f"{row}.submitted_at", f"{row}.submitted_at",
        f"{sign} * (CASE WHEN {total} IS NULL THEN 0 ELSE 1 END)",
        f"{sign} * COALESCE({total}, 0)",
        f"{sign} * COALESCE(({total}) * ({total}), 0)",
        *(f"{sign} * (CASE WHEN {row}.channel = '{c}' THEN 1 ELSE 0 END)" for c in CHANNELS),
        *(f"{sign} * COALESCE({row}.{a}, 0)" for a in ANSWERS),
        *(f"{sign} * (CASE WHEN {row}.{a} IS NULL THEN 0 ELSE 1 END)" for a in ANSWERS),
        *_row_extras(row, sign),
    ]


def _upsert(span: Span, row: str, sign: str, bucket: str) -> str:
    """SQLite: add (sign "1") or remove ("-1") one response's contribution to its bucket of `span`."""
    table = span.table
    total = " + ".join(f"{row}.{a}" for a in ANSWERS)
    updates = [f"{c} = {table}.{c} + excluded.{c}" for c in SUMMED]
    if sign == "1":
        updates += [
            f"first = min(COALESCE({table}.first, excluded.first), excluded.first)",
            f"last = max(COALESCE({table}.last, excluded.last), excluded.last)",
        ]
    return (
        f"INSERT INTO {table} ({', '.join(span.columns())}) VALUES ({', '.join(_values(row, sign, total, bucket))}) "
        f"ON CONFLICT (instrument, {span.column}, unit_id, shard) DO UPDATE SET {', '.join(updates)}"
    )


def _grouped_contribution(rows: str, sign: str, bucket: str) -> str:
    """SELECT of the summed contribution of a transition table's valid rows, one line per bucket."""
    total = " + ".join(ANSWERS)
    sums = [
        f"{sign} * count(*)", "min(submitted_at)", "max(submitted_at)", f"{sign} * count({total})",
        f"{sign} * COALESCE(sum({total}), 0)", f"{sign} * COALESCE(sum(({total}) * ({total})), 0)",
        *(f"{sign} * count(*) FILTER (WHERE channel = '{c}')" for c in CHANNELS),
        *(f"{sign} * COALESCE(sum({a}), 0)" for a in ANSWERS),
        *(f"{sign} * count({a})" for a in ANSWERS),
        *_grouped_extras(sign),
    ]
    return (
        f"SELECT instrument, {bucket}, unit_id, id % {SHARDS}, {', '.join(sums)} FROM {rows} "
        f"WHERE status = 'valid' GROUP BY 1, 2, 3, 4"
    )


def _postgres(zone: str) -> list[str]:
    """Statement-level triggers with transition tables: one grouped upsert per statement and span, so a COPY
    of 100 000 rows costs one pass over its rows per span, not 100 000 upserts."""
    inserted, deleted, updated, refreshed = [], [], [], []
    for span in SPANS:
        bucket = bucket_sql("postgresql", zone, span)
        updates = [f"{c} = t.{c} + excluded.{c}" for c in SUMMED]
        upsert = (
            f"INSERT INTO {span.table} AS t ({', '.join(span.columns())}) {{select}} "
            f"ON CONFLICT (instrument, {span.column}, unit_id, shard) DO UPDATE SET {{updates}}"
        )
        adding = upsert.format(
            select=_grouped_contribution("new_rows", "1", bucket),
            updates=", ".join(
                [*updates, "first = LEAST(t.first, excluded.first)", "last = GREATEST(t.last, excluded.last)"]
            ),
        )
        removing = upsert.format(select=_grouped_contribution("old_rows", "-1", bucket), updates=", ".join(updates))
        inserted.append(f"{adding};")
        deleted.append(f"{removing};")
        updated += [f"{removing};", f"{adding};"]
        refreshed.append(f"{_postgres_refresh(span, zone)};")
    # Buckets that lost a response may have lost their earliest or latest one: months first (from the
    # responses left), then years (from their months).
    return [
        # Earlier versions' trigger functions.
        "DROP FUNCTION IF EXISTS results_tally_trigger()",
        f"DROP FUNCTION IF EXISTS results_tally_add({RESPONSES}, integer)",
        *triggers.postgres_triggers(
            "results_tally", inserted="\n".join(inserted), deleted="\n".join(deleted + refreshed),
            updated="\n".join(updated + refreshed),
        ),
    ]


def _postgres_refresh(span: Span, zone: str) -> str:
    """UPDATE of the first/last of the `span` buckets that lost a response (`old_rows`)."""
    bucket = bucket_sql("postgresql", zone, span)
    if span is MONTHS:
        source = (
            f"LEFT JOIN {RESPONSES} r ON r.instrument = b.instrument AND r.unit_id = b.unit_id AND r.status = 'valid' "
            f"AND r.id % {SHARDS} = b.shard AND r.submitted_at >= (b.start::timestamp AT TIME ZONE '{zone}') "
            f"AND r.submitted_at < ((b.start + interval '1 month')::timestamp AT TIME ZONE '{zone}')"
        )
        first, last = "min(r.submitted_at)", "max(r.submitted_at)"
    else:
        source = (
            f"LEFT JOIN {MONTHS.table} m ON m.instrument = b.instrument AND m.unit_id = b.unit_id "
            f"AND m.shard = b.shard AND m.month >= b.start AND m.month < b.start + interval '1 {span.unit}'"
        )
        first, last = "min(m.first)", "max(m.last)"
    return f"""UPDATE {span.table} t SET first = s.first, last = s.last FROM (
      SELECT b.instrument, b.start, b.unit_id, b.shard, {first} AS first, {last} AS last
      FROM (SELECT DISTINCT instrument, {bucket} AS start, unit_id, id % {SHARDS} AS shard FROM old_rows
            WHERE status = 'valid') b
      {source}
      GROUP BY 1, 2, 3, 4
    ) s WHERE t.instrument = s.instrument AND t.{span.column} = s.start AND t.unit_id = s.unit_id
      AND t.shard = s.shard"""


def _sqlite(zone: str) -> list[str]:
    minutes = _sqlite_offset_minutes(zone)

    def bucket(span: Span, row: str) -> str:
        return bucket_sql("sqlite", zone, span, f"{row}.")

    def month_refresh(row: str) -> str:
        month = bucket(MONTHS, row)
        same = (
            f"r.instrument = {row}.instrument AND r.unit_id = {row}.unit_id AND r.status = 'valid' "
            f"AND r.id % {SHARDS} = {row}.id % {SHARDS} "
            f"AND r.submitted_at >= datetime({month}, '{-minutes:+d} minutes') "
            f"AND r.submitted_at < datetime({month}, '+1 month', '{-minutes:+d} minutes')"
        )
        return (
            f"UPDATE {MONTHS.table} SET first = (SELECT min(submitted_at) FROM {RESPONSES} r WHERE {same}), "
            f"last = (SELECT max(submitted_at) FROM {RESPONSES} r WHERE {same}) "
            f"WHERE instrument = {row}.instrument AND month = {month} AND unit_id = {row}.unit_id "
            f"AND shard = {row}.id % {SHARDS} AND ({row}.submitted_at <= first OR {row}.submitted_at >= last)"
        )

    def year_refresh(row: str) -> str:
        year = bucket(YEARS, row)
        months = (
            f"m.instrument = {row}.instrument AND m.unit_id = {row}.unit_id AND m.shard = {row}.id % {SHARDS} "
            f"AND m.month >= {year} AND m.month < date({year}, '+1 year')"
        )
        return (
            f"UPDATE {YEARS.table} SET first = (SELECT min(first) FROM {MONTHS.table} m WHERE {months}), "
            f"last = (SELECT max(last) FROM {MONTHS.table} m WHERE {months}) "
            f"WHERE instrument = {row}.instrument AND year = {year} AND unit_id = {row}.unit_id "
            f"AND shard = {row}.id % {SHARDS} AND ({row}.submitted_at <= first OR {row}.submitted_at >= last)"
        )

    adding = "; ".join(_upsert(span, "NEW", "1", bucket(span, "NEW")) for span in SPANS)
    removals = [_upsert(span, "OLD", "-1", bucket(span, "OLD")) for span in SPANS]
    removing = "; ".join([*removals, month_refresh("OLD"), year_refresh("OLD")])
    return triggers.sqlite_triggers("results_tally", WATCHED, adding=adding, removing=removing)


def trigger_sql(vendor: str, zone: str | None = None) -> list[str]:
    zone = _zone(zone)
    return triggers.for_vendor(vendor, {"postgresql": lambda: _postgres(zone), "sqlite": lambda: _sqlite(zone)})


def _grouped_select(vendor: str, zone: str, span: Span) -> str:
    """Every bucket of `span` computed from the responses themselves: the reference the triggers must equal."""
    bucket = bucket_sql(vendor, _zone(zone), span)
    total = " + ".join(ANSWERS)
    sums = [
        "count(*)", "min(submitted_at)", "max(submitted_at)", f"count({total})", f"COALESCE(sum({total}), 0)",
        f"COALESCE(sum(({total}) * ({total})), 0)",
        *(f"sum(CASE WHEN channel = '{c}' THEN 1 ELSE 0 END)" for c in CHANNELS),
        *(f"COALESCE(sum({a}), 0)" for a in ANSWERS),
        *(f"count({a})" for a in ANSWERS),
        *_grouped_extras("1"),
    ]
    return (
        f"SELECT instrument, {bucket}, unit_id, id % {SHARDS}, {', '.join(sums)} FROM {RESPONSES} "
        f"WHERE status = 'valid' GROUP BY instrument, {bucket}, unit_id, id % {SHARDS}"
    )


def install(connection: BaseDatabaseWrapper, zone: str | None = None) -> None:
    """Create (or replace) the triggers."""
    triggers.install(connection, trigger_sql(connection.vendor, zone))


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (a migration going back past the tables they write)."""
    on = f" ON {RESPONSES}" if connection.vendor == "postgresql" else ""  # PostgreSQL's triggers belong to a table
    with connection.cursor() as cursor:
        for name in (*TRIGGERS, "results_tally_update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def schema_complete(connection: BaseDatabaseWrapper) -> bool:
    """Whether every kept table has every column yet (an earlier migration may call `rebuild` before a later
    one adds columns or the year table; that later one rebuilds again)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for span in SPANS:
            if span.table not in tables:
                return False
            present = {c.name for c in connection.introspection.get_table_description(cursor, span.table)}
            if not set(span.columns()) <= present:
                return False
    return True


def rebuild(connection: BaseDatabaseWrapper, zone: str | None = None) -> None:
    """Recompute every bucket from the responses and (re)install the triggers, in one transaction."""
    zone = _zone(zone)
    if not schema_complete(connection):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {RESPONSES} IN SHARE MODE")  # writers wait; readers go on
        for span in SPANS:
            cursor.execute(f"DELETE FROM {span.table}")
            select = _grouped_select(connection.vendor, zone, span)
            cursor.execute(f"INSERT INTO {span.table} ({', '.join(span.columns())}) {select}")
    install(connection, zone)


def _normalised(rows: Iterator[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Buckets keyed by (instrument, first day, unit, shard), empty ones left out, values as plain numbers."""
    result = {}
    for row in rows:
        key = (row[0], str(row[1])[:10], row[2], row[3])
        values = tuple(int(v) for v in row[7:])
        if int(row[4]):
            result[key] = (int(row[4]), str(row[5]), str(row[6]), *values)
    return result


def differences(connection: BaseDatabaseWrapper, zone: str | None = None) -> list[str]:
    """Buckets (monthly and yearly) whose kept sums differ from the responses (empty when the tallies are exact)."""
    zone = _zone(zone)
    problems = []
    for span in SPANS:
        with connection.cursor() as cursor:
            cursor.execute(_grouped_select(connection.vendor, zone, span))
            expected = _normalised(iter(cursor.fetchall()))
            cursor.execute(f"SELECT {', '.join(span.columns())} FROM {span.table}")
            kept = _normalised(iter(cursor.fetchall()))
        for key in sorted(set(expected) | set(kept), key=str):
            if expected.get(key) != kept.get(key):
                problems.append(f"{span.unit} {key}: tersimpan {kept.get(key)}, seharusnya {expected.get(key)}")
    return problems
