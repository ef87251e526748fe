"""PDF of a block document, its parts laid out side by side in worker processes and joined.

WeasyPrint lays a document out in one thread, and the city report's landscape recap alone is most of its
seconds. A block document falls apart at its forced page breaks (a chapter heading, a change of
orientation, a page break, the cover): what follows such a break lays out the same whether it is the
start of its own document or the next page of the whole one. So `to_pdf`:

1. cuts the blocks at those breaks into parts (neighbouring small ones together), each its own HTML with
   the same style sheet, but without the margin boxes (page number, running head);
2. lays the parts out in forked worker processes (largest first), each returning its PDF and, per page,
   the page's name, size and bookmarks;
3. lays out one more document of empty pages of the same names, with the margin boxes and the bookmarks
   of all parts, so WeasyPrint itself numbers the pages, repeats the running head and writes the outline
   as it would for the whole document;
4. draws every part's page under the matching page of that document (pypdf).

The result has the pages, text, page numbers and outline of the document laid out in one piece
(`tests/reports/test_parallel_pdf.py` compares the two page by page). It falls back to one piece where
forking is not safe or not worth it: a small document (the unit report), one part, one worker
(`SKM_PDF_WORKERS=1`), a process with other Python threads, inside a worker process.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sumberdaya.reports import blocks as B
from sumberdaya.reports import documents as doc

log = logging.getLogger(__name__)

# Drawn by the document of empty pages instead (step 3): a part's own pages would all start at 1.
NO_MARGIN_BOXES = "@page { @top-right { content: none; } @bottom-center { content: none; } }"
CELL_COST = 25  # a table cell costs WeasyPrint about as much as 25 characters of text
FIGURE_COST = 3000
# Below this estimated cost (the unit report: about 25 000; the demo city report: 180 000) the document is
# laid out in one piece: the parts' fixed costs (style sheet, fonts in every part) outweigh the gain.
PARALLEL_FROM = 80_000


@dataclass(frozen=True)
class Part:
    """Consecutive blocks starting after a forced page break; `landscape` is the orientation in force
    (None before the first orientation block: the default page)."""

    landscape: bool | None
    blocks: tuple[B.Block, ...]
    cost: int


@dataclass(frozen=True)
class LaidOut:
    pdf: bytes
    pages: tuple[tuple[str, float, float, tuple[Any, ...]], ...]  # name, width, height, bookmarks
    cpu: float  # the worker's CPU seconds for this part


def workers() -> int:
    """How many processes lay out a PDF: SKM_PDF_WORKERS, by default the machine's cores (at most 4)."""
    configured = getattr(settings, "SKM_PDF_WORKERS", None)
    if configured is not None:
        return max(1, int(configured))
    return max(1, min(4, os.cpu_count() or 1))


def _starts_page(block: B.Block) -> bool:
    return isinstance(block, B.Orientation | B.Cover) or (isinstance(block, B.Heading) and block.level == 1)


def _cost(block: B.Block) -> int:
    if isinstance(block, B.Table):
        text = sum(len(B.shown(v, c)) for row in block.rows for v, c in zip(row, block.columns, strict=True))
        return text + CELL_COST * (len(block.rows) + 1) * len(block.columns)
    if isinstance(block, B.Paragraph | B.Heading):
        return len(block.text) + 50
    if isinstance(block, B.NumberedList):
        return sum(len(item) for item in block.items) + 50
    if isinstance(block, B.Figure):
        return FIGURE_COST
    return 300


def split(document: B.Document) -> list[Part]:
    """The blocks cut at every forced page break (a figure kept with the block before it stays with it)."""
    parts: list[Part] = []
    landscape: bool | None = None  # the orientation in force; None: the default page, before any
    current: list[B.Block] = []
    current_landscape: bool | None = None
    after_break = False
    for block in document.blocks:
        kept = isinstance(block, B.Figure) and block.with_previous
        only_orientation = all(isinstance(b, B.Orientation) for b in current)
        if current and not only_orientation and not kept and (after_break or _starts_page(block)):
            parts.append(Part(current_landscape, tuple(current), sum(_cost(b) for b in current)))
            current = []
        if not current:
            current_landscape = landscape
        if isinstance(block, B.Orientation):
            landscape = block.landscape
        current.append(block)
        after_break = isinstance(block, B.PageBreak)
    if current:
        parts.append(Part(current_landscape, tuple(current), sum(_cost(b) for b in current)))
    return parts


def group(parts: Sequence[Part], processes: int) -> list[Part]:
    """Neighbouring small parts joined (each laid-out document has a fixed cost: style sheet, fonts), so
    that about three parts per process remain; a part is never cut."""
    total = sum(p.cost for p in parts)
    target = total / (3 * processes)
    out: list[Part] = []
    for part in parts:
        previous = out[-1] if out else None
        if previous is not None and previous.cost + part.cost <= target:
            out[-1] = Part(previous.landscape, previous.blocks + part.blocks, previous.cost + part.cost)
        else:
            out.append(part)
    return out


def part_html(document: B.Document, part: Part) -> str:
    """A part as its own HTML document, in the orientation in force where it starts, without margin boxes."""
    blocks: list[B.Block] = list(part.blocks)
    if part.landscape is not None and not isinstance(blocks[0], B.Orientation):
        blocks.insert(0, B.Orientation(part.landscape))
    return B.to_html(B.Document(document.title, document.running, blocks), style=NO_MARGIN_BOXES)


def _lay_out(html: str) -> LaidOut:
    import weasyprint

    started = time.process_time()
    rendered = weasyprint.HTML(string=html, base_url="static:/", url_fetcher=doc.local_url_fetcher).render()
    pages = []
    for page in rendered.pages:
        if page.links or page.anchors:
            # Links and anchors would point into this part only; the caller lays the document out whole.
            raise _NotSplittable("links or anchors")
        pages.append((page._page_box.page_type.name or "", page.width, page.height, tuple(page.bookmarks)))
    pdf = bytes(rendered.write_pdf())
    return LaidOut(pdf, tuple(pages), time.process_time() - started)


def _work(job: tuple[int, str]) -> tuple[int, LaidOut | str]:
    index, html = job
    try:
        return index, _lay_out(html)
    except _NotSplittable as reason:
        return index, str(reason)


class _NotSplittable(Exception):
    pass


def _frame_html(document: B.Document, pages: Sequence[tuple[str, float, float, tuple[Any, ...]]]) -> str:
    """Empty pages with the names of the laid-out ones: WeasyPrint draws their page numbers and running head."""
    running = any(isinstance(b, B.Cover) for b in document.blocks)
    body = []
    for number, (name, _width, _height, _bookmarks) in enumerate(pages):
        inner = f'<div class="running">{B.html_text(document.running)}</div>' if running and number == 0 else ""
        body.append(f'<div style="page: {name or "auto"}; break-before: page; height: 1px">{inner}</div>')
    from django.template.loader import render_to_string

    return render_to_string("reports/document.html", {"title": document.title, "body": "".join(body), "style": ""})


@dataclass
class Stats:
    """What the last parallel build cost, for bench/reports.py."""

    parts: int = 0
    processes: int = 0
    worker_cpu: tuple[float, ...] = ()
    parallel: bool = False


last_stats = Stats()


def to_pdf(document: B.Document) -> bytes:
    processes = workers()
    parts = group(split(document), processes)
    last_stats.parallel, last_stats.parts, last_stats.processes, last_stats.worker_cpu = False, len(parts), 1, ()
    if len(parts) < 2 or processes < 2 or sum(p.cost for p in parts) < PARALLEL_FROM or not _can_fork():
        return B.single_pdf(document)
    joined = _parallel(document, parts, min(processes, len(parts)))
    return joined if joined is not None else B.single_pdf(document)


def threads() -> int:
    """Python threads of this process. Threads of native libraries (the chart renderer's, pytest-xdist's)
    are not counted: the workers never call into them, and glibc keeps malloc usable in a forked child."""
    return threading.active_count()


def _can_fork() -> bool:
    # A fork copies only the calling thread: a lock another Python thread holds would stay locked.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threads() == 1
        and not multiprocessing.current_process().daemon
    )


def _default_signals() -> None:
    """In a worker: the default SIGTERM and SIGINT (the task worker's own handlers only set a flag, and
    the pool could not stop its workers)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


_warm = False


def _warm_up() -> None:
    """Once per process, before the first fork: a small document through WeasyPrint, so the workers inherit
    its loaded fonts, hyphenation dictionary and caches instead of each paying for them (0,15 s a worker)."""
    global _warm
    if _warm:
        return
    import weasyprint

    table = B.Table((B.Column("Unsur", 3.0), B.Column("Nilai", 2.0, "number")), (("Persyaratan pelayanan", 88.5),))
    sample = B.Document(
        "Laporan",
        "Laporan",
        [
            B.Heading("BAB I\nPENDAHULUAN"),
            B.Heading("1.1 Latar Belakang", 2),
            B.Paragraph("Pelayanan publik yang baik merupakan hak setiap warga negara penyelenggara pelayanan."),
            B.Paragraph("Catatan", "note"),
            table,
            B.Table(table.columns, table.rows, size="tiny"),
        ],
    )
    html = B.to_html(sample)
    weasyprint.HTML(string=html, base_url="static:/", url_fetcher=doc.local_url_fetcher).write_pdf()
    _warm = True


def _parallel(document: B.Document, parts: Sequence[Part], processes: int) -> bytes | None:
    import pypdf
    import weasyprint

    _warm_up()

    jobs = sorted(((i, part_html(document, p)) for i, p in enumerate(parts)), key=lambda job: -parts[job[0]].cost)
    laid: dict[int, LaidOut] = {}
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_default_signals)
    try:
        for index, result in pool.imap_unordered(_work, jobs):
            if isinstance(result, str):
                log.info("PDF laid out in one piece: %s", result)
                return None
            laid[index] = result
        pool.close()
    finally:
        pool.terminate()
        pool.join()
    pages = [page for i in range(len(parts)) for page in laid[i].pages]

    frame = weasyprint.HTML(
        string=_frame_html(document, pages), base_url="static:/", url_fetcher=doc.local_url_fetcher
    ).render()
    if len(frame.pages) != len(pages) or any(
        abs(f.width - w) > 0.01 or abs(f.height - h) > 0.01
        for f, (_n, w, h, _b) in zip(frame.pages, pages, strict=True)
    ):
        log.warning("PDF frame pages do not match the parts' pages; laid out in one piece")
        return None
    for frame_page, (_name, _w, _h, bookmarks) in zip(frame.pages, pages, strict=True):
        frame_page.bookmarks = list(bookmarks)
    framed = pypdf.PdfReader(io.BytesIO(frame.write_pdf()))
    writer = pypdf.PdfWriter()
    for i in range(len(parts)):
        writer.append(pypdf.PdfReader(io.BytesIO(laid[i].pdf)), import_outline=False)
    for page, margins in zip(writer.pages, framed.pages, strict=True):
        # The margin boxes over the body, as WeasyPrint draws them (the small page is the one merged in:
        # its few resource names are renamed, the body's content stream is not parsed).
        page.merge_page(margins, over=True)
        page.compress_content_streams()
    _outline(writer, frame.make_bookmark_tree(scale=0.75, transform_pages=True), None)
    writer.add_metadata({str(k): str(v) for k, v in (framed.metadata or {}).items()})
    root: Any = framed.trailer["/Root"]
    if "/Lang" in root:
        writer._root_object[pypdf.generic.NameObject("/Lang")] = root["/Lang"]
    out = io.BytesIO()
    writer.write(out)
    last_stats.parallel, last_stats.processes = True, processes
    last_stats.worker_cpu = tuple(laid[i].cpu for i in range(len(parts)))
    return out.getvalue()


def _outline(writer: Any, bookmarks: Sequence[Any], parent: Any) -> None:
    """WeasyPrint's bookmark tree as the PDF outline, with its destinations (XYZ, points from the bottom)."""
    from pypdf.generic import Fit

    for title, (page, x, y), children, state in bookmarks:
        item = writer.add_outline_item(
            title=title, page_number=page, parent=parent, fit=Fit.xyz(left=x, top=y, zoom=0), is_open=state != "closed"
        )
        _outline(writer, children, item)
