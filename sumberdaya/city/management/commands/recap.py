"""`sumberdaya recap --period SLUG [--format json|csv] [--weight 0.111|exact] [--source system]
[--instrument skm|spkp|spak]`.

The city recap, unrounded. SKM numbers come from `results.service.period_results(...).as_dict()` (every
source: system responses and imported results, each unit with `source` and `flags`), SPKP/SPAK numbers
from `perception_recap(...)`: the same results every page and report shows.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sumberdaya.core.spreadsheet import safe_cell
from sumberdaya.results.service import SYSTEM, period_results
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import Weight
from sumberdaya.surveys import funnel
from sumberdaya.surveys.models import Period

UNIT_COLUMNS = (
    "code", "name", "kind", "group", "source", "flags", "respondents", *(e.key for e in ELEMENTS), "ikm", "mutu",
    "kinerja", "stated_ikm", "stated_mutu",
)
CSV_COLUMNS = ("level", *UNIT_COLUMNS, "units", "mean_ikm", "period", "weight")


def recap_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The recap as flat rows: every unit, then every group, then the city (column `level`)."""
    common = {"period": data["period"], "weight": data["weight"]}
    rows = [{"level": "unit", **unit, "flags": " ".join(unit["flags"]), **common} for unit in data["units"]]
    rows += [{"level": "group", **group, **common} for group in data["groups"]]
    rows.append({"level": "city", "name": settings.SKM_CITY_NAME, **data["city"], **common})
    return rows


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # dot decimal, every digit
    return safe_cell(value)


class Command(BaseCommand):
    help = "Rekap IKM kota untuk satu periode: tiap unit, tiap kelompok dan kota (JSON atau CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="kode periode, misalnya 2024")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("--weight", choices=("0.111", "exact"), help="bobot unsur (bawaan: pengaturan)")
        parser.add_argument(
            "--source", choices=(SYSTEM,),
            help="system: hanya respons di sistem (tanpa hasil impor); bawaan: semua sumber",
        )
        parser.add_argument(
            "--instrument", choices=("skm", "spkp", "spak"), default="skm",
            help="instrumen: SKM (bawaan) atau survei persepsi SPKP/SPAK",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = Period.objects.filter(slug__iexact=options["period"].strip()).first()
        if period is None:
            known = ", ".join(Period.objects.order_by("start").values_list("slug", flat=True)) or "belum ada"
            self.stderr.write(f"Periode '{options['period']}' tidak ada (periode yang ada: {known}).")
            raise SystemExit(1)
        instrument = options["instrument"]
        if instrument == "skm":
            weight = Weight.parse(options["weight"]) if options["weight"] else None
            data = period_results(period, weight, source=options["source"]).as_dict()
            funnel.add_to_recap(data["units"], period)  # served, invitations_issued/_answered, verified
            columns, rows = CSV_COLUMNS, recap_rows
        else:
            from sumberdaya.perception.recap import perception_csv_columns, perception_recap, perception_recap_rows

            data = perception_recap(period, instrument)
            columns, rows = perception_csv_columns(instrument), perception_recap_rows
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows(data):
            writer.writerow({key: _csv_value(value) for key, value in row.items()})
