"""Spreadsheet bombs: refused by their size before parsing, or read only up to the row cap, in Indonesian.

No timing here: the work done is bounded by counting the cells the reader converts (benchmark:
bench/import_bombs.py).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from sumberdaya.surveys import importing
from sumberdaya.surveys.importing import TableTooLarge, UnreadableTable, read_table
from sumberdaya.surveys.models import Response
from tests.bombs import huge_shared_string, million_rows, xlsx

HEADER = ["submitted_at", *[f"u{i}" for i in range(1, 10)]]
ROW = ["2024-05-01", *["4"] * 9]


@pytest.fixture(scope="module")
def million() -> bytes:
    return million_rows(HEADER)


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many cells the xlsx reader turned into text (the work a file costs the server)."""
    count = [0]
    original = importing._cell_text

    def counting(value: Any) -> str:
        count[0] += 1
        return original(value)

    monkeypatch.setattr(importing, "_cell_text", counting)
    return count


@pytest.fixture
def unpacked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes were inflated out of the archive (the XML anyone parsed)."""
    total = [0]
    original = zipfile.ZipExtFile.read

    def counting(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = original(self, n)
        total[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return total


def test_a_million_rows_without_dimension_stop_at_the_row_cap(
    million: bytes, converted: list[int], unpacked: list[int]
) -> None:
    assert len(million) < 10 * 1024 * 1024  # small enough to pass the upload limit
    header, rows = read_table(io.BytesIO(million), "bom.xlsx", max_rows=20_000)
    assert header == HEADER
    with pytest.raises(TableTooLarge, match=r"lebih dari 20\.000 baris data"):
        for _row in rows:
            pass
    # The cap, the tolerated blank tail and the header: never the million rows (48 MB of XML), not even
    # to look for a <dimension> before the first row.
    assert converted[0] <= importing.MAX_COLUMNS + (20_000 + importing.BLANK_TAIL + 1) * len(HEADER)
    assert unpacked[0] < 4 * 1024 * 1024


def test_a_million_empty_rows_are_not_a_free_pass(converted: list[int]) -> None:
    # <row r="1000000"/> makes a reader pad 999 999 empty rows: blank rows past the cap count after a while.
    bomb = xlsx(HEADER, ([] for _ in range(200_000)))
    header, rows = read_table(io.BytesIO(bomb), "kosong.xlsx", max_rows=100)
    with pytest.raises(TableTooLarge):
        list(rows)
    assert converted[0] <= importing.MAX_COLUMNS + (100 + importing.BLANK_TAIL + 1) * len(HEADER)


def test_a_huge_shared_string_is_refused_before_openpyxl_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = huge_shared_string(HEADER)
    assert len(bomb) < 1024 * 1024

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workbook must not be opened")

    monkeypatch.setattr("openpyxl.reader.excel.ExcelReader.read", never)
    with pytest.raises(UnreadableTable, match="Teks di berkas Excel ini terlalu besar"):
        read_table(io.BytesIO(bomb), "teks.xlsx", max_rows=20_000)


def test_an_archive_that_unpacks_far_beyond_the_budget_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # stored: no ratio to give it away
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (80 * 1024 * 1024))
    with pytest.raises(UnreadableTable, match=r"bila dibuka berukuran 80 MB \(paling besar 64 MB\)"):
        read_table(io.BytesIO(buffer.getvalue()), "bom.xlsx", max_rows=20_000)


def test_a_member_compressed_a_thousand_times_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (20 * 1024 * 1024))
    with pytest.raises(UnreadableTable, match="mengembang lebih dari 100×"):
        read_table(io.BytesIO(buffer.getvalue()), "bom.xlsx", max_rows=20_000)


def test_a_wide_claimed_dimension_does_not_pad_rows() -> None:
    book = xlsx([*HEADER, "", ""], [ROW] * 3)
    header, rows = read_table(io.BytesIO(book), "lebar.xlsx", max_rows=10)
    assert header == HEADER and [len(r) for r in rows] == [len(HEADER)] * 3


def test_a_csv_over_its_size_budget_is_refused_without_parsing(tmp_path: Path) -> None:
    data = io.BytesIO(b"submitted_at\n" + b"\n" * (64 * 1024 * 1024))
    with pytest.raises(UnreadableTable, match="Berkas CSV lebih besar dari 64 MB"):
        read_table(data, "besar.csv", max_rows=1000)


def test_a_csv_of_blank_lines_stops_soon_after_the_cap() -> None:
    data = io.BytesIO(("submitted_at\n" + "x\n" * 50 + "\n" * 500_000).encode())
    header, rows = read_table(data, "kosong.csv", max_rows=50)
    seen = 0
    with pytest.raises(TableTooLarge):
        for _row in rows:
            seen += 1
    assert seen <= 50 + importing.BLANK_TAIL


@pytest.mark.django_db
def test_the_browser_import_answers_a_bomb_with_an_indonesian_message(
    client: Any, unit: Any, operator: Any, million: bytes
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator)
    url = reverse("workspace:import", args=[unit.code])
    page = client.post(url, {"file": SimpleUploadedFile("bom.xlsx", million)}, follow=True)
    assert page.status_code == 200  # the preview page answers, after reading at most the cap
    assert "lebih dari 20.000 baris data" in page.content.decode()
    text_bomb = client.post(url, {"file": SimpleUploadedFile("teks.xlsx", huge_shared_string(HEADER))})
    assert text_bomb.status_code == 400 and "Teks di berkas Excel ini terlalu besar" in text_bomb.content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_the_cli_refuses_a_bomb_with_exit_code_1(tmp_path: Path) -> None:
    from django.core.management import call_command

    path = tmp_path / "teks.xlsx"
    path.write_bytes(huge_shared_string(HEADER))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_responses", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1 and "terlalu besar" in err.getvalue()
    assert not Response.objects.exists()


def test_an_ordinary_file_reads_as_before() -> None:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, ROW, ROW])
    header, rows = read_table(io.BytesIO(out.getvalue().encode()), "biasa.csv", max_rows=2)
    assert header == HEADER and list(rows) == [ROW, ROW]
    header, rows = read_table(io.BytesIO(xlsx(HEADER, [ROW, ROW])), "biasa.xlsx", max_rows=2)
    assert header == HEADER and list(rows) == [ROW, ROW]
