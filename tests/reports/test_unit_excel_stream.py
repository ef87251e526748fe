"""The unit report's workbook is written in write-only mode (the raw answers streamed) and keeps every sheet's
dates, formulas, merged cells and print setup."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from sumberdaya.reports import render as R
from sumberdaya.reports.unit import report_data

pytestmark = pytest.mark.django_db


def test_the_raw_answers_are_streamed_and_the_sheets_keep_dates_formulas_and_print_setup(
    demo: Any, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    streamed: list[Any] = []
    raw_sheet = R._raw_sheet
    monkeypatch.setattr(R, "_raw_sheet", lambda sheet, data: (streamed.append(sheet), raw_sheet(sheet, data)))
    content = R.render(report_data(demo, period), "xlsx")
    assert len(streamed) == 1 and isinstance(streamed[0], WriteOnlyWorksheet)

    book = openpyxl.load_workbook(io.BytesIO(content))
    raw = book[R.RAW_SHEET]
    assert raw.max_row == 61 and raw["A1"].value == "No" and raw["A1"].font.bold
    assert isinstance(raw["B2"].value, dt.datetime) and raw["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert raw.freeze_panes == "A2" and raw.print_title_rows == "$1:$1"
    assert raw.page_setup.orientation == "landscape" and raw.page_setup.fitToWidth == 1
    assert raw.sheet_properties.pageSetUpPr.fitToPage
    assert raw.column_dimensions["B"].width == 20

    sheet = book["Perhitungan IKM"]
    assert sheet["E7"].value == '=IF(D7=0,"",C7/D7)' and sheet["F16"].value == "=SUM(F7:F15)"
    assert sheet["A1"].font.bold and sheet["E7"].number_format == "0.0000"
    chapter = book["BAB I"]
    assert chapter.merged_cells.ranges and chapter["A1"].font.bold
    assert chapter.page_setup.paperSize == 9 and chapter.sheet_properties.pageSetUpPr.fitToPage
    tables = book["BAB II"]
    assert tables.print_title_rows and tables.page_setup.fitToWidth == 1
