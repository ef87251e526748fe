"""Report benchmark: how long each report takes to build, and how fast the page that asks for it answers.

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/reports.py [--period 2026] [--unit CODE]

Uses the database in DATABASE_URL (load it first with `sumberdaya demo`). For the city report (its PDF twice: the
first build in a fresh process also starts the chart renderer) and one unit's report (by default the unit
with the most responses) in PDF, Word and Excel it prints the wall and CPU seconds to build
(data, blocks and file, as the worker does), the size and, for PDFs, the pages (pdfinfo, when installed).
Then it times the city report page's answer while the file is queued (the request only fingerprints and
queues: target < 300 ms). Target: city report PDF under 5 s on the demo data.
"""

from __future__ import annotations

import argparse
import os
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
    # Wall seconds, and this process's CPU seconds beside them: on a shared machine the wall time mostly
    # says how busy the other processes were; the CPU time is what the build itself costs.
    for fmt in ("pdf", "pdf", "docx", "xlsx"):
        started, cpu = time.perf_counter(), time.process_time()
        content = render_city_report(period, fmt)  # type: ignore[arg-type]
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        extra = f", {pages(content)} pages" if fmt == "pdf" else ""
        print(f"city report {fmt:5} {seconds:6.2f} s (cpu {cpu:5.2f} s)  {len(content) / 1024:7.0f} KiB{extra}")
    for fmt in ("pdf", "docx", "xlsx"):
        started, cpu = time.perf_counter(), time.process_time()
        content = render(report_data(unit, period), fmt)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        extra = f", {pages(content)} pages" if fmt == "pdf" else ""
        print(f"unit report {fmt:5} {seconds:6.2f} s (cpu {cpu:5.2f} s)  {len(content) / 1024:7.0f} KiB{extra}")

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
