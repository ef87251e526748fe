"""The results of a period: every unit's counted result, each group's and the city's aggregate.

This is the one place that decides what a unit's result is. Every page, report, publication, open data
file, API answer and `sumberdaya recap` reads `period_results()` (or `unit_result()`, the same function
for one unit), so they cannot disagree.

Where a unit's result comes from (its **source**):
- `system`: the valid responses collected in Sumber Daya within the period's window;
- `imported`: a confirmed external or historical result (`results.models.ImportedResult`) for the period,
  or, for a longer period, the unit's imported results of the quarters or half-years inside it, pooled
  over respondents (`skm.results.pool`: each element weighted by respondents, never a mean of means);
- none: no result.

A unit with system responses uses them, unless the city admin chose its imported result for that period
(`ImportedResult.preferred`, logged); when both exist the row carries the other one too (`other`).
An imported result counts the IKM of its own elements (`skm.results.stated_result`), keeps what was stated
beside it, and carries its inconsistencies as flags. The letter is always the band of the counted IKM.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sumberdaya.results.models import ImportedResult, ResponseTally
from sumberdaya.results.tallies import Tally, default_method, default_weight, kept_tallies, merged
from sumberdaya.skm.aggregate import Aggregate, Method, aggregate
from sumberdaya.skm.elements import ELEMENTS, Element
from sumberdaya.skm.interval import (
    MIN_RESPONDENTS,
    REASON_FEW,
    REASON_NO_DATA,
    Estimate,
    bounded_interval,
    combined_interval,
    respondent_interval,
    score_factor,
)
from sumberdaya.skm.results import FLAG_LABELS, Counted, Figures, counted_figures, pool, stated_result
from sumberdaya.skm.scoring import BANDS, Band, Weight, band_for, round_half_up
from sumberdaya.surveys.models import Period, Response, UnitPeriod
from sumberdaya.surveys.periods import annual_periods, earlier_periods
from sumberdaya.units.groups import group_for_kind, group_names
from sumberdaya.units.models import Unit

SYSTEM = "system"
IMPORTED = "imported"
SOURCES = (SYSTEM, IMPORTED)
_CODES = tuple(e.code for e in ELEMENTS)
PRIORITY_COUNT = 3  # elements proposed as priorities (the unit chooses 1–5 in its plan)


@dataclass(frozen=True)
class Interval:
    """95 % interval of a unit's IKM from every respondent's own score (`skm.interval`)."""

    n: int
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class UnitResult(Counted):
    """One unit's result for a period: what is counted, where it came from, and what else is known."""

    unit: Unit
    group: str
    source: str | None  # SYSTEM | IMPORTED | None
    figures: Figures | None  # the counted figures (None: no result)
    window: str = "–"  # "1 Juni – 12 November 2024", the period's name, or "–"
    channels: str = "–"
    first: dt.date | None = None
    last: dt.date | None = None
    flags: tuple[str, ...] = ()
    stated_ikm: Fraction | None = None  # imported: the IKM as sent
    stated_mutu: str | None = None  # imported: the letter as sent
    imported: ImportedResult | None = None  # the unit's own imported record for the period, used or not
    rolled_up: tuple[Period, ...] = ()  # imported: the shorter periods pooled into this result
    other: Figures | None = None  # when both sources exist: the one not counted
    tally: Tally | None = None  # system responses' tally (None without any)
    interval: Interval | None = None
    interval_note: str | None = None  # why no interval is shown (system results only)
    estimate: Estimate | None = None  # the interval's standard error (group and city intervals)
    flagged_responses: int = 0  # valid responses flagged by the integrity rules, undecided
    ikm_unflagged: Fraction | None = None  # the IKM without them (system results)

    @property
    def has_result(self) -> bool:
        return self.figures is not None and self.figures.ikm is not None

    @property
    def elements(self) -> list[Fraction | None]:
        return self.figures.values if self.figures else [None] * len(ELEMENTS)

    @property
    def priorities(self) -> list[Element]:
        return [e.element for e in self.figures.priorities(PRIORITY_COUNT)] if self.has_result else []  # type: ignore[union-attr]

    @property
    def priority_codes(self) -> str:
        """ "U9, U3, U5": for report tables, where the names would not fit."""
        return ", ".join(e.key.upper() for e in self.priorities) or "–"

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def flag_text(self) -> str:
        return "; ".join(FLAG_LABELS.get(flag, flag) for flag in self.flags)

    @property
    def rollup_text(self) -> str:
        """ "Triwulan I 2024 + Triwulan II 2024" for a result pooled from shorter periods."""
        return " + ".join(p.name for p in self.rolled_up)

    def as_dict(self) -> dict[str, Any]:
        """The unit as `sumberdaya recap --format json` gives it (numbers unrounded; contract in README)."""
        band = self.band
        data: dict[str, Any] = {
            "code": self.unit.code,
            "name": self.unit.name,
            "kind": self.unit.kind,
            "group": self.group,
            "source": self.source,
            "flags": list(self.flags),
            "respondents": self.respondents,
        }
        for element, value in zip(ELEMENTS, self.elements, strict=True):
            data[element.key] = None if value is None else float(value)
        data["ikm"] = None if self.ikm is None else float(self.ikm)
        data["mutu"] = band.letter if band else None
        data["kinerja"] = band.kinerja if band else None
        data["flagged"] = self.flagged_responses
        data["ikm_unflagged"] = None if self.ikm_unflagged is None else float(self.ikm_unflagged)
        data["ci_low"] = None if self.interval is None else self.interval.low
        data["ci_high"] = None if self.interval is None else self.interval.high
        if self.source == IMPORTED:
            data["stated_ikm"] = None if self.stated_ikm is None else float(self.stated_ikm)
            data["stated_mutu"] = self.stated_mutu
            data["rolled_up"] = [p.slug for p in self.rolled_up]
        return data


@dataclass(frozen=True)
class GroupResult:
    name: str
    rows: list[UnitResult]
    aggregate: Aggregate
    interval: Estimate | None = None

    @property
    def with_result(self) -> list[UnitResult]:
        return [r for r in self.rows if r.has_result]


@dataclass(frozen=True)
class PeriodResults:
    period: Period
    weight: Weight
    method: Method
    source: str | None  # None: every source; SYSTEM: the system-only view
    rows: list[UnitResult]
    groups: list[GroupResult]
    city: Aggregate
    city_interval: Estimate | None = None

    @property
    def flagged_responses(self) -> int:
        """Valid responses flagged and undecided, over every unit with system results."""
        return sum(r.flagged_responses for r in self.rows)

    @property
    def with_result(self) -> list[UnitResult]:
        return [r for r in self.rows if r.has_result]

    @property
    def without_result(self) -> list[UnitResult]:
        return [r for r in self.rows if not r.has_result]

    @property
    def imported_rows(self) -> list[UnitResult]:
        return [r for r in self.rows if r.source == IMPORTED]

    @property
    def rolled_up_rows(self) -> list[UnitResult]:
        return [r for r in self.rows if r.rolled_up]

    @property
    def both_rows(self) -> list[UnitResult]:
        """Units with a result from both sources (the page says which one counts)."""
        return [r for r in self.rows if r.other is not None]

    def band_counts(self) -> list[tuple[str, str, int]]:
        """How many units fall in each category: (letter, kinerja, count) for A–D, from the counted IKM."""
        counts = {band.letter: 0 for band in BANDS}
        for row in self.with_result:
            counts[row.letter] += 1  # type: ignore[index]
        return [(band.letter, band.kinerja, counts[band.letter]) for band in BANDS]

    def row_for(self, unit_code: str) -> UnitResult | None:
        return next((r for r in self.rows if r.unit.code == unit_code), None)

    def as_dict(self) -> dict[str, Any]:
        """`sumberdaya recap --format json`: {"period", "weight", "method", "source", "units", "groups", "city"}."""

        def mean(value: Fraction | None) -> float | None:
            return None if value is None else float(value)

        return {
            "period": self.period.slug,
            "weight": self.weight.value,
            "method": self.method.value,
            "source": self.source,
            "units": [row.as_dict() for row in self.rows],
            "groups": [
                {"name": g.name, "units": g.aggregate.units, "mean_ikm": mean(g.aggregate.value)} for g in self.groups
            ],
            "city": {"units": self.city.units, "mean_ikm": mean(self.city.value)},
        }


# ------------------------------------------------------------------------------------------ the service


def period_results(
    period: Period,
    weight: Weight | None = None,
    method: Method | None = None,
    *,
    source: str | None = None,
    units: Iterable[Unit] | None = None,
) -> PeriodResults:
    """Every unit's result for the period, grouped as in the city report, with group and city aggregates.

    `source=SYSTEM` ignores imported results (the old system-only view); `units` limits the rows (the
    aggregates then cover only those).
    Units without a result are included with none. A few queries whatever the number of units or answers: the
    kept tallies of the window's whole months (plus the responses of any days around them), the imported
    results, the periods inside, the units' period settings.
    """
    if source not in (None, *SOURCES):
        raise ValueError(f"Sumber tidak dikenal: {source!r}.")
    weight = weight or default_weight()
    method = method or default_method()
    unit_filter = None if units is None else [u.pk for u in units]
    # Each unit's tally and channels, from the tallies kept with the data (`results.aggregates`).
    tallies, used = kept_tallies(period, unit_filter) if source != IMPORTED else ({}, {})
    own, parts = _imported(period, unit_filter) if source != SYSTEM else ({}, {})
    if units is not None:
        unit_list = list(units)
    else:
        ids = set(own) | set(parts)
        unit_list = list(Unit.objects.filter(Q(active=True) | Q(pk__in=ids)).order_by("order", "name"))
    settings_ = UnitPeriod.objects.filter(period=period)
    if units is not None:
        settings_ = settings_.filter(unit_id__in=[u.pk for u in unit_list])
    declared = {up.unit_id: up for up in settings_}
    labels = {value: str(label) for value, label in Response.Channel.choices}  # translated once, not per unit
    language = translation.get_language()  # once too: reading it costs more than the window it names
    rows = [
        _unit_row(
            unit, period, weight, tallies.get(unit.pk), own.get(unit.pk), parts.get(unit.pk, []),
            declared.get(unit.pk), _channel_labels(used.get(unit.pk, set()), labels), language,
        )
        for unit in unit_list
    ]
    populations = {unit_id: up.population for unit_id, up in declared.items()} if method is Method.WEIGHTED else None

    def _aggregate(members: list[UnitResult]) -> Aggregate:
        counted = [m for m in members if m.figures is not None]
        figures = [m.figures for m in counted]
        if populations is None:
            return aggregate(figures, method)  # type: ignore[arg-type]
        return aggregate(figures, method, [populations.get(m.unit.pk) for m in counted])  # type: ignore[arg-type]

    def _interval(members: list[UnitResult], result: Aggregate) -> Estimate:
        counted = [m for m in members if m.figures is not None and m.figures.ikm is not None]
        return aggregate_interval(result, counted, weight, populations)

    groups: list[GroupResult] = []
    names = group_names()
    for name in [*names, *sorted({r.group for r in rows} - set(names))]:
        members = [r for r in rows if r.group == name]
        if members:
            result = _aggregate(members)
            groups.append(GroupResult(name, members, result, _interval(members, result)))
    city = _aggregate(rows)
    return PeriodResults(period, weight, method, source, rows, groups, city, _interval(rows, city))


def aggregate_interval(
    result: Aggregate, counted: list[UnitResult], weight: Weight, populations: dict[int, int | None] | None
) -> Estimate:
    """The 95 % interval of a group or city aggregate (`skm.interval.combined_interval`; pooled: one tally)."""
    if result.value is None or not counted:
        return Estimate(None, 0, reason=REASON_NO_DATA)
    bounded = any(m.estimate is not None and m.estimate.bounded for m in counted)
    if result.method is Method.POOLED:
        tallies = [m.tally for m in counted if m.source == SYSTEM]
        if len(tallies) == len(counted):
            pooled = merged(t for t in tallies if t is not None)
            return _estimate(result.value, pooled, weight, None)
        # With imported results, the units as strata: c_u = n_u / Σ n (the pool weights every respondent alike).
        sizes = [m.respondents for m in counted]
        coefficients = [size / sum(sizes) if sum(sizes) else 0.0 for size in sizes]
    elif result.method is Method.WEIGHTED:
        shares = [(populations or {}).get(m.unit.pk) or 0 for m in counted]
        total = sum(shares)
        coefficients = [share / total if total else 0.0 for share in shares]
    else:
        coefficients = [1 / len(counted)] * len(counted)
    parts = [
        (c, None if m.estimate is None else m.estimate.se) for c, m in zip(coefficients, counted, strict=True) if c
    ]
    return combined_interval(result.value, parts, bounded)


def unit_result(unit: Unit, period: Period, weight: Weight | None = None) -> UnitResult:
    """One unit's result: `period_results` limited to the unit, so it is the very same computation."""
    return period_results(period, weight, units=[unit]).rows[0]


def _imported(
    period: Period, unit_ids: list[int] | None
) -> tuple[dict[int, ImportedResult], dict[int, list[ImportedResult]]]:
    """Each unit's own imported record for the period, and its records of shorter periods inside it
    (`surveys.periods.sub_periods`), in one query."""
    records = ImportedResult.objects.select_related("period").filter(
        period__start__gte=period.start, period__end__lte=period.end
    )
    if unit_ids is not None:
        records = records.filter(unit_id__in=unit_ids)
    own: dict[int, ImportedResult] = {}
    parts: dict[int, list[ImportedResult]] = {}
    for record in records.order_by("period__start", "-period__end"):
        if record.period_id == period.pk:
            own[record.unit_id] = record
        else:
            parts.setdefault(record.unit_id, []).append(record)
    return own, {unit_id: _covering(found) for unit_id, found in parts.items()}


def _covering(records: list[ImportedResult]) -> list[ImportedResult]:
    """Non-overlapping records, earliest and longest first (a half-year before its quarters)."""
    chosen: list[ImportedResult] = []
    for record in records:
        if not chosen or record.period.start > chosen[-1].period.end:
            chosen.append(record)
    return chosen


def checked(record: ImportedResult, weight: Weight) -> tuple[Figures, tuple[str, ...]]:
    """An imported record's counted figures and flags (the import page shows the same check)."""
    result = stated_result(record.element_values(), record.ikm, record.mutu, record.respondents, weight)
    return result.figures, result.flags


def _unit_row(
    unit: Unit,
    period: Period,
    weight: Weight,
    tally: Tally | None,
    record: ImportedResult | None,
    parts: Sequence[ImportedResult],
    declared: UnitPeriod | None,
    channels: list[str],
    language: str | None,
) -> UnitResult:
    group = group_for_kind(unit.kind)
    system = _figures(tally, weight) if tally is not None and tally.respondents > 0 else None
    imported: Figures | None = None
    flags: tuple[str, ...] = ()
    rolled: tuple[Period, ...] = ()
    if record is not None:
        imported, flags = checked(record, weight)
    elif parts:
        checked_parts = [checked(p, weight) for p in parts]
        imported = pool([f for f, _flags in checked_parts], weight)
        flags = tuple(dict.fromkeys(flag for _f, part_flags in checked_parts for flag in part_flags))
        rolled = tuple(p.period for p in parts)
    use_imported = imported is not None and (system is None or (record is not None and record.preferred))
    if use_imported:
        stated_ikm = Fraction(record.ikm) if record is not None else None
        methods = [record.method] if record is not None else list(dict.fromkeys(p.method for p in parts))
        assert imported is not None
        # No respondent's own answers: the worst-case spread its elements allow (`skm.interval.bounded_interval`),
        # for the group and city intervals; the unit's own pages show no interval for it, as before.
        bounded = bounded_interval(
            imported.ikm, imported.values, weight.fraction, imported.respondents,
            declared.population if declared else None,
        )
        return UnitResult(
            unit, group, IMPORTED, imported,
            estimate=bounded,
            window=" + ".join(p.name for p in rolled) if rolled else period.name,
            channels=", ".join(m for m in methods if m) or "–",
            flags=flags,
            stated_ikm=stated_ikm,
            stated_mutu=record.mutu if record is not None else None,
            imported=record,
            rolled_up=rolled,
            other=system,
            tally=tally,
        )
    if system is not None:
        assert tally is not None
        # Days in the city's time zone (the window is the city's, whoever looks at it).
        zone = timezone.get_default_timezone()
        first = tally.first.astimezone(zone).date() if tally.first else None
        last = tally.last.astimezone(zone).date() if tally.last else None
        if declared and declared.survey_start and declared.survey_end:
            window = _described_window(declared.survey_start, declared.survey_end, language)
        elif first and last:
            window = _described_window(first, last, language)
        else:
            window = period.name
        estimate = _estimate(system.ikm, tally, weight, declared.population if declared else None)
        interval = Interval(estimate.n, estimate.low, estimate.high) if estimate.shown else None  # type: ignore[arg-type]
        # Without flagged responses the tally is the same one: no second scoring (the recap scores every unit).
        clean = tally.unflagged() if tally.flagged else tally
        unflagged_ikm = system.ikm if not tally.flagged else _figures(clean, weight).ikm if clean.respondents else None
        return UnitResult(
            unit, group, SYSTEM, system, window=window, channels=", ".join(channels) or "–",
            first=first, last=last, imported=record, other=imported, tally=tally, interval=interval,
            interval_note=None if interval else interval_reason(estimate),
            estimate=estimate,
            flagged_responses=tally.flagged,
            ikm_unflagged=unflagged_ikm,
        )
    return UnitResult(unit, group, None, None, imported=record, tally=tally)


def _channel_labels(channels: set[str], labels: dict[str, str]) -> list[str]:
    """ "Daring, Kuesioner kertas": the methods a unit used, in the order of `Response.Channel`."""
    order = list(labels)
    used = sorted(channels, key=lambda c: order.index(c) if c in order else len(order))
    return [labels.get(channel, channel) for channel in used]


def _figures(tally: Tally, weight: Weight) -> Figures:
    """A tally's figures (`skm.results.counted_figures`, memoised on the sums)."""
    return counted_figures(
        tuple([tally.totals.get(code, 0) for code in _CODES]),
        tuple([tally.counts.get(code, 0) for code in _CODES]),
        tally.respondents,
        weight,
    )


def _estimate(centre: Fraction | None, tally: Tally, weight: Weight, population: int | None) -> Estimate:
    """The unit interval from the tally's per-respondent sums (`skm.interval.unit_interval`)."""
    return respondent_interval(
        centre, tally.answered, tally.mean_sum, tally.mean_squares, _score_factor(weight), population
    )


@functools.cache
def _score_factor(weight: Weight) -> Fraction:
    return score_factor(weight.fraction)


def interval_of(tally: Tally, weight: Weight, population: int | None = None) -> Interval | None:
    """The shown 95 % interval of a tally's IKM (None below the minimum number of respondents)."""
    estimate = _estimate(tally.score(weight).ikm, tally, weight, population)
    return Interval(estimate.n, estimate.low, estimate.high) if estimate.shown else None  # type: ignore[arg-type]


def interval_reason(estimate: Estimate) -> str:
    """Why an interval is not shown, in words."""
    if estimate.reason == REASON_FEW:
        return _("Rentang keyakinan tidak ditampilkan: baru %(n)s responden (minimal %(min)s).") % {
            "n": estimate.n, "min": MIN_RESPONDENTS,
        }
    return _("Rentang keyakinan tidak tersedia untuk hasil ini.")


# ------------------------------------------------------------------------------------ history and trend


@dataclass(frozen=True)
class TrendPoint:
    """One value of a trend: a unit's IKM, a group's or the city's mean, for one period."""

    period: Period
    series: str  # "Kota", a group name, or a unit's name
    value: Fraction | None
    units: int  # how many units the value covers (1 or 0 for a unit)
    source: str | None = None  # a unit's point: where its result came from
    respondents: int = 0  # a unit's point: its respondents

    @property
    def letter(self) -> str | None:
        return None if self.value is None else band_for(self.value).letter


def unit_trend(
    unit: Unit, period: Period, weight: Weight | None = None, current: UnitResult | None = None
) -> list[TrendPoint]:
    """The unit's counted IKM in earlier periods of the same kind, then in this one (imported ones too).

    `current` is the unit's result for `period` when the caller has it already (the dashboard).
    """
    points = []
    for p in [*earlier_periods(period), period]:
        row = current if current is not None and p == period else unit_result(unit, p, weight)
        points.append(TrendPoint(p, unit.name, row.ikm, int(row.has_result), row.source, row.respondents))
    return points


def trend(until: Period | None = None, weight: Weight | None = None, method: Method | None = None) -> list[TrendPoint]:
    """City and group means per year, from system data and imported history."""
    points: list[TrendPoint] = []
    for year in annual_periods(until):
        results = period_results(year, weight, method)
        points.append(TrendPoint(year, "Kota", results.city.value, results.city.units))
        for group in results.groups:
            points.append(TrendPoint(year, group.name, group.aggregate.value, group.aggregate.units))
    return points


def trend_table(points: list[TrendPoint]) -> tuple[list[Period], list[tuple[str, list[TrendPoint | None]]]]:
    """Points laid out as a table: periods as columns, one row per series (city first)."""
    periods: list[Period] = []
    series: list[str] = []
    for p in points:
        if p.period not in periods:
            periods.append(p.period)
        if p.series not in series:
            series.append(p.series)
    lookup = {(p.series, p.period.pk): p for p in points}
    table = [(name, [lookup.get((name, period.pk)) for period in periods]) for name in series]
    # Drop groups that never had a value (e.g. no RSUD in this city).
    return periods, [(name, cells) for name, cells in table if any(c and c.value is not None for c in cells)]


def new_units(results: PeriodResults) -> list[UnitResult]:
    """Units with a result this period and none (system or imported) before it: surveying for the first time.

    A "first time" claim needs history: with no earlier period in the system, nobody is called new.
    """
    start = results.period.start
    if not Period.objects.filter(end__lt=start).exists():
        return []
    # Whole months before the period's first month from the kept tallies, the days between from the responses.
    month = start.replace(day=1)
    month_begin, _ = Period(slug="x", name="x", start=month, end=month).bounds()
    tz_begin, _ = Period(slug="x", name="x", start=start, end=start).bounds()
    earlier_system = set(
        ResponseTally.objects.filter(instrument=Response.Instrument.SKM, month__lt=month, n__gt=0)
        .values_list("unit_id", flat=True)
        .distinct()
    ) | set(
        Response.objects.filter(
            instrument=Response.Instrument.SKM, status=Response.Status.VALID, submitted_at__gte=month_begin,
            submitted_at__lt=tz_begin,
        )
        .values_list("unit_id", flat=True)
        .distinct()
    )
    earlier_imported = set(ImportedResult.objects.filter(period__end__lt=start).values_list("unit_id", flat=True))
    seen = earlier_system | earlier_imported
    return [r for r in results.with_result if r.unit.pk not in seen]


# -------------------------------------------------------------------------------------------- display


def display(value: Fraction | None) -> float | None:
    """The figure as reports print it (2 decimals, half-up from the exact value): no double rounding."""
    return None if value is None else float(round_half_up(value, 2))


def _date(day: dt.date, fmt: str = "j F Y") -> str:
    return formats.date_format(day, fmt)


def describe_window(first: dt.date, last: dt.date) -> str:
    """ "1 Juni – 12 November 2024", "3–9 Mei 2024"."""
    return _described_window(first, last, translation.get_language())


@functools.cache
def _described_window(first: dt.date, last: dt.date, language: str | None) -> str:
    # Pure (dates and language in, text out), so one process may keep it: Django's date formatting is slow
    # next to everything else a recap does per unit, and windows repeat.
    if first == last:
        return _date(first)
    if first.year != last.year:
        return f"{_date(first)} – {_date(last)}"
    if first.month == last.month:
        return f"{first.day}–{_date(last)}"
    return f"{_date(first, 'j F')} – {_date(last)}"


@dataclass(frozen=True)
class ElementRow:
    """A line of an element table: U, unsur, nilai, mutu, prioritas."""

    element: Element
    score: Fraction | None
    band: Band | None
    priority: bool

    @property
    def key(self) -> str:
        return self.element.key.upper()

    @property
    def name(self) -> str:
        return self.element.name


def element_rows(figures: Figures | None, priorities: int = PRIORITY_COUNT) -> list[ElementRow]:
    if figures is None:
        return [ElementRow(e, None, None, False) for e in ELEMENTS]
    lowest = {e.element.code for e in figures.priorities(priorities)} if figures.ikm is not None else set()
    return [ElementRow(e.element, e.score, e.band, e.element.code in lowest) for e in figures.elements]
