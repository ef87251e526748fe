"""Which units are late, the one rule every page, the `monitor` command and the leadership brief use.

- **Late for data entry**: the period's input deadline (a local date, `TIME_ZONE`, Asia/Makassar) has passed
  and the unit has fewer respondents than its target: the Krejcie–Morgan sample size of its population (N)
  for the period, or, while N is not entered, no respondent at all.
- **Late for its report**: the report deadline has passed and the unit's report is neither submitted nor
  accepted (none yet, a draft, or returned for correction).

A deadline counts through its whole day: on the deadline day nobody is late, from 00:00 local time the next
day they are. A period without a deadline has nobody late for it.

The unit reports live in an app above this one (`reports`): it registers the function that reads their
statuses with `provide_report_statuses` when Django starts (reports/apps.py), so this module never imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from sumberdaya.results.service import PeriodResults, period_results
from sumberdaya.skm.sample import krejcie_morgan
from sumberdaya.surveys.models import Period, UnitPeriod
from sumberdaya.units.models import Unit

REPORT_NONE = "none"  # no report, or a draft never submitted
REPORT_SUBMITTED = "submitted"  # waiting for the city's review
REPORT_ACCEPTED = "accepted"
REPORT_RETURNED = "returned"  # sent back to the unit with a note
REPORT_STATUSES = (REPORT_NONE, REPORT_SUBMITTED, REPORT_ACCEPTED, REPORT_RETURNED)
REPORT_IN = (REPORT_SUBMITTED, REPORT_ACCEPTED)  # what counts as "a submitted report"

ReportStatuses = Callable[[Period, list[int]], Mapping[int, str]]
_report_statuses: ReportStatuses | None = None


def provide_report_statuses(reader: ReportStatuses) -> None:
    """Called once by the reports app: `reader(period, unit_ids)` -> {unit id: one of REPORT_STATUSES}."""
    global _report_statuses
    _report_statuses = reader


@dataclass(frozen=True)
class Lateness:
    """One unit's standing against the period's two deadlines."""

    unit: Unit
    respondents: int
    target: int | None  # the sample size; None while the unit's population (N) is not entered
    report_status: str  # one of REPORT_STATUSES
    late_data: bool
    late_report: bool

    @property
    def late(self) -> bool:
        return self.late_data or self.late_report

    def as_dict(self) -> dict[str, object]:
        """The `sumberdaya monitor --format json` row."""
        return {
            "code": self.unit.code,
            "name": self.unit.name,
            "respondents": self.respondents,
            "target": self.target,
            "report_status": self.report_status,
            "late_data": self.late_data,
            "late_report": self.late_report,
        }


def deadline_passed(deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and today > deadline


def data_is_late(period: Period, respondents: int, target: int | None, today: dt.date) -> bool:
    if not deadline_passed(period.input_deadline, today):
        return False
    return respondents < target if target else respondents == 0


def report_is_late(period: Period, report_status: str, today: dt.date) -> bool:
    return deadline_passed(period.report_deadline, today) and report_status not in REPORT_IN


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def period_lateness(
    period: Period,
    *,
    results: PeriodResults | None = None,
    units: Iterable[Unit] | None = None,
    now: dt.datetime | None = None,
) -> list[Lateness]:
    """Every unit of `results` (or of `period_results(period, units=units)`) with its lateness, in the
    results' order (by group). Pass the `PeriodResults` a page already has to count nothing twice."""
    if results is None:
        results = period_results(period, units=units)
    today = local_today(now)
    ids = [row.unit.pk for row in results.rows]
    populations = dict(
        UnitPeriod.objects.filter(period=period, unit_id__in=ids).values_list("unit_id", "population")
    )
    statuses = dict(_report_statuses(period, ids)) if _report_statuses is not None else {}
    rows = []
    for row in results.rows:
        population = populations.get(row.unit.pk)
        target = krejcie_morgan(population) if population else None
        status = statuses.get(row.unit.pk, REPORT_NONE)
        rows.append(
            Lateness(
                unit=row.unit,
                respondents=row.respondents,
                target=target,
                report_status=status,
                late_data=data_is_late(period, row.respondents, target, today),
                late_report=report_is_late(period, status, today),
            )
        )
    return rows


def unit_lateness(unit: Unit, period: Period, now: dt.datetime | None = None) -> Lateness:
    """One unit's lateness (its own pages)."""
    return period_lateness(period, units=[unit], now=now)[0]


RECENT_DAYS = 400  # a unit's own pages recall late periods whose deadline passed within this many days


def recent_lateness(unit: Unit, now: dt.datetime | None = None) -> list[tuple[Period, Lateness]]:
    """The periods (newest first) whose input or report deadline passed in the last RECENT_DAYS days and for
    which the unit is late: its dashboard names them whatever period it shows."""
    today = local_today(now)
    since = today - dt.timedelta(days=RECENT_DAYS)
    periods = Period.objects.filter(
        Q(input_deadline__lt=today, input_deadline__gte=since)
        | Q(report_deadline__lt=today, report_deadline__gte=since)
    ).order_by("-end", "start")
    found = []
    for period in periods:
        late = unit_lateness(unit, period, now)
        if late.late:
            found.append((period, late))
    return found


@dataclass(frozen=True)
class LateCounts:
    data: int
    report: int
    units: int  # late for either

    @classmethod
    def of(cls, rows: Iterable[Lateness]) -> LateCounts:
        rows = list(rows)
        return cls(
            data=sum(r.late_data for r in rows),
            report=sum(r.late_report for r in rows),
            units=sum(r.late for r in rows),
        )
