"""`sumberdaya demo [--reset]`: load the demo data used by `make run` (deterministic): `surveys.demo`, then
the working year of `city.demo` (report submissions in every state, published years)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import ProtectedError

from sumberdaya.city.demo import add_working_year, reset_working_year
from sumberdaya.surveys.demo import ACCOUNTS, PAST_YEARS, NotDemoData, build_demo, demo_exists


class Command(BaseCommand):
    help = "Muat data demo: 156 unit Kota Banjarmasin, jenis layanan, periode, kuesioner dan akun demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="hapus data demo (hanya bila basis data tidak berisi kuesioner lain), lalu muat ulang",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            if not options["reset"]:
                self.stdout.write(
                    "Data demo (atau data lain) sudah ada; tidak ada yang diubah. Pakai --reset untuk memuat ulang."
                )
                self._accounts()
                return
            try:
                removed = reset_working_year()
            except NotDemoData as error:
                self.stderr.write(str(error))
                raise SystemExit(1)
            except ProtectedError as error:
                self.stderr.write(f"Tidak dapat menghapus data lama: {error.args[0]}")
                raise SystemExit(1)
            self.stdout.write(f"Data demo lama dihapus ({removed['responses']} kuesioner demo; tercatat di log audit).")
        started = time.monotonic()
        summary = build_demo(progress=lambda message: self.stdout.write(f"  {message}"))
        year = add_working_year()
        states = ", ".join(f"{n} {state}" for state, n in year.reports.items())
        self.stdout.write(f"  laporan unit {PAST_YEARS[-1]}: {states}; diterbitkan: {', '.join(year.published)}")
        self.stdout.write(
            f"Data demo dimuat dalam {time.monotonic() - started:.1f} detik: {summary.units} unit, "
            f"{summary.services} jenis layanan, {summary.periods} periode, {summary.responses} kuesioner."
        )
        self._accounts()

    def _accounts(self) -> None:
        self.stdout.write("Akun demo (nama pengguna / kata sandi):")
        for username, password, role, _units in ACCOUNTS:
            self.stdout.write(f"  {username} / {password} ({role.label})")
