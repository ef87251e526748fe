"""Which units need a reminder: no responses, below their sample target, report not submitted or late."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sumberdaya.city.followup_summary import REPORT_LATE, REPORT_MISSING, FollowupSummary
from sumberdaya.complaints.handling import Clock, Timing, overdue_complaints
from sumberdaya.complaints.models import Complaint
from sumberdaya.results.service import PeriodResults, UnitResult
from sumberdaya.skm.sample import sample_status
from sumberdaya.surveys.models import UnitPeriod


@dataclass
class MonitorRow:
    row: UnitResult
    followup: FollowupSummary
    population: int | None
    target: int | None
    problems: list[str]

    @property
    def needs_reminder(self) -> bool:
        return bool(self.problems)


def monitor(results: PeriodResults, followups: dict[int, FollowupSummary]) -> list[MonitorRow]:
    populations = dict(UnitPeriod.objects.filter(period=results.period).values_list("unit_id", "population"))
    rows = []
    for row in results.rows:
        problems: list[str] = []
        population = populations.get(row.unit.pk)
        target = None
        followup = followups.get(row.unit.pk, FollowupSummary())
        if not row.has_result:
            problems.append(_("Belum ada respons"))
        elif population:
            target, enough = sample_status(population, row.respondents)
            if not enough:
                problems.append(
                    _("Di bawah target sampel (%(n)s dari %(target)s)") % {"n": row.respondents, "target": target}
                )
        if followup.report == REPORT_LATE:
            problems.append(_("Laporan terlambat"))
        elif followup.report == REPORT_MISSING:
            problems.append(_("Laporan belum dikirim"))
        rows.append(MonitorRow(row, followup, population, target, problems))
    return rows


# --- tracked complaints (sumberdaya.complaints): its own section of the monitoring page ----------------


@dataclass
class ComplaintMonitor:
    overdue: list[tuple[Complaint, Timing]]
    response_days: int


def complaint_monitor() -> ComplaintMonitor:
    """Open complaints past their first-response deadline, oldest first (never their text or contact)."""
    clock = Clock()
    return ComplaintMonitor(overdue_complaints(clock), clock.policy.response_days)
