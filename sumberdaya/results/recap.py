"""Recaps: a unit's, a group's and the city's SKM index for a period, straight from the responses.

One GROUP BY over the response table gives, per unit, the respondents and each element's sum and count
of answers; the pure core (`sumberdaya.skm`) turns those into NRR, IKM and bands. Every page, report and
export that shows an index goes through here, so the numbers cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, QuerySet, Sum

from sumberdaya.skm.aggregate import Aggregate, Method, aggregate
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import UnitScore, Weight, score_unit
from sumberdaya.surveys.models import Period, Response
from sumberdaya.units.groups import group_for_kind, group_names
from sumberdaya.units.models import Unit


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

    def score(self, weight: Weight) -> UnitScore:
        return score_unit(self.totals, self.counts, self.respondents, weight)


def _tally_annotations() -> dict[str, Any]:
    annotations: dict[str, Any] = {"n": Count("*"), "first": Min("submitted_at"), "last": Max("submitted_at")}
    for element in ELEMENTS:
        annotations[f"s_{element.code}"] = Sum(element.column)
        annotations[f"c_{element.code}"] = Count(element.column)
    return annotations


def _tally_from_row(row: dict[str, Any]) -> Tally:
    return Tally(
        respondents=row["n"],
        totals={e.code: row[f"s_{e.code}"] or 0 for e in ELEMENTS},
        counts={e.code: row[f"c_{e.code}"] for e in ELEMENTS},
        first=row["first"],
        last=row["last"],
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


def unit_tally(unit: Unit, period: Period) -> Tally:
    return tallies_by(valid_responses(period).filter(unit=unit), "unit_id").get(unit.pk, Tally())


def unit_score(unit: Unit, period: Period, weight: Weight | None = None) -> UnitScore:
    return unit_tally(unit, period).score(weight or default_weight())


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    group: str
    tally: Tally
    score: UnitScore

    @property
    def respondents(self) -> int:
        return self.score.respondents

    def as_dict(self) -> dict[str, Any]:
        band = self.score.band
        data: dict[str, Any] = {
            "code": self.unit.code,
            "name": self.unit.name,
            "kind": self.unit.kind,
            "group": self.group,
            "respondents": self.respondents,
        }
        for element_score in self.score.elements:
            value = element_score.score
            data[element_score.element.key] = None if value is None else float(value)
        ikm = self.score.ikm
        data["ikm"] = None if ikm is None else float(ikm)
        data["mutu"] = band.letter if band else None
        data["kinerja"] = band.kinerja if band else None
        return data


@dataclass(frozen=True)
class GroupResult:
    name: str
    units: list[UnitResult]
    aggregate: Aggregate

    def as_dict(self) -> dict[str, Any]:
        value = self.aggregate.value
        return {"name": self.name, "units": self.aggregate.units, "mean_ikm": None if value is None else float(value)}


@dataclass(frozen=True)
class Recap:
    period: Period
    weight: Weight
    method: Method
    units: list[UnitResult]
    groups: list[GroupResult]
    city: Aggregate

    def as_dict(self) -> dict[str, Any]:
        value = self.city.value
        return {
            "period": self.period.slug,
            "weight": self.weight.value,
            "method": self.method.value,
            "units": [u.as_dict() for u in self.units],
            "groups": [g.as_dict() for g in self.groups],
            "city": {"units": self.city.units, "mean_ikm": None if value is None else float(value)},
        }


def city_recap(
    period: Period,
    weight: Weight | None = None,
    method: Method | None = None,
    units: Iterable[Unit] | None = None,
    populations: dict[int, int | None] | None = None,
) -> Recap:
    """Every (active) unit's result, each group's and the city's aggregate for the period.

    Units without responses are included with zero respondents and no index.
    """
    weight = weight or default_weight()
    method = method or default_method()
    unit_list = list(units) if units is not None else list(Unit.objects.filter(active=True))
    tallies = tallies_by(valid_responses(period), "unit_id")
    results = []
    for unit in unit_list:
        tally = tallies.get(unit.pk, Tally())
        results.append(UnitResult(unit, group_for_kind(unit.kind), tally, tally.score(weight)))
    if method is Method.WEIGHTED and populations is None:
        from sumberdaya.surveys.models import UnitPeriod

        populations = dict(
            UnitPeriod.objects.filter(period=period).values_list("unit_id", "population")
        )

    def _aggregate(members: list[UnitResult]) -> Aggregate:
        pops = [populations.get(m.unit.pk) for m in members] if populations is not None else None
        return aggregate([m.score for m in members], method, pops)

    groups = []
    names = group_names()
    extra = sorted({r.group for r in results} - set(names))
    for name in [*names, *extra]:
        members = [r for r in results if r.group == name]
        if members:
            groups.append(GroupResult(name, members, _aggregate(members)))
    return Recap(period, weight, method, results, groups, _aggregate(results))
