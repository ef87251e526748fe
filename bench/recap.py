"""Recap benchmark: N responses over the 156 units, then time the city recap and one unit's recap.

    .venv/bin/python bench/recap.py [--sizes 100000,1000000] [--databases sqlite,postgres] [--explain]

Each (database, size) runs in its own process with its own fresh database: a SQLite file under
var/bench/ and the PostgreSQL database `sd_bench` (dropped and created; PG_URL points at the server,
default postgres://postgres@127.0.0.1:5432). Responses are generated fast (COPY on PostgreSQL,
executemany in big transactions on SQLite), the table is analysed, then `period_results` and `unit_result`
are timed several times; the best and the median are printed.
Targets (issue 18): the city recap of a year at 10 000 000 responses under 20 ms and at least 50× faster than
the raw GROUP BY measured in the same run, flat from 1 M to 10 M; a unit's result under 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "sd_bench"
YEAR = 2024
CITY_RUNS = 15
UNIT_RUNS = 20


# --------------------------------------------------------------------------------------------------
# Parent: run every (database, size) in a fresh process and print the table.


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated response counts")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plan of the city recap")
    parser.add_argument("--json", action="store_true", help="one JSON object per line and (database, size)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: keep each size's database (sd_bench_<size>) and time it again without reloading when "
        "it holds that many responses (load a 10 M database once, measure it on a quiet machine later)",
    )
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        database, size = args.worker
        print(json.dumps(work(database, int(size), args.explain, args.reuse)))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not args.json:
        print(
            f"{'database':<9} {'responses':>10} {'load s':>7} {'city median ms':>15} {'raw GROUP BY ms':>16} "
            f"{'raw ÷ city':>11} {'unit median ms':>15} {'city CPU ms':>12} {'month rows':>11} {'year rows':>10}"
        )
    for database in databases:
        for size in sizes:
            command = [sys.executable, __file__, "--worker", database, str(size)]
            command += ["--explain"] if args.explain else []
            command += ["--reuse"] if args.reuse else []
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                print(f"{database} {size}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
                continue
            lines = done.stdout.strip().splitlines()
            figures = json.loads(lines[-1])
            for line in lines[:-1]:
                print(line, file=sys.stderr)
            if args.json:
                print(json.dumps(figures))
                continue
            print(
                f"{database:<9} {size:>10,} {figures['load_s']:>7.1f} {figures['city_ms']:>15.1f} "
                f"{figures['raw_ms']:>16.1f} {figures['raw_ms'] / figures['city_ms']:>10.1f}× "
                f"{figures['unit_ms']:>15.2f} {figures['city_cpu_ms']:>12.2f} {figures['tally_rows']:>11,} "
                f"{figures['year_rows']:>10,}"
            )


# --------------------------------------------------------------------------------------------------
# Worker: one database, one size.


def work(database: str, size: int, explain: bool, reuse: bool = False) -> dict[str, Any]:
    reused = False
    if database == "postgres":
        name = f"{PG_DB}_{size}" if reuse else PG_DB
        reused = reuse and _holds(name, size)
        if not reused:
            _recreate_postgres(name)
        os.environ["DATABASE_URL"] = f"{PG_URL}/{name}"
    elif database == "sqlite":
        path = ROOT / "var" / "bench" / f"recap-{size}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        raise SystemExit(f"unknown database {database!r}: use sqlite or postgres")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sumberdaya.results.service import period_results, unit_result
    from sumberdaya.surveys.models import Period
    from sumberdaya.units.importing import load_packaged_units
    from sumberdaya.units.models import Unit

    call_command("migrate", verbosity=0)
    if reused:
        period = Period.objects.get(start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    else:
        load_packaged_units()
        period = Period.from_slug(str(YEAR))
        period.save()
    unit_ids = list(Unit.objects.values_list("pk", flat=True))

    started = time.perf_counter()
    if reused:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif database == "postgres":
        _load_postgres(connection, unit_ids, size)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_response")
            cursor.execute("VACUUM ANALYZE results_responsetally")
            cursor.execute("VACUUM ANALYZE results_yeartally")
    else:
        _load_sqlite(connection, unit_ids, size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started

    if explain and database == "postgres":
        from sumberdaya.results.tallies import _tally_annotations, valid_responses

        query = valid_responses(period).order_by().values("unit_id").annotate(**_tally_annotations())
        print(query.explain(analyze=True, buffers=True))

    # The unit recap runs first, each time for another unit, as a unit's page would: its index entries
    # have not just been read by a city recap.
    units = iter(list(Unit.objects.order_by("?")[: UNIT_RUNS + 1]))
    one = _timed(lambda: unit_result(next(units), period), UNIT_RUNS)
    city = _timed(lambda: period_results(period), CITY_RUNS)
    # Reference in the same run: a hand-written GROUP BY over the same responses (what a recap without kept
    # tallies must scan), and the check that both count the same answers.
    begin, end = period.bounds()
    sums = ", ".join(f"sum(a{i}), count(a{i})" for i in range(1, 10))
    raw_sql = (
        f"SELECT unit_id, count(*), {sums} FROM surveys_response WHERE instrument = 'skm' AND status = 'valid' "  # noqa: S608
        "AND submitted_at >= %s AND submitted_at < %s GROUP BY unit_id"
    )

    def raw() -> list[tuple[object, ...]]:
        with connection.cursor() as cursor:
            adapt = connection.ops.adapt_datetimefield_value  # the column's own text/timestamp form
            cursor.execute(raw_sql, [adapt(begin), adapt(end)])
            return cursor.fetchall()

    raw_times = _timed(raw, CITY_RUNS)
    recap = period_results(period)
    raw_rows = {row[0]: row[1] for row in raw()}
    counted = {r.unit.pk: r.tally.respondents for r in recap.rows if r.tally and r.tally.respondents}
    assert counted == raw_rows, "kept tallies and the raw GROUP BY disagree"
    return {
        "database": database,
        "responses": size,
        "load_s": round(load_s, 1),
        "reused": reused,
        "counted": sum(counted.values()),
        "city_ms": round(statistics.median(city) * 1000, 2),
        "city_best_ms": round(min(city) * 1000, 2),
        "raw_ms": round(statistics.median(raw_times) * 1000, 2),
        "raw_best_ms": round(min(raw_times) * 1000, 2),
        "city_cpu_ms": _cpu_ms(city),
        "tally_rows": _tally_rows(connection),
        "year_rows": _tally_rows(connection, "results_yeartally"),
        "unit_ms": round(statistics.median(one) * 1000, 2),
        "unit_best_ms": round(min(one) * 1000, 2),
    }


CPU: dict[int, list[float]] = {}  # id(times) -> this process's CPU seconds of each run (the load-free share)


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm caches and connections
    times: list[float] = []
    cpu = CPU.setdefault(id(times), [])
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return times


def _cpu_ms(times: list[float]) -> float:
    return round(statistics.median(CPU[id(times)]) * 1000, 2)


def _tally_rows(connection: Any, table: str = "results_responsetally") -> int:
    """How many kept rows there are (monthly, or yearly: what a year's recap adds up): flat in the number of
    responses."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a table name of the code)
        return int(cursor.fetchone()[0])


def _recreate_postgres(name: str | None = None) -> None:
    import psycopg

    name = name or PG_DB  # read now: bench/dashboard.py sets its own

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def _holds(name: str, size: int) -> bool:
    """Whether database `name` exists and holds exactly `size` responses (a finished earlier load)."""
    import psycopg

    try:
        with psycopg.connect(f"{PG_URL}/{name}") as conn:
            return bool(conn.execute("SELECT count(*) FROM surveys_response").fetchone()[0] == size)  # type: ignore[index]
    except psycopg.Error:
        return False


# Columns filled by the generator; every other column takes these constant values.
VARYING = ("unit_id", "submitted_at", "status", *(f"a{i}" for i in range(1, 10)))
CONSTANT: dict[str, Any] = {
    "instrument": "skm",
    "channel": "online",
    "scale": 4,
    "sex": "",
    "education": "",
    "occupation": "",
    "occupation_other": "",
    "comment": "",
    "comment_kind": "",
    "excluded_reason": "",
    "flagged": False,
    "flag_reason": "",
    "client": "",
}


def _rows(unit_ids: list[int], size: int) -> Iterator[tuple[int, dt.datetime, str, tuple[int | None, ...]]]:
    """Deterministic responses: 95 % inside the year, 1 % excluded, a few blanks."""
    rng = random.Random(14)
    pool = [
        tuple(None if rng.random() < 0.01 else min(4, max(1, round(rng.gauss(3.2, 0.6)))) for _ in range(9))
        for _ in range(4096)
    ]
    begin = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=20)
    span = int(dt.timedelta(days=366 + 40).total_seconds())
    for i in range(size):
        moment = begin + dt.timedelta(seconds=rng.randrange(span))
        status = "excluded" if i % 100 == 0 else "valid"
        yield rng.choice(unit_ids), moment, status, pool[i & 4095]


def _load_postgres(connection: Any, unit_ids: list[int], size: int) -> None:
    columns = [*VARYING, *CONSTANT, "created_at"]
    constant = "\t".join("f" if v is False else str(v) if v != "" else "" for v in CONSTANT.values())
    created = dt.datetime.now(dt.UTC).isoformat()
    connection.ensure_connection()
    raw = connection.connection  # psycopg 3
    with raw.cursor() as cursor, cursor.copy(f"COPY surveys_response ({', '.join(columns)}) FROM STDIN") as copy:
        chunk: list[str] = []
        for unit_id, moment, status, answers in _rows(unit_ids, size):
            cells = "\t".join("\\N" if a is None else str(a) for a in answers)
            chunk.append(f"{unit_id}\t{moment.isoformat()}\t{status}\t{cells}\t{constant}\t{created}\n")
            if len(chunk) == 50_000:
                copy.write("".join(chunk))
                chunk.clear()
        copy.write("".join(chunk))


def _load_sqlite(connection: Any, unit_ids: list[int], size: int) -> None:
    columns = [*VARYING, *CONSTANT, "created_at"]
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO surveys_response ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    constant = tuple(int(v) if isinstance(v, bool) else v for v in CONSTANT.values())
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    connection.ensure_connection()
    raw = connection.connection
    batch: list[tuple[Any, ...]] = []
    raw.execute("BEGIN")
    for unit_id, moment, status, answers in _rows(unit_ids, size):
        # Django keeps aware datetimes in SQLite as UTC text.
        batch.append((unit_id, moment.strftime("%Y-%m-%d %H:%M:%S"), status, *answers, *constant, created))
        if len(batch) == 100_000:
            raw.executemany(sql, batch)
            batch.clear()
    raw.executemany(sql, batch)
    raw.execute("COMMIT")


if __name__ == "__main__":
    main()
