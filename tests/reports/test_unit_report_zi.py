"""The unit report's Zona Integritas section (SPKP and SPAK) prints the perception recap's numbers in every format."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from sumberdaya.perception.recap import perception_recap, unit_perception, unit_perception_section
from sumberdaya.reports.models import UnitReport
from sumberdaya.reports.render import render
from sumberdaya.reports.unit import report_data
from sumberdaya.skm.numbers import format_number, format_percent

pytestmark = pytest.mark.django_db

TITLE = "SURVEI PERSEPSI ZONA INTEGRITAS"


@pytest.fixture
def zi(demo: Any, period: Any, make_responses: Any) -> Any:
    """The demo unit (60 SKM responses) with 34 SPKP responses and 22 SPAK, 2 of them steered."""
    spkp = [[4, 3, 3, 4, 4, 3, 2, 4], [3, 3, 4, 3, 4, 4, 3, 3], [4, 4, 3, 2, 4, 3, 3, 4]]
    make_responses(demo, [spkp[i % 3] for i in range(34)], instrument="spkp")
    make_responses(demo, [[4, 4, 3, 4, 4]] * 12 + [[3, 4, 4, 3, 4]] * 8, instrument="spak", control=False)
    make_responses(demo, [[1, 1, 1, 1, 1]] * 2, instrument="spak", control=True)
    return demo


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def unit_row(unit: Any, period: Any, instrument: str) -> dict[str, Any]:
    return next(row for row in perception_recap(period, instrument)["units"] if row["code"] == unit.code)


def expected(unit: Any, period: Any) -> dict[str, dict[str, Any]]:
    """Per instrument the numbers as the perception pages compute them, formatted Indonesian."""
    numbers = {}
    for code in ("spkp", "spak"):
        row = unit_row(unit, period, code)
        score = unit_perception(unit, period, code).score
        assert format_number(row["index_0_100"]) == format_number(score.index)
        numbers[code] = {
            "respondents": row["respondents"],
            "mean": format_number(row["mean"], 3),
            "index": format_number(row["index_0_100"]),
            "items": [(format_number(s.mean, 3), format_number(s.index)) for s in score.items],
            "steered_share": format_percent(row["steered_share"]) if row["steered_share"] is not None else None,
        }
    return numbers


def test_the_section_data_is_the_perception_recaps(zi: Any, period: Any) -> None:
    section = report_data(zi, period).perception
    assert section == unit_perception_section(zi, period)
    spkp, spak = section["instruments"]
    assert (spkp["respondents"], spak["respondents"]) == (34, 20)  # the 2 steered SPAK left out by default
    assert spak["steered"] == 2 and spak["controlled"] == 22 and spak["exclude_steered"]


def test_the_pdf_prints_each_statement_the_index_respondents_and_the_steered_share(
    zi: Any, period: Any, tmp_path: Path
) -> None:
    numbers = expected(zi, period)
    text = pdf_text(render(report_data(zi, period), "pdf"), tmp_path)
    section = text[text.index("LAMPIRAN II") :]
    assert TITLE in section and re.search(r"^\s*LAMPIRAN I\s*$", text, re.M)
    lines = section.splitlines()
    for code, name in (("spkp", "SPKP"), ("spak", "SPAK")):
        n = numbers[code]
        block = section[section.index(f"{name} – Survei") :]
        total = next(line for line in lines if f"Indeks {name} (rata-rata seluruh" in line)
        assert n["mean"] in total and n["index"] in total, total
        assert f"{n['respondents']} responden" in block
        table = block[block.index("Pernyataan") :].splitlines()
        item_lines = [line for line in table if re.match(r"\s*\d+\s", line)]
        for number, (mean, index) in enumerate(n["items"], start=1):
            line = next(line for line in item_lines if line.strip().startswith(f"{number} "))
            assert mean in line and index in line, line
    flat = " ".join(section.split())  # phrases may wrap across lines
    assert "indeks (0–100) = rata-rata ÷ skala × 100" in flat
    assert "Skala jawaban 1–4" in flat
    assert f"{numbers['spak']['steered_share']} responden menyatakan diarahkan" in flat
    assert numbers["spak"]["steered_share"] == "9,1 %"
    assert "2 dari 22 responden" in flat and "dikeluarkan dari perhitungan indeks SPAK" in flat
    assert "< 30 responden" in flat  # SPAK has 20
    for letter in ("Mutu", "Sangat Baik"):
        assert letter not in section


def test_the_docx_has_the_same_tables_and_notes(zi: Any, period: Any) -> None:
    import docx

    numbers = expected(zi, period)
    document = docx.Document(io.BytesIO(render(report_data(zi, period), "docx")))
    tables = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells] == ["No", "Pernyataan", "Rata-rata", "Nilai (0–100)"]
    ]
    assert len(tables) == 2
    for table, code in zip(tables, ("spkp", "spak"), strict=True):
        n = numbers[code]
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert [(r[2], r[3]) for r in rows[:-1]] == n["items"]
        assert rows[-1][2:] == [n["mean"], n["index"]]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "LAMPIRAN II\n" + TITLE in body
    assert "34 responden" in body and "20 responden" in body
    assert "9,1 % responden menyatakan diarahkan" in body
    assert "2 dari 22 responden" in body and "dikeluarkan dari perhitungan indeks SPAK" in body
    assert "< 30 responden" in body and "rata-rata ÷ skala × 100" in body
    assert "disajikan pada Lampiran II" in body


def test_the_xlsx_sheet_holds_the_same_numbers(zi: Any, period: Any) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(render(report_data(zi, period), "xlsx")))
    sheet = book["LAMPIRAN II"]  # the appendix's chapter, as in the PDF and the Word file
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    for code, name in (("spkp", "SPKP"), ("spak", "SPAK")):
        row = unit_row(zi, period, code)
        score = unit_perception(zi, period, code).score
        start = next(i for i, r in enumerate(rows) if str(r[0]).startswith(f"{'1' if code == 'spkp' else '2'}. {name}"))
        block = rows[start:]
        assert any(f"{row['respondents']} responden" in str(r[0]) for r in block[:3])
        header = next(i for i, r in enumerate(block) if r[:2] == ["No", "Pernyataan"])
        items = block[header + 1 : header + 1 + len(score.items)]
        for cells, item in zip(items, score.items, strict=True):
            assert format_number(cells[2], 3) == format_number(item.mean, 3)
            assert format_number(cells[3]) == format_number(item.index)
        total = block[header + 1 + len(score.items)]
        assert format_number(total[2], 3) == format_number(row["mean"], 3)
        assert format_number(total[3]) == format_number(row["index_0_100"])
    assert any(str(r[0]).startswith("9,1 % responden menyatakan diarahkan") for r in rows)
    assert any("indeks (0–100) = rata-rata ÷ skala × 100" in str(r[0]) for r in rows)


def test_a_report_without_perception_responses_has_no_such_section(demo: Any, period: Any, tmp_path: Path) -> None:
    import docx
    import openpyxl

    data = report_data(demo, period)
    assert data.perception is None
    text = pdf_text(render(data, "pdf"), tmp_path)
    assert TITLE not in text and "LAMPIRAN II" not in text and "SPAK" not in text
    document = docx.Document(io.BytesIO(render(data, "docx")))
    assert not any("SPKP" in p.text for p in document.paragraphs)
    assert "SPKP-SPAK" not in openpyxl.load_workbook(io.BytesIO(render(data, "xlsx"))).sheetnames


def test_a_unit_with_only_spak_responses_gets_the_section_with_spkp_marked_empty(
    demo: Any, period: Any, make_responses: Any, tmp_path: Path
) -> None:
    make_responses(demo, [[4, 4, 3, 4, 4]] * 3, instrument="spak", control=False)
    data = report_data(demo, period)
    flat = " ".join(pdf_text(render(data, "pdf"), tmp_path).split())
    assert "Belum ada respons SPKP yang dihitung pada periode ini." in flat
    assert "Skala jawaban 1–4 · 0 responden." in flat
    spak = data.perception["instruments"][1]  # type: ignore[index]
    assert f"Indeks SPAK {format_number(spak['index_0_100'])} (0–100)" in flat
    assert "0,0 % responden menyatakan diarahkan" in flat and "0 dari 3 responden" in flat


def test_a_submission_freezes_the_section_and_an_older_snapshot_still_renders(
    client: Any, zi: Any, period: Any, operator: Any, make_responses: Any, tmp_path: Path
) -> None:
    before = unit_perception_section(zi, period)
    client.force_login(operator)
    client.post(reverse("reports:submit", args=[zi.code, period.slug]), {"early": "1"})  # the year has not ended
    report = UnitReport.objects.get(unit=zi, period=period)
    assert report.snapshot["perception"] == before
    make_responses(zi, [[1] * 8] * 5, instrument="spkp")  # later answers do not move the frozen section
    data = report_data(zi, period)
    assert data.frozen and data.perception == before
    assert unit_perception_section(zi, period) != before

    del report.snapshot["perception"]  # a snapshot taken before the section existed
    report.snapshot["version"] = 1
    report.save()
    old = report_data(zi, period)
    assert old.frozen and old.perception is None
    assert TITLE not in pdf_text(render(old, "pdf"), tmp_path)
    render(old, "docx"), render(old, "xlsx")


def test_the_report_page_shows_both_indices_and_links_to_the_perception_page(
    client: Any, zi: Any, period: Any, operator: Any
) -> None:
    numbers = expected(zi, period)
    client.force_login(operator)
    page = client.get(reverse("reports:unit", args=[zi.code]) + f"?periode={period.slug}").content.decode()
    assert "Survei persepsi Zona Integritas" in page
    assert f"{reverse('perception:unit', args=[zi.code])}?periode={period.slug}" in page
    for code in ("spkp", "spak"):
        assert f'data-testid="report-{code}-index">{numbers[code]["index"]}<' in page
        assert f'data-testid="report-{code}-respondents">{numbers[code]["respondents"]}<' in page
    assert "9,1 %" in page


def test_the_report_page_has_no_perception_card_without_responses(
    client: Any, demo: Any, period: Any, operator: Any
) -> None:
    client.force_login(operator)
    page = client.get(reverse("reports:unit", args=[demo.code]) + f"?periode={period.slug}").content.decode()
    assert "Survei persepsi Zona Integritas" not in page
