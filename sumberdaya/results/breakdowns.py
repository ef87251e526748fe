"""Breakdown tallies kept with the data: respondents and element sums per unit, month and profile value.

The unit dashboard shows respondents and IKM by service, sex, age band, education, occupation and survey
method. Counting those from the responses means six scans of every answer the unit ever received in the
period; `BreakdownTally` holds the same sums per (instrument, local month, unit, dimension, value, shard),
kept by database triggers exactly like `ResponseTally` (see `results.aggregates` for why triggers, and for
the shards). `unit_breakdowns` reads the window's whole months from here and only the days around them from
the responses; it equals `tallies_by(responses, dimension)` (tests and `sumberdaya tallies --verify`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from sumberdaya.results import triggers
from sumberdaya.results.aggregates import ANSWERS, RESPONSES, SHARDS, _sqlite_offset_minutes, _zone, month_sql
from sumberdaya.results.tallies import Tally, merged, tallies_by, window_parts
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Period, Response
from sumberdaya.surveys.profile import AGE_BANDS, with_age_band
from sumberdaya.units.models import Unit

TABLE = "results_breakdowntally"
KEY = ("instrument", "month", "unit_id", "dimension", "value", "shard")
SUMMED = ("n", *(f"s{i}" for i in range(1, 10)), *(f"c{i}" for i in range(1, 10)))
COLUMNS = (*KEY, *SUMMED)
DIMENSIONS = ("service_id", "sex", "age_band", "education", "occupation", "channel")
# Columns whose change moves a response from one breakdown row to another.
WATCHED = ("status", "unit_id", "instrument", "channel", "submitted_at", "service_id", "sex", "age", "education",
           "occupation", *ANSWERS)
TRIGGERS = (
    "results_breakdown_insert", "results_breakdown_delete", "results_breakdown_update_old",
    "results_breakdown_update_new",
)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _age_band(row: str) -> str:
    """SQL of `surveys.profile.age_band_expression` for one row: the band label, '' without an age."""
    whens = []
    for label, low, high in AGE_BANDS:
        conditions = [f"{row}age IS NOT NULL"]
        if low is not None:
            conditions.append(f"{row}age >= {int(low)}")
        if high is not None:
            conditions.append(f"{row}age <= {int(high)}")
        whens.append(f"WHEN {' AND '.join(conditions)} THEN {_quoted(label)}")
    return f"CASE {' '.join(whens)} ELSE '' END"


def _dimension_values(row: str) -> list[tuple[str, str]]:
    """(dimension, SQL of its text value) for a row prefix such as 'NEW.' or '' (a FROM table)."""
    return [
        ("service_id", f"COALESCE(CAST({row}service_id AS TEXT), '')"),
        ("sex", f"{row}sex"),
        ("age_band", _age_band(row)),
        ("education", f"{row}education"),
        ("occupation", f"{row}occupation"),
        ("channel", f"{row}channel"),
    ]


def _sums(sign: str) -> list[str]:
    return [
        f"{sign} * count(*)",
        *(f"{sign} * COALESCE(sum({a}), 0)" for a in ANSWERS),
        *(f"{sign} * count({a})" for a in ANSWERS),
    ]


def _exploded(source: str, month: str, row: str = "") -> str:
    """Each valid response of `source` once per dimension, with its value."""
    branches = " UNION ALL ".join(
        f"SELECT instrument, {month} AS month, unit_id, {_quoted(name)} AS dimension, {value} AS value, "
        f"id % {SHARDS} AS shard, {', '.join(ANSWERS)} FROM {source} WHERE status = 'valid'"
        for name, value in _dimension_values(row)
    )
    return branches


def _grouped(source: str, sign: str, month: str) -> str:
    return (
        f"SELECT instrument, month, unit_id, dimension, value, shard, {', '.join(_sums(sign))} "
        f"FROM ({_exploded(source, month)}) x GROUP BY 1, 2, 3, 4, 5, 6"
    )


def _upsert(select: str, alias: str | None = "t") -> str:
    # SQLite takes no alias for the target inside a trigger: the table's own name then qualifies the columns.
    updates = ", ".join(f"{c} = {alias or TABLE}.{c} + excluded.{c}" for c in SUMMED)
    return (
        f"INSERT INTO {TABLE}{f' AS {alias}' if alias else ''} ({', '.join(COLUMNS)}) {select} "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}"
    )


def _postgres(zone: str) -> list[str]:
    """Statement-level triggers: one grouped upsert per statement over its transition table."""
    month = month_sql("postgresql", zone)
    adding = _upsert(_grouped("new_rows", "1", month))
    removing = _upsert(_grouped("old_rows", "-1", month))

    return triggers.postgres_triggers(
        "results_breakdown", inserted=f"{adding};", deleted=f"{removing};", updated=f"{removing};\n{adding};"
    )


def _sqlite(zone: str) -> list[str]:
    minutes = _sqlite_offset_minutes(zone)

    def contribution(row: str, sign: str) -> str:
        month = f"date({row}.submitted_at, '{minutes:+d} minutes', 'start of month')"
        answers = ", ".join(
            [*(f"{sign} * COALESCE({row}.{a}, 0)" for a in ANSWERS),
             *(f"{sign} * ({row}.{a} IS NOT NULL)" for a in ANSWERS)]
        )
        branches = " UNION ALL ".join(
            f"SELECT {row}.instrument, {month}, {row}.unit_id, {_quoted(name)}, {value}, {row}.id % {SHARDS}, "
            f"{sign}, {answers}"
            for name, value in _dimension_values(f"{row}.")
        )
        # "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the upsert, not to a join.
        return _upsert(f"SELECT * FROM ({branches}) WHERE true", alias=None)

    return triggers.sqlite_triggers(
        "results_breakdown", WATCHED, adding=contribution("NEW", "1"), removing=contribution("OLD", "-1")
    )


def trigger_sql(vendor: str, zone: str | None = None) -> list[str]:
    zone = _zone(zone)
    return triggers.for_vendor(vendor, {"postgresql": lambda: _postgres(zone), "sqlite": lambda: _sqlite(zone)})


def _reference_select(vendor: str, zone: str) -> str:
    """Every breakdown row computed from the responses: what the triggers must equal."""
    return _grouped(RESPONSES, "1", month_sql(vendor, _zone(zone)))


def install(connection: BaseDatabaseWrapper, zone: str | None = None) -> None:
    triggers.install(connection, trigger_sql(connection.vendor, zone))


def rebuild(connection: BaseDatabaseWrapper, zone: str | None = None) -> None:
    """Recompute every row from the responses and (re)install the triggers (call inside a transaction)."""
    zone = _zone(zone)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {RESPONSES} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) {_reference_select(connection.vendor, zone)}")
    install(connection, zone)


def _normalised(rows: Iterator[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[int, ...]]:
    result = {}
    for row in rows:
        key = (row[0], str(row[1])[:10], row[2], row[3], row[4], row[5])
        values = tuple(int(v) for v in row[6:])
        if values[0]:
            result[key] = values
    return result


def differences(connection: BaseDatabaseWrapper, zone: str | None = None) -> list[str]:
    """Breakdown rows whose kept sums differ from the responses (empty when exact)."""
    with connection.cursor() as cursor:
        cursor.execute(_reference_select(connection.vendor, _zone(zone)))
        expected = _normalised(iter(cursor.fetchall()))
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE}")
        kept = _normalised(iter(cursor.fetchall()))
    return [
        f"{key}: tersimpan {kept.get(key)}, seharusnya {expected.get(key)}"
        for key in sorted(set(expected) | set(kept), key=str)
        if expected.get(key) != kept.get(key)
    ]


# ------------------------------------------------------------------------------------------- reading


def _key(dimension: str, value: str) -> Any:
    """The key `tallies_by(responses, dimension)` gives: a service id (None when blank) or the text."""
    if dimension == "service_id":
        return int(value) if value else None
    return value


@functools.cache
def _read_sql() -> str:
    cast = "::bigint" if connection.vendor == "postgresql" else ""
    sums = ", ".join(f"sum({c}){cast}" for c in SUMMED)
    return (
        f"SELECT dimension, value, {sums} FROM {TABLE} "
        "WHERE instrument = %s AND unit_id = %s AND month >= %s AND month <= %s AND n <> 0 "
        "GROUP BY dimension, value"
    )


def unit_breakdowns(
    unit: Unit, period: Period, instrument: str = Response.Instrument.SKM
) -> dict[str, dict[Any, Tally]]:
    """The unit's tally per value of each dimension in `DIMENSIONS`, for the period's window."""
    found: dict[str, dict[Any, list[Tally]]] = {name: {} for name in DIMENSIONS}
    months, edges = window_parts(period)
    if months is not None:
        first, last = months
        with connection.cursor() as cursor:
            cursor.execute(_read_sql(), [
                instrument, unit.pk, connection.ops.adapt_datefield_value(first),
                connection.ops.adapt_datefield_value(last),
            ])
            for dimension, value, n, *sums in cursor.fetchall():
                found[dimension].setdefault(_key(dimension, value), []).append(Tally(
                    respondents=n,
                    totals={e.code: sums[i] for i, e in enumerate(ELEMENTS)},
                    counts={e.code: sums[9 + i] for i, e in enumerate(ELEMENTS)},
                ))
    for low, high in edges:
        responses = with_age_band(Response.objects.filter(
            instrument=instrument, status=Response.Status.VALID, unit=unit, submitted_at__gte=low,
            submitted_at__lt=high,
        ))
        for dimension in DIMENSIONS:
            for key, tally in tallies_by(responses, dimension).items():
                found[dimension].setdefault(key, []).append(tally)
    return {dimension: {key: merged(parts) for key, parts in values.items()} for dimension, values in found.items()}
