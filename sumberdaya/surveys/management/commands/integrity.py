"""`sumberdaya integrity scan [--period SLUG] [--unit CODE]`: run the integrity rules over existing responses.

Stores new flags only (idempotent; never unflags, never touches a response a person decided on). Run it from a
timer every few minutes for the online and kiosk answers (the submit path adds no query for the rules), and once
after an upgrade for the data already there.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit


class Command(BaseCommand):
    help = "Periksa integritas respons (kiriman seragam, lonjakan, duplikat…) dan tandai yang mencurigakan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan"])
        parser.add_argument("--period", help="kode periode (bawaan: periode berjalan)")
        parser.add_argument("--unit", help="kode unit (bawaan: semua unit dengan respons)")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("period"):
            period = Period.objects.filter(slug=options["period"]).first()
            if period is None:
                self._fail(f"Periode '{options['period']}' tidak ditemukan.")
        else:
            period = Period.current()
            if period is None:
                self._fail("Belum ada periode survei.")
        unit_ids = None
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                self._fail(f"Unit '{options['unit']}' tidak ditemukan.")
            unit_ids = [unit.pk]
        summary = integrity.scan(period, unit_ids)
        self.stdout.write(
            f"{period.slug}: {summary.units} unit, {summary.responses} respons diperiksa; "
            f"{summary.flagged} respons baru ditandai ({summary.findings} tanda baru); "
            f"{summary.removed} tanda usang dihapus ({summary.unflagged} respons tidak lagi ditandai)."
        )
