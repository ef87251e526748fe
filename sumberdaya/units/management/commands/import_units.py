"""`sumberdaya import-units FILE.csv`: create or update service units by code (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sumberdaya.units.importing import UnitFileError, import_units_file


class Command(BaseCommand):
    help = "Impor unit pelayanan dari CSV berkolom no,code,name,kind,parent_code (diperbarui menurut kode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV unit (UTF-8)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_units_file(options["file"])
        except FileNotFoundError:
            self.stderr.write(f"Berkas tidak ditemukan: {options['file']}")
            raise SystemExit(1)
        except UnicodeDecodeError:
            self.stderr.write("Berkas harus berupa CSV UTF-8.")
            raise SystemExit(1)
        except UnitFileError as error:
            self.stderr.write("Berkas ditolak, tidak ada unit yang disimpan:")
            for problem in error.problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1)
        self.stdout.write(
            f"{summary.total} unit: {summary.created} baru, {summary.updated} diperbarui, "
            f"{summary.unchanged} tidak berubah."
        )
