"""Unit dashboard benchmark: one unit with N responses (default 1 000 000) in PostgreSQL, then its dashboard.

    .venv/bin/python bench/dashboard.py [--size 1000000] [--runs 9] [--keep] [--json]

Loads the 156 packaged units and gives every response to one kelurahan (the COPY generator of
bench/recap.py, with profile answers), into a fresh database `sd_dashboard` (PG_URL, default
postgres://postgres@127.0.0.1:5432), then VACUUM ANALYZE. Times, in a new connection each time (cold: no
cached plan, no warm session), `unit_dashboard()` as the dashboard page calls it, and its breakdowns alone
from the kept breakdown tallies; the reference in the same run is the same breakdowns counted from the
responses (six GROUP BYs over the unit's rows, what the dashboard did before).
Target (issue 18): the unit dashboard at 1 M responses of one unit under 50 ms cold.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "sd_dashboard"
TARGET_MS = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="reuse the database loaded by the last run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG_URL}/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
    import recap  # bench/recap.py: database set-up and the COPY generator

    recap.PG_DB = PG_DB
    if not args.keep:
        recap._recreate_postgres()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sumberdaya.dashboards.dashboard import _rows, unit_dashboard
    from sumberdaya.results.breakdowns import DIMENSIONS, unit_breakdowns
    from sumberdaya.results.tallies import default_weight, tallies_by, valid_responses
    from sumberdaya.surveys.models import Period
    from sumberdaya.surveys.profile import with_age_band
    from sumberdaya.units.importing import load_packaged_units
    from sumberdaya.units.models import Unit

    if not args.keep:
        call_command("migrate", verbosity=0)
        load_packaged_units()
        Period.from_slug(str(recap.YEAR)).save()
        unit = Unit.objects.filter(kind="kelurahan").order_by("order").first()
        assert unit is not None
        started = time.perf_counter()
        _load(connection, recap, unit.pk, args.size)
        with connection.cursor() as cursor:
            for table in ("surveys_response", "results_responsetally", "results_breakdowntally"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"loaded {args.size:,} responses for one unit in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    unit = Unit.objects.filter(kind="kelurahan").order_by("order").first()
    assert unit is not None
    period = Period.objects.get(slug=str(recap.YEAR))
    weight = default_weight()

    def raw_breakdowns() -> object:
        responses = with_age_band(valid_responses(period).filter(unit=unit))
        return [_rows(tallies_by(responses, key), {}, weight) for key in DIMENSIONS]

    cold = {
        "dashboard_ms": _cold(lambda: unit_dashboard(unit, period), connection, args.runs),
        "breakdowns_ms": _cold(lambda: unit_breakdowns(unit, period), connection, args.runs),
        "raw_breakdowns_ms": _cold(raw_breakdowns, connection, max(3, args.runs // 3)),
    }
    figures: dict[str, Any] = {"database": "postgres", "responses": args.size, "target_ms": TARGET_MS}
    for name, times in cold.items():
        figures[name] = round(statistics.median(times) * 1000, 1)
        figures[name.replace("_ms", "_worst_ms")] = round(max(times) * 1000, 1)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{'what (cold, new connection each run)':<44} {'median ms':>10} {'worst ms':>9}")
    for name, label in (
        ("dashboard_ms", "unit_dashboard() (kept tallies)"),
        ("breakdowns_ms", "its breakdowns, kept tallies"),
        ("raw_breakdowns_ms", "reference: breakdowns from the responses"),
    ):
        print(f"{label:<44} {figures[name]:>10.1f} {figures[name.replace('_ms', '_worst_ms')]:>9.1f}")
    print(f"responses of the unit: {args.size:,}; target: unit dashboard under {TARGET_MS} ms cold")


def _cold(action: Callable[[], object], connection: Any, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        connection.close()
        connection.ensure_connection()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def _load(connection: Any, recap: Any, unit_id: int, size: int) -> None:
    """bench/recap.py's COPY, every row for one unit, then profile answers spread over the rows."""
    recap._load_postgres(connection, [unit_id], size)
    with connection.cursor() as cursor:
        # The profile columns through one UPDATE, so the triggers move each row into its breakdowns as the
        # form would have put it there.
        cursor.execute(
            "UPDATE surveys_response SET sex = (ARRAY['L','P',''])[1 + id % 3], age = 18 + (id * 7) % 60, "
            "education = (ARRAY['SD','SMP','SMA','D1-D3','S1/D4',''])[1 + id % 6], "
            "occupation = (ARRAY['PNS','Swasta','Wirausaha','TNI','Lainnya',''])[1 + id % 6], "
            "channel = (ARRAY['online','kiosk','paper'])[1 + id % 3]"
        )


if __name__ == "__main__":
    main()
