"""Leadership's brief of a period (`/dasbor/kota/`): what the Sekda and the Wali Kota read on one screen.

Every number comes from the results service (`period_results`, `trend`): the city IKM and its trend, how
many units fall in each category, the groups, the five best, worst and most improved units, and the units
that are late. Nothing is counted here that another page counts differently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from sumberdaya.city.history import city_trend
from sumberdaya.city.monitoring import complaint_monitor
from sumberdaya.dashboards.dashboard import CITY_FRESH_SECONDS, SLOW_SECONDS
from sumberdaya.results.lateness import period_lateness
from sumberdaya.results.service import GroupResult, PeriodResults, TrendPoint, UnitResult, period_results
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import previous_period

RANKED = 5  # best, worst and most improved units shown
LATE_NAMED = 8  # late units named on the brief; the rest are behind the monitoring link
BRIEF_SECONDS = CITY_FRESH_SECONDS  # as the city table: a minute old at most


@dataclass(frozen=True)
class RankedUnit:
    row: UnitResult
    previous: Fraction | None

    @property
    def change(self) -> Fraction | None:
        if self.row.ikm is None or self.previous is None:
            return None
        return self.row.ikm - self.previous


@dataclass(frozen=True)
class LateUnit:
    row: UnitResult
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Brief:
    period: Period
    results: PeriodResults
    previous_period: Period | None
    previous_city: Fraction | None
    trend: list[TrendPoint]  # city and group means per year, up to this period
    best: list[RankedUnit]
    worst: list[RankedUnit]
    improved: list[RankedUnit]
    late: list[LateUnit]
    complaints_overdue: int = 0  # open complaints past their first-response deadline (`complaints`)

    @property
    def city_change(self) -> Fraction | None:
        value = self.results.city.value
        return None if value is None or self.previous_city is None else value - self.previous_city

    @property
    def city_change_size(self) -> Fraction | None:
        change = self.city_change
        return None if change is None else abs(change)

    @property
    def bands(self) -> list[tuple[str, str, int]]:
        return self.results.band_counts()

    @property
    def groups(self) -> list[GroupResult]:
        return [g for g in self.results.groups if g.aggregate.value is not None]

    @property
    def late_named(self) -> list[LateUnit]:
        return self.late[:LATE_NAMED]

    @property
    def late_more(self) -> int:
        return max(0, len(self.late) - LATE_NAMED)


def late_units(results: PeriodResults) -> list[LateUnit]:
    """Units late for the period, with why: the lateness rules every page uses (`results.lateness`)."""
    rows = {row.unit.pk: row for row in results.rows}
    late = []
    for lateness in period_lateness(results.period, results=results):
        reasons = []
        if lateness.late_data:
            reasons.append(_("data belum cukup"))
        if lateness.late_report:
            reasons.append(_("laporan belum dikirim"))
        if reasons:
            late.append(LateUnit(rows[lateness.unit.pk], tuple(reasons)))
    return late


def leadership_brief(period: Period) -> Brief:
    """The brief, reused from the shared cache for a minute when counting it was slow (a large city: the
    period, the one before and the yearly trend are counted); a small installation always sees live numbers."""
    key = f"city:brief:{period.pk}:{period.start}:{period.end}:{timezone.localdate()}"
    cached: Brief | None = cache.get(key)
    if cached is not None:
        return cached
    started = time.monotonic()
    brief = _count_brief(period)
    if time.monotonic() - started > SLOW_SECONDS:
        cache.set(key, brief, BRIEF_SECONDS)
    return brief


def _count_brief(period: Period) -> Brief:
    results = period_results(period)
    before = previous_period(period)
    previous: dict[int, Fraction | None] = {}
    previous_city = None
    if before is not None:
        earlier = period_results(before, results.weight, results.method)
        previous = {row.unit.pk: row.ikm for row in earlier.rows}
        previous_city = earlier.city.value
    ranked = [RankedUnit(row, previous.get(row.unit.pk)) for row in results.with_result]
    by_ikm = sorted(ranked, key=lambda r: (-(r.row.ikm or 0), r.row.unit.name))
    worst = sorted(ranked, key=lambda r: (r.row.ikm or 0, r.row.unit.name))
    rising = [r for r in ranked if (r.change or 0) > 0]
    rising.sort(key=lambda r: (-(r.change or 0), r.row.unit.name))
    return Brief(
        period=period,
        results=results,
        previous_period=before,
        previous_city=previous_city,
        trend=city_trend(period, results.weight, results.method),
        best=by_ikm[:RANKED],
        worst=worst[:RANKED],
        improved=rising[:RANKED],
        late=late_units(results),
        complaints_overdue=len(complaint_monitor().overdue),
    )
