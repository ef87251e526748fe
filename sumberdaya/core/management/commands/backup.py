"""`sumberdaya backup PATH [--keep N]`: the database and the uploaded files in one archive (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.core.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (PostgreSQL: pg_dump format custom; SQLite: API backup daring) dan berkas unggahan "
        "(MEDIA_ROOT) ke satu arsip. PATH berupa berkas, atau folder untuk nama bertanggal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--keep", type=int, default=0, help="dengan PATH folder: simpan hanya N arsip terbaru di folder itu"
        )

    def handle(self, *args: Any, path: Path, keep: int, **options: Any) -> None:
        if keep and not path.is_dir():
            raise CommandError("--keep hanya untuk PATH berupa folder yang sudah ada.")
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(
            f"Cadangan {manifest['engine']} tersimpan: {manifest['path']} ({len(manifest['media'])} berkas unggahan)"
        )
        if keep:
            for old in prune(path, keep):
                self.stdout.write(f"Dihapus (lebih lama dari {keep} cadangan terakhir): {old}")
