"""City pages for the Bagian Organisasi: recap, monitoring, import of external results, publication,
report narrative and downloads. Thin views: the work is in results.py, importing.py, publication.py."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.permissions import admin_required, all_units_required, staff_user
from sumberdaya.city import importing
from sumberdaya.city.brief import leadership_brief
from sumberdaya.city.followup_summary import followup_for
from sumberdaya.city.forms import ImportForm, NarrativeForm, RecapOptionsForm
from sumberdaya.city.models import Publication, ReportNarrative
from sumberdaya.city.monitoring import MonitorRow, monitor
from sumberdaya.city.publication import AlreadyWithdrawn, live_publication, publish, published, withdraw
from sumberdaya.city.report import (
    SENTENCE_LABELS,
    city_fingerprint,
    city_report_data,
    default_narrative,
    generated_sentences,
)
from sumberdaya.city.tasks import build_city_report
from sumberdaya.core.charts import band_chart, bar_chart, trend_chart
from sumberdaya.core.spreadsheet import safe_cell
from sumberdaya.reports.building import file_response, request_file
from sumberdaya.results.models import ImportBatch, ImportedResult
from sumberdaya.results.service import new_units, period_results, trend, trend_table
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys import funnel
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import calendar_order, chosen_period
from sumberdaya.units.models import Unit

REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _periods() -> list[Period]:
    return list(calendar_order())


@all_units_required
def recap(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    options = RecapOptionsForm(request.GET or None)
    weight, method = options.choices()
    results = period_results(period, weight, method)
    points = trend(period, weight, method)
    city_points = [(p.series, p.period.name, float(p.value) if p.value is not None else None) for p in points]
    trend_periods, trend_rows = trend_table(points)
    context = {
        "period": period,
        "periods": _periods(),
        "options": options,
        "r": results,
        "followups": followup_for([row.unit for row in results.rows], period),
        "new_units": new_units(results),
        "trend_svg": trend_chart(city_points).svg() if len(trend_periods) >= 2 else "",
        "trend_periods": trend_periods,
        "trend_rows": trend_rows,
        "publication": live_publication(period),
        "can_change": staff_user(request).is_city_admin,
        "report_formats": list(REPORT_TYPES),
        "element_keys": [e.key.upper() for e in ELEMENTS],
    }
    return render(request, "city/recap.html", context)


@all_units_required
@require_safe
def brief(request: HttpRequest) -> HttpResponse:
    """`/dasbor/kota/`: leadership's one-screen brief of the period (charts first, the full table linked)."""
    period = chosen_period(request)
    data = leadership_brief(period)
    city_trend = [(p.period.name, float(p.value) if p.value is not None else None) for p in data.trend
                  if p.series == "Kota"]
    groups = [(_(g.name), float(g.aggregate.value)) for g in data.groups if g.aggregate.value is not None]
    context = {
        "period": period,
        "periods": _periods(),
        "b": data,
        "r": data.results,
        "trend_svg": trend_chart(city_trend, width=300, height=150).svg()
        if sum(1 for _p, v in city_trend if v is not None) >= 2 else "",
        "band_svg": band_chart(data.bands, width=260).svg() if data.results.with_result else "",
        "group_svg": bar_chart(groups, value_title="IKM", width=230, value_format=",.2f", domain=(0, 100),
                               label_limit=120).svg() if groups else "",
        "can_change": staff_user(request).is_city_admin,
    }
    return render(request, "city/brief.html", context)


@all_units_required
@require_safe
def monitoring(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    results = period_results(period)
    rows = monitor(results, followup_for([row.unit for row in results.rows], period))
    if request.GET.get("format") == "csv":
        return _reminder_csv(period, [r for r in rows if r.needs_reminder])
    only_reminders = request.GET.get("perlu") == "1"
    context = {
        "period": period,
        "periods": _periods(),
        "rows": [r for r in rows if r.needs_reminder] if only_reminders else rows,
        "reminders": [r for r in rows if r.needs_reminder],
        "only_reminders": only_reminders,
        "funnel_rows": funnel.for_units(period, [r.row.unit for r in rows if r.needs_reminder or not only_reminders]),
        "can_change": staff_user(request).is_city_admin,  # leadership reads monitoring; only the admin acts
    }
    return render(request, "city/monitoring.html", context)


def _reminder_csv(period: Period, rows: list[MonitorRow]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pengingat-skm-{period.slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(["kode", "unit", "kelompok", "responden", "target", "masalah"])
    for row in rows:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    row.row.unit.code,
                    row.row.unit.name,
                    row.row.group,
                    row.row.respondents,
                    row.target or "",
                    "; ".join(row.problems),
                )
            ]
        )
    return response


@admin_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checks = importing.check_rows(importing.read_rows(upload.read(), upload.name))
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            batch = ImportBatch.objects.create(
                filename=upload.name[:200], uploaded_by=staff_user(request), rows=[c.as_json() for c in checks]
            )
            return redirect("city:import_batch", pk=batch.pk)
    batches = ImportBatch.objects.order_by("-uploaded_at")[:10]
    return render(
        request, "city/import.html", {"form": form, "batches": batches, "columns": ",".join(importing.COLUMNS)}
    )


@admin_required
def import_example(request: HttpRequest) -> HttpResponse:
    """A file with the expected columns and two example rows, to fill in."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-hasil-skm.csv"'
    writer = csv.writer(response)
    writer.writerow(importing.COLUMNS)
    for unit in Unit.objects.filter(active=True).order_by("order", "name")[:2]:
        writer.writerow([unit.code, "2023", *["80"] * 9, "79.92", "B", "100", "Kuesioner kertas"])
    return response


@admin_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    checks = [importing.RowCheck.from_json(row) for row in batch.rows]
    if request.method == "POST":
        if batch.stored_at is not None:
            messages.error(request, _("Berkas ini sudah disimpan."))
            return redirect("city:import_batch", pk=batch.pk)
        confirm = request.POST.get("confirm_flagged") == "1"
        summary = importing.store(checks, staff_user(request), confirm_flagged=confirm, batch=batch)
        text = _("%(n)s hasil disimpan.") % {"n": summary.stored}
        if summary.created_periods:
            text += " " + _("Periode dibuat: %(p)s.") % {"p": ", ".join(summary.created_periods)}
        if summary.skipped_flagged:
            text += " " + _("%(n)s baris bertanda tidak disimpan.") % {"n": summary.skipped_flagged}
        messages.success(request, text)
        return redirect("city:import_batch", pk=batch.pk)
    counts = {s: sum(c.status == s for c in checks) for s in (importing.OK, importing.FLAGGED, importing.ERROR)}
    return render(request, "city/import_batch.html", {"batch": batch, "checks": checks, "counts": counts})


@require_POST
@admin_required
def publish_period(request: HttpRequest) -> HttpResponse:
    period = get_object_or_404(Period, slug=request.POST.get("periode", ""))
    options = RecapOptionsForm(request.POST)
    weight, method = options.choices()
    publication = publish(period, staff_user(request), weight, method)
    messages.success(
        request,
        _("Hasil %(period)s diterbitkan di halaman publik (IKM kota %(ikm)s).")
        % {"period": period.name, "ikm": _ikm_text(publication)},
    )
    return redirect(f"{reverse('city:recap')}?periode={period.slug}")


def _ikm_text(publication: Publication) -> str:
    from sumberdaya.skm.numbers import format_number

    value = published(publication).city.ikm
    return format_number(value) if value is not None else "–"


@require_POST
@admin_required
def withdraw_publication(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=pk)
    try:
        withdraw(publication, staff_user(request))
    except AlreadyWithdrawn as error:
        messages.warning(request, str(error))
        return redirect(f"{reverse('city:recap')}?periode={publication.period.slug}")
    messages.success(
        request, _("Publikasi %(period)s ditarik dari halaman publik.") % {"period": publication.period.name}
    )
    return redirect(f"{reverse('city:recap')}?periode={publication.period.slug}")


@require_POST
@admin_required
def prefer_imported(request: HttpRequest) -> HttpResponse:
    """Count a unit's imported result instead of its system responses for a period, or back (logged)."""
    period = get_object_or_404(Period, slug=request.POST.get("periode", ""))
    record_ = get_object_or_404(ImportedResult, period=period, unit__code=request.POST.get("unit", ""))
    use_imported = request.POST.get("pakai") == "impor"
    with transaction.atomic():
        record_ = ImportedResult.objects.select_for_update().get(pk=record_.pk)
        before = snapshot(record_, ["preferred"])
        record_.preferred = use_imported
        record_.save(update_fields=["preferred"])
        after = snapshot(record_, ["preferred"])
        record(staff_user(request), "imported_result.prefer", record_, before=before, after=after)
    text = (
        _("%(unit)s: hasil impor dihitung untuk %(period)s.")
        if use_imported
        else _("%(unit)s: data sistem dihitung untuk %(period)s.")
    )
    messages.success(request, text % {"unit": record_.unit.name, "period": period.name})
    return redirect(f"{reverse('city:recap')}?periode={period.slug}")


@admin_required
def narrative(request: HttpRequest, period: str) -> HttpResponse:
    target = get_object_or_404(Period, slug=period)
    instance = ReportNarrative.objects.filter(period=target).first() or ReportNarrative(period=target)
    before = snapshot(instance) if instance.pk else None
    # A new narrative starts from the standard text, so the admin edits rather than writes from scratch.
    initial = {} if instance.pk else default_narrative(target)
    data = city_report_data(target)
    form = NarrativeForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        generated=generated_sentences(data),
        labels=SENTENCE_LABELS,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = staff_user(request)
        saved.save()
        record(staff_user(request), "city_narrative.change", saved, before=before, after=snapshot(saved))
        messages.success(request, _("Narasi laporan kota disimpan."))
        return redirect(f"{reverse('city:recap')}?periode={target.slug}")
    return render(request, "city/narrative.html", {"period": target, "form": form})


@all_units_required
def report(request: HttpRequest, period: str, fmt: str) -> HttpResponse:
    target = get_object_or_404(Period, slug=period)
    if fmt not in REPORT_TYPES:
        return HttpResponse(status=404)
    # Built by the worker (city.tasks), reused until the data or the narrative changes; this page only asks.
    built = request_file(
        "city", target, None, fmt, city_fingerprint(target), build_city_report, retry=request.method == "POST"
    )
    if request.method == "POST":  # "Buat ulang" after a failure: the failed file is not reused
        return redirect(request.path)
    return file_response(
        request,
        built,
        f"laporan-skm-kota-{target.slug}.{fmt}",
        REPORT_TYPES[fmt],
        _("Laporan SKM kota %(period)s (%(fmt)s)") % {"period": target.name, "fmt": fmt.upper()},
    )
