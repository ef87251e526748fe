"""Spreadsheet safety shared by every export (Excel, CSV) and every import (the zip-bomb checks).

Formula safety lives here and only here: `formula_like` decides, `safe_cell` neutralises text for CSV
(a visible leading `'`, the only defence a CSV has), `append_safe_row` / `protect_cell` neutralise xlsx
cells with the cell's quote-prefix style, so the text shows exactly as typed and is never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip leading blanks before deciding a cell is a formula (" =1+1", "\n=HYPERLINK(...)").
_SKIPPED_BEFORE_FORMULA = " \n\t\r\u00a0"


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, -1+1, @SUM, " =1")."""
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(_FORMULA_START) or value.lstrip(_SKIPPED_BEFORE_FORMULA).startswith(_FORMULA_START)


def safe_cell(value: Any) -> Any:
    """CSV: neutralise formula-like text with a leading `'`; anything else passes unchanged."""
    if formula_like(value):
        return "'" + value
    return value


def protect_cell(cell: Any) -> None:
    """xlsx: keep a formula-like text as text, marked with the quote-prefix style (Excel shows no `'`)."""
    if formula_like(cell.value):
        cell.data_type = "s"  # openpyxl makes "=..." a formula on assignment
        cell.quotePrefix = True


def append_safe_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl sheet with every formula-like text protected by `protect_cell`."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        protect_cell(cell)
