"""THE reader and validator of response files (CSV or Excel), shared by the CLI and the browser import.

A file has one questionnaire per row under the header
`unit,submitted_at,service,channel,u1..u9,sex,age,education,occupation,comment` (plus an optional
`comment_kind`). Importing is all or nothing: `parse_responses` checks every row and collects every
problem with the row number a spreadsheet shows (header = row 1); `store_responses` saves only a clean
result, in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from sumberdaya.accounts.models import User
from sumberdaya.core.spreadsheet import ArchiveRefused, check_xlsx_archive, open_first_sheet
from sumberdaya.surveys.models import ImportRecord, Response
from sumberdaya.units.models import Service, Unit

ANSWER_KEYS = tuple(f"u{i}" for i in range(1, 10))
CONTRACT_COLUMNS = (
    "unit",
    "submitted_at",
    "service",
    "channel",
    *ANSWER_KEYS,
    "sex",
    "age",
    "education",
    "occupation",
    "comment",
)
OPTIONAL_EXTRA_COLUMNS = ("comment_kind",)
# The same columns under Indonesian headings (the import template's), accepted beside the English ones;
# u1..u9 are the same in both. Spaces or underscores, any case: "Kode unit" = "kode_unit".
INDONESIAN_COLUMNS = {
    "unit": "kode_unit",
    "submitted_at": "tanggal",
    "service": "jenis_layanan",
    "channel": "metode",
    "sex": "jenis_kelamin",
    "age": "umur",
    "education": "pendidikan",
    "occupation": "pekerjaan",
    "comment": "saran",
    "comment_kind": "jenis_komentar",
}
TEMPLATE_COLUMNS = tuple(INDONESIAN_COLUMNS.get(c, c) for c in (*CONTRACT_COLUMNS, *OPTIONAL_EXTRA_COLUMNS))
REQUIRED_COLUMNS = ("unit", "submitted_at")  # u1..u9 must be in the header too, but their cells may be empty
MAX_COMMENT = 2000
STORE_BATCH = 5000
MAX_ROWS = 500_000  # the CLI's cap; the browser import passes its own, smaller one
MAX_COLUMNS = 256  # a Google Forms export has ~30; more is not a questionnaire
BLANK_TAIL = 1000  # blank rows tolerated after the last allowed row
BYTES_PER_ROW = 2048  # file-size budget per allowed row (an .xlsx: unpacked), never less than MIN_BYTE_BUDGET
MIN_BYTE_BUDGET = 64 * 1024 * 1024
PROGRESS_EVERY = 1000

_ANSWERS = {text: value for value in (1, 2, 3, 4) for text in (str(value), f"{value}.0", f"{value},0")}
_CHANNELS = {
    "online": "online",
    "daring": "online",
    "web": "online",
    "google form": "online",
    "google forms": "online",
    "kiosk": "kiosk",
    "kios": "kiosk",
    "tablet": "kiosk",
    "paper": "paper",
    "kertas": "paper",
    "kuesioner kertas": "paper",
    "manual": "paper",
    "interview": "interview",
    "wawancara": "interview",
}
_SEXES = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "p": "P", "perempuan": "P", "wanita": "P"}
_EDUCATION_ALIASES = {
    "sltp": "SMP",
    "sma/smk": "SMA",
    "smk": "SMA",
    "slta": "SMA",
    "d1": "D1-D3",
    "d2": "D1-D3",
    "d3": "D1-D3",
    "diploma": "D1-D3",
    "s1": "S1/D4",
    "d4": "S1/D4",
}
_COMMENT_KINDS = {choice.lower(): choice for choice in Response.CommentKind.values}


def _field(name: str) -> Any:
    return Response._meta.get_field(name)


def _choices(choices: Iterable[tuple[Any, Any]], aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Lower-cased value and label (and aliases) -> stored value."""
    table = {str(label).lower(): value for value, label in choices}
    table.update({value.lower(): value for value, _label in choices})
    table.update(aliases or {})
    return table


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    rows: int = 0
    responses: list[Response] = field(default_factory=list)  # unsaved
    errors: list[RowError] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.header_errors

    def problems(self) -> list[str]:
        """Every problem as one Indonesian line, header first."""
        return [*self.header_errors, *(str(error) for error in self.errors)]


class TableTooLarge(Exception):
    """The file has more data rows than allowed."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(f"Berkas berisi lebih dari {max_rows:,} baris data.".replace(",", "."))
        self.max_rows = max_rows


class UnreadableTable(ValueError):
    """Not a CSV or Excel file we can read; the message says why, in Indonesian."""


# ---------------------------------------------------------------------------------------------------
# Reading


def read_table(
    fileobj: BinaryIO, filename: str, max_rows: int = MAX_ROWS
) -> tuple[list[str], Iterator[list[str]]]:
    """The header and an iterator over the data rows, every cell a string (empty when blank).

    .csv: UTF-8 with or without BOM, else cp1252; delimiter "," or ";" (Indonesian Excel) sniffed.
    .xlsx: the first sheet, numbers and dates turned into the text a person would type (4.0 -> "4").
    Iterating raises TableTooLarge past `max_rows` data rows, and stops there: the rest is never read.
    Before anything is parsed the file's size (an .xlsx: its unpacked size, compression ratio and
    shared-strings part) is checked against what `max_rows` rows can need, so a small "bomb" file is
    refused in milliseconds with an Indonesian message (UnreadableTable) instead of holding a worker.
    """
    name = filename.lower()
    budget = max(MIN_BYTE_BUDGET, max_rows * BYTES_PER_ROW)
    if name.endswith(".xlsx"):
        header, rows = _read_xlsx(fileobj, budget)
    elif name.endswith((".csv", ".txt")):
        header, rows = _read_csv(fileobj, budget)
    else:
        raise UnreadableTable("Jenis berkas tidak didukung: unggah berkas .csv atau .xlsx.")
    return header, _limited(rows, max_rows)


def _limited(rows: Iterator[list[str]], max_rows: int) -> Iterator[list[str]]:
    blank_tail = 0
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            # Trailing blank rows (common in Excel) do not count against the limit, but only so many:
            # a million empty rows is a way to keep the server busy, not a spreadsheet.
            if not any(row) and blank_tail < BLANK_TAIL:
                blank_tail += 1
                continue
            if hasattr(rows, "close"):
                rows.close()
            raise TableTooLarge(max_rows)
        yield row


def _read_csv(fileobj: BinaryIO, budget: int) -> tuple[list[str], Iterator[list[str]]]:
    data = fileobj.read(budget + 1)
    if len(data) > budget:
        raise UnreadableTable(
            f"Berkas CSV lebih besar dari {budget // (1024 * 1024)} MB; pecah menjadi beberapa berkas."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)][:MAX_COLUMNS]
    except StopIteration:
        return [], iter(())
    except csv.Error as error:
        raise UnreadableTable(f"Berkas CSV tidak dapat dibaca: {error}.")
    return header, _csv_rows(reader)


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    line = 1
    try:
        for line, row in enumerate(reader, start=2):  # noqa: B007 (line is reported on error)
            yield row[:MAX_COLUMNS]
    except csv.Error as error:
        raise UnreadableTable(f"Baris {line + 1}: CSV rusak ({error}).")


def _read_xlsx(fileobj: BinaryIO, budget: int) -> tuple[list[str], Iterator[list[str]]]:
    import zipfile

    try:
        check_xlsx_archive(fileobj, budget)
    except ArchiveRefused as error:
        raise UnreadableTable(str(error)) from error
    try:
        # A claimed <dimension> (or none) must not make openpyxl pad rows to 16 384 columns or a million
        # rows, nor scan the sheet for it: rows stream as written, at most MAX_COLUMNS, then header wide.
        workbook, sheet = open_first_sheet(fileobj)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableTable(f"Berkas Excel tidak dapat dibaca ({error}); simpan ulang sebagai .xlsx.")
    first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
    if first is None:
        workbook.close()
        return [], iter(())
    header = [_cell_text(cell).strip() for cell in first]
    while header and not header[-1]:
        header.pop()
    if not header:
        workbook.close()
        return [""], iter(())
    values = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)

    def rows() -> Iterator[list[str]]:
        try:
            for row in values:
                yield [_cell_text(cell) for cell in row]
        finally:
            workbook.close()

    return header, rows()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------------
# Checking


def parse_responses(
    header: list[str],
    rows: Iterable[list[str]],
    *,
    mapping: Mapping[str, str] | None = None,
    allowed_units: Collection[str] | None = None,
    default_unit: Unit | None = None,
    default_channel: str = "paper",
    entered_by: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParseResult:
    """Check every row and build unsaved Responses; every problem of every row is collected.

    mapping: contract column -> the header used in the file (e.g. a Google Forms export).
    allowed_units: unit codes the importing user may write to.
    default_unit: the unit of rows when the file has no unit column (import inside one unit's workspace).
    """
    result = ParseResult()
    positions, result.header_errors = _locate_columns(header, mapping or {}, default_unit is not None)
    if result.header_errors:
        return result
    checker = _RowChecker(positions, header, allowed_units, default_unit, default_channel, entered_by)
    number = 1
    for number, cells in enumerate(rows, start=2):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number - 1)
        if not any(cell.strip() for cell in cells if cell):
            continue  # a blank line is not a questionnaire
        result.rows += 1
        response, errors = checker.check(number, cells)
        if errors:
            result.errors.extend(errors)
        elif response is not None and not result.errors:
            result.responses.append(response)
    if result.errors:
        result.responses = []  # all or nothing: nothing of a refused file is kept around
    if result.rows == 0 and not result.errors:
        result.header_errors.append("Berkas tidak berisi baris data di bawah baris judul.")
    if progress is not None:
        progress(number - 1)  # every line read, blank ones included
    return result


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _locate_columns(
    header: list[str], mapping: Mapping[str, str], has_default_unit: bool
) -> tuple[dict[str, int], list[str]]:
    """Where each contract column sits in the file, and the header problems (row 1)."""
    if not any(cell.strip() for cell in header):
        return {}, ["Baris 1: baris judul kosong; baris pertama harus berisi nama kolom."]
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        found.setdefault(_normal(cell), index)
    positions: dict[str, int] = {}
    for column in (*CONTRACT_COLUMNS, *OPTIONAL_EXTRA_COLUMNS):
        wanted = _normal(mapping.get(column, column))
        if wanted in found:
            positions[column] = found[wanted]
        elif column not in mapping and column in INDONESIAN_COLUMNS:
            indonesian = INDONESIAN_COLUMNS[column]
            for cell, index in found.items():
                if cell.replace(" ", "_") == indonesian:
                    positions[column] = index
                    break
    needed = [c for c in (*REQUIRED_COLUMNS, *ANSWER_KEYS) if not (c == "unit" and has_default_unit)]
    missing = [
        mapping[column] if column in mapping else f"{column} ({INDONESIAN_COLUMNS[column]})"
        if column in INDONESIAN_COLUMNS else column
        for column in needed
        if column not in positions
    ]
    errors = []
    if missing:
        errors.append(f"Baris 1: kolom {', '.join(missing)} tidak ada di baris judul.")
    counts = Counter(_normal(cell) for cell in header if cell.strip())
    wanted_names = {_normal(mapping.get(column, column)) for column in (*CONTRACT_COLUMNS, *OPTIONAL_EXTRA_COLUMNS)}
    duplicated = sorted(name for name in wanted_names if counts[name] > 1)
    if duplicated:
        errors.append(f"Baris 1: kolom {', '.join(duplicated)} muncul lebih dari sekali.")
    return positions, errors


class _RowChecker:
    """Checks one row at a time with unit and service lookups cached for the whole file."""

    def __init__(
        self,
        positions: dict[str, int],
        header: list[str],
        allowed_units: Collection[str] | None,
        default_unit: Unit | None,
        default_channel: str,
        entered_by: User | None,
    ) -> None:
        self.positions = positions
        self.titles = {column: header[index].strip() or column for column, index in positions.items()}
        self.allowed = None if allowed_units is None else {code.lower() for code in allowed_units}
        self.default_unit = default_unit
        self.default_channel = default_channel
        self.entered_by = entered_by
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.services: dict[int, dict[str, Service]] = {}
        for service in Service.objects.filter(active=True).order_by("order", "name"):
            self.services.setdefault(service.unit_id, {})[_normal(service.name)] = service
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        self.education = _choices(Response.Education.choices, _EDUCATION_ALIASES)
        self.occupation = _choices(Response.Occupation.choices)
        fields = Response._meta.concrete_fields
        self.slots = {f.attname: index for index, f in enumerate(fields)}
        self.template = [f.get_default() for f in fields]  # created_at: one "now" for the whole file
        self.template[self.slots["entered_by_id"]] = entered_by.pk if entered_by is not None else None
        self.answer_positions = [(f"a{i}", key, positions[key]) for i, key in enumerate(ANSWER_KEYS, start=1)]

    def check(self, number: int, cells: list[str]) -> tuple[Response | None, list[RowError]]:
        errors: list[RowError] = []

        def cell(column: str) -> str:
            index = self.positions.get(column)
            if index is None or index >= len(cells):
                return ""
            value = cells[index]
            return value.strip() if value else ""

        def problem(column: str | None, message: str) -> None:
            errors.append(RowError(number, self.titles.get(column, column) if column else None, message))

        values: dict[str, Any] = {}
        unit = self._unit(cell("unit"), problem)
        values["submitted_at"] = self._moment(cell("submitted_at"), problem)
        answered = 0
        for attribute, key, index in self.answer_positions:
            text = cells[index].strip() if index < len(cells) and cells[index] else ""
            if not text:
                continue
            answer = _ANSWERS.get(text)
            if answer is None:
                problem(key, f"nilai '{text}' tidak sah; isi 1, 2, 3, 4 atau kosongkan.")
            else:
                values[attribute] = answer
                answered += 1
        if answered == 0 and not any(e.column in {self.titles.get(k) for k in ANSWER_KEYS} for e in errors):
            problem(None, "semua jawaban u1–u9 kosong; baris tanpa jawaban tidak dapat dihitung.")
        service_name = cell("service")
        if service_name and unit is not None:
            values["service"] = self._service(unit, service_name, problem)
        values["channel"] = self._channel(cell("channel"), problem)
        self._profile(cell, problem, values)
        if errors or unit is None:
            return None, errors
        return self._build(unit, values), errors

    def _build(self, unit: Unit, values: dict[str, Any]) -> Response:
        """A Response built from positional values: Django's keyword path costs 3× more, felt at 100 000 rows."""
        row = self.template.copy()
        row[self.slots["unit_id"]] = unit.pk
        service = values.pop("service", None)
        if service is not None:
            row[self.slots["service_id"]] = service.pk
        for name, value in values.items():
            row[self.slots[name]] = value
        response = Response(*row)
        # Keep the related objects at hand so showing the rows needs no query per row.
        _field("unit").set_cached_value(response, unit)
        if service is not None:
            _field("service").set_cached_value(response, service)
        if self.entered_by is not None:
            _field("entered_by").set_cached_value(response, self.entered_by)
        return response

    def _unit(self, code: str, problem: Callable[[str | None, str], None]) -> Unit | None:
        if not code:
            if self.default_unit is not None:
                return self.default_unit
            problem("unit", "kode unit kosong.")
            return None
        unit = self.units.get(code.lower())
        if unit is None:
            problem("unit", f"kode unit '{code}' tidak dikenal.")
            return None
        if not unit.active:
            problem("unit", f"unit '{code}' tidak aktif.")
            return None
        if self.allowed is not None and unit.code not in self.allowed:
            problem("unit", f"Anda tidak berwenang mengisi data unit '{code}'.")
            return None
        return unit

    def _moment(self, text: str, problem: Callable[[str | None, str], None]) -> dt.datetime | None:
        if not text:
            problem("submitted_at", "tanggal pengisian kosong.")
            return None
        moment = parse_moment(text, self.tz, self.now)
        if moment is None:
            problem(
                "submitted_at",
                f"tanggal '{text}' tidak dikenal; tulis 2024-06-30, 2024-06-30 09:15 atau 30/06/2024 09:15.",
            )
            return None
        if moment > self.now:
            problem("submitted_at", f"tanggal '{text}' ada di masa depan.")
            return None
        return moment

    def _service(self, unit: Unit, name: str, problem: Callable[[str | None, str], None]) -> Service | None:
        services = self.services.get(unit.pk, {})
        service = services.get(_normal(name))
        if service is None:
            known = ", ".join(s.name for s in services.values()) or "belum ada jenis layanan"
            problem("service", f"jenis layanan '{name}' tidak ada di {unit.name} (pilihan: {known}).")
        return service

    def _channel(self, text: str, problem: Callable[[str | None, str], None]) -> str:
        if not text:
            return self.default_channel
        channel = _CHANNELS.get(_normal(text))
        if channel is None:
            problem("channel", f"metode '{text}' tidak dikenal; pilih online, kiosk, paper atau interview.")
            return self.default_channel
        return channel

    def _profile(
        self, cell: Callable[[str], str], problem: Callable[[str | None, str], None], values: dict[str, Any]
    ) -> None:
        sex = cell("sex")
        if sex:
            values["sex"] = _SEXES.get(_normal(sex), "")
            if not values["sex"]:
                problem("sex", f"jenis kelamin '{sex}' tidak dikenal; isi L atau P.")
        age = cell("age")
        if age:
            number = age[:-2] if age.endswith((".0", ",0")) else age
            if number.isdigit() and 10 <= int(number) <= 120:
                values["age"] = int(number)
            else:
                problem("age", f"umur '{age}' tidak sah; isi bilangan bulat 10–120.")
        for column, table in (("education", self.education), ("occupation", self.occupation)):
            text = cell(column)
            if not text:
                continue
            value = table.get(_normal(text))
            if value is None:
                allowed = ", ".join(sorted(set(table.values())))
                problem(column, f"nilai '{text}' tidak dikenal; pilih salah satu: {allowed}.")
            else:
                values[column] = value
        comment = cell("comment")
        if len(comment) > MAX_COMMENT:
            problem("comment", f"komentar {len(comment)} karakter, paling banyak {MAX_COMMENT}.")
        values["comment"] = comment
        kind = cell("comment_kind")
        if kind:
            values["comment_kind"] = _COMMENT_KINDS.get(_normal(kind), "")
            if not values["comment_kind"]:
                problem("comment_kind", f"jenis komentar '{kind}' tidak dikenal; pilih keluhan, pujian atau saran.")


_DAY_FIRST = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_TIMES = ("%H:%M:%S", "%H:%M", "%H.%M.%S", "%H.%M")


def _date_alone(day: dt.date, tz: ZoneInfo, now: dt.datetime | None) -> dt.datetime:
    """A date without a time: 12:00 local, or `now` when that noon is still to come today (a paper form of
    this morning entered before noon is not in the future)."""
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
    return min(noon, now) if now is not None and now.astimezone(tz).date() == day else noon


def parse_moment(text: str, tz: ZoneInfo, now: dt.datetime | None = None) -> dt.datetime | None:
    """An aware datetime from ISO date/datetime or dd/mm/yyyy [hh:mm[:ss]]; a date alone means 12:00 local
    (`now` instead, when given and that is earlier on the same day).

    Naive values are local time (the TIME_ZONE setting); None when the text is not a date.
    """
    text = text.strip()
    moment: dt.datetime | None = None
    if text[:4].isdigit() and text[4:5] == "/":  # 2026/11/28 [10:15:32], as some spreadsheet locales write it
        text = text.replace("/", "-", 2)
    if len(text) == 10 and text[4] == "-":
        try:
            return _date_alone(dt.date.fromisoformat(text), tz, now)
        except ValueError:
            return None
    if text[:4].isdigit():
        try:
            moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            return None
    elif text.upper().endswith(("AM", "PM")):
        # Google Forms in US English: 11/28/2026 10:15:32 AM (month first only ever comes with AM/PM).
        for us_format in ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p"):
            try:
                moment = dt.datetime.strptime(" ".join(text.split()), us_format)
                break
            except ValueError:
                continue
    else:
        date_text, _, time_text = text.partition(" ")
        for date_format in _DAY_FIRST:
            try:
                day = dt.datetime.strptime(date_text, date_format)
            except ValueError:
                continue
            if not time_text:
                return _date_alone(day.date(), tz, now)
            for time_format in _TIMES:
                try:
                    clock = dt.datetime.strptime(time_text.strip(), time_format).time()
                except ValueError:
                    continue
                moment = dt.datetime.combine(day.date(), clock)
                break
            break
    if moment is None:
        return None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


# ---------------------------------------------------------------------------------------------------
# Storing


def store_responses(result: ParseResult, progress: Callable[[int], None] | None = None) -> int:
    """Save every response of a clean result in one transaction; returns how many were stored.

    `bulk_create` prepares each of the ~35 values of each row through several Python layers, which made
    a 100 000-row file take half a minute; so rows go in by COPY on PostgreSQL and by executemany
    elsewhere. Only the datetime columns need the database's own adaptation; every value was checked
    by `parse_responses`.
    """
    if not result.ok:
        raise ValueError("Berkas mengandung kesalahan; tidak ada yang disimpan.")
    fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
    attnames = [f.attname for f in fields]
    datetimes = [(index, f) for index, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
    quote = connection.ops.quote_name
    table = quote(Response._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)

    def values(response: Response) -> list[Any]:
        row = [getattr(response, name) for name in attnames]
        for index, moment_field in datetimes:
            row[index] = moment_field.get_db_prep_save(row[index], connection)
        return row

    stored = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(result.responses), STORE_BATCH):
            batch = result.responses[start : start + STORE_BATCH]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for response in batch:
                        copy.write_row(values(response))
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    # Names come from the model, values are parameters.
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    [values(r) for r in batch],
                )
            stored += len(batch)
            if progress is not None:
                progress(stored)
    if stored >= BULK_MAINTENANCE_ROWS:
        after_bulk_load()
    return stored


BULK_MAINTENANCE_ROWS = 1000


def after_bulk_load() -> None:
    """Fresh planner statistics after a bulk load (autovacuum may be off on a server); on PostgreSQL also
    reclaim the row versions that the load left in the response tallies kept by triggers (one per row).

    The tally table is named through the app registry: it belongs to the results layer above this one.
    """
    from django.apps import apps

    quote = connection.ops.quote_name
    responses = quote(Response._meta.db_table)
    tallies = [quote(apps.get_model("results", name)._meta.db_table) for name in ("ResponseTally", "YearTally")]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
        elif connection.in_atomic_block:  # VACUUM cannot run inside a transaction
            cursor.execute(f"ANALYZE {responses}")
            for table in tallies:
                cursor.execute(f"ANALYZE {table}")
        else:
            for table in tallies:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute(f"ANALYZE {responses}")


# ---------------------------------------------------------------------------------------------------
# Remembering what was imported: the same file twice must not be counted twice


def fingerprint(fileobj: BinaryIO) -> str:
    """SHA-256 of the file's bytes (read from the start, in chunks; the position is restored)."""
    digest = hashlib.sha256()
    start = fileobj.tell()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(start)
    return digest.hexdigest()


def earlier_imports(sha256: str, units: Iterable[Unit | int]) -> list[ImportRecord]:
    """Stored imports of a file with this fingerprint into any of these units, oldest first."""
    ids = [u if isinstance(u, int) else u.pk for u in units]
    return list(
        ImportRecord.objects.filter(sha256=sha256, unit_id__in=ids).select_related("unit", "imported_by")
        .order_by("imported_at")
    )


def units_of(result: ParseResult) -> Counter[int]:
    """How many of a checked file's responses go to each unit (by id)."""
    return Counter(response.unit_id for response in result.responses)


def assign_batches(result: ParseResult, records: Iterable[ImportRecord]) -> None:
    """Mark each response of the file with its unit's import record (the integrity rules read it)."""
    by_unit = {record.unit_id: record.pk for record in records}
    for response in result.responses:
        response.import_batch = by_unit.get(response.unit_id)


def record_import(
    result: ParseResult,
    sha256: str,
    file_name: str,
    user: User | None,
    source: str,
    *,
    upload_token: str | None = None,
    duplicate_confirmed: bool = False,
) -> list[ImportRecord]:
    """One ImportRecord per unit of the file; call inside the transaction that stores the responses.

    With an upload token the record is written first by the caller's design: a second request with the
    same token fails on the unique constraint before storing anything (IntegrityError).
    """
    return [
        ImportRecord.objects.create(
            unit_id=unit_id,
            sha256=sha256,
            file_name=file_name[:200],
            rows=rows,
            source=source,
            upload_token=upload_token,
            duplicate_confirmed=duplicate_confirmed,
            imported_by=user,
        )
        for unit_id, rows in sorted(units_of(result).items())
    ]
