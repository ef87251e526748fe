"""`sumberdaya tallies [--verify] [--repair]`: check the kept response (and breakdown) tallies against the responses.

`--verify` (the default) recomputes every bucket from the responses and lists those that differ (exit 1 when
any does); `--repair` rebuilds them all and reinstalls the triggers, e.g. after restoring a copy of the
responses table by hand or changing TIME_ZONE.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from sumberdaya.results import breakdowns
from sumberdaya.results.aggregates import differences, rebuild, schema_complete
from sumberdaya.results.models import ResponseTally


class Command(BaseCommand):
    help = "Periksa (atau bangun ulang) tally respons yang dijaga pemicu basis data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verify", action="store_true", help="bandingkan dengan respons (bawaan)")
        parser.add_argument("--repair", action="store_true", help="hitung ulang semua tally dari respons")

    def handle(self, *args: Any, **options: Any) -> None:
        if not schema_complete(connection):
            raise CommandError("Tabel tally belum lengkap: jalankan `sumberdaya migrate` lebih dulu.")
        if options["repair"]:
            with transaction.atomic():
                rebuild(connection)
                breakdowns.rebuild(connection)
            self.stdout.write(f"Tally dibangun ulang: {ResponseTally.objects.filter(n__gt=0).count()} ember.")
            return
        problems = differences(connection) + [f"rincian {line}" for line in breakdowns.differences(connection)]
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            if len(problems) > 50:
                self.stderr.write(f"… dan {len(problems) - 50} lagi.")
            self.stderr.write(f"{len(problems)} ember tidak sesuai. Jalankan `sumberdaya tallies --repair`.")
            raise SystemExit(1)
        self.stdout.write(f"Tally sesuai dengan respons ({ResponseTally.objects.filter(n__gt=0).count()} ember).")
