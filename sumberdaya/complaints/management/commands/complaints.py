"""`sumberdaya complaints [--unit CODE] [--format json|text]`, `--erase-expired`, `--export-corrections FILE`.

- the list: one object per complaint handled by the unit (or every unit) with `code`, `status`,
  `created_at`, `first_response_at`, `overdue` (and `kind`, `unit`, `filed_at_unit`, `due`,
  `answered_late`, `closed_at`, `has_contact`); never the text or the contact;
- `--erase-expired`: deletes the contacts of complaints closed longer ago than the city's retention time
  (run it daily: deploy/ has a timer; prints how many);
- `--export-corrections FILE`: the staff's tag corrections as TSV in the layout of
  tests/complaints/comments_labelled.tsv (kind, elements, masked text) to extend the labelled set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.complaints import handling, masking
from sumberdaya.complaints.models import Complaint, TagCorrection
from sumberdaya.units.models import Unit


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def complaint_rows(unit: Unit | None) -> list[dict[str, Any]]:
    clock = handling.Clock()
    rows = Complaint.objects.select_related("unit", "filed_at_unit").order_by("created_at", "pk")
    if unit is not None:
        rows = rows.filter(unit=unit)
    found = []
    for complaint in rows:
        timing = clock.timing(complaint)
        found.append(
            {
                "code": complaint.code,
                "status": complaint.status,
                "created_at": _iso(complaint.created_at),
                "first_response_at": _iso(complaint.first_response_at),
                "overdue": timing.overdue,
                "answered_late": timing.answered_late,
                "due": timing.due.isoformat(),
                "closed_at": _iso(complaint.closed_at),
                "kind": complaint.kind,
                "unit": complaint.unit.code,
                "filed_at_unit": complaint.filed_at_unit.code,
                "has_contact": hasattr(complaint, "contact"),
            }
        )
    return found


def _clean(text: str) -> str:
    return " ".join(masking.mask(text).split())


class Command(BaseCommand):
    help = "Aduan warga: daftar per unit (JSON), penghapusan kontak yang lewat masa simpan, ekspor koreksi label."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="kode unit (bawaan: semua unit)")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--erase-expired", action="store_true", help="hapus kontak aduan yang lewat masa simpan")
        parser.add_argument("--export-corrections", metavar="FILE", help="tulis koreksi label sebagai TSV")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["erase_expired"]:
            erased = handling.erase_expired()
            self.stdout.write(f"{erased} kontak dihapus")
            return
        if options["export_corrections"]:
            self._export(Path(options["export_corrections"]))
            return
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unit {options['unit']} tidak ditemukan.")
        rows = complaint_rows(unit)
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            late = " TERLAMBAT" if row["overdue"] else ""
            self.stdout.write(f"{row['code']}  {row['unit']:<30} {row['status']:<10} {row['created_at']}{late}")

    def _export(self, path: Path) -> None:
        lines = []
        for correction in TagCorrection.objects.select_related("response", "complaint").order_by("pk"):
            text = correction.response.comment if correction.response else correction.complaint.text  # type: ignore[union-attr]
            lines.append(f"{correction.kind}\t{','.join(correction.elements)}\t{_clean(text)}")
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        self.stdout.write(f"{len(lines)} koreksi ditulis ke {path}")
