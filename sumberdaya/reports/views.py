"""Report pages: the unit's report (status, narrative, downloads, submission) and the city's review list."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.models import AuditEvent
from sumberdaya.accounts.permissions import get_unit_for, require_city_admin
from sumberdaya.reports.building import file_response, fingerprint, request_file
from sumberdaya.reports.forms import NarrativeForm, ReviewForm
from sumberdaya.reports.models import NARRATIVE_FIELDS, UnitReport
from sumberdaya.reports.render import FORMATS
from sumberdaya.reports.submission import SubmissionError, early_problem, period_open, report_for, review, submit
from sumberdaya.reports.tasks import build_unit_report
from sumberdaya.reports.unit import build, collect, frozen_differs, live_differs, report_data
from sumberdaya.results.lateness import REPORT_NONE, REPORT_SUBMITTED, Lateness, period_lateness, unit_lateness
from sumberdaya.results.service import period_results, unit_result
from sumberdaya.surveys.funnel import unit_funnel
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import calendar_order, chosen_period
from sumberdaya.units.models import Unit

ACTION_LABELS = {
    "report.submit": _lazy("mengajukan laporan"),
    "report.return": _lazy("mengembalikan laporan"),
    "report.accept": _lazy("menerima laporan"),
    "report.narrative": _lazy("mengubah narasi"),
}


def _unit_url(unit: Unit, period: Period) -> str:
    return f"{reverse('reports:unit', args=[unit.code])}?periode={period.slug}"


@dataclass(frozen=True)
class QueueRow:
    unit: Unit
    report: UnitReport | None
    late: Lateness
    differs: bool


# The review queue's status filter: ?status=<one of these>; "" shows every unit.
QUEUE_FILTERS = ("submitted", "accepted", "returned", "missing", "late")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The city's review queue for a period (every unit for admin/leadership, own units otherwise): waiting
    for review first, then late units, then the rest by group; filtered by status."""
    period = chosen_period(request)
    units = request.user.visible_units().filter(active=True)  # type: ignore[union-attr]
    reports = {r.unit_id: r for r in UnitReport.objects.filter(period=period, unit__in=units)}
    # One results query for every unit: lateness, and frozen reports whose live numbers have moved since.
    results = period_results(period, units=units)
    live = {row.unit.pk: row for row in results.rows}
    lateness = {late.unit.pk: late for late in period_lateness(period, results=results)}
    rows = [
        QueueRow(
            unit=row.unit,
            report=(report := reports.get(row.unit.pk)),
            late=lateness[row.unit.pk],
            differs=bool(
                report and report.frozen and report.snapshot and frozen_differs(report.snapshot, live[row.unit.pk])
            ),
        )
        for row in results.rows
    ]
    order = {id(r): i for i, r in enumerate(rows)}
    rows.sort(key=lambda r: (r.late.report_status != REPORT_SUBMITTED, not r.late.late_report, order[id(r)]))
    status = request.GET.get("status", "")
    if status not in QUEUE_FILTERS:
        status = ""
    counts = {s: sum(1 for r in rows if r.late.report_status == s) for s in ("submitted", "accepted", "returned")}
    counts["missing"] = sum(1 for r in rows if r.late.report_status == REPORT_NONE)
    counts["late"] = sum(1 for r in rows if r.late.late_report)
    shown = [r for r in rows if _in_queue_filter(r.late, status)]
    return render(
        request,
        "reports/index.html",
        {
            "period": period,
            "periods": calendar_order(),
            "rows": shown,
            "counts": counts,
            "total": len(rows),
            "status": status,
            "submitted_late": sum(1 for r in reports.values() if r.late),
            "period_open": period_open(period),
        },
    )


def _in_queue_filter(late: Lateness, status: str) -> bool:
    if not status:
        return True
    if status == "late":
        return late.late_report
    if status == "missing":
        return late.report_status == REPORT_NONE
    return late.report_status == status


@login_required
def unit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = chosen_period(request)
    report = UnitReport.objects.filter(unit=unit, period=period).first()
    data = report_data(unit, period)
    history = AuditEvent.objects.filter(
        object_type=UnitReport._meta.label, object_id=str(report.pk) if report else "-"
    ).order_by("-at")[:20]
    history_rows = [(event, ACTION_LABELS.get(event.action, event.action)) for event in history]
    return render(
        request,
        "reports/unit.html",
        {
            "unit": unit,
            "period": period,
            "periods": calendar_order(),
            "report": report,
            "d": data,
            "live_ikm": unit_result(unit, period).ikm if report and report.frozen else None,
            "differs": bool(report and report.frozen and live_differs(report)),
            "can_change": request.user.can_change_unit(unit),  # type: ignore[union-attr]
            "is_admin": request.user.is_city_admin,  # type: ignore[union-attr]
            "review_form": ReviewForm(),
            "formats": list(FORMATS),
            "history": history_rows,
            "funnel": unit_funnel(unit, period),
            "late": unit_lateness(unit, period),
            "period_open": period_open(period),
            "early_refused": bool(period_open(period) and early_problem(period, confirmed=True)),
        },
    )


@login_required
def narrative(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    period = get_object_or_404(Period, slug=slug)
    report = report_for(unit, period)
    if report.frozen:
        messages.error(request, _("Laporan sedang diajukan atau sudah diterima; narasi tidak dapat diubah."))
        return redirect(_unit_url(unit, period))
    defaults = build(unit, period, {**collect(unit, period, report), "narrative": {}}).narrative
    if request.method == "POST":
        form = NarrativeForm(request.POST, instance=report)
        if form.is_valid():
            before = snapshot(report, list(NARRATIVE_FIELDS))
            with transaction.atomic():
                saved = form.save(commit=False)
                for name in NARRATIVE_FIELDS:
                    # Text left as generated stays blank, so it follows the data until the operator edits it.
                    if getattr(saved, name).strip() == defaults[name].strip():
                        setattr(saved, name, "")
                saved.save()
                record(
                    request.user,
                    "report.narrative",
                    saved,
                    before=before,
                    after=snapshot(saved, list(NARRATIVE_FIELDS)),
                )
            messages.success(request, _("Narasi laporan disimpan."))
            return redirect(_unit_url(unit, period))
    else:
        form = NarrativeForm(
            instance=report, initial={name: getattr(report, name) or defaults[name] for name in NARRATIVE_FIELDS}
        )
    return render(request, "reports/narrative.html", {"unit": unit, "period": period, "form": form})


@login_required
def download(request: HttpRequest, code: str, slug: str, fmt: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = get_object_or_404(Period, slug=slug)
    if fmt not in FORMATS:
        raise Http404
    built = request_file(
        "unit", period, unit, fmt, fingerprint(period, unit), build_unit_report, retry=request.method == "POST"
    )
    if request.method == "POST":  # "Buat ulang" after a failure
        return redirect(request.path)
    return file_response(
        request,
        built,
        f"laporan-skm-{unit.code}-{period.slug}.{FORMATS[fmt][1]}",
        FORMATS[fmt][0],
        _("Laporan SKM %(unit)s %(period)s (%(fmt)s)") % {"unit": unit.name, "period": period.name, "fmt": fmt.upper()},
    )


@login_required
@require_POST
def submit_view(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    period = get_object_or_404(Period, slug=slug)
    try:
        report = submit(
            report_for(unit, period),
            request.user,  # type: ignore[arg-type]
            early_confirmed=request.POST.get("early") == "1",
        )
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        text = _("Laporan diajukan ke admin kota.")
        if report.late:
            text += " " + _("Pengajuan melewati batas waktu dan ditandai terlambat.")
        messages.success(request, text)
    return redirect(_unit_url(unit, period))


@login_required
@require_POST
def review_view(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    require_city_admin(request)
    period = get_object_or_404(Period, slug=slug)
    report = get_object_or_404(UnitReport, unit=unit, period=period)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih terima atau kembalikan."))
        return redirect(_unit_url(unit, period))
    accept = form.cleaned_data["decision"] == "accept"
    try:
        review(
            report,
            request.user,  # type: ignore[arg-type]
            accept,
            form.cleaned_data["note"],
            early_confirmed=request.POST.get("early") == "1",
        )
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Laporan diterima.") if accept else _("Laporan dikembalikan ke unit."))
    return redirect(_unit_url(unit, period))
