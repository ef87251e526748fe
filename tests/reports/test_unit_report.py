"""The unit report in PDF, Word and Excel prints exactly the recap's numbers, and citizens' text stays text."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sumberdaya.reports.render import render
from sumberdaya.reports.unit import report_data
from sumberdaya.results.service import period_results, unit_result
from sumberdaya.results.tallies import unit_tally
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.numbers import format_number
from sumberdaya.skm.scoring import Weight

pytestmark = pytest.mark.django_db


def _recap_row(unit: Any, period: Any) -> dict[str, Any]:
    return next(row for row in period_results(period).as_dict()["units"] if row["code"] == unit.code)


def pdf_text(content: bytes, tmp_path: Path, layout: bool = True) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(content)
    options = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True).stdout


def element_table(document: Any) -> Any:
    return next(t for t in document.tables if t.rows[0].cells[1].text == "Unsur pelayanan")


def test_the_pdf_prints_the_recaps_index_elements_and_respondents(demo: Any, period: Any, tmp_path: Path) -> None:
    score = unit_tally(demo, period).score(Weight.OFFICIAL)
    row = _recap_row(demo, period)
    text = pdf_text(render(report_data(demo, period), "pdf"), tmp_path)
    lines = text.splitlines()
    ikm_line = next(line for line in lines if "NILAI IKM UNIT PELAYANAN" in line)
    assert format_number(score.ikm) in ikm_line
    assert format_number(row["ikm"]) in ikm_line
    for element in score.elements:
        line = next(line for line in lines if line.strip().startswith(element.element.key.upper() + " "))
        assert format_number(element.score) in line, line
    assert f"{row['respondents']} responden" in text
    assert "0,111" in text
    assert "BAB V" in text and "Realisasi RTL" in text


def test_the_docx_prints_the_recaps_index_elements_and_respondents(demo: Any, period: Any) -> None:
    import docx

    score = unit_tally(demo, period).score(Weight.OFFICIAL)
    document = docx.Document(io.BytesIO(render(report_data(demo, period), "docx")))
    table = element_table(document)
    for index, element in enumerate(score.elements, start=1):
        cells = table.rows[index].cells
        assert cells[1].text == element.element.name
        assert cells[6].text == format_number(element.score)
    last = table.rows[len(ELEMENTS) + 1].cells
    assert last[1].text == "NILAI IKM UNIT PELAYANAN"
    assert last[6].text == format_number(score.ikm) == format_number(_recap_row(demo, period)["ikm"])
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"adalah {score.respondents} orang" in body
    assert "Nilai per unsur pelayanan (bobot 0,111)" in body  # the table's caption


def test_the_xlsx_formulas_and_values_give_the_recaps_index(demo: Any, period: Any) -> None:
    import openpyxl

    score = unit_tally(demo, period).score(Weight.OFFICIAL)
    book = openpyxl.load_workbook(io.BytesIO(render(report_data(demo, period), "xlsx")))
    sheet = book["Perhitungan IKM"]
    assert sheet["C3"].value == score.respondents == _recap_row(demo, period)["respondents"]
    weight = sheet["C4"].value
    assert weight == 0.111
    weighted_sum = 0.0
    for offset, element in enumerate(score.elements):
        row = 7 + offset
        total, count = sheet.cell(row, 3).value, sheet.cell(row, 4).value
        assert (total, count) == (element.total, element.count)
        assert sheet.cell(row, 5).value == f'=IF(D{row}=0,"",C{row}/D{row})'
        assert sheet.cell(row, 11).value == pytest.approx(float(element.score), abs=1e-12)
        weighted_sum += total / count * weight  # what Excel computes from the formulas
    assert sheet["F16"].value == "=SUM(F7:F15)"
    assert sheet["G17"].value == "=F16*25"
    assert weighted_sum * 25 == pytest.approx(float(score.ikm), abs=1e-9)
    assert sheet["K17"].value == pytest.approx(_recap_row(demo, period)["ikm"], abs=1e-12)
    raw = book["Data mentah"]
    assert raw.max_row - 1 == score.respondents


def test_citizen_and_operator_text_stays_plain_text_in_every_format(demo: Any, period: Any, tmp_path: Path) -> None:
    import docx
    import openpyxl

    data = report_data(demo, period)
    # Table cells wrap, so compare without whitespace.
    text = "".join(pdf_text(render(data, "pdf"), tmp_path, layout=False).split())
    assert '<script>alert("x")</script>' in text  # escaped, so printed rather than run as markup
    assert '=HYPERLINK("http://jahat.example","klik")' in text

    document = docx.Document(io.BytesIO(render(data, "docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(cell.startswith('<script>alert("x")</script>') for cell in cells)

    book = openpyxl.load_workbook(io.BytesIO(render(data, "xlsx")))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    # Only our own computation formulas, never text from a person.
                    assert sheet.title == "Perhitungan IKM" and "HYPERLINK" not in str(cell.value)
    raw = book["Data mentah"]
    column = [c.value for c in raw[1]].index("Komentar") + 1
    cells = [raw.cell(row, column) for row in range(2, raw.max_row + 1)]
    comments = [cell.value for cell in cells]
    hostile = next(cell for cell in cells if cell.value == '=HYPERLINK("http://jahat.example","klik")')
    assert hostile.data_type == "s" and hostile.quotePrefix  # the quote-prefix style, no visible '

    assert any(str(v).startswith("<script>") for v in comments)
    plan = [c.value for row in book["BAB IV"].iter_rows() for c in row]
    assert any(str(v).startswith("<script>") for v in plan)  # the RTL table of the report's BAB IV


def test_a_very_long_word_wraps_inside_the_pdf_table(demo: Any, period: Any, tmp_path: Path) -> None:
    text = pdf_text(render(report_data(demo, period), "pdf"), tmp_path)
    # The 240-letter word is broken over several lines instead of running off the page.
    assert "Sangat" * 40 not in text.replace(" ", "")
    assert max(len(line) for line in text.splitlines()) < 200


def test_the_report_shows_last_periods_plan_and_its_realisation(demo: Any, period: Any) -> None:
    data = report_data(demo, period)
    assert data.previous_period == f"Tahun {period.start.year - 1}"
    assert [row["status"] for row in data.previous_plan] == ["Selesai"]
    assert [name for name, _ in data.trend][-2:] == [f"Tahun {period.start.year - 1}", period.name]


def test_the_sample_target_follows_krejcie_morgan(demo: Any, period: Any) -> None:
    data = report_data(demo, period)
    assert data.population == 120 and data.target == 92 and data.sample_ok is False


def test_the_command_writes_each_format(demo: Any, period: Any, tmp_path: Path) -> None:
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        output = tmp_path / f"laporan.{fmt}"
        call_command("report", "unit", demo.code, "--period", period.slug, "--format", fmt, "--output", str(output))
        assert output.read_bytes().startswith(magic)


def test_the_command_rejects_an_unknown_unit(period: Any, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("report", "unit", "tidak-ada", "--period", period.slug, "--output", str(tmp_path / "x.pdf"))


@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice (libreoffice/soffice) is not installed; install libreoffice-writer-nogui to run this check",
)
def test_libreoffice_converts_the_docx_to_pdf(demo: Any, period: Any, tmp_path: Path) -> None:
    source = tmp_path / "laporan.docx"
    source.write_bytes(render(report_data(demo, period), "docx"))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run(
        [
            str(office),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "laporan.pdf"
    assert converted.read_bytes().startswith(b"%PDF")
    assert format_number(unit_result(demo, period).ikm) in pdf_text(converted.read_bytes(), tmp_path / "..")
