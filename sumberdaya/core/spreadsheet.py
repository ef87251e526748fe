"""Spreadsheet safety shared by every export (Excel, CSV)."""

from __future__ import annotations

from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, -1+1, @SUM)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
