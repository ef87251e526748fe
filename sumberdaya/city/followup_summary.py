"""The one place where the city recap reads follow-up plans (RTL) and unit report submissions.

RTL and unit reports belong to the `followup` and `reports` apps. Everything the city pages need from them
goes through `followup_for()`, so connecting (or changing) their models touches only this file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sumberdaya.skm.numbers import MISSING
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit


REPORT_ON_TIME = "on_time"
REPORT_LATE = "late"  # submitted after the period's report deadline
REPORT_MISSING = "missing"  # not submitted and the deadline has passed


@dataclass(frozen=True)
class FollowupSummary:
    rtl: str = MISSING  # the unit's plan for this period, in one line
    previous_realisation: str = MISSING  # how far the previous period's plan was carried out
    submitted_at: dt.datetime | None = None  # when the unit submitted its report for the period
    report: str | None = None  # REPORT_ON_TIME | REPORT_LATE | REPORT_MISSING; None: unknown

    @property
    def status(self) -> str:
        """RTL status in words for public pages."""
        return self.rtl if self.rtl != MISSING else "Belum ada"


def followup_for(units: Iterable[Unit], period: Period) -> dict[int, FollowupSummary]:
    """Follow-up summary per unit id for the period.

    The followup/reports apps have no models yet: every unit gets the empty summary ("–").
    """
    return {unit.pk: FollowupSummary() for unit in units}
