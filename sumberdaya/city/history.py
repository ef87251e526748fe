"""The city's published averages of past years (`PublishedFigure`) joined to the trend of the results service.

A year without any result in Sumber Daya (no period, or no value for that series) takes the city's published
figure; points from the system always win. Historical points carry `source="published"` so every table and
sentence can mark them.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from sumberdaya.city.models import PublishedFigure
from sumberdaya.results.service import TrendPoint
from sumberdaya.surveys.models import Period

PUBLISHED = "published"
CITY_SERIES = "Kota"


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
