"""The city's published averages of past years (`PublishedFigure`): entered, imported, and joined to the trend.

A year without any result in Sumber Daya (no period, or no value for that series) takes the city's published
figure; points from the system always win. Historical points carry `source="published"` so every table and
sentence can mark them. `city_trend()` is the one trend of city and group means that every city surface
shows (`/kota/`, the city report); `public_trend()` is the same join over what the city has published, for
`/hasil/`.

Import (`read_figures` + `store_figures`): a CSV or XLSX with the columns of `TEMPLATE_HEADER` (Indonesian
headings), every row checked, and nothing stored unless every row is right (one transaction).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from sumberdaya.accounts.audit import record
from sumberdaya.city.models import PublishedFigure
from sumberdaya.city.publication import live_publication, published
from sumberdaya.results.service import TrendPoint, trend
from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.numbers import parse_decimal
from sumberdaya.skm.scoring import Weight
from sumberdaya.surveys.importing import TableTooLarge, UnreadableTable, read_table
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import annual_periods
from sumberdaya.units.groups import group_names

PUBLISHED = "published"
CITY_SERIES = "Kota"
MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
FIRST_YEAR = 2000
TEMPLATE_HEADER = ("Tahun", "Kelompok", "IKM", "Jumlah unit", "Sumber")
_KEYS = {"tahun": "year", "kelompok": "series", "ikm": "ikm", "jumlah unit": "units", "sumber": "source"}


def _year_period(year: int, known: dict[int, Period]) -> Period:
    # An unsaved stand-in with a negative key (trend_table looks periods up by key) for a year not in the system.
    return known.get(year) or Period(
        pk=-year, slug=str(year), name=f"Tahun {year}", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )


def with_published(points: list[TrendPoint], until: Period) -> list[TrendPoint]:
    """The trend's points plus the published figures of years (and series) the system has no value for."""
    have = {(p.series, p.period.start.year) for p in points if p.value is not None}
    known = {p.period.start.year: p.period for p in points}
    extra = []
    for figure in PublishedFigure.objects.filter(year__lte=until.end.year):
        series = figure.series.strip() or CITY_SERIES
        if (series, figure.year) in have:
            continue
        extra.append(
            TrendPoint(
                _year_period(figure.year, known), series, Fraction(figure.ikm), figure.units or 0, source=PUBLISHED
            )
        )
    filled = {(e.series, e.period.start.year) for e in extra}
    kept = [p for p in points if not (p.value is None and (p.series, p.period.start.year) in filled)]
    return sorted(kept + extra, key=lambda p: (p.period.start, p.series != CITY_SERIES, p.series))


def city_trend(until: Period, weight: Weight | None = None, method: Method | None = None) -> list[TrendPoint]:
    """City and group means per year up to `until`: the results service's, then the published figures of the
    years it has none for. The city report and `/kota/` both read this."""
    return with_published(trend(until, weight, method), until)


def public_trend(until: Period) -> list[TrendPoint]:
    """The city's IKM per year as published: each year's live publication (its frozen city mean), and the
    city's published figures for years without one."""
    points = []
    for year in annual_periods(until):
        publication = live_publication(year)
        if publication is None:
            continue
        city = published(publication).city
        if city.ikm is not None:
            points.append(TrendPoint(year, CITY_SERIES, Fraction(str(city.ikm)), city.units))
    return [p for p in with_published(points, until) if p.series == CITY_SERIES]


# --- entering and importing ---------------------------------------------------------------------------


def known_series() -> list[str]:
    """What the Kelompok column may hold: empty or "Kota" for the city, or a group name of the recap."""
    return group_names()


def normal_series(text: str) -> str | None:
    """The stored series for a typed Kelompok ("" = the city), or None when no such group exists."""
    typed = " ".join(text.split())
    if not typed or typed.lower() == CITY_SERIES.lower():
        return ""
    for name in known_series():
        if name.lower() == typed.lower():
            return name
    return None


def series_error(text: str) -> str:
    return f"kelompok “{text}” tidak dikenal; isi kosong atau Kota untuk rata-rata kota, atau salah satu: " + ", ".join(
        known_series()
    )


def year_error(year: int) -> str | None:
    last = timezone.localdate().year
    if not FIRST_YEAR <= year <= last:
        return f"tahun harus antara {FIRST_YEAR} dan {last}"
    return None


def ikm_error(value: Decimal) -> str | None:
    if not Decimal(25) <= value <= Decimal(100):
        return "IKM harus antara 25 dan 100"
    if value != value.quantize(Decimal("0.01")):
        return "IKM paling banyak dua angka di belakang koma"
    return None


class FigureFileError(ValueError):
    """The file as a whole cannot be read (format, size, columns); the message is Indonesian."""


@dataclass
class FigureRow:
    row: int  # as the spreadsheet numbers it: the header is row 1
    year: int | None = None
    series: str = ""
    ikm: Decimal | None = None
    units: int | None = None
    source: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.series or CITY_SERIES


def _read(content: bytes, filename: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    if len(content) > MAX_BYTES:
        raise FigureFileError(f"Berkas terlalu besar (maks. {MAX_BYTES // 1024} KB).")
    try:
        header, rows = read_table(io.BytesIO(content), filename, max_rows=MAX_ROWS)
        header_row = 1
        while not any(cell.strip() for cell in header):
            following = next(rows, None)
            if following is None:
                raise FigureFileError("Berkas kosong.")
            header, header_row = following, header_row + 1
        data = [(number, cells) for number, cells in enumerate(rows, start=header_row + 1)]
    except TableTooLarge as error:
        raise FigureFileError(f"Terlalu banyak baris (maks. {MAX_ROWS}).") from error
    except UnreadableTable as error:
        raise FigureFileError(str(error)) from error
    return header_row, header, data


def read_figures(content: bytes, filename: str) -> list[FigureRow]:
    """Every data row of the file, checked; a row with problems says which, in Indonesian."""
    _header_row, header, data = _read(content, filename)
    columns = [_KEYS.get(" ".join(cell.replace("_", " ").split()).lower(), "") for cell in header]
    missing = [title for title in TEMPLATE_HEADER[:3] if _KEYS[title.lower()] not in columns]
    if missing:
        raise FigureFileError(
            f"Kolom wajib tidak ada: {', '.join(missing)}. Baris pertama harus berisi: {', '.join(TEMPLATE_HEADER)}."
        )
    checked: list[FigureRow] = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in data:
        texts = [cell.strip() for cell in cells]
        if not any(texts):
            continue
        values = {key: (texts[i] if i < len(texts) else "") for i, key in enumerate(columns) if key}
        checked.append(_check(number, values, seen))
    if not checked:
        raise FigureFileError("Berkas tidak berisi baris data.")
    return checked


def _check(number: int, values: dict[str, str], seen: dict[tuple[int, str], int]) -> FigureRow:
    row = FigureRow(number, source=values.get("source", "")[:200])
    year_text = values.get("year", "")
    try:
        row.year = int(year_text)
    except ValueError:
        row.problems.append(f"tahun “{year_text}” bukan tahun (contoh: 2021)" if year_text else "tahun kosong")
    else:
        if problem := year_error(row.year):
            row.problems.append(problem)
    series = normal_series(values.get("series", ""))
    if series is None:
        row.problems.append(series_error(values.get("series", "")))
    else:
        row.series = series
    ikm_text = values.get("ikm", "")
    try:
        row.ikm = parse_decimal(ikm_text)
    except (ValueError, InvalidOperation):
        row.problems.append(f"IKM “{ikm_text}” bukan angka" if ikm_text else "IKM kosong")
    else:
        if problem := ikm_error(row.ikm):
            row.problems.append(problem)
    units_text = values.get("units", "")
    if units_text:
        try:
            row.units = int(units_text)
        except ValueError:
            row.problems.append(f"jumlah unit “{units_text}” bukan bilangan bulat")
        else:
            if row.units < 1 or row.units > 10000:
                row.problems.append("jumlah unit harus antara 1 dan 10.000")
    if row.year is not None and series is not None:
        key = (row.year, series)
        if key in seen:
            row.problems.append(f"tahun {row.year} {row.label} sudah ada di baris {seen[key]}")
        else:
            seen[key] = number
    return row


@dataclass(frozen=True)
class StoreSummary:
    created: int
    updated: int


def store_figures(rows: list[FigureRow], user: Any, filename: str) -> StoreSummary:
    """Store every row (a year and series already present is replaced), all in one transaction; audited."""
    if any(r.problems for r in rows):
        raise ValueError("rows with problems are never stored")
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            assert row.year is not None and row.ikm is not None
            _figure, was_created = PublishedFigure.objects.update_or_create(
                year=row.year,
                series=row.series,
                defaults={"ikm": row.ikm, "units": row.units, "source": row.source},
            )
            created += was_created
            updated += not was_created
        record(
            user,
            "published_figure.import",
            None,
            object_type="city.publishedfigure",
            after={
                "file": filename[:200],
                "rows": [[r.year, r.label, str(r.ikm), r.units, r.source] for r in rows],
            },
        )
    return StoreSummary(created, updated)


def template_rows() -> list[list[Any]]:
    """Example rows of the downloadable template: the city and one group, two years."""
    groups = known_series()
    example = groups[0] if groups else ""
    return [
        [2022, CITY_SERIES, "82,15", 140, "Laporan SKM Kota 2022"],
        [2022, example, "80,40", 35, "Laporan SKM Kota 2022"],
        [2023, CITY_SERIES, "83,02", 148, "Laporan SKM Kota 2023"],
    ]
