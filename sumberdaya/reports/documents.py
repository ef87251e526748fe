"""Shared building blocks for every generated document (unit report, city report): PDF, Word, Excel.

- Dates: `tanggal()` gives "28 November 2026" (Django's Indonesian locale).
- Text: `plain_text()` drops characters XML (docx, xlsx) cannot hold; templates escape the rest.
- PDF: `render_pdf(template, context)` renders a Django template with WeasyPrint, offline: only
  `data:` URLs and the app's own static files are fetched, anything else is refused.
  Templates extend `reports/document_base.html` (A4, serif, bordered tables, page numbers in the footer).
- Word: `new_document()`, `add_heading()`, `add_paragraph()`, `add_table()`, `add_image()`, `docx_bytes()`.
- Excel: `cell_text()` (plain + neutralised with safe_cell), `style_header()`, `set_widths()`,
  `NUMBER_FORMAT`, `workbook_bytes()`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from sumberdaya.core.dates import tanggal, tanggal_jam  # noqa: F401 (the renderers write doc.tanggal)
from sumberdaya.core.spreadsheet import append_safe_row, safe_cell

# Control characters (except tab/newline) and lone surrogates are not valid in XML 1.0.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

NUMBER_FORMAT = "0.00"  # Excel shows it with the reader's locale: 88,73 in Indonesian Excel
NRR_FORMAT = "0.0000"
HEADER_FILL = "DCE6E2"


def plain_text(value: Any) -> str:
    """Any value as text safe for XML documents (docx, xlsx): invalid control characters removed."""
    return _NOT_XML.sub("", "" if value is None else str(value))


# --- PDF (WeasyPrint) -----------------------------------------------------------------------------


class RefusedURL(ValueError):
    pass


def local_url_fetcher(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """Fetch only data: URLs and the app's static files; a report never reaches the network."""
    import weasyprint

    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    marker = "/static/"
    if url.startswith("static:") or marker in url:
        relative = url.split("static:", 1)[1] if url.startswith("static:") else url.split(marker, 1)[1]
        found = finders.find(relative.lstrip("/"))
        if found and not relative.startswith("..") and ".." not in Path(relative).parts:
            path = Path(found if isinstance(found, str) else found[0])
            return {"string": path.read_bytes(), "filename": path.name}
    raise RefusedURL(f"Alamat luar tidak diizinkan dalam dokumen: {url[:80]}")


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to PDF bytes with WeasyPrint, offline."""
    import weasyprint

    html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url="static:/", url_fetcher=local_url_fetcher)
    return bytes(document.write_pdf())


# --- Word (python-docx) ---------------------------------------------------------------------------


def new_document(font: str = "Times New Roman", size: int = 12) -> Any:
    """An A4 document with 3/3/4/3 cm margins (the usual government layout) and page numbers."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = section.right_margin = Cm(2.5)
        section.left_margin = Cm(3)
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15
    for level in (1, 2, 3):
        heading = document.styles[f"Heading {level}"]
        heading.font.name = font
        heading.font.color.rgb = None
        heading.font.size = Pt({1: 14, 2: 12, 3: 12}[level])
    add_page_number_footer(document)
    return document


def add_page_number_footer(document: Any) -> None:
    """A centred PAGE field in every section's footer (Word and LibreOffice fill in the number)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)


def add_heading(document: Any, text: str, level: int = 1, center: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    heading = document.add_heading(plain_text(text), level=level)
    if center:
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return heading


def add_paragraph(
    document: Any,
    text: str = "",
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    size: int | None = None,
    justify: bool = False,
) -> Any:
    """A paragraph of plain text; newlines in the text become line breaks (never markup)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    lines = plain_text(text).split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def add_paragraphs(document: Any, text: str, justify: bool = True) -> None:
    """Text with blank-line separated paragraphs (as typed in a textarea)."""
    for block in re.split(r"\n\s*\n", plain_text(text).strip()):
        if block.strip():
            add_paragraph(document, block.strip(), justify=justify)


def add_table(
    document: Any,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths_cm: Sequence[float] | None = None,
    numeric: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    font_size: int = 10,
) -> Any:
    """A bordered table ("Table Grid") with a bold, shaded header; `numeric` columns right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"

    def fill(cell: Any, value: Any, bold: bool, right: bool) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(plain_text(value))
        run.bold = bold
        run.font.size = Pt(font_size)

    for index, title in enumerate(header):
        cell = table.rows[0].cells[index]
        fill(cell, title, True, False)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shading)
    # Repeat the header row on every page the table spans.
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for row_index, row in enumerate(rows):
        added = table.add_row()
        keep = OxmlElement("w:cantSplit")  # a row never breaks across pages
        keep.set(qn("w:val"), "true")
        added._tr.get_or_add_trPr().append(keep)
        cells = added.cells
        for index, value in enumerate(row):
            fill(cells[index], value, row_index in bold_rows, index in numeric)
    if widths_cm:
        # LibreOffice reads the grid columns, Word the cell widths: set both.
        table.autofit = False
        for index, width in enumerate(widths_cm):
            table.columns[index].width = Cm(width)
        for row in table.rows:
            for index, width in enumerate(widths_cm):
                row.cells[index].width = Cm(width)
    document.add_paragraph()
    return table


def add_image(document: Any, png: bytes, width_cm: float = 15.0, caption: str = "") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if caption:
        add_paragraph(document, caption, italic=True, center=True, size=10)


def add_page_break(document: Any) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel (openpyxl) -----------------------------------------------------------------------------


def new_workbook(first_sheet_title: str) -> tuple[Any, Any]:
    """A workbook and its first sheet, renamed (typed Any: openpyxl's `active` may be None to mypy)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = first_sheet_title
    return workbook, sheet


def cell_text(value: Any) -> Any:
    """Text for a cell: XML-safe and never run as a formula. Numbers and dates pass unchanged."""
    if isinstance(value, str):
        return safe_cell(plain_text(value))
    return value


def style_header(sheet: Any, row: int = 1, columns: int | None = None) -> None:
    """Bold, shaded, bordered, wrapped header cells; freezes the rows above the data."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="8A94A3")
    last = columns or sheet.max_column
    for column in range(1, last + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = f"A{row + 1}"  # a coordinate: sheet.cell() would create an empty row


def set_widths(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row with every text neutralised (citizen and operator text never becomes a formula).

    Formula-like text keeps its exact characters and gets the quote-prefix style (no visible `'`).
    """
    append_safe_row(sheet, [plain_text(value) if isinstance(value, str) else value for value in values])


def workbook_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_cells(sheet: Any, titles: Sequence[str]) -> list[Any]:
    """A header row for a write-only sheet, styled as `style_header` styles one in a normal sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="8A94A3")
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=cell_text(title))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def streamed_workbook_bytes(workbook: Any, streamed: Sequence[tuple[str, Callable[[Any], None]]]) -> bytes:
    """The workbook saved in openpyxl's write-only mode, then the streamed sheets after its own.

    The workbook's sheets (the report's chapters, a computation sheet: small) are copied cell by cell with
    their styles, formulas, merged cells, sizes and print setup; each `(title, write)` of `streamed` gets a
    write-only sheet that `write` fills row by row, so a sheet of 100 000 responses is never held in memory.
    """
    from openpyxl import Workbook

    out = Workbook(write_only=True)
    for sheet in workbook.worksheets:
        _copy_sheet(sheet, out.create_sheet(sheet.title))
    for title, write in streamed:
        write(out.create_sheet(title))
    return workbook_bytes(out)


def _copy_sheet(sheet: Any, target: Any) -> None:
    from copy import copy

    from openpyxl.cell import WriteOnlyCell

    # What write-only mode writes before the first row must be set first: widths, panes, fit to page.
    for key, dimension in sheet.column_dimensions.items():
        target.column_dimensions[key].width = dimension.width
    for index, dimension in sheet.row_dimensions.items():
        if dimension.height:
            target.row_dimensions[index].height = dimension.height
    target.freeze_panes = sheet.freeze_panes
    target.sheet_properties.pageSetUpPr = copy(sheet.sheet_properties.pageSetUpPr)
    setup, source = target.page_setup, sheet.page_setup
    setup.paperSize, setup.orientation = source.paperSize, source.orientation
    setup.fitToWidth, setup.fitToHeight = source.fitToWidth, source.fitToHeight
    if sheet.print_title_rows:
        target.print_title_rows = sheet.print_title_rows
    for merged in sheet.merged_cells.ranges:
        target.merged_cells.add(str(merged))
    for row in sheet.iter_rows():
        cells: list[Any] = []
        for cell in row:
            if cell.value is None and not cell.has_style:
                cells.append(None)
                continue
            new = WriteOnlyCell(target, value=cell.value)
            if cell.has_style:
                new.font, new.fill, new.border = copy(cell.font), copy(cell.fill), copy(cell.border)
                new.alignment, new.protection = copy(cell.alignment), copy(cell.protection)
                new.number_format, new.quotePrefix = cell.number_format, cell.quotePrefix
            new.data_type = cell.data_type  # a protected "=…" text stays text
            cells.append(new)
        target.append(cells)
