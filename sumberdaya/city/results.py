"""Every unit's result for a period, from the system's responses or imported from outside.

`period_results()` is the single source for the recap page, monitoring, trend, city report, public pages
and API, so they always agree. System numbers come from `results.recap.city_recap`; an imported result is
used for a unit without system responses in the period (when both exist the system one wins and the
imported one is noted). Aggregates go through `skm.aggregate` with the same method and weight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django.db.models import Q
from django.utils import formats, timezone

from sumberdaya.city.followup_summary import FollowupSummary, followup_for
from sumberdaya.city.models import ImportedResult
from sumberdaya.results.recap import city_recap, default_method, default_weight, valid_responses
from sumberdaya.skm.aggregate import Aggregate, Method, aggregate
from sumberdaya.skm.elements import ELEMENT_CODES, ELEMENTS, Element
from sumberdaya.skm.scoring import BANDS, UnitScore, Weight, round_half_up, score_unit
from sumberdaya.surveys.models import Period, Response, UnitPeriod
from sumberdaya.units.groups import group_for_kind, group_names
from sumberdaya.units.models import Unit

SYSTEM = "system"
IMPORTED = "imported"
NONE = "none"


@dataclass(frozen=True)
class ImportedScore(UnitScore):
    """An imported result as a UnitScore: elements from the imported U1..U9, the IKM as stated."""

    stated_ikm: Fraction | None = None

    @property
    def ikm(self) -> Fraction | None:
        """The figure as sent (kept even when flagged); without one, the index of the elements."""
        return self.stated_ikm if self.stated_ikm is not None else super().ikm


def imported_score(
    values: list[Decimal], respondents: int, weight: Weight, stated_ikm: Fraction | None
) -> ImportedScore:
    """Turn imported element scores (25–100) into a score the core can aggregate and rank.

    Each element's NRR is u/25; giving every element `respondents` answers with total NRR×respondents makes
    the core compute Σ(u_i/25)×w×25 and pool correctly. Out-of-range values (a flagged row the admin kept)
    leave the elements empty: the stated IKM still counts in a plain mean.
    """
    in_range = respondents > 0 and all(Decimal(25) <= v <= Decimal(100) for v in values)
    n = respondents if in_range else 0
    totals = {code: Fraction(v) / 25 * n for code, v in zip(ELEMENT_CODES, values, strict=True)}
    counts = dict.fromkeys(ELEMENT_CODES, n)
    # Fractional totals are exact here; the core's arithmetic accepts them.
    base = score_unit(cast(dict[str, int], totals), counts, n, weight)
    return ImportedScore(base.respondents, base.elements, base.weight, stated_ikm)


@dataclass
class UnitRow:
    """One line of the recap: a unit and its result (if any) for the period."""

    unit: Unit
    group: str
    source: str  # SYSTEM | IMPORTED | NONE
    score: UnitScore
    respondents: int
    window: str
    channels: str
    imported: ImportedResult | None = None  # the imported record, used or (when SYSTEM) noted
    followup: FollowupSummary = field(default_factory=FollowupSummary)
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def has_result(self) -> bool:
        return self.source != NONE and self.ikm is not None

    @property
    def ikm(self) -> Fraction | None:
        return self.score.ikm

    @property
    def letter(self) -> str | None:
        if self.source == IMPORTED and self.imported is not None:
            return self.imported.mutu  # as sent; a mismatch is flagged on the record
        band = self.score.band
        return band.letter if band else None

    @property
    def elements(self) -> list[Fraction | None]:
        if self.source == IMPORTED and self.imported is not None:
            return [Fraction(v) for v in self.imported.element_values()]
        return [e.score for e in self.score.elements]

    @property
    def priorities(self) -> list[Element]:
        return [e.element for e in self.score.priorities(3)]

    @property
    def priority_text(self) -> str:
        return ", ".join(f"{e.key.upper()} {e.name}" for e in self.priorities) or "–"

    @property
    def priority_codes(self) -> str:
        """ "U9, U3, U5": for the report tables, where the names would not fit (the appendix lists them)."""
        return ", ".join(e.key.upper() for e in self.priorities) or "–"

    @property
    def flagged(self) -> bool:
        return self.source == IMPORTED and self.imported is not None and self.imported.flagged


@dataclass
class GroupRows:
    name: str
    rows: list[UnitRow]
    aggregate: Aggregate

    @property
    def with_result(self) -> list[UnitRow]:
        return [r for r in self.rows if r.has_result]


@dataclass
class PeriodResults:
    period: Period
    weight: Weight
    method: Method
    rows: list[UnitRow]
    groups: list[GroupRows]
    city: Aggregate

    @property
    def with_result(self) -> list[UnitRow]:
        return [r for r in self.rows if r.has_result]

    @property
    def without_result(self) -> list[UnitRow]:
        return [r for r in self.rows if not r.has_result]

    @property
    def imported_rows(self) -> list[UnitRow]:
        return [r for r in self.rows if r.source == IMPORTED]

    def band_counts(self) -> list[tuple[str, str, int]]:
        """How many units fall in each category: (letter, kinerja, count) for A–D."""
        counts = {band.letter: 0 for band in BANDS}
        for row in self.with_result:
            if row.letter in counts:
                counts[row.letter] += 1
        return [(band.letter, band.kinerja, counts[band.letter]) for band in BANDS]

    def row_for(self, unit_code: str) -> UnitRow | None:
        return next((r for r in self.rows if r.unit.code == unit_code), None)


def _date(day: dt.date, fmt: str = "j F Y") -> str:
    return formats.date_format(day, fmt)


def describe_window(first: dt.date, last: dt.date) -> str:
    """ "1 Juni – 12 November 2024", "3–9 Mei 2024"."""
    if first == last:
        return _date(first)
    if first.year != last.year:
        return f"{_date(first)} – {_date(last)}"
    if first.month == last.month:
        return f"{first.day}–{_date(last)}"
    return f"{_date(first, 'j F')} – {_date(last)}"


def _channels_by_unit(period: Period) -> dict[int, list[str]]:
    labels = dict(Response.Channel.choices)
    result: dict[int, list[str]] = {}
    pairs = valid_responses(period).order_by().values_list("unit_id", "channel").distinct()
    order = list(labels)
    for unit_id, channel in sorted(pairs, key=lambda p: (p[0], order.index(p[1]) if p[1] in order else 99)):
        result.setdefault(unit_id, []).append(str(labels.get(channel, channel)))
    return result


def period_results(
    period: Period, weight: Weight | None = None, method: Method | None = None, *, with_followup: bool = True
) -> PeriodResults:
    """All units' results for the period, grouped as in the city report, with group and city aggregates."""
    weight = weight or default_weight()
    method = method or default_method()
    imported = {r.unit_id: r for r in ImportedResult.objects.filter(period=period).select_related("unit")}
    units = list(Unit.objects.filter(Q(active=True) | Q(pk__in=list(imported))).order_by("order", "name"))
    recap = city_recap(period, weight, Method.MEAN, units=units)
    declared = {up.unit_id: up for up in UnitPeriod.objects.filter(period=period)}
    channels = _channels_by_unit(period)
    followups = followup_for(units, period) if with_followup else {}
    rows: list[UnitRow] = []
    for result in recap.units:
        unit = result.unit
        record = imported.get(unit.pk)
        summary = followups.get(unit.pk, FollowupSummary())
        if result.respondents > 0:
            first = timezone.localtime(result.tally.first).date() if result.tally.first else None
            last = timezone.localtime(result.tally.last).date() if result.tally.last else None
            setting = declared.get(unit.pk)
            if setting and setting.survey_start and setting.survey_end:
                window = describe_window(setting.survey_start, setting.survey_end)
            elif first and last:
                window = describe_window(first, last)
            else:
                window = period.name
            rows.append(
                UnitRow(
                    unit,
                    result.group,
                    SYSTEM,
                    result.score,
                    result.respondents,
                    window,
                    ", ".join(channels.get(unit.pk, [])),
                    record,
                    summary,
                    first,
                    last,
                )
            )
        elif record is not None:
            score = imported_score(record.element_values(), record.respondents, weight, record.ikm_fraction)
            rows.append(
                UnitRow(
                    unit,
                    group_for_kind(unit.kind),
                    IMPORTED,
                    score,
                    record.respondents,
                    period.name,
                    record.method or "–",
                    record,
                    summary,
                )
            )
        else:
            rows.append(UnitRow(unit, result.group, NONE, result.score, 0, "–", "–", None, summary))

    populations = {unit_id: up.population for unit_id, up in declared.items()} if method is Method.WEIGHTED else None

    def _aggregate(members: list[UnitRow]) -> Aggregate:
        scores = [m.score for m in members]
        if populations is None:
            return aggregate(scores, method)
        return aggregate(scores, method, [populations.get(m.unit.pk) for m in members])

    groups: list[GroupRows] = []
    names = group_names()
    for name in [*names, *sorted({r.group for r in rows} - set(names))]:
        members = [r for r in rows if r.group == name]
        if members:
            groups.append(GroupRows(name, members, _aggregate(members)))
    return PeriodResults(period, weight, method, rows, groups, _aggregate(rows))


def new_units(results: PeriodResults) -> list[UnitRow]:
    """Units with a result this period and none (system or imported) before it: surveying for the first time."""
    start = results.period.start
    tz_begin, _ = Period(slug="x", name="x", start=start, end=start).bounds()
    earlier_system = set(
        Response.objects.filter(
            instrument=Response.Instrument.SKM, status=Response.Status.VALID, submitted_at__lt=tz_begin
        )
        .values_list("unit_id", flat=True)
        .distinct()
    )
    earlier_imported = set(ImportedResult.objects.filter(period__end__lt=start).values_list("unit_id", flat=True))
    seen = earlier_system | earlier_imported
    return [r for r in results.with_result if r.unit.pk not in seen]


def annual_periods(until: Period | None = None) -> list[Period]:
    """Year periods (slug "2024") in time order, up to `until`'s year: the trend's x-axis."""
    periods = [p for p in Period.objects.order_by("start") if p.slug.isdigit()]
    if until is not None:
        periods = [p for p in periods if p.start <= until.end]
    return periods


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    series: str  # "Kota" or a group name
    value: Fraction | None
    units: int


def trend(until: Period | None = None, weight: Weight | None = None, method: Method | None = None) -> list[TrendPoint]:
    """City and group averages per year, from system data and imported history."""
    points: list[TrendPoint] = []
    for year in annual_periods(until):
        results = period_results(year, weight, method, with_followup=False)
        points.append(TrendPoint(year, "Kota", results.city.value, results.city.units))
        for group in results.groups:
            points.append(TrendPoint(year, group.name, group.aggregate.value, group.aggregate.units))
    return points


def trend_table(points: list[TrendPoint]) -> tuple[list[Period], list[tuple[str, list[TrendPoint | None]]]]:
    """Points laid out as a table: periods as columns, one row per series (city first)."""
    periods: list[Period] = []
    for p in points:
        if p.period not in periods:
            periods.append(p.period)
    series: list[str] = []
    for p in points:
        if p.series not in series:
            series.append(p.series)
    lookup = {(p.series, p.period.pk): p for p in points}
    table = [(name, [lookup.get((name, period.pk)) for period in periods]) for name in series]
    # Drop groups that never had a value (e.g. no RSUD in this city).
    table = [(name, cells) for name, cells in table if any(c and c.value is not None for c in cells)]
    return periods, table


def row_dict(row: UnitRow) -> dict[str, Any]:
    """A unit's line as plain data (open data, snapshots, Excel)."""
    data: dict[str, Any] = {
        "code": row.unit.code,
        "name": row.unit.name,
        "group": row.group,
        "source": row.source,
        "window": row.window,
        "channels": row.channels,
        "respondents": row.respondents,
    }
    for element, value in zip(ELEMENTS, row.elements, strict=True):
        data[element.key] = None if value is None or not row.has_result else display(value)
    data["ikm"] = display(row.ikm) if row.has_result else None
    data["mutu"] = row.letter if row.has_result else None
    data["priorities"] = [e.key.upper() for e in row.priorities] if row.has_result else []
    data["flagged"] = row.flagged
    return data


def display(value: Fraction | None) -> float | None:
    """The figure as reports print it (2 decimals, half-up from the exact value): no double rounding."""
    return None if value is None else float(round_half_up(value, 2))
