"""The city report in PDF, Word and Excel: the city's structure, the recap's numbers, the admin's narrative."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sumberdaya.city.models import ReportNarrative
from sumberdaya.city.report import render_city_report
from sumberdaya.results.models import ImportedResult
from sumberdaya.results.service import period_results
from sumberdaya.skm.numbers import format_number

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://jahat.example","klik")'


@pytest.fixture
def city(unit: Any, other_unit: Any, period: Any, period_2024: Any, make_responses: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3, 3, 2, 4, 3, 3, 4, 3, 3]] * 4, when=when)
    make_responses(unit, [[3] * 9], when=when + dt.timedelta(days=60), channel="paper")
    ImportedResult.objects.create(
        unit=other_unit,
        period=period,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=50,
        method=FORMULA,
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    ImportedResult.objects.create(  # history for the trend
        unit=unit,
        period=period_2024,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=90,
        method="Kertas",
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    ReportNarrative.objects.create(period=period, background="Latar belakang khusus kota <b>uji</b>.")
    return period


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "kota.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_follows_the_city_report_and_prints_the_recap_numbers(city: Any, tmp_path: Path) -> None:
    content = render_city_report(city, "pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content, tmp_path)
    for heading in (
        "BAB I",
        "PENDAHULUAN",
        "BAB II",
        "BAB III",
        "BAB IV",
        "KESIMPULAN",
        "LAMPIRAN",
        "1.2 Dasar Hukum",
        "3.3 Tren IKM",
        "Unit yang belum melaporkan",
    ):
        assert heading in text
    results = period_results(city)
    assert format_number(results.city.value) in text
    mawar = results.row_for("kelurahan-mawar")
    assert mawar is not None and format_number(mawar.ikm) in text
    assert "Latar belakang khusus kota <b>uji</b>." in text  # the admin's text, escaped, not markup
    assert "(impor)" in text and "Cempaka" in text  # imported results are marked


def test_the_word_report_has_the_chapters_tables_and_trend_chart(city: Any) -> None:
    from docx import Document

    document = Document(io.BytesIO(render_city_report(city, "docx")))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    for heading in ("BAB I PENDAHULUAN", "BAB II PENGUMPULAN DATA", "BAB III HASIL", "BAB IV KESIMPULAN", "LAMPIRAN"):
        assert heading in paragraphs
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    results = period_results(city)
    assert format_number(results.city.value) in paragraphs
    assert "Kelurahan Mawar" in cells and "Puskesmas Cempaka (impor)" in cells
    assert len(document.inline_shapes) == 1  # the trend chart (two years: imported history and this year)


def test_the_excel_report_holds_the_recap_and_neutralises_formulas(city: Any) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_city_report(city, "xlsx")))
    assert book.sheetnames == ["Ringkasan", "Rekap", "Belum melapor", "Unit baru", "Tren"]
    sheet = book["Rekap"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    rows = [{key: cell.value for key, cell in row.items()} for row in cells]
    results = period_results(city)
    mawar = next(r for r in rows if r["Unit"] == "Kelurahan Mawar")
    expected = results.row_for("kelurahan-mawar")
    assert expected is not None
    assert format_number(Decimal(str(mawar["IKM"]))) == format_number(expected.ikm)
    imported = next(r for r in rows if r["Unit"] == "Puskesmas Cempaka")
    assert imported["Sumber"] == "impor" and imported["Metode"].startswith("=")
    method = next(row["Metode"] for row in cells if row["Unit"].value == "Puskesmas Cempaka")
    assert method.data_type == "s" and method.quotePrefix
    city_row = next(r for r in rows if r["Kelompok"] == "Kota")
    assert format_number(Decimal(str(city_row["IKM"]))) == format_number(results.city.value)


def test_the_report_command_writes_the_city_report(city: Any, tmp_path: Path) -> None:
    output = tmp_path / "kota.xlsx"
    out = io.StringIO()
    call_command("report", "city", "--period", city.slug, "--format", "xlsx", "--output", str(output), stdout=out)
    assert output.read_bytes()[:2] == b"PK" and "Laporan ditulis" in out.getvalue()


def test_the_admin_downloads_the_reports_from_the_recap_page(
    client: Any, city: Any, admin_user: Any, operator: Any
) -> None:
    client.force_login(admin_user)
    response = client.get(f"/kota/laporan/{city.slug}.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "laporan-skm-kota" in response["Content-Disposition"]
    assert client.get(f"/kota/laporan/{city.slug}.exe").status_code == 404
    client.force_login(operator)
    assert client.get(f"/kota/laporan/{city.slug}.pdf").status_code == 403
