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
from sumberdaya.city import accounts_import, history, importing, reminders
from sumberdaya.city.brief import leadership_brief
from sumberdaya.city.followup_summary import followup_for
from sumberdaya.city.forms import (
    AccountsImportForm,
    FigureImportForm,
    ImportForm,
    NarrativeForm,
    PublishedFigureForm,
    RecapOptionsForm,
)
from sumberdaya.city.models import Publication, PublishedFigure, Reminder, ReportNarrative
from sumberdaya.city.monitoring import (
    SHOW_ALL,
    SHOW_LATE,
    SHOW_LATE_DATA,
    SHOW_LATE_REPORT,
    SHOW_REMINDERS,
    SHOWS,
    MonitorRow,
    complaint_monitor,
    counts,
    monitor,
)
from sumberdaya.city.publication import AlreadyWithdrawn, live_publication, publish, published, withdraw
from sumberdaya.city.readiness import readiness
from sumberdaya.city.report import (
    SENTENCE_LABELS,
    city_fingerprint,
    city_report_data,
    default_narrative,
    generated_sentences,
)
from sumberdaya.city.tasks import build_city_report
from sumberdaya.core.charts import band_chart, bar_chart, trend_chart
from sumberdaya.core.spreadsheet import append_safe_row, safe_cell
from sumberdaya.reports import documents as doc
from sumberdaya.reports.building import file_response, request_file
from sumberdaya.results.lateness import LateCounts, period_lateness
from sumberdaya.results.models import ImportBatch, ImportedResult
from sumberdaya.results.service import new_units, period_results, trend_table
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
    points = history.city_trend(period, weight, method)
    city_points = [(p.series, p.period.name, float(p.value) if p.value is not None else None) for p in points]
    trend_periods, trend_rows = trend_table(points)
    lateness = period_lateness(period, results=results)
    context = {
        "period": period,
        "periods": _periods(),
        "options": options,
        "r": results,
        "lateness": {late.unit.pk: late for late in lateness},
        "late_counts": LateCounts.of(lateness),
        "followups": followup_for([row.unit for row in results.rows], period),
        "new_units": new_units(results),
        "trend_svg": trend_chart(city_points).svg() if len(trend_periods) >= 2 else "",
        "trend_periods": trend_periods,
        "trend_rows": trend_rows,
        "trend_has_published": any(p.source == history.PUBLISHED for p in points),
        "publication": live_publication(period),
        "can_change": staff_user(request).is_city_admin,
        "report_formats": list(REPORT_TYPES),
        "element_keys": [e.key.upper() for e in ELEMENTS],
    }
    return render(request, "city/recap.html", context)


def _monitor_rows(period: Period) -> list[MonitorRow]:
    results = period_results(period)
    return monitor(results, followup_for([row.unit for row in results.rows], period))


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
    rows = _monitor_rows(period)
    show = request.GET.get("tampil", "")
    if show not in SHOWS:
        show = SHOW_ALL
    if request.GET.get("perlu") == "1":  # the old checkbox, from bookmarks
        show = SHOW_REMINDERS
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        chosen = [r for r in rows if r.shown(show or SHOW_REMINDERS)]
        return _reminder_file(period, chosen, fmt)
    q = request.GET.get("q", "").strip()[:100]
    shown = [r for r in rows if r.shown(show) and (not q or q.lower() in r.unit.name.lower())]
    context = {
        "period": period,
        "periods": _periods(),
        "rows": shown,
        "show": show,
        "q": q,
        "counts": counts(rows),
        "shows": SHOWS,
        "preselect": show in (SHOW_LATE, SHOW_LATE_DATA, SHOW_LATE_REPORT),
        "sent": Reminder.objects.filter(period=period).select_related("unit", "sent_by")[:30],
        "funnel_rows": funnel.for_units(period, [r.unit for r in shown]),
        "complaints": complaint_monitor(),
        "can_change": staff_user(request).is_city_admin,  # leadership reads monitoring; only the admin acts
    }
    return render(request, "city/monitoring.html", context)


def _reminder_file(period: Period, rows: list[MonitorRow], fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(reminders.as_xlsx(rows, period), content_type=REPORT_TYPES["xlsx"])
    else:
        response = HttpResponse(reminders.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pengingat-skm-{period.slug}.{fmt}"'
    return response


@require_POST
@admin_required
def send_reminders(request: HttpRequest) -> HttpResponse:
    """E-mail the chosen units' operators, or prepare WhatsApp links for them; both logged per unit."""
    period = get_object_or_404(Period, slug=request.POST.get("periode", ""))
    back = f"{reverse('city:monitoring')}?periode={period.slug}"
    codes = set(request.POST.getlist("unit")[: reminders.MAX_UNITS])
    rows = [r for r in _monitor_rows(period) if r.unit.code in codes]
    if not rows:
        messages.error(request, _("Pilih paling sedikit satu unit untuk diingatkan."))
        return redirect(back)
    user = staff_user(request)
    if request.POST.get("saluran") == "whatsapp":
        links = reminders.prepare_whatsapp(rows, period, user)
        return render(request, "city/reminders_whatsapp.html", {"period": period, "links": links, "back": back})
    outcomes = reminders.send_emails(rows, period, user)
    sent = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    if sent:
        messages.success(request, _("Surel pengingat dikirim ke %(n)s unit.") % {"n": len(sent)})
    if failed:
        messages.warning(
            request,
            _("Tidak terkirim ke %(n)s unit: %(units)s.")
            % {"n": len(failed), "units": "; ".join(f"{o.unit.name} ({o.error})" for o in failed[:10])},
        )
    return redirect(back)


@admin_required
def accounts_upload(request: HttpRequest) -> HttpResponse:
    """Accounts in bulk from a spreadsheet: every row checked; all created, or none with the rows' problems."""
    form = AccountsImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "max_rows": accounts_import.MAX_ROWS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = accounts_import.check_file(upload.read(accounts_import.MAX_BYTES + 1), upload.name)
        except accounts_import.AccountsFileError as error:
            form.add_error("file", str(error))
        else:
            bad = [r for r in rows if r.problems]
            if bad:
                context.update(rows=rows, bad=bad)
            else:
                created = accounts_import.create_accounts(rows, staff_user(request))
                messages.success(request, _("%(n)s akun dibuat.") % {"n": len(created)})
                context.update(created=created)
    return render(request, "city/accounts_import.html", context)


@admin_required
def accounts_example(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-akun.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["nama_pengguna", "nama_depan", "nama_belakang", "surel", "whatsapp", "peran", "unit"])
    for unit in Unit.objects.filter(active=True).order_by("order", "name")[:2]:
        writer.writerow([f"op-{unit.code}"[:150], "Nama", "Operator", "", "0812-3456-7890", "operator", unit.code])
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


@admin_required
def publish_period(request: HttpRequest) -> HttpResponse:
    """GET: the readiness summary with the confirmation form; POST with `confirm=1`: publish."""
    period = get_object_or_404(Period, slug=(request.POST.get("periode") or request.GET.get("periode", "")).strip())
    options = RecapOptionsForm(request.POST if request.method == "POST" else request.GET)
    weight, method = options.choices()
    if request.method == "POST" and request.POST.get("confirm") == "1":
        publication = publish(period, staff_user(request), weight, method)
        messages.success(
            request,
            _("Hasil %(period)s diterbitkan di halaman publik (IKM kota %(ikm)s).")
            % {"period": period.name, "ikm": _ikm_text(publication)},
        )
        return redirect(f"{reverse('city:recap')}?periode={period.slug}")
    results = period_results(period, weight, method)
    checks = readiness(period, results)
    context = {
        "period": period,
        "r": results,
        "checks": checks,
        "warnings": sum(1 for c in checks if c.status != "ok"),
        "publication": live_publication(period),
        "unconfirmed": request.method == "POST",
    }
    return render(request, "city/publish.html", context, status=400 if request.method == "POST" else 200)


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


@admin_required
def figures(request: HttpRequest) -> HttpResponse:
    """The city's published averages of past years: the list, one typed in, or a file of them imported."""
    editing = PublishedFigure.objects.filter(pk=request.GET.get("ubah") or 0).first()
    form = PublishedFigureForm(instance=editing)
    upload = FigureImportForm()
    problems: list[history.FigureRow] = []
    if request.method == "POST" and request.POST.get("aksi") == "impor":
        upload = FigureImportForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                rows = history.read_figures(file.read(), file.name)
            except history.FigureFileError as error:
                upload.add_error("file", str(error))
            else:
                problems = [row for row in rows if row.problems]
                if not problems:
                    summary = history.store_figures(rows, staff_user(request), file.name)
                    messages.success(
                        request,
                        _("%(n)s angka terbit disimpan (%(new)s baru, %(changed)s diganti).")
                        % {"n": len(rows), "new": summary.created, "changed": summary.updated},
                    )
                    return redirect("city:history")
    elif request.method == "POST":
        form = PublishedFigureForm(request.POST, instance=editing)
        if form.is_valid():
            before = snapshot(editing) if editing else None
            saved = form.save()
            record(staff_user(request), "published_figure.change", saved, before=before, after=snapshot(saved))
            messages.success(request, _("Angka terbit %(year)s disimpan.") % {"year": saved.year})
            return redirect("city:history")
    context = {
        "figures": PublishedFigure.objects.order_by("year", "series"),
        "form": form,
        "editing": editing,
        "upload": upload,
        "problems": problems,
        "header": ", ".join(history.TEMPLATE_HEADER),
        "groups": history.known_series(),
    }
    return render(request, "city/figures.html", context, status=400 if problems else 200)


@require_POST
@admin_required
def delete_figure(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_object_or_404(PublishedFigure, pk=pk)
    before = snapshot(figure)
    record(staff_user(request), "published_figure.delete", figure, before=before)
    figure.delete()
    messages.success(request, _("Angka terbit %(year)s dihapus.") % {"year": figure.year})
    return redirect("city:history")


@admin_required
def figures_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import template, with Indonesian headings and example rows (CSV or XLSX)."""
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(status=404)
    rows = history.template_rows()
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-angka-terbit-skm.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(history.TEMPLATE_HEADER)
        writer.writerows([[safe_cell(v) for v in row] for row in rows])
        return response
    from openpyxl import Workbook  # heavy: only for this download, not in every worker (issue 18)

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Angka terbit"
    append_safe_row(sheet, history.TEMPLATE_HEADER)
    doc.style_header(sheet)
    for row in rows:
        append_safe_row(sheet, row)
    doc.set_widths(sheet, [8, 24, 10, 12, 30])
    response = HttpResponse(doc.workbook_bytes(book), content_type=REPORT_TYPES["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="templat-angka-terbit-skm.xlsx"'
    return response
