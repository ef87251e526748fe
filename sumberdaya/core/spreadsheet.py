"""Spreadsheet safety shared by every export (Excel, CSV) and every import (the zip-bomb checks).

Formula safety lives here and only here: `formula_like` decides, `safe_cell` neutralises text for CSV
(a visible leading `'`, the only defence a CSV has), `append_safe_row` / `protect_cell` neutralise xlsx
cells with the cell's quote-prefix style, so the text shows exactly as typed and is never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip leading blanks before deciding a cell is a formula (" =1+1", "\n=HYPERLINK(...)").
_SKIPPED_BEFORE_FORMULA = " \n\t\r\u00a0"


def formula_like(value: Any) -> bool:
    """True for text a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, -1+1, @SUM, " =1")."""
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(_FORMULA_START) or value.lstrip(_SKIPPED_BEFORE_FORMULA).startswith(_FORMULA_START)


def safe_cell(value: Any) -> Any:
    """CSV: neutralise formula-like text with a leading `'`; anything else passes unchanged."""
    if formula_like(value):
        return "'" + value
    return value


def protect_cell(cell: Any) -> None:
    """xlsx: keep a formula-like text as text, marked with the quote-prefix style (Excel shows no `'`)."""
    if formula_like(cell.value):
        cell.data_type = "s"  # openpyxl makes "=..." a formula on assignment
        cell.quotePrefix = True


def append_safe_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl sheet with every formula-like text protected by `protect_cell`."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        protect_cell(cell)


# ---------------------------------------------------------------------------------------------------
# Reading uploaded workbooks safely: an .xlsx is a zip archive, and a few kilobytes can unpack to
# gigabytes (a "zip bomb") or to one giant shared string that openpyxl loads whole. Check the archive's
# own directory (sizes as declared, compression ratio) before any XML is parsed.

MAX_ARCHIVE_MEMBERS = 500
MAX_RATIO = 100  # real sheets compress 5–20×; a bomb, hundreds to thousands ×
RATIO_CHECKED_FROM = 1024 * 1024  # small members may compress well without harm
MAX_SHARED_STRINGS = 16 * 1024 * 1024


class ArchiveRefused(ValueError):
    """An .xlsx whose unpacked size or compression ratio is not that of a real spreadsheet (Indonesian text)."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_xlsx_archive(fileobj: Any, max_unpacked: int, max_shared_strings: int = MAX_SHARED_STRINGS) -> None:
    """Refuse an .xlsx before opening it when it would unpack to more than `max_unpacked` bytes.

    Reads only the zip directory (and rewinds the file). The sizes are the archive's own claims; a member
    that lies about its size is stopped by zipfile itself when it inflates past the declared size.
    """
    import zipfile

    start = fileobj.tell()
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveRefused(f"Berkas Excel tidak dapat dibaca ({error}); simpan ulang sebagai .xlsx.") from error
    finally:
        fileobj.seek(start)
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ArchiveRefused(
            f"Berkas Excel berisi {len(members)} bagian (paling banyak {MAX_ARCHIVE_MEMBERS}); "
            "simpan ulang hanya lembar datanya sebagai .xlsx atau .csv."
        )
    for member in members:
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml") and member.file_size > max_shared_strings:
            raise ArchiveRefused(
                f"Teks di berkas Excel ini terlalu besar ({_megabytes(member.file_size)}, paling besar "
                f"{_megabytes(max_shared_strings)}); periksa sel yang berisi teks sangat panjang."
            )
        if member.file_size >= RATIO_CHECKED_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ArchiveRefused(
                "Berkas Excel ini tidak wajar: isinya mengembang lebih dari "
                f"{MAX_RATIO}× saat dibuka. Simpan ulang dari Excel atau unggah sebagai .csv."
            )
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise ArchiveRefused(
            f"Berkas Excel ini bila dibuka berukuran {_megabytes(unpacked)} (paling besar "
            f"{_megabytes(max_unpacked)}); pecah menjadi beberapa berkas atau simpan sebagai .csv."
        )


def open_first_sheet(fileobj: Any) -> tuple[Any, Any]:
    """(read-only workbook, its first worksheet) streamed by openpyxl, without its <dimension> scan.

    openpyxl's read-only sheet looks for <dimension> when it is opened; when the element is missing its
    parser reads the whole sheet to find out (a million rows: ~15 s before the first row is returned).
    The dimension is never trusted here anyway (rows are capped while streaming), so this sheet skips it;
    only the first sheet is opened at all. Call `check_xlsx_archive` first.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class FirstSheetOnly(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    sheet_obj = StreamedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                    self.wb._sheets.append(sheet_obj)  # type: ignore[attr-defined]
                    return

    class StreamedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            """No dimension: rows are read as written, `max_row`/`max_column` stay unknown."""

    reader = FirstSheetOnly(fileobj, read_only=True, data_only=True)
    reader.read()
    if not reader.wb.worksheets:
        reader.wb.close()
        raise ValueError("tidak ada lembar kerja")
    return reader.wb, reader.wb.worksheets[0]
