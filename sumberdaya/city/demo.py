"""The demo's working year on top of `surveys.demo`: report submissions in every state and published years.

`surveys.demo` loads units, periods, answers and accounts (it cannot reach the report and publication apps
above it); this adds what the review and public screens need so they do not start empty: for the last full
year some units' reports are a draft, submitted, accepted or returned (most on time, a few late), and the
past years are published. Deterministic like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sumberdaya.accounts.models import User
from sumberdaya.city.models import Publication
from sumberdaya.city.publication import publish
from sumberdaya.reports.models import UnitReport
from sumberdaya.reports.submission import report_for, review, submit
from sumberdaya.surveys.demo import PAST_YEARS, reset_demo
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

# How many units' reports of the last full year are in each state (the demo operator's two units first:
# Kelurahan Mawar returned with a note, Puskesmas Cempaka accepted).
REPORT_STATES = (("returned", 3), ("accepted", 12), ("submitted", 5), ("draft", 3))
LATE_EVERY = 6  # every sixth submission arrived after the report deadline
RETURN_NOTE = "Analisis belum membahas unsur terendah; lengkapi rencana tindak lanjut untuk unsur U9."


@dataclass(frozen=True)
class WorkingYear:
    reports: dict[str, int]
    published: tuple[str, ...]


def _units() -> list[Unit]:
    first = ["kelurahan-mawar", "puskesmas-cempaka"]
    units = list(Unit.objects.filter(active=True).order_by("order", "code"))
    return sorted(units, key=lambda u: (u.code not in first, first.index(u.code) if u.code in first else 0))


def add_working_year() -> WorkingYear:
    """Reports in every state for the last full demo year, then that year and the one before published."""
    admin = User.objects.get(username="admin")
    operator = User.objects.get(username="operator")
    year = Period.objects.get(slug=str(PAST_YEARS[-1]))
    units = iter(_units())
    counts: dict[str, int] = {}
    deadline = year.report_deadline or year.end + dt.timedelta(days=30)
    for number, state in enumerate(s for s, n in REPORT_STATES for _i in range(n)):
        unit = next(units)
        report = report_for(unit, year)
        counts[state] = counts.get(state, 0) + 1
        if state == "draft":
            report.team = "Tim SKM unit (draf)"
            report.save(update_fields=["team"])
            continue
        report = submit(report, operator)
        late = number % LATE_EVERY == LATE_EVERY - 1
        day = deadline + dt.timedelta(days=3 + number % 5) if late else deadline - dt.timedelta(days=2 + number % 20)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, number % 60)))
        UnitReport.objects.filter(pk=report.pk).update(submitted_at=moment, first_submitted_at=moment, late=late)
        if state != "submitted":
            review(report, admin, accept=state == "accepted", note="" if state == "accepted" else RETURN_NOTE)
    published = []
    for slug in (str(y) for y in PAST_YEARS):
        with transaction.atomic():
            publish(Period.objects.get(slug=slug), admin)
        published.append(slug)
    return WorkingYear(counts, tuple(published))


def reset_working_year() -> dict[str, int]:
    """Remove the demo's reports and publications, then the rest of the demo (`surveys.demo.reset_demo`,
    which refuses a database with citizens' answers: then nothing at all is removed)."""
    with transaction.atomic():
        reports = UnitReport.objects.all().delete()[0]
        publications = Publication.objects.all().delete()[0]
        removed = reset_demo()
    return {**removed, "unit_reports": reports, "publications": publications}
