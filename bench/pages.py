"""Staff page benchmark: 1 000 000 responses in PostgreSQL, then every staff page timed with the test client.

    .venv/bin/python bench/pages.py [--size 1000000] [--runs 7] [--keep]

Loads the 156 packaged units and `--size` responses (the COPY generator of bench/recap.py) into a fresh
PostgreSQL database `sd_pages` (PG_URL, default postgres://postgres@127.0.0.1:5432), adds comments, flags,
populations and 100 000 audit events, then requests each page `--runs` times as the role that uses it.
Prints, per page, the first (cold) request and the median and worst of the rest, in milliseconds.
Target: every page under 300 ms. `--keep` reuses the loaded database on the next run.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "sd_pages"
TARGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse the database if it is already loaded")
    args = parser.parse_args()

    fresh = not (args.keep and _database_exists())
    if fresh:
        _recreate()
    os.environ["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
    import django

    django.setup()
    if fresh:
        started = time.perf_counter()
        _load(args.size)
        print(f"loaded {args.size:,} responses in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    _time_pages(args.runs)


def _database_exists() -> bool:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone() is not None


def _recreate() -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DB}")


def _load(size: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench.recap import YEAR, _load_postgres
    from sumberdaya.accounts.models import AuditEvent, User
    from sumberdaya.surveys.models import Period, UnitPeriod
    from sumberdaya.units.importing import load_packaged_units
    from sumberdaya.units.models import Service, Unit

    call_command("migrate", verbosity=0)
    load_packaged_units()
    for year in (YEAR - 1, YEAR):
        Period.from_slug(str(year)).save()
    units = list(Unit.objects.all())
    for unit in units:
        Service.objects.get_or_create(unit=unit, name="Layanan umum")
    UnitPeriod.objects.bulk_create(
        [UnitPeriod(unit=u, period=p, population=1000 + u.pk * 37) for u in units for p in Period.objects.all()]
    )
    _load_postgres(connection, [u.pk for u in units], size)
    with connection.cursor() as cursor:
        # Some citizens leave a comment; the burst rule flags a few.
        cursor.execute(
            "UPDATE surveys_response SET comment = 'Antrean terlalu lama di loket pelayanan', "
            "comment_kind = 'keluhan' WHERE id % 40 = 0"
        )
        cursor.execute("UPDATE surveys_response SET flagged = true, flag_reason = 'Isian beruntun' WHERE id % 500 = 7")
        cursor.execute("UPDATE surveys_response SET sex = CASE WHEN id % 2 = 0 THEN 'L' ELSE 'P' END, "
                       "age = 18 + id % 50, education = 'SMA', occupation = 'Swasta'")
        cursor.execute("VACUUM ANALYZE surveys_response")
    admin = User.objects.create_user("admin-bench", password="kata-sandi-bench-1", role="admin")
    operator = User.objects.create_user("operator-bench", password="kata-sandi-bench-1", role="operator")
    operator.units.set([Unit.objects.get(code="kelurahan-mawar")])
    User.objects.create_user("pimpinan-bench", password="kata-sandi-bench-1", role="leadership")
    AuditEvent.objects.bulk_create(
        [AuditEvent(user=admin, username="admin-bench", action="response.exclude", object_type="surveys.Response",
                    object_id=str(i), object_repr=f"Respons {i}", unit=units[i % len(units)],
                    before={"status": "valid"}, after={"status": "excluded"}) for i in range(100_000)],
        batch_size=10_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time_pages(runs: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    from bench.recap import YEAR
    from sumberdaya.accounts.models import User
    from sumberdaya.surveys.models import Response

    code = "kelurahan-mawar"
    q = f"?periode={YEAR}"
    def recount_city() -> None:
        # The count expired, as it does once a minute; last year's IKMs (trend arrows) are still kept.
        from sumberdaya.surveys.models import Period

        period = Period.objects.get(slug=str(YEAR))
        cache.delete(f"dashboards:city:{period.pk}:{period.start}:{period.end}")

    def age_city_cache() -> None:
        # As if the last count were two minutes old: served at once while a thread recounts.
        from sumberdaya.dashboards import dashboard
        from sumberdaya.surveys.models import Period

        period = Period.objects.get(slug=str(YEAR))
        key = f"dashboards:city:{period.pk}:{period.start}:{period.end}"
        data = cache.get(key) or dashboard.city_rows(period)
        data = dataclasses.replace(data, computed_at=time.time() - 120)
        cache.set(key, data, 300)
        cache.delete(f"{key}:refreshing")
        time.sleep(1.5)  # let the previous run's background recount finish

    pages: list[tuple[str, str, str, Any]] = [
        # label, user, url, what to do before each run (None, "cold" = clear the cache, or a function)
        ("unit dashboard", "operator-bench", f"/dasbor/unit/{code}/{q}", None),
        ("unit dashboard (leadership)", "pimpinan-bench", f"/dasbor/unit/{code}/{q}", None),
        ("city dashboard, counted now", "admin-bench", f"/dasbor/kota/{q}", "cold"),
        ("city dashboard, recounted", "admin-bench", f"/dasbor/kota/{q}", recount_city),
        ("city dashboard, <1 min old", "admin-bench", f"/dasbor/kota/{q}&urut=-ikm", None),
        ("city dashboard, 2 min old", "admin-bench", f"/dasbor/kota/{q}&urut=nama", age_city_cache),
        ("city dashboard filtered", "pimpinan-bench", f"/dasbor/kota/{q}&kelompok=Kelurahan", None),
        ("my units", "operator-bench", "/dasbor/saya/", None),
        ("review list", "operator-bench", f"/unit/{code}/respons/{q}", None),
        ("review list, page 20", "operator-bench", f"/unit/{code}/respons/{q}&halaman=20", None),
        ("review list, flagged", "operator-bench", f"/unit/{code}/respons/{q}&tanda=1", None),
        ("comments inbox", "operator-bench", f"/unit/{code}/komentar/{q}", None),
        ("comments, not followed up", "operator-bench", f"/unit/{code}/komentar/{q}&tindak=belum", None),
        ("entry form", "operator-bench", f"/unit/{code}/entri/", None),
        ("import page", "operator-bench", f"/unit/{code}/impor/", None),
        ("audit log", "admin-bench", "/akun/audit/", None),
        ("audit log, action filter", "admin-bench", "/akun/audit/?tindakan=response.exclude", None),
        ("accounts", "admin-bench", "/akun/pengguna/", None),
        ("home (redirect)", "operator-bench", "/", None),
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"responses in the database: {Response.objects.count():,}; {os.cpu_count()} cores, load average {load}")
    print(f"{'page':<30} {'status':>6} {'cold ms':>8} {'median ms':>10} {'worst ms':>9}  ")
    slow = []
    clients: dict[str, Any] = {}
    for label, username, url, cold in pages:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        times = []
        status = 0
        for _ in range(runs):
            if cold == "cold":
                cache.clear()
            elif callable(cold):
                cold()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            status = response.status_code
        rest = times[1:] or times
        median = statistics.median(rest)
        flag = "" if median < TARGET_MS else "  OVER"
        if flag:
            slow.append(label)
        print(f"{label:<30} {status:>6} {times[0]:>8.0f} {median:>10.0f} {max(rest):>9.0f}{flag}")
    print(f"target {TARGET_MS} ms (median): " + ("all pages within" if not slow else f"over: {', '.join(slow)}"))


if __name__ == "__main__":
    # The loader lives next to this file; run from the project root.
    os.chdir(ROOT)
    main()
