"""What the admin sees before publishing a period ("Terbitkan hasil"): how complete and clean the results are.

Each check is one function in CHECKS taking the `Readiness` inputs and returning a `Check` (or None when it
does not apply); a new check (e.g. the integrity flags being added) is one more function in that list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sumberdaya.reports.models import UnitReport
from sumberdaya.results.lateness import REPORT_ACCEPTED, Lateness, period_lateness
from sumberdaya.results.service import PeriodResults
from sumberdaya.surveys.models import Period, Response

OK = "ok"
WARN = "warn"
DETAIL_LIMIT = 40  # unit names listed under a check; the rest as "dan N lainnya"


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    value: str
    status: str  # OK | WARN
    details: list[str] = field(default_factory=list)
    more: int = 0  # details left out


@dataclass(frozen=True)
class Inputs:
    period: Period
    results: PeriodResults
    lateness: list[Lateness]


def _names(names: list[str]) -> tuple[list[str], int]:
    return names[:DETAIL_LIMIT], max(0, len(names) - DETAIL_LIMIT)


def units_with_results(i: Inputs) -> Check:
    total, n = len(i.results.rows), len(i.results.with_result)
    return Check("results", _("Unit dengan hasil"), _("%(n)s dari %(total)s") % {"n": n, "total": total},
                 OK if n == total else WARN)


def units_without_data(i: Inputs) -> Check:
    names, more = _names([r.unit.name for r in i.results.without_result])
    n = len(i.results.without_result)
    return Check("no_data", _("Unit tanpa data"), str(n), OK if n == 0 else WARN, names, more)


def reports_accepted(i: Inputs) -> Check:
    total = len(i.lateness)
    accepted = sum(1 for late in i.lateness if late.report_status == REPORT_ACCEPTED)
    waiting = UnitReport.objects.filter(period=i.period, status=UnitReport.Status.SUBMITTED).count()
    value = _("%(n)s dari %(total)s") % {"n": accepted, "total": total}
    if waiting:
        value += " · " + _("%(n)s menunggu tinjauan") % {"n": waiting}
    return Check("reports", _("Laporan unit diterima"), value, OK if accepted == total else WARN)


def late_units(i: Inputs) -> Check:
    late = [x for x in i.lateness if x.late]
    names, more = _names([x.unit.name for x in late])
    return Check("late", _("Unit terlambat (input data atau laporan)"), str(len(late)),
                 OK if not late else WARN, names, more)


def flagged_responses(i: Inputs) -> Check:
    """Valid responses the survey's abuse checks flagged (Response.flagged) and nobody has reviewed away."""
    begin, end = i.period.bounds()
    n = Response.objects.filter(
        instrument=Response.Instrument.SKM, status=Response.Status.VALID, flagged=True,
        submitted_at__gte=begin, submitted_at__lt=end,
    ).count()
    return Check("flagged", _("Respons ditandai perlu diperiksa"), str(n), OK if n == 0 else WARN)


def flagged_imports(i: Inputs) -> Check | None:
    rows = [r for r in i.results.rows if r.flagged]
    if not rows:
        return None
    names, more = _names([r.unit.name for r in rows])
    return Check("flagged_imports", _("Hasil impor bertanda"), str(len(rows)), WARN, names, more)


CHECKS: list[Callable[[Inputs], Check | None]] = [
    units_with_results,
    reports_accepted,
    units_without_data,
    late_units,
    flagged_responses,
    flagged_imports,
]


def readiness(period: Period, results: PeriodResults) -> list[Check]:
    inputs = Inputs(period, results, period_lateness(period, results=results))
    return [check for run in CHECKS if (check := run(inputs)) is not None]
