"""Unit report benchmark: time building and rendering one unit's report in PDF, Word and Excel.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/report_unit.py [--unit CODE] [--period 2026]
    ... bench/report_unit.py --grow 100000 --memory     # on a scratch copy of the database

Uses the database in DATABASE_URL (load it first with `sumberdaya demo`); by default the unit with the
most responses. Prints seconds per format (data collection included) and the file sizes.

`--grow N` first adds copies of the unit's valid responses of the period (dates spread over the period)
until it has N: it writes into the database, so use a copy. `--memory` then measures the Excel file
only, as the worker builds it: the peak of Python's allocations during the build (tracemalloc; not with
`--rss-only`, which is several times faster) and how much the process's peak resident memory grew
(ru_maxrss). The raw answers sheet ("Data mentah") is streamed in write-only mode: the peak grows with the
unit's responses only where that sheet is held in memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")


def grow(unit: object, period: object, target: int) -> None:
    """Copies of the unit's valid responses of the period until it has `target` of them."""
    import datetime as dt

    from sumberdaya.results.tallies import valid_responses
    from sumberdaya.surveys.models import Response

    existing = list(valid_responses(period).filter(unit=unit).order_by("pk"))  # type: ignore[arg-type]
    have = len(existing)
    assert existing, "the unit has no responses to copy"
    span = (period.end - period.start).days or 1  # type: ignore[attr-defined]
    batch: list[Response] = []
    for n in range(max(0, target - have)):
        copy = existing[n % len(existing)]
        copy.pk = None
        copy.submitted_at = copy.submitted_at.replace(
            year=period.start.year,
            month=1,
            day=1,  # type: ignore[attr-defined]
        ) + dt.timedelta(days=n % span, minutes=n % 600)
        batch.append(Response(**{f.attname: getattr(copy, f.attname) for f in Response._meta.concrete_fields}))
        if len(batch) == 5000:
            Response.objects.bulk_create(batch)
            batch = []
    if batch:
        Response.objects.bulk_create(batch)
    print(f"grew from {have} to {valid_responses(period).filter(unit=unit).count()} responses")  # type: ignore[arg-type]


def memory(unit: object, period: object, trace: bool = True) -> None:
    import tracemalloc

    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data

    data = report_data(unit, period)  # type: ignore[arg-type]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    content = render(data, "xlsx")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"xlsx {data.respondents} responses: {seconds:.1f} s "
        f"(cpu {cpu:.1f} s{', under tracemalloc' if trace else ''}), "
        f"{len(content) / 1024 / 1024:.1f} MiB; "
        + (f"peak Python allocations {peak / 1024 / 1024:.1f} MiB, " if trace else "")
        + f"peak RSS grew {(rss_after - rss_before) / 1024:.1f} MiB (to {rss_after / 1024:.0f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unit", default="")
    parser.add_argument("--period", default="2026")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--grow", type=int, default=0, help="add copies of responses up to N (scratch database)")
    parser.add_argument("--memory", action="store_true", help="measure the Excel file's peak memory only")
    parser.add_argument("--rss-only", action="store_true", help="with --memory: without tracemalloc (faster)")
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
    if args.grow:
        grow(unit, period, args.grow)
    if args.memory:
        memory(unit, period, trace=not args.rss_only)
        return
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
