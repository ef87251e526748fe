"""`sumberdaya restore PATH`: an archive of `sumberdaya backup` into an empty database and MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Pulihkan arsip `sumberdaya backup` ke basis data kosong dan MEDIA_ROOT kosong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        try:
            manifest = restore(path)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(
            f"Dipulihkan dari cadangan {manifest['created']}: basis data {manifest['engine']}, "
            f"{len(manifest['media'])} berkas unggahan. Jalankan `sumberdaya migrate` bila versi aplikasi lebih baru."
        )
