"""Export memory benchmark: each export of responses over 1 000 000 responses, its peak memory and time.

    .venv/bin/python bench/export.py [--size 1000000] [--report-rows 20000] [--database sd_bench_export] [--keep]

Builds a fresh PostgreSQL database (`--database` on PG_URL, default postgres://postgres@127.0.0.1:5432), migrates
it, loads the 156 packaged units and period 2024, then `--size` responses of one unit inside 2024 with
generate_series (one INSERT … SELECT; the tally triggers run for every row; every 50th with a comment, some of
them formula-like text), and runs ANALYZE. Each export then runs in a fresh Python process that signs in as the
city admin, asks for the page through Django's test client and reads the answer to the end (writing it
nowhere), and prints its peak resident memory (resource.getrusage ru_maxrss), the memory of the same process
before the export (Django loaded), the seconds and the bytes. Target: every export of the 1 000 000
responses under 200 MB.

The unit report's Excel file (`/laporan/…`, its "Data mentah" sheet lists every valid answer) is saved in
openpyxl's write-only mode with the raw sheet streamed: it is measured on a second unit with `--report-rows`
answers (bench/report_unit.py --grow N --memory measures how it grows).
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
BIN = Path(sys.executable).parent  # the virtualenv running this script (python, gunicorn)
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
YEAR = 2024
BIG, SMALL = "kelurahan-mawar", "kelurahan-melayu"
TARGET_MB = 200

GENERATE = """
INSERT INTO surveys_response (instrument, unit_id, service_id, submitted_at, channel, scale, a1, a2, a3, a4, a5,
    a6, a7, a8, a9, sex, age, education, occupation, occupation_other, comment, comment_kind, status,
    excluded_reason, flagged, flag_reason, client, created_at, demo)
SELECT 'skm', %(unit)s, %(service)s,
    timestamptz '2024-01-01 00:00+08' + (n * (interval '365 days' / %(size)s)),
    CASE WHEN n %% 7 = 0 THEN 'paper' ELSE 'online' END, 4,
    1 + (n * 7) %% 4, 1 + (n * 11) %% 4, 1 + (n * 13) %% 4, 1 + n %% 4, 1 + (n * 3) %% 4,
    1 + (n * 5) %% 4, 1 + (n * 17) %% 4, 1 + (n * 19) %% 4, 1 + (n * 23) %% 4,
    CASE WHEN n %% 2 = 0 THEN 'L' ELSE 'P' END, 17 + n %% 60, 'SMA', 'Swasta', '',
    CASE WHEN n %% 500 = 0 THEN '=HYPERLINK("http://contoh.invalid","klik")'
         WHEN n %% 50 = 0 THEN 'Ruang tunggu perlu diperluas, antrean di loket dua lama sekali.' ELSE '' END,
    CASE WHEN n %% 50 = 0 THEN 'saran' ELSE '' END,
    CASE WHEN n %% 100 = 0 THEN 'excluded' ELSE 'valid' END, '', false, '', '', now(), false
FROM generate_series(1, %(size)s) AS n
"""

# Each export: (label, path, rows it holds)
EXPORTS = [
    ("unit responses, CSV (streamed)", f"/unit/{BIG}/respons/unduh.csv?periode={YEAR}", "size"),
    ("unit responses, Excel (write-only, temp file)", f"/unit/{BIG}/respons/unduh.xlsx?periode={YEAR}", "size"),
    ("city responses, CSV (streamed)", f"/kota/respons.csv?periode={YEAR}", "valid"),
    ("city responses, Excel (write-only, temp file)", f"/kota/respons.xlsx?periode={YEAR}", "valid"),
    ("open data recap, CSV (/hasil/…/rekap.csv)", f"/hasil/{YEAR}/rekap.csv", "units"),
    ("city perception recap, Excel (/zi/…)", None, "units"),
    ("unit report, Excel (raw sheet streamed)", None, "report"),
]

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from django.test import Client
from django.urls import reverse
from sumberdaya.accounts.models import User

path = sys.argv[1]
admin = User.objects.get(username="admin-bench")
client = Client()
client.force_login(admin)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
if path.startswith("report:"):
    from sumberdaya.reports.render import unit_xlsx
    from sumberdaya.reports.unit import report_data
    from sumberdaya.surveys.models import Period
    from sumberdaya.units.models import Unit
    body = unit_xlsx(report_data(Unit.objects.get(code=path[7:]), Period.objects.get(slug="2024")))
    size, status = len(body), 200
elif path.startswith("perception:"):
    from sumberdaya.perception.exports import city_workbook, xlsx_response
    from sumberdaya.surveys.models import Period
    reply = xlsx_response(city_workbook(Period.objects.get(slug="2024")), "zi.xlsx")
    size, status = len(reply.content), reply.status_code
else:
    reply = client.get(path)
    status = reply.status_code
    size = 0
    if reply.streaming:
        for chunk in reply.streaming_content:
            size += len(chunk)
    else:
        size = len(reply.content)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"status": status, "bytes": size, "seconds": seconds, "before_mb": before, "peak_mb": peak}))
"""


def env(database: str) -> dict[str, str]:
    return django_env(database, ALLOWED_HOSTS="testserver")


def prepare(database: str, size: int, report_rows: int) -> None:
    import psycopg

    run = fresh_database(database, env(database))
    python = str(BIN / "python")
    setup = (
        "import datetime as dt\n"
        "from sumberdaya.accounts.models import User\n"
        "from sumberdaya.surveys.models import Period\n"
        "from sumberdaya.units.models import Service, Unit\n"
        f"Period.objects.create(slug='{YEAR}', name='Tahun {YEAR}', start=dt.date({YEAR}, 1, 1), "
        f"end=dt.date({YEAR}, 12, 31))\n"
        f"for code in ('{BIG}', '{SMALL}'):\n"
        "    Service.objects.create(unit=Unit.objects.get(code=code), name='Surat keterangan domisili', order=1)\n"
        "User.objects.create_user('admin-bench', password='kata-sandi-bench-1', role='admin')\n"
    )
    subprocess.run([python, "manage.py", "shell", "-c", setup], capture_output=True, **run)  # type: ignore[call-overload]
    with psycopg.connect(f"{PG_URL}/{database}", autocommit=True) as conn:
        for code, rows in ((BIG, size), (SMALL, report_rows)):
            unit, service = conn.execute(
                "SELECT u.id, s.id FROM units_unit u JOIN units_service s ON s.unit_id = u.id WHERE u.code = %s",
                [code],
            ).fetchone()  # type: ignore[misc]
            started = time.perf_counter()
            conn.execute(GENERATE, {"unit": unit, "service": service, "size": rows})  # type: ignore[arg-type]
            print(f"  {rows} responses of {code} inserted in {time.perf_counter() - started:.1f} s", flush=True)
        conn.execute("ANALYZE")
    publish = [python, "manage.py", "publish-results", "--period", str(YEAR)]
    subprocess.run(publish, capture_output=True, **run)  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="responses of the exported unit")
    parser.add_argument("--report-rows", type=int, default=20_000, help="answers of the unit whose report is built")
    parser.add_argument("--database", default="sd_bench_export")
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run (no loading)")
    parser.add_argument(
        "--skip", default="", help="texts separated by ; : exports whose label holds one are left out (e.g. city)"
    )
    args = parser.parse_args()
    if not args.keep:
        print(f"preparing PostgreSQL database {args.database} with {args.size} responses (then ANALYZE) ...")
        prepare(args.database, args.size, args.report_rows)
    python = str(BIN / "python")
    valid = args.size - args.size // 100 + args.report_rows - args.report_rows // 100
    print(f"{'export':48} {'rows':>9} {'peak MB':>8} {'before':>7} {'seconds':>8} {'MB out':>8}  target")
    skipped = [word for word in args.skip.split(";") if word]
    for label, path, holds in EXPORTS:
        if any(word in label for word in skipped):
            continue
        if path is None:
            path = f"report:{SMALL}" if holds == "report" else "perception:city"
        done = subprocess.run(
            [python, "-c", CHILD, path], cwd=ROOT, env=env(args.database), capture_output=True, text=True
        )
        if done.returncode != 0:
            print(f"{label:48} FAILED: {done.stderr.strip().splitlines()[-1:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows = {"size": args.size, "valid": valid, "units": 156, "report": args.report_rows}[holds]
        if holds == "report":
            verdict = f"({args.report_rows} answers of a second unit)"
        elif holds == "units":
            verdict = "(per unit, not per answer)"
        else:
            verdict = f"< {TARGET_MB} MB {'OK' if result['peak_mb'] < TARGET_MB else 'MISSED'}"
        if result["status"] != 200:
            verdict = f"HTTP {result['status']}"
        print(
            f"{label:48} {rows:9} {result['peak_mb']:8.0f} {result['before_mb']:7.0f} {result['seconds']:8.1f} "
            f"{result['bytes'] / 1e6:8.1f}  {verdict}",
            flush=True,
        )
    print(f"machine load average: {os.getloadavg()[0]:.1f} (other work on the machine slows the figures)")


if __name__ == "__main__":
    sys.exit(main())
