"""The one place where the city recap reads follow-up plans (RTL) and unit report submissions.

RTL items and the priority elements a unit chose live in `followup` (PlanItem, Priority), unit reports in
`reports.UnitReport`; the results service knows neither; everything the city pages need
from them goes through `followup_for()`, so a change in those apps touches only this file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from sumberdaya.followup.models import PlanItem
from sumberdaya.followup.plans import chosen_priorities
from sumberdaya.reports.models import UnitReport
from sumberdaya.skm.elements import Element
from sumberdaya.skm.numbers import MISSING
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import previous_period
from sumberdaya.units.models import Unit

REPORT_ON_TIME = "on_time"
REPORT_LATE = "late"  # first submitted after the period's report deadline
REPORT_MISSING = "missing"  # not submitted and the deadline has passed
RTL_TEXT_LIMIT = 220  # characters in a recap cell; the unit's report has the full plan


@dataclass(frozen=True)
class FollowupSummary:
    rtl: str = MISSING  # the unit's plan for this period, in one cell
    previous_realisation: str = MISSING  # how far the previous period's plan was carried out
    status: str = "Belum ada"  # RTL status in words, for public pages (counts only, no plan text)
    submitted_at: dt.datetime | None = None  # when the unit first submitted its report for the period
    report: str | None = None  # REPORT_ON_TIME | REPORT_LATE | REPORT_MISSING; None: not due yet
    rtl_full: str = MISSING  # the whole plan, by element name (the city report prints it uncut)
    realisation_full: str = MISSING  # what was done of the previous period's plan, item by item
    priorities: tuple[Element, ...] = ()  # the elements the unit chose (followup.Priority); empty: none chosen


def _status_counts(items: list[PlanItem]) -> str:
    labels = dict(PlanItem.Status.choices)
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.status] += 1
    parts = [f"{counts[s]} {str(labels[s]).lower()}" for s in PlanItem.Status.values if counts[s]]
    return f"{len(items)} kegiatan: " + ", ".join(parts)


def _plan_text(items: list[PlanItem]) -> str:
    text = "; ".join(f"U{item.element_obj.u}: {' '.join(item.action.split())}" for item in items)
    return text if len(text) <= RTL_TEXT_LIMIT else text[: RTL_TEXT_LIMIT - 1].rstrip() + "…"


def _full_plan(items: list[PlanItem]) -> str:
    return "\n".join(f"{item.element_obj.name}: {' '.join(item.action.split())}" for item in items)


def _full_realisation(items: list[PlanItem]) -> str:
    lines = []
    for item in items:
        done = " ".join(item.realisation.split()) or MISSING
        lines.append(f"{' '.join(item.action.split())} ({str(item.get_status_display()).lower()}): {done}")
    return "\n".join(lines)


def followup_for(units: Iterable[Unit], period: Period) -> dict[int, FollowupSummary]:
    """Follow-up summary per unit id for the period (three queries for all units)."""
    unit_list = list(units)
    ids = [u.pk for u in unit_list]
    previous = previous_period(period)
    plans: dict[int, list[PlanItem]] = defaultdict(list)
    for item in PlanItem.objects.filter(period=period, unit_id__in=ids).order_by("unit_id", "order", "pk"):
        plans[item.unit_id].append(item)
    earlier: dict[int, list[PlanItem]] = defaultdict(list)
    if previous is not None:
        for item in PlanItem.objects.filter(period=previous, unit_id__in=ids).order_by("unit_id", "order", "pk"):
            earlier[item.unit_id].append(item)
    reports = {r.unit_id: r for r in UnitReport.objects.filter(period=period, unit_id__in=ids)}
    chosen = chosen_priorities(unit_list, period)
    deadline_passed = bool(period.report_deadline and timezone.localdate() > period.report_deadline)
    result = {}
    for unit in unit_list:
        items, before = plans.get(unit.pk, []), earlier.get(unit.pk, [])
        report = reports.get(unit.pk)
        submitted = report.first_submitted_at if report else None
        if submitted is not None:
            state: str | None = REPORT_LATE if report and report.late else REPORT_ON_TIME
        else:
            state = REPORT_MISSING if deadline_passed else None
        result[unit.pk] = FollowupSummary(
            rtl=_plan_text(items) if items else MISSING,
            previous_realisation=_status_counts(before) if before else MISSING,
            status=_status_counts(items) if items else "Belum ada",
            submitted_at=submitted,
            report=state,
            rtl_full=_full_plan(items) if items else MISSING,
            realisation_full=_full_realisation(before) if before else MISSING,
            priorities=tuple(chosen.get(unit.pk, ())),
        )
    return result
