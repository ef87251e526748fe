"""Submitting a unit report to the city, and the city's review: accept or return with a note.

On submission the report's content (`unit.collect`) is frozen as the snapshot, so later exclusions or
late paper entries never silently change a submitted report; `unit.live_differs` tells the city when
the live numbers have moved since.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.models import User
from sumberdaya.reports.models import UnitReport
from sumberdaya.reports.unit import build, collect
from sumberdaya.results.lateness import REPORT_NONE, local_today
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

STATUS_FIELDS = ["status", "submitted_at", "submissions", "late", "reviewed_at", "review_note"]


class SubmissionError(ValueError):
    pass


def report_statuses(period: Period, unit_ids: list[int]) -> Mapping[int, str]:
    """{unit id: "none" | "submitted" | "accepted" | "returned"} for `results.lateness` (a draft is "none")."""
    statuses = UnitReport.objects.filter(period=period, unit_id__in=unit_ids).values_list("unit_id", "status")
    return {unit_id: REPORT_NONE if status == UnitReport.Status.DRAFT else status for unit_id, status in statuses}


EARLY_WARN = "warn"
EARLY_REFUSE = "refuse"


def period_open(period: Period) -> bool:
    """The period has not ended yet (local date): its report would leave out the rest of it."""
    return local_today() <= period.end


def early_problem(period: Period, confirmed: bool) -> str | None:
    """Why submitting or accepting a report for `period` now is refused, or None.

    SKM_EARLY_REPORTS "warn" (default): allowed before the period ends once the person confirms it;
    "refuse": not before the period ends.
    """
    if not period_open(period):
        return None
    end = period.end.strftime("%d-%m-%Y")
    if settings.SKM_EARLY_REPORTS == EARLY_REFUSE:
        return _("Periode %(period)s belum berakhir (sampai %(end)s); laporan baru dapat diajukan dan diterima "
                 "sesudahnya.") % {"period": period.name, "end": end}
    if not confirmed:
        return _("Periode %(period)s belum berakhir (sampai %(end)s). Centang konfirmasi bila laporan memang "
                 "diajukan atau diterima sebelum periode selesai.") % {"period": period.name, "end": end}
    return None


def report_for(unit: Unit, period: Period) -> UnitReport:
    report, _created = UnitReport.objects.get_or_create(unit=unit, period=period)
    return report


def submit(report: UnitReport, user: User, *, early_confirmed: bool = False) -> UnitReport:
    if report.frozen:
        raise SubmissionError(_("Laporan sudah diajukan dan tidak dapat diajukan lagi sebelum dikembalikan."))
    problem = early_problem(report.period, early_confirmed)
    if problem:
        raise SubmissionError(problem)
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
        if report.frozen:
            raise SubmissionError(_("Laporan sudah diajukan."))
        before = snapshot(report, STATUS_FIELDS)
        content = collect(report.unit, report.period, report)
        data = build(report.unit, report.period, content)
        # The resolved narrative (defaults included) is frozen too: the submitted text is what was read.
        content["narrative"] = dict(data.narrative)
        # For lists only (the report itself always re-scores the frozen tallies).
        content["computed_ikm"] = format_number(data.ikm)
        now = timezone.now()
        report.snapshot = content
        report.status = UnitReport.Status.SUBMITTED
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
        report.submitted_by = user
        report.submissions += 1
        deadline = report.period.report_deadline
        report.late = bool(deadline and timezone.localdate(report.first_submitted_at) > deadline)
        report.updated_at = now
        report.save()
        record(
            user,
            "report.submit",
            report,
            before=before,
            after={
                **snapshot(report, STATUS_FIELDS),
                "ikm": None if data.ikm is None else float(data.ikm),
                "respondents": data.tally.respondents,
            },
        )
    return report


def review(
    report: UnitReport, user: User, accept: bool, note: str, *, early_confirmed: bool = False
) -> UnitReport:
    if report.status != UnitReport.Status.SUBMITTED:
        raise SubmissionError(_already_reviewed(report))
    problem = early_problem(report.period, early_confirmed) if accept else None
    if problem:
        raise SubmissionError(problem)
    note = note.strip()
    if not accept and not note:
        raise SubmissionError(_("Tuliskan catatan agar unit tahu apa yang perlu diperbaiki."))
    with transaction.atomic():
        # Another admin may have reviewed it since this page was loaded: decide on the locked, current row.
        report = UnitReport.objects.select_for_update().get(pk=report.pk)
        if report.status != UnitReport.Status.SUBMITTED:
            raise SubmissionError(_already_reviewed(report))
        before = snapshot(report, STATUS_FIELDS)
        report.status = UnitReport.Status.ACCEPTED if accept else UnitReport.Status.RETURNED
        report.reviewed_at = timezone.now()
        report.reviewed_by = user
        report.review_note = note
        report.save()
        record(
            user,
            "report.accept" if accept else "report.return",
            report,
            before=before,
            after=snapshot(report, STATUS_FIELDS),
        )
    return report


def _already_reviewed(report: UnitReport) -> str:
    """What the second admin is told when someone else decided first (their decision is not stored)."""
    if report.status in (UnitReport.Status.ACCEPTED, UnitReport.Status.RETURNED) and report.reviewed_at:
        who = report.reviewed_by.get_full_name() or report.reviewed_by.username if report.reviewed_by else "-"
        return _(
            "Laporan ini sudah %(status)s oleh %(who)s pada %(at)s; keputusan Anda tidak disimpan. "
            "Periksa statusnya di bawah."
        ) % {
            "status": report.get_status_display().lower(),
            "who": who,
            "at": timezone.localtime(report.reviewed_at).strftime("%d-%m-%Y %H:%M"),
        }
    return _("Hanya laporan berstatus diajukan yang dapat ditinjau.")
