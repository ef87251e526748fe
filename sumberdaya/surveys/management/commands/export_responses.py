"""`sumberdaya export-responses --period SLUG --format csv [--unit CODE]`: one row per response, for analysts.

Header (exact): id,unit,submitted_at,channel,service,u1..u9,sex,age,education,occupation,comment,status,flagged,
flag_reasons. Every response of the SKM instrument dated in the period's window (valid and excluded; `status`
says which), oldest first; `flag_reasons` the integrity rules' reasons (`surveys.integrity`) and the submission
flags, separated by "; ". Streamed row by row (never the whole file in memory); text cells formula-safe
(`core.spreadsheet.safe_cell`).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sumberdaya.core.spreadsheet import safe_cell
from sumberdaya.surveys.models import ANSWER_COLUMNS, IntegrityFlag, Period, Response
from sumberdaya.units.models import Unit

HEADER = (
    "id", "unit", "submitted_at", "channel", "service", *(f"u{i}" for i in range(1, 10)),
    "sex", "age", "education", "occupation", "comment", "status", "flagged", "flag_reasons",
)
CHUNK = 2000


class Command(BaseCommand):
    help = "Tulis semua respons suatu periode sebagai CSV (satu baris per respons) untuk analis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="kode periode, misalnya 2024")
        parser.add_argument("--format", default="csv", choices=["csv"])
        parser.add_argument("--unit", help="kode unit (bawaan: semua unit)")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        period = Period.objects.filter(slug=options["period"]).first()
        if period is None:
            self._fail(f"Periode '{options['period']}' tidak ditemukan.")
        begin, end = period.bounds()
        responses = Response.objects.filter(
            instrument=Response.Instrument.SKM, submitted_at__gte=begin, submitted_at__lt=end
        )
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                self._fail(f"Unit '{options['unit']}' tidak ditemukan.")
            responses = responses.filter(unit=unit)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        columns = (
            "id", "unit__code", "submitted_at", "channel", "service__name", *ANSWER_COLUMNS, "sex", "age",
            "education", "occupation", "comment", "status", "flagged", "flag_reason",
        )
        batch: list[tuple[Any, ...]] = []
        for values in responses.order_by("submitted_at", "id").values_list(*columns).iterator(chunk_size=CHUNK):
            batch.append(values)
            if len(batch) >= CHUNK:
                self._write(writer, batch)
                batch = []
        self._write(writer, batch)

    def _write(self, writer: Any, batch: list[tuple[Any, ...]]) -> None:
        """One chunk: the integrity reasons of its responses in one query, then its rows."""
        if not batch:
            return
        details: dict[int, list[str]] = defaultdict(list)
        for response_id, detail in IntegrityFlag.objects.filter(
            response_id__in=[v[0] for v in batch]
        ).order_by("response_id", "rule").values_list("response_id", "detail"):
            details[response_id].append(detail)
        for values in batch:
            (pk, unit, submitted, channel, service, *rest) = values
            answers = rest[:9]
            sex, age, education, occupation, comment, status, flagged, reason = rest[9:]
            reasons = details.get(pk) or ([reason] if reason else [])
            writer.writerow([
                pk, safe_cell(unit), timezone.localtime(submitted).isoformat(), channel, safe_cell(service or ""),
                *("" if a is None else a for a in answers),
                sex, "" if age is None else age, education, occupation, safe_cell(comment),
                status, "true" if flagged else "false", safe_cell("; ".join(reasons)),
            ])
