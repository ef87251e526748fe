"""Tallies: respondents and each element's sum and count of answers, straight from the responses.

One GROUP BY over the response table gives them per unit (or per service, channel, sex…); the pure core
(`sumberdaya.skm`) turns them into NRR, IKM and bands. The results of a period, with imported results
and the rules of which one counts, are `results.service`; this module only counts responses.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, IntegerField, Max, Min, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.dateparse import parse_datetime

from sumberdaya.results.aggregates import MONTHS, SUMMED, YEARS, Span, respondent_units_sql
from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import UnitScore, Weight, score_unit
from sumberdaya.surveys.models import ANSWER_COLUMNS, Period, Response
from sumberdaya.units.models import Unit

_CHANNELS = tuple(Response.Channel.values)


def default_weight() -> Weight:
    return Weight.parse(settings.SKM_WEIGHT)


def default_method() -> Method:
    return Method(settings.SKM_AGGREGATION)


@dataclass(frozen=True)
class Tally:
    """Respondents and per-element answer sums and counts, keyed by element code."""

    respondents: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    # Complete questionnaires: how many, and the sum and sum of squares of each one's a1+…+a9 (the ±95 %
    # interval of the IKM comes from these; see `results.service`).
    complete: int = 0
    answer_sum: int = 0
    answer_squares: int = 0
    # Every respondent with an answer: Σ m and Σ m², m = 2520 · (sum of answers) / (answers given)
    # (`skm.interval`, the IKM interval over every respondent).
    answered: int = 0
    mean_sum: int = 0
    mean_squares: int = 0
    # Valid responses flagged by the integrity rules and undecided, and their element sums and counts.
    flagged: int = 0
    flagged_totals: dict[str, int] = field(default_factory=dict)
    flagged_counts: dict[str, int] = field(default_factory=dict)

    def score(self, weight: Weight) -> UnitScore:
        return score_unit(self.totals, self.counts, self.respondents, weight)

    def unflagged(self) -> Tally:
        """The tally without its flagged responses (the IKM without them)."""
        return Tally(
            respondents=self.respondents - self.flagged,
            totals={e.code: self.totals.get(e.code, 0) - self.flagged_totals.get(e.code, 0) for e in ELEMENTS},
            counts={e.code: self.counts.get(e.code, 0) - self.flagged_counts.get(e.code, 0) for e in ELEMENTS},
        )


def merged(tallies: Iterable[Tally]) -> Tally:
    """One tally of several groups of responses (e.g. a unit's channels)."""
    parts = list(tallies)
    if len(parts) == 1:
        return parts[0]
    firsts = [t.first for t in parts if t.first is not None]
    lasts = [t.last for t in parts if t.last is not None]
    return Tally(
        respondents=sum(t.respondents for t in parts),
        totals={e.code: sum(t.totals.get(e.code, 0) for t in parts) for e in ELEMENTS},
        counts={e.code: sum(t.counts.get(e.code, 0) for t in parts) for e in ELEMENTS},
        first=min(firsts) if firsts else None,
        last=max(lasts) if lasts else None,
        complete=sum(t.complete for t in parts),
        answer_sum=sum(t.answer_sum for t in parts),
        answer_squares=sum(t.answer_squares for t in parts),
        answered=sum(t.answered for t in parts),
        mean_sum=sum(t.mean_sum for t in parts),
        mean_squares=sum(t.mean_squares for t in parts),
        flagged=sum(t.flagged for t in parts),
        flagged_totals={e.code: sum(t.flagged_totals.get(e.code, 0) for t in parts) for e in ELEMENTS},
        flagged_counts={e.code: sum(t.flagged_counts.get(e.code, 0) for t in parts) for e in ELEMENTS},
    )


def _answer_sum() -> Any:
    """a1+…+a9 in SQL; NULL when any answer is blank, so SUM and COUNT see complete questionnaires only."""
    expression: Any = Cast(ANSWER_COLUMNS[0], IntegerField())
    for column in ANSWER_COLUMNS[1:]:
        expression = expression + Cast(column, IntegerField())
    return expression


def _tally_annotations() -> dict[str, Any]:
    total = _answer_sum()
    annotations: dict[str, Any] = {
        "n": Count("*"),
        "first": Min("submitted_at"),
        "last": Max("submitted_at"),
        "complete": Count(total),
        "answer_sum": Sum(total),
        "answer_squares": Sum(total * total),
    }
    for element in ELEMENTS:
        annotations[f"s_{element.code}"] = Sum(element.column)
        annotations[f"c_{element.code}"] = Count(element.column)
    # The same per-respondent score the triggers keep (`results.aggregates.respondent_units_sql`).
    m = RawSQL(respondent_units_sql(), ())  # noqa: S611 (no parameters: SQL built from column names only)
    annotations["answered"] = Count(m)
    annotations["mean_sum"] = Sum(m)
    annotations["mean_squares"] = Sum(RawSQL(f"{respondent_units_sql()} * {respondent_units_sql()}", ()))  # noqa: S611
    flagged = Q(flagged=True)
    annotations["n_flagged"] = Count("id", filter=flagged)
    for element in ELEMENTS:
        annotations[f"fs_{element.code}"] = Sum(element.column, filter=flagged)
        annotations[f"fc_{element.code}"] = Count(element.column, filter=flagged)
    return annotations


def _tally_from_row(row: dict[str, Any]) -> Tally:
    return Tally(
        respondents=row["n"],
        totals={e.code: row[f"s_{e.code}"] or 0 for e in ELEMENTS},
        counts={e.code: row[f"c_{e.code}"] for e in ELEMENTS},
        first=row["first"],
        last=row["last"],
        complete=row["complete"],
        answer_sum=row["answer_sum"] or 0,
        answer_squares=row["answer_squares"] or 0,
        answered=row["answered"],
        mean_sum=row["mean_sum"] or 0,
        mean_squares=row["mean_squares"] or 0,
        flagged=row["n_flagged"],
        flagged_totals={e.code: row[f"fs_{e.code}"] or 0 for e in ELEMENTS},
        flagged_counts={e.code: row[f"fc_{e.code}"] for e in ELEMENTS},
    )


def valid_responses(period: Period, instrument: str = Response.Instrument.SKM) -> QuerySet[Response]:
    """The responses that count for a period: valid, of the instrument, dated inside the window."""
    begin, end = period.bounds()
    return Response.objects.filter(
        instrument=instrument, status=Response.Status.VALID, submitted_at__gte=begin, submitted_at__lt=end
    )


def tallies_by(responses: QuerySet[Response], key: str) -> dict[Any, Tally]:
    """Group responses by a field (``unit_id``, ``service_id``, ``channel``, ``sex``…) and tally each group."""
    rows = responses.order_by().values(key).annotate(**_tally_annotations())
    return {row[key]: _tally_from_row(row) for row in rows}


def tallies_by_pair(responses: QuerySet[Response], first: str, second: str) -> dict[tuple[Any, Any], Tally]:
    """Tallies per pair of fields (``unit_id`` and ``channel``): one GROUP BY for both."""
    rows = responses.order_by().values(first, second).annotate(**_tally_annotations())
    return {(row[first], row[second]): _tally_from_row(row) for row in rows}


def unit_tally(unit: Unit, period: Period) -> Tally:
    return tallies_by(valid_responses(period).filter(unit=unit), "unit_id").get(unit.pk, Tally())


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and the last whole calendar month inside the period's window, if any."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    end_month = period.end.replace(day=1)
    last = end_month if _next_month(period.end) - dt.timedelta(days=1) == period.end else (
        (end_month - dt.timedelta(days=1)).replace(day=1)
    )
    return (first, last) if first <= last else None


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def window_parts(
    period: Period,
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.datetime, dt.datetime]]]:
    """The window split for kept tallies: its whole local months (first days of the first and last, or None)
    and the moments around them that only the responses themselves can answer."""
    begin, end = period.bounds()
    months = _whole_months(period)
    if months is None:
        return None, [(begin, end)]
    first, last = months
    first_at, after_last = _local_midnight(first), _local_midnight(_next_month(last))
    edges = []
    if begin < first_at:
        edges.append((begin, first_at))
    if after_last < end:
        edges.append((after_last, end))
    return months, edges


def kept_tallies(
    period: Period, unit_ids: list[int] | None = None, instrument: str = Response.Instrument.SKM
) -> tuple[dict[int, Tally], dict[int, set[str]]]:
    """Each unit's tally for the period and the channels it used, read from the kept tallies for the window's
    whole local years (`YearTally`) and other whole months (`ResponseTally`), and from the responses
    themselves only for the days around them.

    Equal to `tallies_by(valid_responses(period), "unit_id")` (tests and `sumberdaya tallies --verify` check it),
    without reading every answer.
    """
    tallies: dict[int, list[Tally]] = {}
    channels: dict[int, set[str]] = {}
    months, edges = window_parts(period)
    if months is not None:
        for row in _kept_rows(instrument, _buckets(*months), unit_ids):
            unit_id, first_at, last_at, *sums = row
            tallies.setdefault(unit_id, []).append(_kept_tally(sums, _moment(first_at), _moment(last_at)))
            channels.setdefault(unit_id, set()).update(
                channel for channel, count in zip(_CHANNELS, _KEPT_CHANNELS(sums), strict=True) if count
            )
    for low, high in edges:
        responses = Response.objects.filter(
            instrument=instrument, status=Response.Status.VALID, submitted_at__gte=low, submitted_at__lt=high
        )
        if unit_ids is not None:
            responses = responses.filter(unit_id__in=unit_ids)
        for (unit_id, channel), part in tallies_by_pair(responses, "unit_id", "channel").items():
            tallies.setdefault(unit_id, []).append(part)
            channels.setdefault(unit_id, set()).add(channel)
    return {unit_id: merged(parts) for unit_id, parts in tallies.items()}, channels


# Positions in a kept row's sums (`SUMMED` order), looked up once: the recap reads every unit's row each view.
_CODES = tuple(e.code for e in ELEMENTS)
_KEPT_PLAIN = operator.itemgetter(*(SUMMED.index(name) for name in (
    "n", "complete", "answer_sum", "answer_squares", "answered", "mean_sum", "mean_squares", "flagged"
)))
_KEPT_TOTALS, _KEPT_COUNTS, _KEPT_FLAGGED_TOTALS, _KEPT_FLAGGED_COUNTS = (
    operator.itemgetter(*(SUMMED.index(f"{prefix}{e.u}") for e in ELEMENTS)) for prefix in ("s", "c", "fs", "fc")
)
_KEPT_CHANNELS = operator.itemgetter(*(SUMMED.index(f"n_{channel}") for channel in _CHANNELS))


def _kept_tally(sums: list[int], first: dt.datetime | None, last: dt.datetime | None) -> Tally:
    n, complete, answer_sum, answer_squares, answered, mean_sum, mean_squares, flagged = _KEPT_PLAIN(sums)
    return Tally(
        respondents=n,
        totals=dict(zip(_CODES, _KEPT_TOTALS(sums), strict=True)),
        counts=dict(zip(_CODES, _KEPT_COUNTS(sums), strict=True)),
        first=first,
        last=last,
        complete=complete,
        answer_sum=answer_sum,
        answer_squares=answer_squares,
        answered=answered,
        mean_sum=mean_sum,
        mean_squares=mean_squares,
        flagged=flagged,
        flagged_totals=dict(zip(_CODES, _KEPT_FLAGGED_TOTALS(sums), strict=True)),
        flagged_counts=dict(zip(_CODES, _KEPT_FLAGGED_COUNTS(sums), strict=True)),
    )


def _buckets(first: dt.date, last: dt.date) -> list[tuple[Span, dt.date, dt.date]]:
    """Whole months first..last (their first days) as ranges of kept buckets: whole local years where the
    months cover them, months before and after (span, first day of the first bucket, of the last)."""
    first_year = first.year if first.month == 1 else first.year + 1
    last_year = last.year if last.month == 12 else last.year - 1
    if first_year > last_year:
        return [(MONTHS, first, last)]
    ranges = [(YEARS, dt.date(first_year, 1, 1), dt.date(last_year, 1, 1))]
    if first.year < first_year:
        ranges.append((MONTHS, first, dt.date(first.year, 12, 1)))
    if last.year > last_year:
        ranges.append((MONTHS, dt.date(last.year, 1, 1), last))
    return ranges


def _kept_rows(
    instrument: str, ranges: list[tuple[Span, dt.date, dt.date]], unit_ids: list[int] | None
) -> list[tuple[Any, ...]]:
    """(unit_id, first, last, *SUMMED) per unit and range of kept buckets, in one query.

    Plain SQL built once: the city recap reads this for every unit on every page view, and building the ORM
    query of thirty aggregates cost more than running it.
    """
    if unit_ids is not None and not unit_ids:
        return []
    sql = _kept_sql(connection.vendor, tuple(span for span, _first, _last in ranges), unit_ids is not None)
    params: list[Any] = []
    for _span, first, last in ranges:
        params += [instrument, connection.ops.adapt_datefield_value(first), connection.ops.adapt_datefield_value(last)]
        params += unit_ids or []
    if unit_ids is not None:
        sql = sql.replace("%(units)s", ", ".join(["%s"] * len(unit_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


_WIDE = ("answer_sum", "answer_squares", "mean_sum", "mean_squares")  # sums that may outgrow an integer


@functools.cache
def _kept_sql(vendor: str, spans: tuple[Span, ...], by_unit: bool) -> str:
    # PostgreSQL's sum of bigints is numeric: cast back so rows arrive as ints, not Decimals. Counts and
    # element sums of one bucket, month or year, stay far below 2³¹ (4 × its responses), and summed as
    # integers they add up in a bigint, about twice as fast as bigints in a numeric; the squares keep bigints.
    def summed(name: str) -> str:
        if vendor != "postgresql":
            return f"sum({name})"
        return f"sum({name})::bigint" if name in _WIDE else f"sum({name}::integer)"

    sums = ", ".join(summed(name) for name in SUMMED)
    units = " AND unit_id IN (%(units)s)" if by_unit else ""
    return " UNION ALL ".join(
        f"SELECT unit_id, {_moments(vendor)}, {sums} FROM {span.table} "  # noqa: S608
        f"WHERE instrument = %s AND {span.column} >= %s AND {span.column} <= %s AND n > 0{units} GROUP BY unit_id"
        for span in spans
    )


def _moments(vendor: str) -> str:
    """The first and last moments of a unit's buckets. PostgreSQL gives them as microseconds since 1970:
    reading 312 timestamps through Django's time-zone loader cost more than the rest of the row."""
    if vendor == "postgresql":
        return "(extract(epoch FROM min(first)) * 1000000)::bigint, (extract(epoch FROM max(last)) * 1000000)::bigint"
    return "min(first), max(last)"


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _moment(value: dt.datetime | str | int | None) -> dt.datetime | None:
    """A timestamp read by plain SQL: SQLite gives Django's UTC text, PostgreSQL microseconds since 1970
    (`_moments`)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, int):
        return _EPOCH + dt.timedelta(microseconds=value)
    parsed = parse_datetime(value)
    assert parsed is not None, value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
