"""`sumberdaya import-results FILE [--dry-run] [--format text|json] [--confirm-flagged]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.city.importing import (
    ERROR,
    FLAGGED,
    OK,
    ImportFileError,
    check_rows,
    periods_to_create,
    read_rows,
    store,
)


class Command(BaseCommand):
    help = "Impor hasil SKM unit (survei pihak ketiga, kertas, tahun-tahun sebelumnya) dari CSV/XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Berkas .csv atau .xlsx: unit,period,u1..u9,ikm,mutu,respondents,method")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, jangan simpan.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--confirm-flagged",
            action="store_true",
            help="Simpan juga baris bertanda apa adanya (alasannya ikut disimpan).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        try:
            checks = check_rows(read_rows(content, path.name))
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        new_periods = periods_to_create(checks)
        if options["format"] == "json":
            self.stdout.write(json.dumps([c.report() for c in checks], ensure_ascii=False, indent=2))
        else:
            for check in checks:
                line = f"baris {check.row}: {check.unit or '–'} {check.period} {check.status}"
                if check.problems:
                    line += " – " + " ".join(check.problems)
                self.stdout.write(line)
        counts = {s: sum(c.status == s for c in checks) for s in (OK, FLAGGED, ERROR)}
        # Summary to stderr so `--format json` stays parseable.
        self.stderr.write(f"{counts[OK]} baik, {counts[FLAGGED]} bertanda, {counts[ERROR]} galat.")
        if options["dry_run"]:
            if new_periods:
                self.stderr.write(f"Periode yang akan dibuat: {', '.join(new_periods)}.")
            self.stderr.write("Uji coba: tidak ada yang disimpan.")
        else:
            summary = store(checks, None, confirm_flagged=options["confirm_flagged"])
            if summary.created_periods:
                self.stderr.write(f"Periode dibuat: {', '.join(sorted(summary.created_periods))}.")
            self.stderr.write(f"Disimpan: {summary.stored} baris.")
            if summary.skipped_flagged:
                self.stderr.write(
                    f"{summary.skipped_flagged} baris bertanda tidak disimpan "
                    "(pakai --confirm-flagged untuk menyimpannya)."
                )
        if counts[ERROR]:
            raise SystemExit(1)
