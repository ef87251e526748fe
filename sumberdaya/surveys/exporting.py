"""Exports of responses, one row per questionnaire, as CSV or Excel, in memory that does not grow with the rows.

A unit (or the city) may hold a million responses in a period: the rows are read in chunks through a
server-side cursor on PostgreSQL (`iterator(chunk_size=…)`, only the exported columns), the CSV is streamed to
the client as it is written (StreamingHttpResponse), and the workbook is written by openpyxl in write-only
mode to a temporary file that is then sent (FileResponse) and deleted. `bench/export.py` measures the peak
memory of each export over 1 000 000 responses (target: under 200 MB).

Formula safety as everywhere (core/spreadsheet.py): a CSV text cell that a spreadsheet would run gets a
leading `'`; an Excel one stays text, marked with the quote-prefix style.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from sumberdaya.core.spreadsheet import formula_like, safe_cell
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import ANSWER_COLUMNS, Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000

HEADER = (
    "No",
    "Kode unit",
    "Unit",
    "Waktu pengisian",
    "Jenis layanan",
    "Metode",
    "Status",
    "Ditandai",
    "Jenis kelamin",
    "Umur",
    "Pendidikan",
    "Pekerjaan",
    *[element.key.upper() for element in ELEMENTS],
    "Jenis komentar",
    "Komentar",
)
FIELDS = (
    "unit__code",
    "unit__name",
    "submitted_at",
    "service__name",
    "channel",
    "status",
    "flag_reason",
    "sex",
    "age",
    "education",
    "occupation",
    *ANSWER_COLUMNS,
    "comment_kind",
    "comment",
)
CHANNELS = dict(Response.Channel.choices)
STATUSES = dict(Response.Status.choices)
COMMENT_KINDS = dict(Response.CommentKind.choices)


def rows(responses: QuerySet[Response]) -> Iterator[list[Any]]:
    """The header, then one list per response (oldest first): plain values, the time local and naive."""
    yield list(HEADER)
    values = responses.order_by("submitted_at", "pk").values_list(*FIELDS).iterator(chunk_size=CHUNK)
    zone = timezone.get_current_timezone()
    for number, row in enumerate(values, start=1):
        code, name, submitted, service, channel, status, flag, *rest = row
        *profile_and_answers, comment_kind, comment = rest
        yield [
            number,
            code,
            name,
            submitted.astimezone(zone).replace(tzinfo=None, microsecond=0),
            service or "",
            str(CHANNELS.get(channel, channel)),
            str(STATUSES.get(status, status)),
            flag,
            *profile_and_answers,
            str(COMMENT_KINDS.get(comment_kind, "")) if comment_kind else "",
            comment,
        ]


def csv_lines(responses: QuerySet[Response], batch: int = 1000) -> Iterator[str]:
    """The CSV text in pieces of `batch` rows (one piece per row made the streaming itself the cost)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    for number, row in enumerate(rows(responses)):
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
        if number % batch == batch - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return safe_cell(value)


def csv_response(responses: QuerySet[Response], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(responses), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_xlsx(responses: QuerySet[Response], target: Any, title: str = "Respons") -> None:
    """A write-only workbook (rows go to disk as they come) of the responses into `target` (a path or file)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    date_column = HEADER.index("Waktu pengisian")

    def cell(value: Any, **style: Any) -> Any:
        made = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(made, name, setting)
        if formula_like(value):
            made.data_type = "s"  # stays text, never a formula (core/spreadsheet.protect_cell)
            made.quotePrefix = True
        return made

    lines = rows(responses)
    sheet.append([cell(title, font=bold) for title in next(lines)])
    for row in lines:
        # Plain values are written as they are; only text a spreadsheet would run needs a cell of its own.
        values: list[Any] = [cell(v) if isinstance(v, str) and formula_like(v) else v for v in row]
        values[date_column] = cell(row[date_column], number_format="dd/mm/yyyy hh:mm")
        sheet.append(values)
    book.save(target)


def xlsx_response(responses: QuerySet[Response], filename: str) -> FileResponse:
    """The workbook written to a temporary file first (its memory stays flat), then sent from the file."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it after sending)
    write_xlsx(responses, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
