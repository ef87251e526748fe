"""`sumberdaya monitor --period SLUG [--format json|csv]`: every unit's lateness for the period.

Each unit with `code`, `name`, `respondents`, `target` (the sample size, null without a population),
`report_status` (`none`, `submitted`, `accepted`, `returned`), `late_data` and `late_report`, decided by
`results.lateness.period_lateness` as on every page.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sumberdaya.core.spreadsheet import safe_cell
from sumberdaya.results.lateness import local_today, period_lateness
from sumberdaya.surveys.models import Period

COLUMNS = ("code", "name", "respondents", "target", "report_status", "late_data", "late_report")


class Command(BaseCommand):
    help = "Pemantauan satu periode: tiap unit dengan responden, target, status laporan dan keterlambatan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="kode periode, misalnya 2025")
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        period = Period.objects.filter(slug__iexact=options["period"].strip()).first()
        if period is None:
            known = ", ".join(Period.objects.order_by("start").values_list("slug", flat=True)) or "belum ada"
            self.stderr.write(f"Periode '{options['period']}' tidak ada (periode yang ada: {known}).")
            raise SystemExit(1)
        units = [row.as_dict() for row in period_lateness(period)]
        if options["format"] == "json":
            data = {
                "period": period.slug,
                "date": local_today().isoformat(),
                "input_deadline": period.input_deadline.isoformat() if period.input_deadline else None,
                "report_deadline": period.report_deadline.isoformat() if period.report_deadline else None,
                "units": units,
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for unit in units:
            writer.writerow({key: "" if value is None else safe_cell(value) for key, value in unit.items()})
