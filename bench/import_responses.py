"""Import benchmark: time `sumberdaya import-responses` on a generated file of N rows.

    .venv/bin/python bench/import_responses.py [--rows 100000] [--databases sqlite,postgres]

Writes var/bench/responses-N.csv (the CLI contract's columns), then for each database migrates a fresh
one (var/bench/import.sqlite3, PostgreSQL `sd_bench_import`), loads the units and times the command.
Target: 100 000 rows well under a minute.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "sd_bench_import"


def contract_columns() -> list[str]:
    """The header of `sumberdaya import-responses`, as the importer defines it."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
    django.setup()
    from sumberdaya.surveys.importing import CONTRACT_COLUMNS

    return list(CONTRACT_COLUMNS)


def write_file(rows: int) -> Path:
    path = BENCH / f"responses-{rows}.csv"
    BENCH.mkdir(parents=True, exist_ok=True)
    with (ROOT / "sumberdaya" / "data" / "units-banjarmasin.csv").open(encoding="utf-8") as units:
        codes = [row["code"] for row in csv.DictReader(units)]
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(contract_columns())
        for _ in range(rows):
            day = dt.datetime(2024, 1, 1, 8) + dt.timedelta(days=rng.randrange(360), minutes=rng.randrange(480))
            answers = [rng.choice(("2", "3", "3", "4", "4", "")) for _ in range(9)]
            answers[0] = rng.choice(("3", "4"))
            writer.writerow(
                [
                    rng.choice(codes),
                    day.strftime("%Y-%m-%d %H:%M"),
                    "",
                    rng.choice(("online", "paper", "kiosk")),
                    *answers,
                    rng.choice("LP"),
                    rng.randint(17, 70),
                    rng.choice(("SMA", "S1/D4", "SMP")),
                    rng.choice(("Swasta", "PNS", "Wirausaha")),
                    rng.choice(("", "", "", "Pelayanan cepat, terima kasih.")),
                ]
            )
    return path


def prepare(database: str) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="sumberdaya.settings")
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
    else:
        for stale in BENCH.glob("import.sqlite3*"):
            stale.unlink()
        env["DATABASE_URL"] = f"sqlite:///{BENCH / 'import.sqlite3'}"
    cli = str(Path(sys.executable).parent / "sumberdaya")
    subprocess.run([cli, "migrate", "-v0"], env=env, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    units = ROOT / "sumberdaya" / "data" / "units-banjarmasin.csv"
    subprocess.run(
        [cli, "import-units", str(units)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    path = write_file(args.rows)
    cli = str(Path(sys.executable).parent / "sumberdaya")
    print(f"{'database':<9} {'rows':>9} {'seconds':>8} {'rows/s':>9}")
    for database in args.databases.split(","):
        env = prepare(database)
        started = time.perf_counter()
        subprocess.run(
            [cli, "import-responses", str(path)],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
        print(f"{database:<9} {args.rows:>9,} {seconds:>8.1f} {args.rows / seconds:>9,.0f}")


if __name__ == "__main__":
    main()
