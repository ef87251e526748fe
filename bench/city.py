"""City recap, publication, public pages and city report: timings on the demo data, and agreement with `recap`.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/city.py [--period 2025]

Uses the database in DATABASE_URL (load it first with `sumberdaya demo`). Publishes the period (a new live
publication replaces the previous one), prints seconds per step and checks that the recap page's, the
publication's and the report's city and unit figures equal `sumberdaya recap`'s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")


def timed(label: str, action, repeat: int = 1):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    print(f"{label:38} first {times[0]:6.2f} s, best {min(times):6.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2025")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sumberdaya.accounts.models import User
    from sumberdaya.city.publication import publish
    from sumberdaya.city.report import render_city_report
    from sumberdaya.results.service import display, period_results
    from sumberdaya.surveys.models import Period

    setup_test_environment()
    period = Period.objects.get(slug=args.period)
    admin = User.objects.filter(role="admin").first()
    client = Client()
    client.force_login(admin)  # type: ignore[arg-type]

    results = timed("period_results", lambda: period_results(period), 3)
    timed("recap page /kota/", lambda: client.get(f"/kota/?periode={period.slug}"), 3)
    timed("monitoring page", lambda: client.get(f"/kota/pemantauan/?periode={period.slug}"), 3)
    publication = timed("publish (snapshot + intervals)", lambda: publish(period, admin))
    anonymous = Client()
    timed("public overview /hasil/", lambda: anonymous.get(f"/hasil/{period.slug}/"), 3)
    code = results.with_result[0].unit.code
    timed("public unit page (with chart)", lambda: anonymous.get(f"/hasil/{period.slug}/{code}/"), 3)
    timed("API results", lambda: anonymous.get(f"/api/v1/results/{period.slug}/"), 3)
    for fmt in ("pdf", "docx", "xlsx"):
        content = timed(f"city report {fmt}", lambda fmt=fmt: render_city_report(period, fmt))  # type: ignore[misc]
        print(f"{'':38} {len(content) / 1024:.0f} KiB")

    out = io.StringIO()
    call_command("recap", "--period", period.slug, stdout=out)
    recap = json.loads(out.getvalue())
    expected_city = display(recap["city"]["mean_ikm"]) if recap["city"]["mean_ikm"] is not None else None
    expected_units = {u["code"]: display(u["ikm"]) if u["ikm"] is not None else None for u in recap["units"]}
    ours = {r.unit.code: display(r.ikm) for r in results.with_result}
    published = {u["code"]: u["ikm"] for u in publication.snapshot["units"] if u["ikm"] is not None}
    same_units = all(expected_units.get(code) == value for code, value in ours.items())
    frozen = publication.snapshot["city"]["ikm"]
    print(f"city IKM: recap {expected_city}, page {display(results.city.value)}, published {frozen}")
    print(f"units with a result: {len(ours)}; equal to recap: {same_units}; published equal: {published == ours}")


if __name__ == "__main__":
    main()
