"""`sumberdaya kiosk add UNIT_CODE --label TEXT` | `kiosk list [UNIT_CODE]` | `kiosk revoke ID`.

`add` prints the tablet's link alone on one line (for scripts: open it once on the tablet).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sumberdaya.surveys import kiosks, posters
from sumberdaya.surveys.models import KioskTablet
from sumberdaya.units.models import Unit


class Command(BaseCommand):
    help = "Tablet kios unit: daftarkan (add), lihat (list), cabut (revoke)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,list,revoke}")
        add = actions.add_parser("add", help="daftarkan tablet; mencetak tautannya pada satu baris")
        add.add_argument("unit_code", metavar="UNIT_CODE")
        add.add_argument("--label", required=True, help="nama tablet, misalnya 'Loket 1'")
        listing = actions.add_parser("list", help="daftar tablet (semua unit, atau satu unit)")
        listing.add_argument("unit_code", metavar="UNIT_CODE", nargs="?")
        revoke = actions.add_parser("revoke", help="cabut tablet: tautannya tidak berlaku lagi")
        revoke.add_argument("tablet_id", metavar="ID", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            unit = self._unit(options["unit_code"])
            label = options["label"].strip()
            if not label:
                raise CommandError("Nama tablet (--label) tidak boleh kosong.")
            if len(label) > 60:
                raise CommandError("Nama tablet paling banyak 60 karakter.")
            tablet = kiosks.register(unit, label)
            self.stdout.write(posters.public_base_url() + kiosks.path(tablet))
        elif action == "list":
            tablets = KioskTablet.objects.select_related("unit").order_by("unit__code", "id")
            if options["unit_code"]:
                tablets = tablets.filter(unit=self._unit(options["unit_code"]))
            rows = kiosks.tablet_rows(list(tablets))
            if not rows:
                self.stdout.write("Belum ada tablet terdaftar.")
            for row in rows:
                t = row.tablet
                state = "aktif" if t.active else f"dicabut {timezone.localtime(t.revoked_at):%Y-%m-%d %H:%M}"
                last = f"{timezone.localtime(row.last_answer):%Y-%m-%d %H:%M}" if row.last_answer else "-"
                self.stdout.write(f"{t.pk}\t{t.unit.code}\t{t.label}\t{state}\t{row.answers} jawaban\tterakhir {last}")
        else:
            found = KioskTablet.objects.select_related("unit").filter(pk=options["tablet_id"]).first()
            if found is None:
                raise CommandError(f"Tablet {options['tablet_id']} tidak ditemukan (lihat: sumberdaya kiosk list).")
            if kiosks.revoke(found):
                self.stdout.write(f"Tablet {found.pk} ({found.unit.code}: {found.label}) dicabut.")
            else:
                self.stdout.write(f"Tablet {found.pk} sudah dicabut sebelumnya.")

    def _unit(self, code: str) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Unit '{code}' tidak ditemukan.")
        return unit
