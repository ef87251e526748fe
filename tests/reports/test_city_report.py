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
from sumberdaya.results.service import period_results
from sumberdaya.skm.numbers import format_number

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://jahat.example","klik")'


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
    paragraphs = " ".join(" ".join(p.text.split()) for p in document.paragraphs)
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
    # The report's chapters (the same blocks as PDF and Word), then the flat recap for sorting and filtering.
    assert book.sheetnames == ["Sampul", "BAB I", "BAB II", "BAB III", "BAB IV", "LAMPIRAN", "Rekap"]
    assert book["BAB III"].page_setup.orientation == "landscape" and book["BAB III"].print_title_rows
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


def _docx_text(period: Any) -> str:
    from docx import Document

    document = Document(io.BytesIO(render_city_report(period, "docx")))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def test_without_an_earlier_period_the_report_makes_no_first_time_claim(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(
        unit, [[3] * 9], when=dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    )
    text = _docx_text(period)
    assert "BAB IV KESIMPULAN" in text and "Kelurahan Mawar" in text  # the report answered, with its unit
    assert "pertama kali" not in text


def test_with_earlier_periods_it_names_exactly_the_units_new_this_year(city: Any, other_unit: Any) -> None:
    from sumberdaya.city.report import city_document, city_report_data
    from sumberdaya.reports.blocks import Heading, Table

    # Mawar has an imported 2024 result; Cempaka has none before this year.
    blocks = city_document(city_report_data(city)).blocks
    start = blocks.index(Heading("4.2 Unit yang baru pertama kali melaksanakan SKM", 2))
    table = next(b for b in blocks[start:] if isinstance(b, Table))
    assert [row[1] for row in table.rows] == ["Puskesmas Cempaka"]
    assert "1 unit melaksanakan SKM untuk pertama kali" in _docx_text(city)


def test_the_admin_edits_and_removes_generated_sentences_kept_per_period(
    client: Any, city: Any, admin_user: Any
) -> None:
    from sumberdaya.city.report import city_report_data, generated_sentences

    generated = generated_sentences(city_report_data(city))
    assert "missing" in generated and "categories" in generated
    client.force_login(admin_user)
    page = client.get(f"/kota/narasi/{city.slug}/")
    assert page.status_code == 200 and generated["categories"] in page.content.decode()
    form = page.context["form"]
    post = {name: field.value() or "" for name, field in ((n, form[n]) for n in form.fields)}
    post.update(
        {
            "kalimat_categories": "",  # removed
            "kalimat_city": "IKM kota tahun ini disampaikan oleh Sekda.",  # edited
            "letter_number": "800/123/Org/2026",
            "letter_date": "2026-03-02",
            "signer_name": "Dr. H. Ikhsan Budiman",
            "signer_nip": "19700101 199003 1 001",
            "reasons": "",
        }
    )
    response = client.post(f"/kota/narasi/{city.slug}/", post)
    assert response.status_code == 302
    stored = ReportNarrative.objects.get(period=city)
    assert stored.sentences == {"categories": "", "city": "IKM kota tahun ini disampaikan oleh Sekda."}
    text = _docx_text(city)
    assert "IKM kota tahun ini disampaikan oleh Sekda." in text and "Sebaran kategori" not in text
    assert "Nomor 800/123/Org/2026 tanggal 2 Maret 2026" in text
    assert "Dr. H. Ikhsan Budiman" in text and "NIP. 19700101 199003 1 001" in text
    assert generated["missing"] in text  # an untouched sentence stays as generated


def test_a_bad_reason_line_is_refused_in_indonesian_and_nothing_is_lost(
    client: Any, city: Any, admin_user: Any
) -> None:
    client.force_login(admin_user)
    page = client.get(f"/kota/narasi/{city.slug}/")
    form = page.context["form"]
    post = {name: form[name].value() or "" for name in form.fields}
    post.update({"reasons": "tanpa titik dua", "letter_number": "800/9/Org"})
    response = client.post(f"/kota/narasi/{city.slug}/", post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Baris 1: tulis kode unit, titik dua, lalu alasannya." in html and "800/9/Org" in html
    assert not ReportNarrative.objects.filter(period=city, letter_number="800/9/Org").exists()


def test_a_units_chosen_priorities_appear_by_name_in_its_report_the_recap_and_the_city_report(
    client: Any, city: Any, unit: Any, admin_user: Any, tmp_path: Path
) -> None:
    from sumberdaya.followup.models import Priority
    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data

    Priority.objects.create(unit=unit, period=city, elements=["biaya", "pengaduan"])
    chosen = ("Biaya/tarif", "Penanganan pengaduan, saran dan masukan")
    import docx

    word = docx.Document(io.BytesIO(render(report_data(unit, city), "docx")))
    unit_text = " ".join(" ".join([p.text for p in word.paragraphs]).split())
    assert "Unsur prioritas perbaikan yang dipilih unit adalah Biaya/tarif (" in unit_text
    table = next(t for t in word.tables if t.rows[0].cells[1].text == "Unsur prioritas perbaikan")
    assert [row.cells[1].text for row in table.rows[1:]] == [f"U4 {chosen[0]}", f"U9 {chosen[1]}"]
    client.force_login(admin_user)
    page = client.get(f"/kota/?periode={city.slug}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Biaya/tarif; Penanganan pengaduan, saran dan masukan" in html
    assert "(usulan)" in html  # Cempaka chose nothing: its lowest elements are shown as proposed
    city_text = _docx_text(city)
    assert "Biaya/tarif; Penanganan pengaduan, saran dan masukan" in city_text


def test_the_trend_starts_with_the_citys_published_figures_marked_as_such(city: Any, tmp_path: Path) -> None:
    from sumberdaya.city.models import PublishedFigure
    from sumberdaya.city.report import city_report_data

    PublishedFigure.objects.create(year=2019, ikm=Decimal("81.50"), units=120, source="Laporan SKM Kota 2019")
    PublishedFigure.objects.create(year=2019, series="Kelurahan", ikm=Decimal("83.10"), units=52)
    # 2024 has an imported unit result in the system: the system's value wins over a published one.
    PublishedFigure.objects.create(year=2024, ikm=Decimal("70.00"), units=90)
    data = city_report_data(city)
    assert [p.name for p in data.trend_periods] == ["Tahun 2019", "Tahun 2024", city.name]
    city_row = dict(data.trend_rows)["Kota"]
    assert [format_number(c.value) if c else None for c in city_row] == [
        "81,50",
        "79,92",
        format_number(period_results(city).city.value),
    ]
    text = _docx_text(city)
    assert "Tahun 2019 81,50 B (Baik) 120 Angka terbit" in text and "83,10† (52)" in text
    assert "70,00" not in text.split("3.3 Tren IKM")[1].split("BAB IV")[0]
