"""Formula safety of exported cells: CSV gets a visible quote, xlsx the cell's quote-prefix style."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from sumberdaya.core.spreadsheet import append_safe_row, formula_like, safe_cell

HOSTILE = [
    '=HYPERLINK("http://jahat.example")',
    " =1+1",
    "\n=cmd|' /C calc'!A0",
    "  \t@SUM(A1)",
    "\r\n+1",
    "-2+3",
    "\tx",
    "\u00a0=1",
]
HARMLESS = ["Kelurahan Mawar", "a=b", "surat-keterangan", "", "  teks biasa", "email@contoh.id"]


@pytest.mark.parametrize("text", HOSTILE)
def test_it_neutralises_formula_like_text_even_after_leading_blanks(text: str) -> None:
    assert formula_like(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_it_leaves_ordinary_text_alone(text: str) -> None:
    assert not formula_like(text)
    assert safe_cell(text) == text


def test_numbers_are_never_touched() -> None:
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell(None) is None


def test_xlsx_cells_keep_the_text_as_typed_with_the_quote_prefix_style() -> None:
    book = Workbook()
    sheet = book.active
    append_safe_row(sheet, [*HOSTILE, *HARMLESS[:2], 7])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    for cell, text in zip(row, HOSTILE, strict=False):
        assert cell.value == text
        assert cell.data_type == "s" and cell.quotePrefix
    ordinary = row[len(HOSTILE)]
    assert ordinary.value == "Kelurahan Mawar" and not ordinary.quotePrefix
    assert row[-1].value == 7 and row[-1].data_type == "n"
