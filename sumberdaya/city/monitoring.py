"""Which units need a reminder: late for data entry or for their report (results.lateness), no responses,
below their sample target, report returned.

`monitor()` gives one `MonitorRow` per unit; the monitoring page (city/views.py, city/monitoring.html) shows
them in sections (counts, the table with the reminder form, the reminders sent, the counter's funnel); a
new section adds its own context in `views.monitoring` and its own include in the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sumberdaya.city.followup_summary import FollowupSummary
from sumberdaya.complaints.handling import Clock, Timing, overdue_complaints
from sumberdaya.complaints.models import Complaint
from sumberdaya.results.lateness import (
    REPORT_RETURNED,
    LateCounts,
    Lateness,
    period_lateness,
)
from sumberdaya.results.service import PeriodResults, UnitResult
from sumberdaya.units.models import Unit

SHOW_ALL = ""
SHOW_LATE = "terlambat"
SHOW_LATE_DATA = "data"
SHOW_LATE_REPORT = "laporan"
SHOW_REMINDERS = "perlu"
SHOWS = (SHOW_ALL, SHOW_LATE, SHOW_LATE_DATA, SHOW_LATE_REPORT, SHOW_REMINDERS)


@dataclass(frozen=True)
class Problem:
    text: str
    late: str = ""  # "data" or "report" when that deadline has passed (shown in red)

    def __str__(self) -> str:
        return self.text


@dataclass
class MonitorRow:
    row: UnitResult
    followup: FollowupSummary
    lateness: Lateness
    problems: list[Problem] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.row.unit

    @property
    def target(self) -> int | None:
        return self.lateness.target

    @property
    def late(self) -> bool:
        return self.lateness.late

    @property
    def needs_reminder(self) -> bool:
        return bool(self.problems)

    def shown(self, show: str) -> bool:
        return {
            SHOW_LATE: self.late,
            SHOW_LATE_DATA: self.lateness.late_data,
            SHOW_LATE_REPORT: self.lateness.late_report,
            SHOW_REMINDERS: self.needs_reminder,
        }.get(show, True)


def _problems(row: UnitResult, late: Lateness) -> list[Problem]:
    problems: list[Problem] = []
    if late.late_data:
        if late.target:
            text = _("Terlambat input data (%(n)s dari %(target)s responden)") % {
                "n": late.respondents, "target": late.target
            }
        else:
            text = _("Terlambat input data (belum ada respons)")
        problems.append(Problem(text, late="data"))
    elif not row.has_result:
        problems.append(Problem(_("Belum ada respons")))
    elif late.target and late.respondents < late.target:
        problems.append(Problem(
            _("Di bawah target sampel (%(n)s dari %(target)s)") % {"n": late.respondents, "target": late.target}
        ))
    if late.late_report:
        text = (_("Terlambat laporan (dikembalikan, belum diajukan ulang)") if late.report_status == REPORT_RETURNED
                else _("Terlambat laporan (belum diajukan)"))
        problems.append(Problem(text, late="report"))
    elif late.report_status == REPORT_RETURNED:
        problems.append(Problem(_("Laporan dikembalikan")))
    return problems


def monitor(results: PeriodResults, followups: dict[int, FollowupSummary]) -> list[MonitorRow]:
    """Every unit of the results, late ones first (data and report, then either), then by group as the recap."""
    lateness = {late.unit.pk: late for late in period_lateness(results.period, results=results)}
    rows = []
    for row in results.rows:
        late = lateness[row.unit.pk]
        rows.append(MonitorRow(row, followups.get(row.unit.pk, FollowupSummary()), late, _problems(row, late)))
    order = {id(r): i for i, r in enumerate(rows)}
    rows.sort(key=lambda r: (-(r.lateness.late_data + r.lateness.late_report), order[id(r)]))
    return rows


def counts(rows: list[MonitorRow]) -> dict[str, int]:
    late = LateCounts.of(r.lateness for r in rows)
    return {
        "semua": len(rows),
        SHOW_LATE: late.units,
        SHOW_LATE_DATA: late.data,
        SHOW_LATE_REPORT: late.report,
        SHOW_REMINDERS: sum(r.needs_reminder for r in rows),
    }


# --- tracked complaints (sumberdaya.complaints): its own section of the monitoring page ----------------


@dataclass
class ComplaintMonitor:
    overdue: list[tuple[Complaint, Timing]]
    response_days: int


def complaint_monitor() -> ComplaintMonitor:
    """Open complaints past their first-response deadline, oldest first (never their text or contact)."""
    clock = Clock()
    return ComplaintMonitor(overdue_complaints(clock), clock.policy.response_days)
