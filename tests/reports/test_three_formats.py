"""The PDF, the Word file and the Excel workbook of one report carry the same headings and the same numbers.

Each format's text is extracted the way a reader gets it (pdftotext, python-docx, openpyxl with the cells'
number formats) and compared: the headings in the same order, and every Indonesian number (decimals such as
"88,73" and thousands such as "1.234") the same set in all three.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sumberdaya.core.dates import tanggal
from sumberdaya.skm.numbers import format_number

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*,\d+|(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,])")
EXTRA_SHEETS = {"Perhitungan IKM", "Data mentah", "Rekap"}  # data sheets beside the report's own chapters


def _squash(text: str) -> str:
    return " ".join(text.split())


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def docx_parts(content: bytes) -> tuple[list[str], str]:
    """Headings (by style) and the whole text, body and tables, in document order."""
    import docx

    document = docx.Document(io.BytesIO(content))
    headings = [_squash(p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return headings, "\n".join(texts)


def _excel_shown(cell: Any) -> str:
    value = cell.value
    if isinstance(value, dt.datetime | dt.date):
        return tanggal(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        fmt = cell.number_format
        places = len(fmt.split(".", 1)[1]) if "." in fmt else 0
        return format_number(value, places)
    return "" if value is None else str(value)


def xlsx_text(content: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    parts = []
    for sheet in book.worksheets:
        if sheet.title in EXTRA_SHEETS:
            continue
        for row in sheet.iter_rows():
            parts.extend(_excel_shown(cell) for cell in row if cell.value is not None)
    return "\n".join(parts)


def _in_order(headings: list[str], text: str) -> list[str]:
    """The headings not found in the text after the previous one (empty: all there, in order)."""
    flat, position, missing = _squash(text), 0, []
    for heading in headings:
        found = flat.find(heading, position)
        if found < 0:
            missing.append(heading)
        else:
            position = found + len(heading)
    return missing


def _assert_same(document: Any, pdf: bytes, word: bytes, excel: bytes, tmp_path: Path) -> None:
    headings = document.headings
    assert len(headings) > 10
    word_headings, word_text = docx_parts(word)
    pdf_flat, excel_text = pdf_text(pdf, tmp_path), xlsx_text(excel)
    assert word_headings == headings
    assert _in_order(headings, pdf_flat) == []
    assert _in_order(headings, excel_text) == []
    word_numbers = set(NUMBER.findall(word_text))
    assert len(word_numbers) > 5
    assert set(NUMBER.findall(excel_text)) == word_numbers
    # The PDF also prints the charts' labels (SVG text); every number of the text and tables is there.
    assert word_numbers <= set(NUMBER.findall(pdf_flat)), word_numbers - set(NUMBER.findall(pdf_flat))


def test_the_unit_reports_three_formats_have_the_same_headings_and_numbers(
    demo: Any, period: Any, tmp_path: Path
) -> None:
    from sumberdaya.reports.render import render, unit_document
    from sumberdaya.reports.unit import report_data

    data = report_data(demo, period)
    document = unit_document(data)
    _assert_same(document, render(data, "pdf"), render(data, "docx"), render(data, "xlsx"), tmp_path)
    assert format_number(data.ikm) in NUMBER.findall(docx_parts(render(data, "docx"))[1])


def test_the_city_reports_three_formats_have_the_same_headings_and_numbers(city: Any, tmp_path: Path) -> None:
    from sumberdaya.city.report import city_document, city_report_data, render_city_report
    from sumberdaya.results.service import period_results

    document = city_document(city_report_data(city))
    pdf, word, excel = (render_city_report(city, fmt) for fmt in ("pdf", "docx", "xlsx"))  # type: ignore[arg-type]
    _assert_same(document, pdf, word, excel, tmp_path)
    assert format_number(period_results(city).city.value) in NUMBER.findall(xlsx_text(excel))
