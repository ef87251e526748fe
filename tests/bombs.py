"""Hostile spreadsheet files for the tests and `bench/import_bombs.py` (the audit's probes, rebuilt).

Built in memory with zipfile so no library "helps" by writing a <dimension> or splitting strings.
"""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_SHARED_RELATION = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    + _SHARED_RELATION
    + "</Relationships>"
)
_SHEET_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_END = "</sheetData></worksheet>"
_COLUMNS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _cell(column: int, row: int, value: str) -> str:
    ref = f"{_COLUMNS[column]}{row}"
    if value.isdigit():
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, values: list[str]) -> str:
    return f'<row r="{number}">' + "".join(_cell(i, number, v) for i, v in enumerate(values)) + "</row>"


def _shared_strings(text: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><t>{text}</t></si></sst>"
    )


def _package(archive: zipfile.ZipFile, shared_strings: str) -> None:
    """Everything of a one-sheet workbook but the sheet itself."""
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr("xl/workbook.xml", _WORKBOOK)
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    archive.writestr("xl/sharedStrings.xml", _shared_strings(shared_strings))


def xlsx(header: list[str], rows: object, shared_strings: str = "") -> bytes:
    """An .xlsx (no <dimension>) of `header` and the rows an iterable yields, plus a sharedStrings part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _package(archive, shared_strings)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_START.encode())
            sheet.write(_row(1, header).encode())
            chunk: list[str] = []
            for number, values in enumerate(rows, start=2):  # type: ignore[call-overload]
                chunk.append(_row(number, values))
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + _SHEET_END).encode())
    return buffer.getvalue()


def million_rows(header: list[str], count: int = 1_000_000) -> bytes:
    """The audit's first bomb: a ~5 MB .xlsx with a million one-cell data rows and no <dimension>.

    Row numbers differ, so it compresses like a real sheet (about 10×), not like a bomb.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _package(archive, "")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write((_SHEET_START + _row(1, header)).encode())
            template = '<row r="%d"><c r="B%d"><v>4</v></c></row>'
            for start in range(2, count + 2, 50_000):
                numbers = range(start, min(start + 50_000, count + 2))
                sheet.write("".join([template % (n, n) for n in numbers]).encode())
            sheet.write(_SHEET_END.encode())
    return buffer.getvalue()


def huge_shared_string(header: list[str], size: int = 64 * 1024 * 1024) -> bytes:
    """The audit's second bomb: a few hundred kilobytes that unpack to one enormous shared string."""
    return xlsx(header, iter(()), shared_strings="A" * size)
