"""What the unit and city dashboards show, computed with the ORM and the recap helpers (no Django views here).

Every index comes from `results.recap` (tallies -> the pure scoring core), so a dashboard, a report and
an export always agree.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sumberdaya.results.recap import (
    Tally,
    city_recap,
    default_weight,
    tallies_by,
    unit_score,
    valid_responses,
)
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.periods import parse_period_slug
from sumberdaya.skm.sample import krejcie_morgan
from sumberdaya.skm.scoring import Band, UnitScore, Weight, mean_confidence_interval
from sumberdaya.surveys.models import ANSWER_COLUMNS, Period, Response, UnitPeriod
from sumberdaya.units.groups import group_for_kind
from sumberdaya.units.models import Service, Unit

NOT_FILLED = gettext_lazy("Tidak diisi")
TREND_PERIODS = 6
# Below this change between periods the trend arrow stays flat: differences in the second decimal are noise.
TREND_STEP = Fraction(1, 2)
# The city dashboard over a million responses takes about a second to count; counted results are reused:
# fresh for a minute, then served while a background thread recounts, and never older than five minutes.
CITY_FRESH_SECONDS = 60
CITY_MAX_AGE_SECONDS = 300
SLOW_SECONDS = 0.1  # faster counts are never cached, so small installations always see live numbers

AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("< 20", None, 19),
    ("20–29", 20, 29),
    ("30–39", 30, 39),
    ("40–49", 40, 49),
    ("50–59", 50, 59),
    ("≥ 60", 60, None),
)


# ---------------------------------------------------------------------------------------------- periods


def period_kind(period: Period) -> str:
    """tahunan / semester / triwulan from the slug; custom slugs fall back to the window's length."""
    try:
        return parse_period_slug(period.slug).kind
    except ValueError:
        days = (period.end - period.start).days
        return "tahunan" if days > 250 else "semester" if days > 120 else "triwulan"


def earlier_periods(period: Period, limit: int = TREND_PERIODS) -> list[Period]:
    """Periods of the same kind that ended before this one starts, oldest first."""
    candidates = Period.objects.filter(end__lt=period.start).order_by("-start")
    kind = period_kind(period)
    return [p for p in candidates if period_kind(p) == kind][:limit][::-1]


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


# --------------------------------------------------------------------------------------------- interval


def _answer_sum() -> Any:
    expression: Any = Cast(ANSWER_COLUMNS[0], IntegerField())
    for column in ANSWER_COLUMNS[1:]:
        expression = expression + Cast(column, IntegerField())
    return expression


@dataclass(frozen=True)
class Interval:
    n: int
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def index_interval(responses: QuerySet[Response], weight: Weight) -> Interval | None:
    """±95 % interval of the IKM from per-respondent indices (a1+…+a9)×w×25 of complete questionnaires."""
    complete = responses.filter(**{f"{column}__isnull": False for column in ANSWER_COLUMNS})
    total = _answer_sum()
    row = complete.order_by().aggregate(n=Count("id"), s=Sum(total), ss=Sum(total * total))
    factor = weight.fraction * 25
    bounds = mean_confidence_interval(row["n"] or 0, factor * (row["s"] or 0), factor**2 * (row["ss"] or 0))
    if bounds is None:
        return None
    return Interval(row["n"], *bounds)


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


def _age_band() -> Case:
    whens = []
    for label, low, high in AGE_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(age__gte=low)
        if high is not None:
            condition &= Q(age__lte=high)
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(""))


def _rows(tallies: dict[Any, Tally], labels: dict[Any, str], weight: Weight) -> list[BreakdownRow]:
    total = sum(t.respondents for t in tallies.values())
    rows = []
    known = [key for key in labels if key in tallies]
    unknown = [key for key in tallies if key not in labels]
    for key in [*known, *unknown]:
        tally = tallies[key]
        label = labels.get(key) or str(NOT_FILLED)
        rows.append(
            BreakdownRow(label, tally.respondents, Fraction(tally.respondents, total or 1), tally.score(weight))
        )
    return rows


def breakdowns(unit: Unit, responses: QuerySet[Response], weight: Weight) -> list[Breakdown]:
    """Respondents and IKM by service, sex, age band, education, occupation and channel."""
    services = {s.pk: s.name for s in Service.objects.filter(unit=unit)}
    specs: list[tuple[str, str, QuerySet[Response], dict[Any, Any]]] = [
        ("service_id", _("Jenis layanan"), responses, services),
        ("sex", _("Jenis kelamin"), responses, dict(Response.Sex.choices)),
        (
            "age_band",
            _("Umur"),
            responses.annotate(age_band=_age_band()),
            {label: label for label, _low, _high in AGE_BANDS},
        ),
        ("education", _("Pendidikan"), responses, dict(Response.Education.choices)),
        ("occupation", _("Pekerjaan"), responses, dict(Response.Occupation.choices)),
        ("channel", _("Metode"), responses, dict(Response.Channel.choices)),
    ]
    return [
        Breakdown(key, title, _rows(tallies_by(qs, key), {k: str(v) for k, v in labels.items()}, weight))
        for key, title, qs, labels in specs
    ]


# ------------------------------------------------------------------------------------------------ trend


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    score: UnitScore

    @property
    def ikm(self) -> Fraction | None:
        return self.score.ikm


def unit_trend(unit: Unit, period: Period, current: UnitScore, weight: Weight) -> list[TrendPoint]:
    """The unit's IKM in earlier periods of the same kind, then this one."""
    points = [TrendPoint(p, unit_score(unit, p, weight)) for p in earlier_periods(period)]
    return [*points, TrendPoint(period, current)]


# -------------------------------------------------------------------------------------- unit dashboard


@dataclass(frozen=True)
class UnitDashboard:
    unit: Unit
    period: Period
    weight: Weight
    score: UnitScore
    sample: Sample
    interval: Interval | None
    breakdowns: list[Breakdown]
    trend: list[TrendPoint]
    flagged: int
    excluded: int
    open_comments: int

    @property
    def priority_codes(self) -> set[str]:
        return {e.element.code for e in self.score.priorities(3)}


def unit_dashboard(unit: Unit, period: Period, weight: Weight | None = None) -> UnitDashboard:
    weight = weight or default_weight()
    responses = valid_responses(period).filter(unit=unit)
    tally = tallies_by(responses, "unit_id").get(unit.pk, Tally())
    score = tally.score(weight)
    begin, end = period.bounds()
    in_period = Response.objects.filter(
        unit=unit, instrument=Response.Instrument.SKM, submitted_at__gte=begin, submitted_at__lt=end
    )
    counts = in_period.order_by().aggregate(
        flagged=Count("id", filter=Q(flagged=True, status=Response.Status.VALID)),
        excluded=Count("id", filter=Q(status=Response.Status.EXCLUDED)),
        open_comments=Count("id", filter=~Q(comment="") & Q(follow_up__isnull=True)),
    )
    return UnitDashboard(
        unit=unit,
        period=period,
        weight=weight,
        score=score,
        sample=Sample(score.respondents, population_of(unit, period)),
        interval=index_interval(responses, weight),
        breakdowns=breakdowns(unit, responses, weight),
        trend=unit_trend(unit, period, score, weight),
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
    previous: Fraction | None
    sample: Sample = field(repr=False)

    @property
    def target(self) -> int | None:
        return self.sample.target

    @cached_property
    def status(self) -> str:
        if self.respondents == 0:
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
    """Each unit's IKM in an earlier period, for the trend arrow; kept 10 minutes (a closed period rarely moves)."""
    key = f"city-dashboard:previous:{period.pk}:{weight.value}"
    ikms: dict[int, Fraction | None] | None = cache.get(key)
    if ikms is None:
        ikms = {
            unit_id: tally.score(weight).ikm
            for unit_id, tally in tallies_by(valid_responses(period), "unit_id").items()
        }
        cache.set(key, ikms, PREVIOUS_SECONDS)
    return ikms


def city_rows(period: Period) -> CityDashboard:
    """Every active unit with respondents, target, IKM and the previous period's IKM: three queries."""
    units = list(Unit.objects.filter(active=True))
    recap = city_recap(period, units=units)
    populations = dict(UnitPeriod.objects.filter(period=period).values_list("unit_id", "population"))
    earlier = earlier_periods(period, limit=1)
    previous_period = earlier[-1] if earlier else None
    previous: dict[int, Fraction | None] = {}
    if previous_period is not None:
        previous = previous_ikms(previous_period, recap.weight)
    kinds = dict(Unit.Kind.choices)
    rows = [
        CityRow(
            unit_id=r.unit.pk,
            code=r.unit.code,
            name=r.unit.name,
            kind=r.unit.kind,
            kind_label=str(kinds.get(r.unit.kind, r.unit.kind)),
            group=group_for_kind(r.unit.kind),
            respondents=r.respondents,
            population=populations.get(r.unit.pk),
            ikm=r.score.ikm,
            previous=previous.get(r.unit.pk),
            sample=Sample(r.respondents, populations.get(r.unit.pk)),
        )
        for r in recap.units
    ]
    return CityDashboard(period, previous_period, rows, recap.city.value, recap.method.label)


def city_dashboard(period: Period) -> CityDashboard:
    """`city_rows`, reused for a short time when counting is slow (see CITY_FRESH_SECONDS)."""
    key = f"results:city:{period.pk}:{period.start}:{period.end}"
    cached = cache.get(key)
    age = time.time() - cached.computed_at if cached is not None else None
    if cached is None or age is None or age > CITY_MAX_AGE_SECONDS:
        return _count_city(period, key)
    if age > CITY_FRESH_SECONDS and cache.add(f"{key}:refreshing", 1, CITY_FRESH_SECONDS):
        threading.Thread(target=_refresh_city, args=(period, key), daemon=True).start()
    return cached  # type: ignore[no-any-return]


def _count_city(period: Period, key: str) -> CityDashboard:
    started = time.monotonic()
    data = city_rows(period)
    if time.monotonic() - started > SLOW_SECONDS:
        cache.set(key, data, CITY_MAX_AGE_SECONDS)
    return data


def _refresh_city(period: Period, key: str) -> None:
    try:
        _count_city(period, key)
    finally:
        cache.delete(f"{key}:refreshing")
        connection.close()  # the thread's own database connection


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


def element_rows(dashboard: UnitDashboard) -> list[dict[str, Any]]:
    """The compact element table: U, unsur, nilai, mutu, prioritas."""
    priorities = dashboard.priority_codes
    return [
        {
            "key": e.element.key.upper(),
            "name": e.element.name,
            "score": e.score,
            "band": e.band,
            "priority": e.element.code in priorities,
        }
        for e, _element in zip(dashboard.score.elements, ELEMENTS, strict=True)
    ]
