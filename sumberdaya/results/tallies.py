"""Tallies: respondents and each element's sum and count of answers, straight from the responses.

One GROUP BY over the response table gives them per unit (or per service, channel, sex…); the pure core
(`sumberdaya.skm`) turns them into NRR, IKM and bands. The results of a period, with imported results
and the rules of which one counts, are `results.service`; this module only counts responses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, QuerySet, Sum

from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import UnitScore, Weight, score_unit
from sumberdaya.surveys.models import Period, Response
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
