"""`sumberdaya add-period SLUG [--start DATE --end DATE]`: a survey period, dates defaulting from the slug."""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from sumberdaya.surveys.models import Period


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Tanggal '{text}' tidak sah: tulis YYYY-MM-DD, misalnya 2024-06-01.")


class Command(BaseCommand):
    help = "Tambah periode survei: 2024, 2024-S1, 2024-TW3… (tanggal bawaan dari kodenya)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="kode periode, misalnya 2024, 2024-S2 atau 2024-TW1")
        parser.add_argument("--start", help="tanggal mulai (YYYY-MM-DD)")
        parser.add_argument("--end", help="tanggal selesai (YYYY-MM-DD)")
        parser.add_argument("--input-deadline", help="batas input data (YYYY-MM-DD)")
        parser.add_argument("--report-deadline", help="batas laporan (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dates = {
                key: _date(options[key]) if options.get(key) else None
                for key in ("start", "end", "input_deadline", "report_deadline")
            }
            period = Period.from_slug(options["slug"], dates["start"], dates["end"])
        except ValueError as error:
            self._fail(str(error))
        if period.end < period.start:
            self._fail(f"Tanggal selesai {period.end} sebelum tanggal mulai {period.start}.")
        existing = Period.objects.filter(slug=period.slug).first()
        if existing is not None:
            # Scripts may run this twice; only a different window is an error.
            if (existing.start, existing.end) != (period.start, period.end):
                self._fail(
                    f"Periode {period.slug} sudah ada dengan tanggal {existing.start} s.d. {existing.end}; "
                    "ubah lewat halaman admin."
                )
            self.stdout.write(f"Periode {period.slug} sudah ada ({existing.start} s.d. {existing.end}); tidak diubah.")
            return
        period.input_deadline = dates["input_deadline"]
        period.report_deadline = dates["report_deadline"]
        period.save()
        self.stdout.write(f"Periode {period.slug} ({period.name}) dibuat: {period.start} s.d. {period.end}.")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(1)
