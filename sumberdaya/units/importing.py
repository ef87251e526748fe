"""The unit registry file: `no,code,name,kind,parent_code`, one service unit per row.

Importing is idempotent: a unit is found by its code and updated, or created. Parents are resolved by
code in a second pass, so a file may list a kelurahan before its kecamatan.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils.text import slugify

from sumberdaya.units.models import Unit

PACKAGED_UNITS = Path(__file__).resolve().parent.parent / "data" / "units-banjarmasin.csv"
COLUMNS = ("no", "code", "name", "kind", "parent_code")
REQUIRED = ("code", "name", "kind")


@dataclass(frozen=True)
class UnitRow:
    row: int  # as a spreadsheet shows it, header = 1
    order: int
    code: str
    name: str
    kind: str
    parent_code: str


class UnitFileError(Exception):
    """The file was refused; `problems` lists every problem with its row number, in Indonesian."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class UnitImportSummary:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def read_units(text: TextIO) -> list[UnitRow]:
    """Read and check the whole file; raise UnitFileError listing every problem."""
    reader = csv.reader(text)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise UnitFileError([f"Baris 1: kolom {', '.join(missing)} tidak ada (kolom: {', '.join(COLUMNS)})."])
    index = {column: header.index(column) for column in COLUMNS if column in header}
    kinds = set(Unit.Kind.values)
    problems: list[str] = []
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            position = index.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        code, name, kind = cell("code").lower(), cell("name"), cell("kind").lower()
        if not code:
            problems.append(f"Baris {number}: kode unit kosong.")
        elif slugify(code) != code:
            problems.append(f"Baris {number}: kode '{code}' hanya boleh huruf kecil, angka dan tanda hubung.")
        elif code in seen:
            problems.append(f"Baris {number}: kode '{code}' sudah dipakai di baris {seen[code]}.")
        else:
            seen[code] = number
        if not name:
            problems.append(f"Baris {number}: nama unit kosong.")
        elif len(name) > 200:
            problems.append(f"Baris {number}: nama unit lebih dari 200 karakter.")
        if kind not in kinds:
            problems.append(f"Baris {number}: jenis unit '{kind}' tidak dikenal (pilih: {', '.join(sorted(kinds))}).")
        order_text = cell("no")
        if order_text and not order_text.isdigit():
            problems.append(f"Baris {number}: nomor urut '{order_text}' bukan bilangan bulat.")
        order = int(order_text) if order_text.isdigit() else number - 1
        rows.append(UnitRow(number, order, code, name, kind, cell("parent_code").lower()))
    known = set(seen) | set(Unit.objects.values_list("code", flat=True))
    for row in rows:
        if row.parent_code and row.parent_code not in known:
            problems.append(f"Baris {row.row}: unit induk '{row.parent_code}' tidak dikenal.")
        elif row.parent_code and row.parent_code == row.code:
            problems.append(f"Baris {row.row}: unit tidak boleh menjadi induk dirinya sendiri.")
    if problems:
        raise UnitFileError(problems)
    return rows


@transaction.atomic
def import_units(rows: Iterable[UnitRow]) -> UnitImportSummary:
    """Create or update each unit by code, then link parents (second pass)."""
    rows = list(rows)
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=[row.code for row in rows])}
    created: set[str] = set()
    updated: set[str] = set()
    for row in rows:
        unit = existing.get(row.code)
        if unit is None:
            existing[row.code] = Unit.objects.create(code=row.code, name=row.name, kind=row.kind, order=row.order)
            created.add(row.code)
        elif (unit.name, unit.kind, unit.order) != (row.name, row.kind, row.order):
            unit.name, unit.kind, unit.order = row.name, row.kind, row.order
            unit.save(update_fields=["name", "kind", "order"])
            updated.add(row.code)
    parent_codes = {row.parent_code for row in rows if row.parent_code}
    parents = {unit.code: unit for unit in Unit.objects.filter(code__in=parent_codes)}
    for row in rows:
        unit = existing[row.code]
        parent = parents.get(row.parent_code) if row.parent_code else None
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent"])
            if row.code not in created:
                updated.add(row.code)
    return UnitImportSummary(len(created), len(updated), len(rows) - len(created) - len(updated))


def import_units_file(path: Path | str) -> UnitImportSummary:
    """Read a unit CSV (UTF-8, with or without BOM) and import it; raise UnitFileError when refused."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = read_units(handle)
    return import_units(rows)


def import_units_text(text: str) -> UnitImportSummary:
    return import_units(read_units(io.StringIO(text)))


def load_packaged_units() -> UnitImportSummary:
    """The city's own registry shipped with the package (Kota Banjarmasin, 156 units)."""
    return import_units_file(PACKAGED_UNITS)
