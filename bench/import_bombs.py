"""How long the shared reader (`surveys.importing.read_table`) takes to refuse spreadsheet bombs,
next to reading an ordinary file of the browser import's full size.

    .venv/bin/python bench/import_bombs.py

Files are built in memory (tests/bombs.py): the audit's 5 MB xlsx with 1 000 000 rows and no
<dimension>, a few hundred KB that unpack to one 64 MB shared string, a CSV of blank lines, and an
ordinary 20 000-row xlsx and CSV. Each is read to the end or to its refusal, best of 3.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sumberdaya.settings")
    django.setup()
    from sumberdaya.surveys.importing import TableTooLarge, UnreadableTable, read_table
    from sumberdaya.workspace.importer import MAX_ROWS
    from tests.bombs import huge_shared_string, million_rows, xlsx

    header = ["submitted_at", *[f"u{i}" for i in range(1, 10)], "comment"]
    row = ["2024-05-01 09:15", "4", "3", "3", "4", "3", "4", "4", "3", "2", "Pelayanan cepat dan ramah"]
    text = io.StringIO()
    csv.writer(text).writerows([header, *[row] * MAX_ROWS])
    files = {
        f"ordinary xlsx, {MAX_ROWS} rows": ("ok.xlsx", xlsx(header, [row] * MAX_ROWS)),
        f"ordinary csv, {MAX_ROWS} rows": ("ok.csv", text.getvalue().encode()),
        "xlsx, 1 000 000 rows, no <dimension>": ("bom.xlsx", million_rows(header)),
        "xlsx, one 64 MB shared string": ("teks.xlsx", huge_shared_string(header)),
        "csv, 5 000 000 blank lines": ("kosong.csv", b"submitted_at\n" + b"\n" * 5_000_000),
    }
    print(f"{'file':42} {'size':>9} {'best of 3':>10}  outcome")
    for label, (name, data) in files.items():
        best = float("inf")
        outcome = ""
        for _ in range(3):
            started = time.perf_counter()
            try:
                _header, rows = read_table(io.BytesIO(data), name, max_rows=MAX_ROWS)
                count = sum(1 for _row in rows)
                outcome = f"read {count} rows"
            except (UnreadableTable, TableTooLarge) as error:
                outcome = f"refused: {str(error)[:60]}"
            best = min(best, time.perf_counter() - started)
        print(f"{label:42} {len(data) / 1024:>7.0f}KB {best * 1000:>8.0f}ms  {outcome}")


if __name__ == "__main__":
    main()
