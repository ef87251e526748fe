"""The stored integrity scan of one big unit, as the background task runs it after paper entry or an import.

    .venv/bin/python bench/integrity_scan.py [--size 100000] [--history 20000] [--database sd_bench_integrity] [--keep]

Builds a fresh PostgreSQL database (`--database` on PG_URL, default postgres://postgres@127.0.0.1:5432),
migrates it, loads the packaged units and periods 2023 and 2024, then `--size` responses of one unit in 2024
and `--history` in 2023 with generate_series (one INSERT … SELECT each; the tally triggers run for every row):
online, kiosk and paper (with an operator account) answers in service hours, answers drawn at random around
level 3, plus one injected run of 40 identical all-4 paper forms. ANALYZE, then in a fresh Python process:

1. what the operator's request now does after saving a form: `integrity.queue_scan` (enqueue one task);
2. the task itself, `surveys.tasks.scan_units` run by `sumberdaya db_worker --batch` (the first scan: flags
   stored), and a second run (nothing new: the idempotent re-scan, the usual case every hour);

each with wall seconds and CPU seconds of the Python process (time.process_time; the database's own CPU is not
in it) and the process's peak memory. Wall time on a loaded machine is unreliable: compare CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from fresh import django_env, fresh_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
UNIT = "kelurahan-mawar"

GENERATE = """
INSERT INTO surveys_response (instrument, unit_id, service_id, submitted_at, channel, scale, a1, a2, a3, a4, a5,
    a6, a7, a8, a9, sex, age, education, occupation, occupation_other, comment, comment_kind, status,
    excluded_reason, flagged, flag_reason, client, created_at, demo, entered_by_id)
SELECT 'skm', %(unit)s, %(service)s, at,
    CASE WHEN n %% 5 = 0 THEN 'paper' WHEN n %% 2 = 0 THEN 'kiosk' ELSE 'online' END, 4,
    least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)), least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)),
    least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)), least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)),
    least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)), least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)),
    least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)), least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)),
    least(4, greatest(1, lvl + (random() * 1.4 - 0.7)::int)),
    CASE WHEN n %% 2 = 0 THEN 'L' ELSE 'P' END, 17 + n %% 60, 'SMA', 'Swasta', '', '', '', 'valid', '', false, '',
    CASE WHEN n %% 5 = 0 THEN '' WHEN n %% 2 = 0 THEN 'tablet-1' ELSE md5(n::text) END,
    at + CASE WHEN n %% 5 = 0 THEN interval '3 hours' ELSE interval '0' END, false,
    CASE WHEN n %% 5 = 0 THEN %(operator)s END
FROM (
    SELECT n, lvl, (day + CASE WHEN extract(dow FROM day) = 0 THEN interval '1 day' ELSE interval '0' END
        + interval '8 hours' + (random() * interval '7 hours')) AT TIME ZONE 'Asia/Makassar' AS at
    FROM (
        SELECT n, 2 + (random() * 2.2)::int AS lvl,
            date_trunc('day', (%(start)s::timestamptz + (n * (interval '360 days' / %(size)s)))
                       AT TIME ZONE 'Asia/Makassar') AS day
        FROM generate_series(1, %(size)s) AS n
    ) AS days
) AS drawn
"""

INJECT = """
INSERT INTO surveys_response (instrument, unit_id, service_id, submitted_at, channel, scale, a1, a2, a3, a4, a5,
    a6, a7, a8, a9, sex, age, education, occupation, occupation_other, comment, comment_kind, status,
    excluded_reason, flagged, flag_reason, client, created_at, demo, entered_by_id)
SELECT 'skm', %(unit)s, %(service)s, timestamptz '2024-06-12 09:00+08' + n * interval '1 minute', 'paper', 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, '', NULL, '', '', '', '', '', 'valid', '', false, '', '',
    timestamptz '2024-06-12 15:00+08' + n * interval '10 seconds', false, %(operator)s
FROM generate_series(1, 40) AS n
"""

CHILD = r"""
import json, resource, sys, time, io
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
import datetime as dt
from django_tasks.backends.database.models import DBTaskResult
from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import IntegrityFlag, Response
from sumberdaya.units.models import Unit

unit = Unit.objects.get(code=sys.argv[1])
out = {}
moment = dt.datetime(2024, 6, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
started, cpu = time.perf_counter(), time.process_time()
integrity.queue_scan([unit.pk], [moment])
out["enqueue"] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
out["queued"] = DBTaskResult.objects.ready().count()
for label in ("first_scan", "rescan"):
    if label == "rescan":
        integrity.queue_scan([unit.pk], [moment])
    started, cpu = time.perf_counter(), time.process_time()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    result = DBTaskResult.objects.order_by("-finished_at").first()
    out[label] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "status": result.status, "summary": result.return_value}
out["flags"] = IntegrityFlag.objects.count()
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def env(database: str) -> dict[str, str]:
    return django_env(database)


def prepare(database: str, size: int, history: int) -> None:
    import psycopg

    run = fresh_database(database, env(database))
    python = str(BIN / "python")
    setup = (
        "import datetime as dt\n"
        "from sumberdaya.accounts.models import User\n"
        "from sumberdaya.surveys.models import Period\n"
        "from sumberdaya.units.models import Service, Unit\n"
        "for year in (2023, 2024):\n"
        "    Period.objects.create(slug=str(year), name=f'Tahun {year}', start=dt.date(year, 1, 1),\n"
        "                          end=dt.date(year, 12, 31))\n"
        f"Service.objects.create(unit=Unit.objects.get(code='{UNIT}'), name='Surat keterangan domisili', order=1)\n"
        "User.objects.create_user('operator-bench', password='kata-sandi-bench-1', role='operator')\n"
    )
    subprocess.run([python, "manage.py", "shell", "-c", setup], capture_output=True, **run)  # type: ignore[call-overload]
    with psycopg.connect(f"{PG_URL}/{database}", autocommit=True) as conn:
        unit, service = conn.execute(
            "SELECT u.id, s.id FROM units_unit u JOIN units_service s ON s.unit_id = u.id WHERE u.code = %s", [UNIT]
        ).fetchone()  # type: ignore[misc]
        operator = conn.execute("SELECT id FROM accounts_user WHERE username = 'operator-bench'").fetchone()[0]  # type: ignore[index]
        for start, rows in (("2023-01-02 00:00+08", history), ("2024-01-02 00:00+08", size)):
            started = time.perf_counter()
            conn.execute(GENERATE, {"unit": unit, "service": service, "size": rows, "start": start,  # type: ignore[arg-type]
                                    "operator": operator})
            print(f"  {rows} responses from {start[:10]} inserted in {time.perf_counter() - started:.1f} s", flush=True)
        conn.execute(INJECT, {"unit": unit, "service": service, "operator": operator})  # type: ignore[arg-type]
        conn.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="responses of the unit in the scanned year")
    parser.add_argument("--history", type=int, default=20_000, help="responses of the unit in the year before")
    parser.add_argument("--database", default="sd_bench_integrity")
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run (no loading)")
    args = parser.parse_args()
    if not args.keep:
        print(f"preparing PostgreSQL database {args.database}: {args.size} + {args.history} responses, ANALYZE ...")
        prepare(args.database, args.size, args.history)
    done = subprocess.run(
        [str(BIN / "python"), "-c", CHILD, UNIT], cwd=ROOT, env=env(args.database), capture_output=True, text=True
    )
    if done.returncode != 0:
        print(done.stderr)
        sys.exit(1)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{'step':52} {'wall s':>8} {'CPU s':>8}")
    print(f"{'operator request: queue_scan (enqueue one task)':52} {result['enqueue']['seconds']:8.3f} "
          f"{result['enqueue']['cpu']:8.3f}")
    for label, text in (("first_scan", "background task, first scan (flags stored)"),
                        ("rescan", "background task, re-scan (nothing new)")):
        step = result[label]
        print(f"{text:52} {step['seconds']:8.2f} {step['cpu']:8.2f}  {step['status']} {step['summary']}")
    print(f"flags stored: {result['flags']}; worker process peak memory {result['peak_mb']:.0f} MB; "
          f"machine load average {os.getloadavg()[0]:.1f} (other work slows wall time; CPU seconds are this "
          "process's only, PostgreSQL's own are not in them)")


if __name__ == "__main__":
    sys.exit(main())
