"""Report benchmark: how long each report takes to build, and how fast the page that asks for it answers.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/reports.py [--period 2026] [--unit CODE]

Uses the database in DATABASE_URL (load it first with `sumberdaya demo`). For the city report (its PDF twice: the
first build in a fresh process also starts the chart renderer) and one unit's report (by default the unit
with the most responses) in PDF, Word and Excel it prints the wall and CPU seconds to build
(data, blocks and file, as the worker does), the size and, for PDFs, the pages (pdfinfo, when installed);
for the PDFs also the CPU seconds of the processes that lay their parts out, and the same PDF laid out in
one piece (`pdf-1`) as the reference.
Then it times the city report page's answer while the file is queued (the request only fingerprints and
queues: target < 300 ms). Target: city report PDF under 5 s on the demo data.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")


def pages(content: bytes) -> str:
    if not shutil.which("pdfinfo"):
        return ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="")
    parser.add_argument("--unit", default="")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sumberdaya.accounts.models import User
    from sumberdaya.city.report import render_city_report
    from sumberdaya.reports.models import GeneratedFile
    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data
    from sumberdaya.surveys.models import Period
    from sumberdaya.units.models import Unit

    period = (
        Period.objects.get(slug=args.period)
        if args.period
        else Period.objects.filter(slug__regex=r"^\d{4}$").order_by("-start").first()
    )
    assert period is not None, "no annual period: load the demo data first"
    units = Unit.objects.annotate(n=Count("responses")).order_by("-n")
    unit = units.get(code=args.unit) if args.unit else units.first()
    assert unit is not None
    print(f"period {period.slug}; unit {unit.code}")
    # Wall seconds, and the CPU seconds beside them: this process's, and for a PDF laid out in parallel
    # (reports/pdf.py) the worker processes' (their sum, and each part's). On a shared machine the wall
    # time mostly says how busy the other processes were; the CPU time is what the build itself costs.
    # `pdf-1` is the same PDF laid out in one piece (SKM_PDF_WORKERS=1), the reference in the same run.
    from django.conf import settings

    from sumberdaya.reports import pdf as parallel_pdf

    def measure(label: str, fmt: str, build: object) -> None:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, cpu = time.perf_counter(), time.process_time()
        content = build()  # type: ignore[operator]
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        extra = f", {pages(content)} pages" if fmt.startswith("pdf") else ""
        print(
            f"{label} {fmt:5} {seconds:6.2f} s (cpu {cpu:5.2f} s + workers {workers:5.2f} s)"
            f"  {len(content) / 1024:7.0f} KiB{extra}"
        )
        stats = parallel_pdf.last_stats
        if fmt.startswith("pdf") and stats.parallel:
            print(
                f"    {stats.parts} parts on {stats.processes} processes, cpu per part: "
                + ", ".join(f"{c:.2f}" for c in stats.worker_cpu)
            )

    for fmt in ("pdf", "pdf", "pdf-1", "docx", "xlsx"):
        settings.SKM_PDF_WORKERS = 1 if fmt == "pdf-1" else None
        kind = fmt.removesuffix("-1")
        measure("city report", fmt, lambda kind=kind: render_city_report(period, kind))  # type: ignore[misc]
    for fmt in ("pdf", "pdf-1", "docx", "xlsx"):
        settings.SKM_PDF_WORKERS = 1 if fmt == "pdf-1" else None
        kind = fmt.removesuffix("-1")
        measure("unit report", fmt, lambda kind=kind: render(report_data(unit, period), kind))  # type: ignore[misc]
    settings.SKM_PDF_WORKERS = None

    # The page's answer: fingerprint + queue (the worker is not running here, so the file stays queued).
    setup_test_environment()
    admin = User.objects.filter(role="admin").first()
    assert admin is not None
    client = Client()
    client.force_login(admin)
    GeneratedFile.objects.filter(kind="city", period=period).delete()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(f"/kota/laporan/{period.slug}.pdf", HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(f"city report page (queued file)  first {times[0] * 1000:5.0f} ms, best {min(times) * 1000:5.0f} ms")
    GeneratedFile.objects.filter(kind="city", period=period).delete()


if __name__ == "__main__":
    main()
