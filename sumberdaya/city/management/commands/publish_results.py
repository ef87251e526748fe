"""`sumberdaya publish-results --period SLUG [--method mean|pooled|weighted] [--weight 0.111|exact] [--withdraw]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.city.publication import live_publication, publish, published, withdraw
from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.numbers import format_number
from sumberdaya.skm.scoring import Weight
from sumberdaya.surveys.models import Period


class Command(BaseCommand):
    help = "Terbitkan (atau tarik) hasil SKM satu periode ke halaman publik /hasil/ dan API data terbuka."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="kode periode, misalnya 2024")
        parser.add_argument("--method", choices=[m.value for m in Method], help="rata-rata kelompok dan kota")
        parser.add_argument("--weight", choices=[w.value for w in Weight], help="bobot unsur")
        parser.add_argument("--withdraw", action="store_true", help="tarik publikasi yang berlaku")

    def handle(self, *args: Any, **options: Any) -> None:
        period = Period.objects.filter(slug=options["period"].strip().upper()).first()
        if period is None:
            raise CommandError(f"Periode '{options['period']}' tidak ditemukan.")
        if options["withdraw"]:
            current = live_publication(period)
            if current is None:
                raise CommandError(f"{period.name} belum diterbitkan.")
            withdraw(current, None)
            self.stdout.write(f"Publikasi {period.name} ditarik.")
            return
        method = Method(options["method"]) if options["method"] else None
        weight = Weight(options["weight"]) if options["weight"] else None
        publication = publish(period, None, weight, method)
        snapshot = published(publication)
        city = snapshot.city
        self.stdout.write(
            f"{period.name} diterbitkan: IKM kota {format_number(city.ikm)} ({city.mutu or '–'}), "
            f"{city.units} unit, {snapshot.method_label}, bobot {snapshot.weight_label}."
        )
