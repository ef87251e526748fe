"""Unit report benchmark: time building and rendering one unit's report in PDF, Word and Excel.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/report_unit.py [--unit CODE] [--period 2026]

Uses the database in DATABASE_URL (load it first with `sumberdaya demo`); by default the unit with the
most responses. Prints seconds per format (data collection included) and the file sizes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unit", default="")
    parser.add_argument("--period", default="2026")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count

    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data
    from sumberdaya.surveys.models import Period
    from sumberdaya.units.models import Unit

    period = Period.objects.get(slug=args.period)
    units = Unit.objects.annotate(n=Count("responses")).order_by("-n")
    unit = units.get(code=args.unit) if args.unit else units.first()
    assert unit is not None
    print(f"unit {unit.code} ({unit.n} responses), period {period.slug}")
    for fmt in ("pdf", "docx", "xlsx"):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            content = render(report_data(unit, period), fmt)
            times.append(time.perf_counter() - started)
        print(f"{fmt:5} first {times[0]:.2f} s, best {min(times):.2f} s, {len(content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
