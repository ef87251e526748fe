"""`sumberdaya import-responses FILE.csv|FILE.xlsx [--dry-run]`: all or nothing, every problem listed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import transaction

from sumberdaya.surveys import integrity
from sumberdaya.surveys.importing import (
    CONTRACT_COLUMNS,
    TableTooLarge,
    UnreadableTable,
    assign_batches,
    earlier_imports,
    fingerprint,
    parse_responses,
    read_table,
    record_import,
    store_responses,
    units_of,
)
from sumberdaya.surveys.models import ImportRecord

BAR_FROM_ROWS = 2000  # smaller files finish before a bar would help


class ProgressBar:
    """A plain text bar on stderr, redrawn in place: `Memeriksa [#####.....] 52.000/100.000`."""

    def __init__(self, label: str, total: int, stream: OutputWrapper, width: int = 30) -> None:
        self.label, self.total, self.stream, self.width = label, max(total, 1), stream, width
        self.last_drawn = -1.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.last_drawn < 0.2:
            return
        self.last_drawn = now
        filled = min(self.width, self.width * done // self.total)
        count = f"{done:,}/{self.total:,}".replace(",", ".")
        ending = "\n" if done >= self.total else ""
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {count}", ending=ending)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Impor kuesioner dari CSV atau Excel berkolom " + ",".join(CONTRACT_COLUMNS) + ". "
        "Semua atau tidak sama sekali: satu baris salah, tidak ada yang disimpan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="hanya periksa, jangan simpan")
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="impor juga bila berkas yang sama persis sudah pernah diimpor untuk unitnya (setelah diperiksa)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        started = time.monotonic()
        try:
            with path.open("rb") as handle:
                sha256 = fingerprint(handle)
                header, row_iter = read_table(handle, path.name)
                rows = list(row_iter)
        except FileNotFoundError:
            self._fail(f"Berkas tidak ditemukan: {path}")
        except (UnreadableTable, TableTooLarge) as error:
            self._fail(str(error))
        show_bar = len(rows) > BAR_FROM_ROWS
        checking = ProgressBar("Memeriksa", len(rows), self.stderr) if show_bar else None
        result = parse_responses(header, rows, progress=checking)
        if not result.ok:
            problems = result.problems()
            self.stderr.write(f"Berkas ditolak, tidak ada yang disimpan. {len(problems)} masalah:")
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1)
        count = len(result.responses)
        earlier = earlier_imports(sha256, units_of(result))
        if earlier:
            self.stderr.write("Berkas yang sama persis sudah pernah diimpor:")
            for record in earlier:
                self.stderr.write(f"  {record.unit.code}: {record.describe()}")
        if options["dry_run"]:
            self.stdout.write(f"{count} kuesioner sah; tidak disimpan (--dry-run).")
            return
        if earlier and not options["allow_duplicate"]:
            self._fail(
                "Tidak ada yang disimpan, agar kuesioner tidak terhitung dua kali. Bila memang perlu diimpor "
                "lagi, jalankan ulang dengan --allow-duplicate."
            )
        saving = ProgressBar("Menyimpan", count, self.stderr) if show_bar else None
        with transaction.atomic():
            records = record_import(
                result, sha256, path.name, None, ImportRecord.Source.CLI, duplicate_confirmed=bool(earlier)
            )
            assign_batches(result, records)
            stored = store_responses(result, progress=saving)
        found = integrity.scan_around(units_of(result), (r.submitted_at for r in result.responses))
        if found is not None and found.flagged:
            self.stderr.write(
                f"{found.flagged} respons ditandai oleh pemeriksaan integritas (tetap dihitung sampai diputuskan)."
            )
        seconds = time.monotonic() - started
        self.stdout.write(f"{stored} kuesioner disimpan ({seconds:.1f} detik).")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(1)
