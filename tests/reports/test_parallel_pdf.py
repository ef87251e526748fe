"""A PDF laid out in parallel parts is the document laid out in one piece: same pages, text, numbers, outline."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sumberdaya.reports import blocks as B
from sumberdaya.reports import pdf as P

LONG = "Menambah loket pelayanan dan memperbaiki alur antrean di ruang tunggu " * 3


def _document() -> B.Document:
    columns = (B.Column("No", 1.0, "int"), B.Column("Unit", 6.0), B.Column("IKM", 2.0, "number"), B.Column("RTL", 12))
    rows = tuple((i, f"Unit pelayanan {i}", 80 + i / 7, LONG) for i in range(1, 41))
    d = B.Document("Laporan uji", "Laporan uji · Tahun 2026")
    d.add(
        B.Cover("Laporan", "Survei Kepuasan Masyarakat", "Kota Uji", "Tahun 2026", "IKM", "88,73", "A", ("Kota",)),
        B.Heading("BAB I\nPENDAHULUAN"),
        B.Heading("1.1 Latar Belakang", 2),
    )
    d.paragraphs("Paragraf pertama. " * 80 + "\n\n" + "Paragraf kedua. " * 60)
    d.add(
        B.Orientation(landscape=True),
        B.Heading("BAB II\nHASIL"),
        B.Heading("Kelompok A", 3),
        B.Table(columns, rows[:20], size="tiny"),
        B.PageBreak(),
        B.Heading("Kelompok B", 3),
        B.Table(columns, rows[20:], size="tiny"),
        B.Orientation(landscape=False),
        B.Heading("2.2 Ringkasan", 2),
        B.Paragraph("Ringkasan hasil. " * 40),
        B.Heading("LAMPIRAN"),
        B.Table(columns[:3], tuple(row[:3] for row in rows)),
    )
    return d


def _pages(content: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def _outline(content: bytes) -> list[tuple[int, str, int, float]]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(content))
    out: list[tuple[int, str, int, float]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item), round(float(item.top), 1)))

    walk(reader.outline, 0)
    return out


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.SKM_PDF_WORKERS = 2
    # Another test's thread (a live server) would make the PDF lay out in one piece.
    monkeypatch.setattr(P, "threads", lambda: 1)
    monkeypatch.setattr(P, "PARALLEL_FROM", 0)  # this small document too


def test_the_parts_start_after_every_forced_page_break() -> None:
    parts = P.split(_document())
    firsts = [part.blocks[0] for part in parts]
    assert [type(b).__name__ for b in firsts] == [
        "Cover",
        "Heading",
        "Orientation",
        "Heading",
        "Orientation",
        "Heading",
    ]
    assert [part.landscape for part in parts] == [None, None, None, True, True, False]
    assert sum(len(part.blocks) for part in parts) == len(_document().blocks)


def test_a_figure_kept_with_its_table_is_never_cut_from_it() -> None:
    class Chart:
        def svg(self) -> str:
            return "<svg></svg>"

    d = B.Document("x", "x", [B.Heading("BAB I"), B.PageBreak(), B.Table((B.Column("A", 1),), (("a",),))])
    d.add(B.Figure(Chart(), "Grafik", with_previous=True))
    parts = P.split(d)
    assert isinstance(parts[-1].blocks[0], B.Table) and isinstance(parts[-1].blocks[-1], B.Figure)


@pytest.mark.usefixtures("forking")
def test_the_parallel_pdf_has_the_pages_text_page_numbers_and_outline_of_the_whole(tmp_path: Path) -> None:
    document = _document()
    whole = B.single_pdf(document)
    joined = B.to_pdf(document)
    assert P.last_stats.parallel and P.last_stats.parts >= 2 and len(P.last_stats.worker_cpu) == P.last_stats.parts
    one, two = _pages(whole, tmp_path, "one.pdf"), _pages(joined, tmp_path, "two.pdf")
    assert len(one) >= 8 and len(two) == len(one)
    assert two == one
    # Pages are numbered through (the cover has no number), the running head stands on every later page.
    for number, page in enumerate(two[1:], start=2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] == str(number), (number, lines[-1:])
        assert "Laporan uji · Tahun 2026" in lines[0]
    assert _outline(joined) == _outline(whole)
    titles = [title for _depth, title, _page, _top in _outline(joined)]
    assert titles[1:4] == ["BAB I PENDAHULUAN", "1.1 Latar Belakang", "BAB II HASIL"]


@pytest.mark.usefixtures("forking")
def test_with_one_worker_it_lays_the_document_out_in_one_piece(settings: Any, tmp_path: Path) -> None:
    settings.SKM_PDF_WORKERS = 1
    document = _document()
    content = B.to_pdf(document)
    assert not P.last_stats.parallel and P.last_stats.processes == 1
    assert _pages(content, tmp_path, "one.pdf") == _pages(B.single_pdf(document), tmp_path, "two.pdf")


@pytest.mark.usefixtures("forking")
def test_a_small_document_is_laid_out_in_one_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P, "PARALLEL_FROM", 10**9)
    B.to_pdf(_document())
    assert not P.last_stats.parallel and P.last_stats.parts >= 2
