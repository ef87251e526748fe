"""Plain functions behind the RTL pages: which elements to propose and which comments to show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from sumberdaya.followup.models import PlanItem
from sumberdaya.results.service import unit_result
from sumberdaya.results.tallies import valid_responses
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.results import ElementValue
from sumberdaya.surveys.models import Period, Response
from sumberdaya.units.models import Unit

COMMENT_LIMIT = 30


@dataclass(frozen=True)
class Proposal:
    score: ElementValue
    planned: bool


def proposed_elements(unit: Unit, period: Period, items: Iterable[PlanItem]) -> list[Proposal]:
    """The three lowest elements of the counted result (unsur prioritas), marked when a plan item covers them."""
    planned = {item.element for item in items}
    figures = unit_result(unit, period).figures
    lowest = figures.priorities(3) if figures is not None and figures.ikm is not None else []
    return [Proposal(s, s.element.code in planned) for s in lowest]


def citizen_comments(unit: Unit, period: Period, element: str = "") -> list[Response]:
    """Comments of the period, those that rated the element low (1–2) first, so the problem is at hand."""
    responses = valid_responses(period).filter(unit=unit).exclude(comment="")
    column = next((e.column for e in ELEMENTS if e.code == element), None)
    if column:
        low = list(responses.filter(Q(**{f"{column}__lte": 2})).order_by("-submitted_at")[:COMMENT_LIMIT])
        if len(low) >= COMMENT_LIMIT:
            return low
        rest = responses.exclude(pk__in=[r.pk for r in low]).order_by("-submitted_at")
        return low + list(rest[: COMMENT_LIMIT - len(low)])
    return list(responses.order_by("-submitted_at")[:COMMENT_LIMIT])
