"""One document model for every generated report: a sequence of blocks, written by three thin renderers.

A report (unit or city) is built once as a `Document` of blocks (cover, heading, paragraph, list, table,
figure, page break, orientation change, signature) from the results service; `to_pdf`, `to_docx` and
`to_xlsx` only lay those blocks out, so the three formats cannot carry different sentences or numbers.

Table cells keep their type (int, Fraction/Decimal/float, date, text); each column says how it is shown:
PDF and Word print Indonesian notation ("22.823", "88,73", "1 Desember 2026"), Excel stores the number
or the date itself with a number format, so a reader can compute with it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from sumberdaya.core.dates import tanggal
from sumberdaya.reports import documents as doc
from sumberdaya.skm.numbers import MISSING, format_number, format_percent

Kind = Literal["text", "int", "number", "percent", "date"]
Cell = str | int | float | Fraction | Decimal | dt.date | None


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # centimetres on the page it is printed on; PDF uses the proportions
    kind: Kind = "text"
    places: int = 2


@dataclass(frozen=True)
class Cover:
    kicker: str
    title: str
    subject: str
    subtitle: str
    figure_label: str
    figure: str
    figure_note: str
    footer: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    """Level 1 is a chapter (BAB, LAMPIRAN): a new page, centred, lines split at "\\n". 2 and 3 are sections."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "plain", "note", "strong"] = "body"


@dataclass(frozen=True)
class NumberedList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: frozenset[int] = frozenset()  # bold rows (IKM, averages)
    caption: str = ""
    size: Literal["normal", "small", "tiny"] = "normal"
    empty: str = "Tidak ada."  # the single row printed when there are no rows
    # Kept on one page: by default a table of at most KEEP_ROWS rows. False for tables whose rows are tall
    # with text (the city recap: nine of them can outgrow a page, and its heading was left alone before it).
    keep: bool | None = None


@dataclass(frozen=True)
class Figure:
    chart: Any  # core.charts.Chart: svg() for the PDF, png() for Word
    caption: str
    width_cm: float = 15.0
    with_previous: bool = False  # on the same page as the block before it (a short table it illustrates)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Orientation:
    """Starts a new page in landscape or portrait (the city's wide recap tables)."""

    landscape: bool


@dataclass(frozen=True)
class Signature:
    place_date: str
    title: str
    name: str = ""
    nip: str = ""
    rank: str = ""


Block = Cover | Heading | Paragraph | NumberedList | Table | Figure | PageBreak | Orientation | Signature


@dataclass
class Document:
    title: str
    running: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self

    def paragraphs(self, text: str, style: Literal["body", "plain", "note", "strong"] = "body") -> Document:
        """Text typed in a textarea: blank lines separate paragraphs."""
        for part in split_paragraphs(text):
            self.blocks.append(Paragraph(part, style))
        return self

    @property
    def headings(self) -> list[str]:
        return [" ".join(b.text.split()) for b in self.blocks if isinstance(b, Heading)]


def split_paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def shown(value: Cell, column: Column) -> str:
    """A cell as PDF and Word print it."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return tanggal(value)
    if column.kind == "int":
        return format_number(value, 0)
    if column.kind == "percent":
        return format_percent(value, column.places)
    if column.kind == "number":
        return format_number(value, column.places)
    return str(value)


# --- PDF: HTML from the blocks, WeasyPrint --------------------------------------------------------

_SIZES = {"normal": "", "small": " small", "tiny": " tiny"}
KEEP_ROWS = 15


def html_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _html_table(table: Table) -> str:
    total = sum(c.width for c in table.columns) or 1
    cols = "".join(f'<col style="width:{100 * c.width / total:.2f}%">' for c in table.columns)
    head = "".join(f"<th>{html_text(c.title)}</th>" for c in table.columns)
    body = []
    for index, row in enumerate(table.rows):
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            css = ' class="num"' if column.kind in ("int", "number", "percent") and value is not None else ""
            cells.append(f"<td{css}>{html_text(shown(value, column))}</td>")
        css_row = ' class="total"' if index in table.total_rows else ""
        body.append(f"<tr{css_row}>{''.join(cells)}</tr>")
    if not table.rows:
        body.append(f'<tr><td colspan="{len(table.columns)}">{html_text(table.empty)}</td></tr>')
    # The caption is a paragraph kept with the table (a <caption> may be left alone at a page's foot), and a
    # short table is kept whole: only long ones break, between rows, with the header repeated.
    caption = f'<p class="caption">{html_text(table.caption)}</p>' if table.caption else ""
    keep = len(table.rows) <= KEEP_ROWS if table.keep is None else table.keep
    classes = " ".join(c for c in (_SIZES[table.size].strip(), "keep" if keep else "") if c)
    return (
        f'{caption}<table class="{classes}"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def to_html(document: Document, style: str = "") -> str:
    parts: list[str] = []
    landscape = False
    opened = False
    for block in document.blocks:
        if isinstance(block, Orientation):
            if opened:
                parts.append("</div>")
            landscape = block.landscape
            parts.append(f'<div class="{"landscape" if landscape else "portrait"}">')
            opened = True
        elif isinstance(block, Cover):
            parts.append(
                '<section class="cover"><div>'
                f'<div class="kicker">{html_text(block.kicker)}</div><h1>{html_text(block.title)}</h1>'
                f'<div class="rule"></div><div class="unit">{html_text(block.subject)}</div>'
                f"<div>{html_text(block.subtitle)}</div></div>"
                f'<div><div class="note">{html_text(block.figure_label)}</div>'
                f'<div class="big">{html_text(block.figure)}</div><div>{html_text(block.figure_note)}</div></div>'
                f'<div><div class="city">{html_text(block.footer[0])}</div>'
                + "".join(f"<div>{html_text(line)}</div>" for line in block.footer[1:])
                + "</div></section>"
                f'<div class="running">{html_text(document.running)}</div>'
            )
        elif isinstance(block, Heading):
            if block.level == 1:
                # The space between the lines is not laid out (the spans are blocks) but is in the PDF outline.
                spans = " ".join(f"<span>{html_text(line)}</span>" for line in block.text.split("\n"))
                parts.append(f'<h1 class="bab">{spans}</h1>')
            else:
                parts.append(f"<h{block.level}>{html_text(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f'<p class="{block.style}">{html_text(block.text)}</p>')
        elif isinstance(block, NumberedList):
            parts.append('<ol class="plain">' + "".join(f"<li>{html_text(i)}</li>" for i in block.items) + "</ol>")
        elif isinstance(block, Table):
            parts.append(_html_table(block))
        elif isinstance(block, Figure):
            figure = (
                f'<div class="figure" style="width:{block.width_cm}cm">{block.chart.svg()}'
                f'<div class="cap">{html_text(block.caption)}</div></div>'
            )
            if block.with_previous and parts:
                parts[-1] = f'<div class="keep-together">{parts[-1]}{figure}</div>'
            else:
                parts.append(figure)
        elif isinstance(block, PageBreak):
            parts.append('<div class="pagebreak"></div>')
        elif isinstance(block, Signature):
            parts.append(_html_signature(block))
    if opened:
        parts.append("</div>")
    from django.template.loader import render_to_string

    return render_to_string("reports/document.html", {"title": document.title, "body": "".join(parts), "style": style})


def _html_signature(block: Signature) -> str:
    name = html_text(block.name) if block.name else "(" + "." * 45 + ")"
    rows = [
        f"<div>{html_text(block.place_date)}</div>",
        f"<div>{html_text(block.title)}</div>",
        '<div class="space"></div>',
        f'<div class="name">{name}</div>',
    ]
    if block.rank:
        rows.append(f"<div>{html_text(block.rank)}</div>")
    rows.append(f"<div>NIP. {html_text(block.nip) if block.nip else '.' * 30}</div>")
    return f'<div class="sign">{"".join(rows)}</div>'


def to_pdf(document: Document) -> bytes:
    """The PDF, its parts laid out in parallel where that is safe (`reports.pdf`), else in one piece."""
    from sumberdaya.reports import pdf

    return pdf.to_pdf(document)


def single_pdf(document: Document) -> bytes:
    """The PDF laid out in one piece, in this process."""
    import weasyprint

    page = weasyprint.HTML(string=to_html(document), base_url="static:/", url_fetcher=doc.local_url_fetcher)
    return bytes(page.write_pdf())


# --- Word (python-docx) ---------------------------------------------------------------------------

_FONT = {"normal": 10, "small": 9, "tiny": 7}


def _docx_section(document: Any, landscape: bool, new: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = document.add_section(WD_SECTION.NEW_PAGE) if new else document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(1.5)
    else:
        section.top_margin = section.bottom_margin = section.right_margin = Cm(2.5)
        section.left_margin = Cm(3)


def _keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def to_docx(document: Document) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = doc.new_document()
    page_is_fresh = True  # nothing on the current page yet: a chapter need not (and must not) break again
    for block in document.blocks:
        if isinstance(block, Orientation):
            _docx_section(d, block.landscape, new=not page_is_fresh)
            page_is_fresh = True
            continue
        if isinstance(block, Cover):
            for _ in range(3):
                doc.add_paragraph(d)
            doc.add_paragraph(d, block.kicker.upper(), bold=True, center=True, size=13)
            doc.add_paragraph(d, block.title.upper(), bold=True, center=True, size=18)
            doc.add_paragraph(d, "—————", center=True)
            doc.add_paragraph(d, block.subject, bold=True, center=True, size=16)
            doc.add_paragraph(d, block.subtitle, center=True, size=13)
            for _ in range(3):
                doc.add_paragraph(d)
            doc.add_paragraph(d, block.figure_label, center=True, size=11)
            doc.add_paragraph(d, block.figure, bold=True, center=True, size=28)
            doc.add_paragraph(d, block.figure_note, center=True, size=11)
            for _ in range(4):
                doc.add_paragraph(d)
            doc.add_paragraph(d, block.footer[0].upper(), bold=True, center=True, size=14)
            for line in block.footer[1:]:
                doc.add_paragraph(d, line, center=True)
            page_is_fresh = False
            continue
        if isinstance(block, Heading):
            heading = doc.add_heading(d, block.text, min(block.level, 3), center=block.level == 1)
            if block.level == 1 and not page_is_fresh:
                heading.paragraph_format.page_break_before = True
            _keep_with_next(heading)
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph(
                d,
                block.text,
                bold=block.style == "strong",
                size=9 if block.style == "note" else None,
                justify=block.style == "body",
            )
            if block.style == "strong":
                _keep_with_next(paragraph)
        elif isinstance(block, NumberedList):
            for number, item in enumerate(block.items, start=1):
                doc.add_paragraph(d, f"{number}. {item}", justify=True)
        elif isinstance(block, Table):
            if block.caption:
                _keep_with_next(doc.add_paragraph(d, block.caption, bold=True, center=True, size=10))
            rows = [[shown(v, c) for v, c in zip(row, block.columns, strict=True)] for row in block.rows]
            if not rows:
                rows = [[block.empty, *[""] * (len(block.columns) - 1)]]
            doc.add_table(
                d,
                [c.title for c in block.columns],
                rows,
                widths_cm=[c.width for c in block.columns],
                numeric=[i for i, c in enumerate(block.columns) if c.kind in ("int", "number", "percent")],
                bold_rows=sorted(block.total_rows),
                font_size=_FONT[block.size],
            )
        elif isinstance(block, Figure):
            if block.with_previous and d.tables:
                # Word keeps a table with what follows when every row's paragraphs keep with the next.
                for row in d.tables[-1].rows:
                    for cell in row.cells:
                        for paragraph in cell.paragraphs:
                            _keep_with_next(paragraph)
                if d.paragraphs:
                    _keep_with_next(d.paragraphs[-1])  # the spacer paragraph after the table
            doc.add_image(d, block.chart.png(), block.width_cm, block.caption)
        elif isinstance(block, PageBreak):
            doc.add_page_break(d)
            page_is_fresh = True
            continue
        elif isinstance(block, Signature):
            _docx_signature(d, block, WD_ALIGN_PARAGRAPH)
        page_is_fresh = False
    return doc.docx_bytes(d)


def _docx_signature(d: Any, block: Signature, align: Any) -> None:
    from docx.shared import Cm

    lines = [block.place_date, block.title, "", "", ""]
    lines.append(block.name or "(" + "." * 45 + ")")
    if block.rank:
        lines.append(block.rank)
    lines.append(f"NIP. {block.nip or '.' * 30}")
    for index, text in enumerate(lines):
        paragraph = doc.add_paragraph(d, text, bold=index == 5 and bool(block.name), center=True)
        paragraph.paragraph_format.left_indent = Cm(8)
        paragraph.paragraph_format.space_after = 0
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        paragraph.alignment = align.CENTER


# --- Excel (openpyxl) -----------------------------------------------------------------------------

EXCEL_FORMATS = {"int": "#,##0", "date": "d mmmm yyyy"}
CM_TO_CHARS = 4.6  # an Excel column width unit is about one digit of the default font


def _excel_format(column: Column) -> str:
    if column.kind in EXCEL_FORMATS:
        return EXCEL_FORMATS[column.kind]
    return "#,##0." + "0" * column.places if column.places else "#,##0"


def _excel_value(value: Cell, column: Column) -> Any:
    if value is None:
        return MISSING
    if isinstance(value, str):
        return doc.cell_text(value)
    if isinstance(value, dt.date):
        return value
    if column.kind == "int":
        return int(value)
    if isinstance(value, Fraction | Decimal | float):
        from sumberdaya.skm.scoring import round_half_up

        # Stored as printed: Excel's own rounding of a binary float could differ from the report's.
        return float(round_half_up(value, column.places))
    return value


def _sheet_name(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", " ".join(text.split("\n")[0].split()))[:28] or "Laporan"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:25]} {n}", n + 1
    taken.add(name)
    return name


class _Sheet:
    """One chapter's sheet: blocks one below the other, widths the widest column needs, print setup."""

    def __init__(self, workbook: Any, title: str, landscape: bool) -> None:
        self.sheet = workbook.create_sheet(title)
        self.row = 1
        self.widths: dict[int, float] = {}
        self.title_rows: tuple[int, int] | None = None
        self.landscape = landscape
        self.span = 8

    def text(self, value: str, bold: bool = False, size: float | None = None, italic: bool = False) -> None:
        from openpyxl.styles import Alignment, Font

        cell = self.sheet.cell(row=self.row, column=1, value=doc.cell_text(value))
        cell.font = Font(bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.span)
        # Merged cells do not grow by themselves: about 110 characters fit on a line of the merged width.
        self.sheet.row_dimensions[self.row].height = 15 * max(1, len(value) // 110 + 1 + value.count("\n"))
        self.row += 1

    def table(self, table: Table) -> None:
        from openpyxl.styles import Alignment, Font

        if table.caption:
            self.text(table.caption, bold=True)
        header_row = self.row
        for index, column in enumerate(table.columns, start=1):
            self.sheet.cell(row=header_row, column=index, value=doc.cell_text(column.title))
            self.widths[index] = max(self.widths.get(index, 0), column.width * CM_TO_CHARS)
        doc.style_header(self.sheet, header_row, len(table.columns))
        self.sheet.freeze_panes = None
        if self.title_rows is None:
            self.title_rows = (header_row, header_row)
        self.row += 1
        rows = table.rows or ((table.empty, *[None] * (len(table.columns) - 1)),)
        for index, row in enumerate(rows):
            for number, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
                if not table.rows and number > 1:
                    continue
                cell = self.sheet.cell(row=self.row, column=number, value=_excel_value(value, column))
                if column.kind != "text" and value is not None and not isinstance(value, str):
                    cell.number_format = _excel_format(column)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if index in table.total_rows:
                    cell.font = Font(bold=True)
            self.row += 1
        self.row += 1

    def finish(self) -> None:
        doc.set_widths(self.sheet, [self.widths.get(i, 10) for i in range(1, max(self.widths or {1: 0}) + 1)])
        setup = self.sheet.page_setup
        setup.paperSize = self.sheet.PAPERSIZE_A4
        setup.orientation = "landscape" if self.landscape else "portrait"
        setup.fitToWidth, setup.fitToHeight = 1, 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if self.title_rows:
            self.sheet.print_title_rows = f"{self.title_rows[0]}:{self.title_rows[1]}"


def to_workbook(document: Document) -> Any:
    """The blocks as a workbook: one sheet per chapter (A4, fit to width, the table header repeated)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    taken: set[str] = set()
    landscape = False
    current: _Sheet | None = None

    def sheet(title: str) -> _Sheet:
        nonlocal current
        if current is not None:
            current.finish()
        current = _Sheet(workbook, _sheet_name(title, taken), landscape)
        return current

    for block in document.blocks:
        if isinstance(block, Orientation):
            landscape = block.landscape
            continue
        if isinstance(block, Cover):
            s = sheet("Sampul")
            for line in (block.kicker, block.title, block.subject, block.subtitle):
                s.text(line, bold=True, size=13)
            s.text(f"{block.figure_label}: {block.figure}", bold=True)
            s.text(block.figure_note)
            for line in block.footer:
                s.text(line)
            continue
        if isinstance(block, Heading) and block.level == 1:
            s = sheet(block.text)
            s.text(block.text.replace("\n", " "), bold=True, size=13)
            continue
        s = current or sheet(document.title)
        if isinstance(block, Heading):
            s.text(block.text, bold=True, size=12 if block.level == 2 else 11)
        elif isinstance(block, Paragraph):
            s.text(block.text, bold=block.style == "strong", italic=block.style == "note")
        elif isinstance(block, NumberedList):
            for number, item in enumerate(block.items, start=1):
                s.text(f"{number}. {item}")
        elif isinstance(block, Table):
            s.table(block)
        elif isinstance(block, Figure):
            s.text(f"{block.caption} (grafik pada versi PDF dan Word)", italic=True)
        elif isinstance(block, Signature):
            s.row += 1
            for line in (block.place_date, block.title, "", block.name or "(" + "." * 45 + ")", block.rank):
                if line or not block.rank:
                    s.text(line)
            s.text(f"NIP. {block.nip or '.' * 30}")
    if current is not None:
        current.finish()
    return workbook


def to_xlsx(document: Document, extra: Sequence[Any] = ()) -> bytes:
    workbook = to_workbook(document)
    for add in extra:
        add(workbook)
    return doc.workbook_bytes(workbook)
