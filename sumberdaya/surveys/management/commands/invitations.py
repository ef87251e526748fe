"""`sumberdaya invitations issue UNIT_CODE --count N [--service ID] --output FILE` (FILE: .pdf or .csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.surveys import invitations
from sumberdaya.units.models import Service, Unit


class Command(BaseCommand):
    help = "Cetak undangan survei sekali pakai: lembar A4 (.pdf) atau daftar code,url (.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{issue}")
        issue = actions.add_parser("issue", help="terbitkan undangan baru ke berkas .pdf atau .csv")
        issue.add_argument("unit_code", metavar="UNIT_CODE")
        issue.add_argument("--count", type=int, required=True, help=f"jumlah undangan (1–{invitations.MAX_COUNT})")
        issue.add_argument("--service", type=int, metavar="ID", help="id jenis layanan (bawaan: semua layanan)")
        issue.add_argument("--output", required=True, metavar="FILE", help="berkas keluaran .pdf atau .csv")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        kind = output.suffix.lower()
        if kind not in (".pdf", ".csv"):
            raise CommandError("Berkas keluaran harus berakhiran .pdf (lembar cetak) atau .csv (code,url).")
        if not output.parent.is_dir():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        unit = Unit.objects.filter(code=options["unit_code"]).first()
        if unit is None:
            raise CommandError(f"Unit '{options['unit_code']}' tidak ditemukan.")
        service = None
        if options["service"] is not None:
            service = Service.objects.filter(pk=options["service"], unit=unit).first()
            if service is None:
                raise CommandError(f"Layanan {options['service']} bukan layanan unit {unit.code}.")
        try:
            batch = invitations.issue(unit, options["count"], service)
        except invitations.InvitationError as error:
            raise CommandError(str(error))
        if kind == ".pdf":
            output.write_bytes(invitations.sheet_pdf(batch))
        else:
            output.write_text(invitations.sheet_csv(batch), encoding="utf-8")
        self.stdout.write(f"{len(batch)} undangan untuk {unit.code} ditulis ke {output}.")
