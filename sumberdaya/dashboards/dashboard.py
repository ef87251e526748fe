"""What the unit and city dashboards show, computed with the ORM and the recap helpers (no Django views here).

Every index comes from `results.recap` (tallies -> the pure scoring core), so a dashboard, a report and
an export always agree.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sumberdaya.results.breakdowns import unit_breakdowns
from sumberdaya.results.service import (
    ElementRow,
    Interval,
    TrendPoint,
    UnitResult,
    element_rows,
    period_results,
    unit_result,
    unit_trend,
)
from sumberdaya.results.tallies import Tally, default_weight
from sumberdaya.skm.sample import krejcie_morgan
from sumberdaya.skm.scoring import Band, UnitScore, Weight
from sumberdaya.surveys.models import Period, Response, UnitPeriod
from sumberdaya.surveys.periods import previous_period
from sumberdaya.surveys.profile import AGE_BANDS, NOT_FILLED
from sumberdaya.units.models import Service, Unit

# Below this change between periods the trend arrow stays flat: differences in the second decimal are noise.
TREND_STEP = Fraction(1, 2)
# The city dashboard over a million responses takes about a second to count; counted results are reused
# from the shared cache (every server process sees them): fresh for a minute; after that the one request, on
# any server, that wins `cache.add` of the recount marker recounts inline while all others are served the
# previous count; never older than five minutes. No thread outlives a request.
CITY_FRESH_SECONDS = 60
CITY_MAX_AGE_SECONDS = 300
SLOW_SECONDS = 0.1  # faster counts are never cached, so small installations always see live numbers

# ----------------------------------------------------------------------------------------------- sample


@dataclass(frozen=True)
class Sample:
    respondents: int
    population: int | None

    @cached_property
    def target(self) -> int | None:
        return krejcie_morgan(self.population) if self.population else None

    @property
    def reached(self) -> bool:
        target = self.target
        return target is not None and self.respondents >= target

    @property
    def percent(self) -> int:
        """Progress towards the target, capped at 100 for the bar."""
        target = self.target
        if not target:
            return 0
        return min(100, self.respondents * 100 // target)


def population_of(unit: Unit, period: Period) -> int | None:
    return UnitPeriod.objects.filter(unit=unit, period=period).values_list("population", flat=True).first()


# ------------------------------------------------------------------------------------------- breakdowns


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    respondents: int
    share: Fraction
    score: UnitScore

    @property
    def ikm(self) -> Fraction | None:
        return self.score.ikm

    @property
    def band(self) -> Band | None:
        return self.score.band

    @property
    def percent(self) -> Fraction:
        return self.share * 100


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    rows: list[BreakdownRow]


def _rows(tallies: dict[Any, Tally], labels: dict[Any, str], weight: Weight) -> list[BreakdownRow]:
    total = sum(t.respondents for t in tallies.values())
    rows = []
    known = [key for key in labels if key in tallies]
    unknown = [key for key in tallies if key not in labels]
    for key in [*known, *unknown]:
        tally = tallies[key]
        label = labels.get(key) or _(NOT_FILLED)
        rows.append(
            BreakdownRow(label, tally.respondents, Fraction(tally.respondents, total or 1), tally.score(weight))
        )
    return rows


def breakdowns(unit: Unit, period: Period, weight: Weight) -> list[Breakdown]:
    """Respondents and IKM by service, sex, age band, education, occupation and channel (kept tallies)."""
    services = {s.pk: s.name for s in Service.objects.filter(unit=unit)}
    specs: list[tuple[str, str, dict[Any, Any]]] = [
        ("service_id", _("Jenis layanan"), services),
        ("sex", _("Jenis kelamin"), dict(Response.Sex.choices)),
        ("age_band", _("Umur"), {label: label for label, _low, _high in AGE_BANDS}),
        ("education", _("Pendidikan"), dict(Response.Education.choices)),
        ("occupation", _("Pekerjaan"), dict(Response.Occupation.choices)),
        ("channel", _("Metode"), dict(Response.Channel.choices)),
    ]
    kept = unit_breakdowns(unit, period)
    return [
        Breakdown(key, title, _rows(kept[key], {k: str(v) for k, v in labels.items()}, weight))
        for key, title, labels in specs
    ]


# -------------------------------------------------------------------------------------- unit dashboard


@dataclass(frozen=True)
class UnitDashboard:
    unit: Unit
    period: Period
    weight: Weight
    result: UnitResult  # the counted result (system or imported), as on every other page
    sample: Sample
    breakdowns: list[Breakdown]
    trend: list[TrendPoint]
    flagged: int
    excluded: int
    open_comments: int

    @property
    def interval(self) -> Interval | None:
        return self.result.interval

    @property
    def elements(self) -> list[ElementRow]:
        return element_rows(self.result.figures)


def unit_dashboard(unit: Unit, period: Period, weight: Weight | None = None) -> UnitDashboard:
    weight = weight or default_weight()
    result = unit_result(unit, period, weight)
    begin, end = period.bounds()
    in_period = Response.objects.filter(
        unit=unit, instrument=Response.Instrument.SKM, submitted_at__gte=begin, submitted_at__lt=end
    )
    # Three counts, each read from its small partial index (surveys migration 0009), not one pass over all
    # the unit's answers.
    counts = {
        "flagged": in_period.filter(flagged=True, status=Response.Status.VALID).count(),
        "excluded": in_period.filter(status=Response.Status.EXCLUDED).count(),
        "open_comments": in_period.exclude(comment="").filter(follow_up__isnull=True).count(),
    }
    return UnitDashboard(
        unit=unit,
        period=period,
        weight=weight,
        result=result,
        sample=Sample(result.respondents, population_of(unit, period)),
        breakdowns=breakdowns(unit, period, weight) if result.tally and result.tally.respondents else [],
        trend=unit_trend(unit, period, weight, current=result),
        **counts,
    )


# -------------------------------------------------------------------------------------- city dashboard

STATUS_NONE = "none"
STATUS_BELOW = "below"
STATUS_OK = "ok"
STATUS_LABELS = {
    STATUS_NONE: gettext_lazy("Belum ada respons"),
    STATUS_BELOW: gettext_lazy("Di bawah target"),
    STATUS_OK: gettext_lazy("Sesuai target"),
}


@dataclass(frozen=True)
class CityRow:
    unit_id: int
    code: str
    name: str
    kind: str
    kind_label: str
    group: str
    respondents: int
    population: int | None
    ikm: Fraction | None
    letter: str | None
    source: str | None
    flagged: bool
    previous: Fraction | None
    sample: Sample = field(repr=False)

    @property
    def target(self) -> int | None:
        return self.sample.target

    @cached_property
    def status(self) -> str:
        if self.ikm is None:
            return STATUS_NONE
        return STATUS_OK if self.sample.reached else STATUS_BELOW

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @cached_property
    def trend(self) -> str:
        """up / down / flat, or "" without both values."""
        if self.ikm is None or self.previous is None:
            return ""
        change = self.ikm - self.previous
        if change >= TREND_STEP:
            return "up"
        if change <= -TREND_STEP:
            return "down"
        return "flat"


@dataclass(frozen=True)
class CityDashboard:
    period: Period
    previous_period: Period | None
    rows: list[CityRow]
    city_ikm: Fraction | None
    city_letter: str | None
    city_units: int
    method_label: str
    computed_at: float = field(default_factory=time.time)

    @property
    def counted_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.computed_at, tz=dt.UTC)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


PREVIOUS_SECONDS = 600


def previous_ikms(period: Period, weight: Weight) -> dict[int, Fraction | None]:
    """Each unit's counted IKM in an earlier period, for the trend arrow; kept 10 minutes (a closed period
    rarely moves)."""
    key = f"city-dashboard:previous:{period.pk}:{weight.value}"
    ikms: dict[int, Fraction | None] | None = cache.get(key)
    if ikms is None:
        ikms = {row.unit.pk: row.ikm for row in period_results(period, weight).rows}
        cache.set(key, ikms, PREVIOUS_SECONDS)
    return ikms


def city_rows(period: Period) -> CityDashboard:
    """Every unit with a result or active: respondents, target, counted IKM and the previous period's IKM."""
    results = period_results(period)
    populations = dict(UnitPeriod.objects.filter(period=period).values_list("unit_id", "population"))
    previous_period_ = previous_period(period)
    previous: dict[int, Fraction | None] = {}
    if previous_period_ is not None:
        previous = previous_ikms(previous_period_, results.weight)
    kinds = dict(Unit.Kind.choices)
    rows = [
        CityRow(
            unit_id=r.unit.pk,
            code=r.unit.code,
            name=r.unit.name,
            kind=r.unit.kind,
            kind_label=str(kinds.get(r.unit.kind, r.unit.kind)),
            group=r.group,
            respondents=r.respondents,
            population=populations.get(r.unit.pk),
            ikm=r.ikm,
            letter=r.letter,
            source=r.source,
            flagged=r.flagged,
            previous=previous.get(r.unit.pk),
            sample=Sample(r.respondents, populations.get(r.unit.pk)),
        )
        for r in results.rows
    ]
    return CityDashboard(
        period, previous_period_, rows, results.city.value,
        results.city.band.letter if results.city.band else None, results.city.units, results.method.label,
    )


def city_dashboard(period: Period) -> CityDashboard:
    """`city_rows`, reused for a short time when counting is slow (see CITY_FRESH_SECONDS)."""
    key = f"dashboards:city:{period.pk}:{period.start}:{period.end}"
    cached = cache.get(key)
    age = time.time() - cached.computed_at if cached is not None else None
    if cached is None or age is None or age > CITY_MAX_AGE_SECONDS:
        return _count_city(period, key)
    if age > CITY_FRESH_SECONDS and cache.add(f"{key}:recounting", 1, CITY_FRESH_SECONDS):
        try:
            return _count_city(period, key)
        finally:
            cache.delete(f"{key}:recounting")
    return cached  # type: ignore[no-any-return]


def _count_city(period: Period, key: str) -> CityDashboard:
    started = time.monotonic()
    data = city_rows(period)
    if time.monotonic() - started > SLOW_SECONDS:
        cache.set(key, data, CITY_MAX_AGE_SECONDS)
    return data


SORTS: dict[str, Any] = {
    "nama": lambda r: (r.name.lower(),),
    "ikm": lambda r: (r.ikm is None, r.ikm or 0),
    "responden": lambda r: (r.respondents,),
    "status": lambda r: (list(STATUS_LABELS).index(r.status), r.name.lower()),
    "kelompok": lambda r: (r.group, r.name.lower()),
}


def filter_rows(
    rows: Iterable[CityRow], *, group: str = "", kind: str = "", status: str = "", sort: str = ""
) -> list[CityRow]:
    selected = [
        r
        for r in rows
        if (not group or r.group == group) and (not kind or r.kind == kind) and (not status or r.status == status)
    ]
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"))
    if key is not None:
        selected.sort(key=key, reverse=descending)
        if sort.lstrip("-") == "ikm" and descending:
            # Units without an index stay at the bottom either way.
            selected.sort(key=lambda r: r.ikm is None)
    return selected
