"""Excel exports of the perception indices: one unit (both instruments) or the city (a sheet per instrument).

Numbers are written as numbers (rounded for display to 2 decimals, like the pages); every text cell goes
through `append_safe_row` (quote-prefix style) so a unit name cannot become a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

from sumberdaya.core.spreadsheet import append_safe_row
from sumberdaya.perception.models import setting_for
from sumberdaya.perception.recap import city_perception, perception_results, unit_perception
from sumberdaya.skm.instruments import CONVERSION_FORMULA, INSTRUMENTS, MINIMUM_RESPONDENTS
from sumberdaya.skm.scoring import round_half_up
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

if TYPE_CHECKING:  # openpyxl (and lxml under it) loads at the first export, not in every worker
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value: Fraction | None, places: int = 2) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def _row(sheet: Worksheet, values: Sequence[Any], bold: bool = False) -> None:
    from openpyxl.styles import Font

    append_safe_row(sheet, values)
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def _notes(sheet: Worksheet, period: Period) -> None:
    setting = setting_for(period)
    _row(sheet, [])
    _row(sheet, ["Rumus konversi", CONVERSION_FORMULA])
    _row(sheet, ["Skala", f"SPKP 1–{setting.spkp_scale}, SPAK 1–{setting.spak_scale}"])
    _row(
        sheet,
        [
            "Jawaban diarahkan (SPAK)",
            "tidak dihitung dalam indeks" if setting.exclude_steered else "dihitung",
        ],
    )
    _row(sheet, ["Catatan", f"Minimal {MINIMUM_RESPONDENTS} responden per unit. Tanpa kategori/huruf mutu."])


def unit_workbook(unit: Unit, period: Period) -> Workbook:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Survei persepsi"
    _row(sheet, [f"Survei persepsi Zona Integritas — {unit.name}", period.name], bold=True)
    for code in INSTRUMENTS:
        result = unit_perception(unit, period, code)
        score = result.score
        _row(sheet, [])
        _row(
            sheet,
            [f"{score.instrument.name} — {score.instrument.title}", f"skala 1–{score.scale}"],
            bold=True,
        )
        _row(sheet, ["No", "Pernyataan", "Rata-rata", "Nilai (0–100)", "Jumlah jawaban"], bold=True)
        for item in score.items:
            _row(
                sheet,
                [item.item.number, item.item.statement, _num(item.mean, 3), _num(item.index), item.count],
            )
        _row(sheet, ["", "Indeks", _num(score.mean, 3), _num(score.index), score.respondents], bold=True)
        _row(sheet, ["", "Responden", score.respondents])
        if score.below_minimum:
            _row(sheet, ["", f"Kurang dari {MINIMUM_RESPONDENTS} responden"])
        if score.instrument.control_question:
            _row(
                sheet,
                [
                    "",
                    "Menjawab “ya” pada pertanyaan kontrol (diarahkan)",
                    result.steered,
                    _num(result.steered_percent, 1),
                    "%",
                ],
            )
        if result.other_scale:
            _row(sheet, ["", "Respons dengan skala lain (tidak dihitung)", result.other_scale])
    _notes(sheet, period)
    sheet.column_dimensions["B"].width = 70
    return book


def city_workbook(period: Period) -> Workbook:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    units = list(Unit.objects.filter(active=True))
    for code, instrument in INSTRUMENTS.items():
        results = perception_results(period, code, units=units)
        sheet = book.create_sheet(instrument.name)
        scale = results[0].score.scale if results else setting_for(period).scale_for(code)
        _row(sheet, [f"{instrument.title} — {period.name}", f"skala 1–{scale}"], bold=True)
        header = [
            "No",
            "Unit",
            "Kelompok",
            "Responden",
            *[f"P{item.number}" for item in instrument.items],
            "Rata-rata",
            "Indeks (0–100)",
            "Catatan",
        ]
        if instrument.control_question:
            header.insert(-1, "Diarahkan (%)")
        _row(sheet, header, bold=True)
        for number, result in enumerate(results, 1):
            score = result.score
            row: list[Any] = [
                number,
                result.unit.name,
                result.unit.group,
                score.respondents,
                *[_num(item.mean, 3) for item in score.items],
                _num(score.mean, 3),
                _num(score.index),
            ]
            if instrument.control_question:
                row.append(_num(result.steered_percent, 1))
            row.append(f"< {MINIMUM_RESPONDENTS} responden" if score.below_minimum else "")
            _row(sheet, row)
        city = city_perception(results)
        total: list[Any] = [
            "",
            f"Kota (rata-rata {city.units} unit)",
            "",
            city.respondents,
            *[None for _ in instrument.items],
            _num(city.mean, 3),
            _num(city.index),
        ]
        if instrument.control_question:
            total.append(_num(city.steered_percent, 1))
        _row(sheet, total, bold=True)
        _notes(sheet, period)
        sheet.column_dimensions["B"].width = 40
    return book


def xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
