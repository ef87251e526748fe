"""`sumberdaya report unit CODE --period SLUG --format pdf|docx|xlsx --output PATH` (and `report city ...`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

FORMAT_CHOICES = ("pdf", "docx", "xlsx")


class Command(BaseCommand):
    help = "Membuat laporan SKM unit atau kota dalam format PDF, Word atau Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="scope", required=True, metavar="{unit,city}")
        unit = sub.add_parser("unit", help="Laporan pelaksanaan SKM satu unit.")
        unit.add_argument("code", help="Kode unit, mis. kelurahan-mawar.")
        city = sub.add_parser("city", help="Laporan SKM kota.")
        for p in (unit, city):
            p.add_argument("--period", required=True, help="Kode periode, mis. 2026 atau 2026-TW1.")
            p.add_argument("--format", dest="fmt", choices=FORMAT_CHOICES, default="pdf")
            p.add_argument("--output", required=True, help="Berkas tujuan; '-' tidak didukung.")

    def handle(self, *args: Any, **options: Any) -> None:
        period = Period.objects.filter(slug=options["period"]).first()
        if period is None:
            raise CommandError(f"Periode '{options['period']}' tidak ditemukan.")
        fmt = options["fmt"]
        scope_unit = options["scope"] == "unit"
        content = self._unit(options["code"], period, fmt) if scope_unit else self._city(period, fmt)
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"Folder tujuan {output.parent} tidak ada.")
        output.write_bytes(content)
        self.stdout.write(f"Laporan ditulis ke {output} ({len(content):,} bita).".replace(",", "."))

    def _unit(self, code: str, period: Period, fmt: str) -> bytes:
        from sumberdaya.reports.render import render
        from sumberdaya.reports.unit import report_data

        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Unit dengan kode '{code}' tidak ditemukan.")
        return render(report_data(unit, period), fmt)

    def _city(self, period: Period, fmt: str) -> bytes:
        from sumberdaya.city.report import render_city_report

        return render_city_report(period, fmt)  # type: ignore[arg-type]
