"""People served per month: the operator types each month's count, or uploads a queue system's daily
counts (CSV/XLSX, columns tanggal,jumlah). The figures feed the response rate (surveys.funnel)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sumberdaya.accounts.permissions import get_unit_for
from sumberdaya.surveys import funnel
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import calendar_order, chosen_period

MAX_UPLOAD = 2 * 1024 * 1024


def _months_posted(request: HttpRequest, period: Period) -> tuple[dict[dt.date, int], list[str]]:
    values: dict[dt.date, int] = {}
    problems = []
    for month in funnel.months_of(period):
        raw = request.POST.get(f"m-{month:%Y-%m}", "").strip().replace(".", "")
        if raw == "":
            continue
        if not raw.isdigit() or int(raw) > funnel.MAX_SERVED:
            problems.append(
                _("%(month)s: tulis jumlah dengan angka bulat, misalnya 1250.") % {"month": f"{month:%m/%Y}"}
            )
        else:
            values[month] = int(raw)
    return values, problems


@login_required
def served(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    period = chosen_period(request)
    target = reverse("workspace:served", args=[unit.code]) + f"?periode={period.slug}"
    status = 200
    if request.method == "POST" and "file" in request.FILES:
        upload = request.FILES.get("file")
        assert isinstance(upload, UploadedFile)
        if upload.size is not None and upload.size > MAX_UPLOAD:
            messages.error(request, _("Berkas terlalu besar (paling besar 2 MB)."))
            status = 400
        else:
            try:
                data = funnel.read_daily_counts(upload, upload.name or "")  # type: ignore[arg-type]
            except funnel.ServedError as error:
                messages.error(request, str(error))
                status = 400
            else:
                funnel.store_import(unit, data, request.user)
                messages.success(
                    request,
                    _("%(days)d hari dari %(months)d bulan diimpor.") % {"days": data.days, "months": len(data.months)},
                )
                return redirect(target)
    elif request.method == "POST":
        values, problems = _months_posted(request, period)
        if problems:
            for problem in problems:
                messages.error(request, problem)
            status = 400
        else:
            for month, count in values.items():
                funnel.set_served(unit, month, count, request.user)
            messages.success(request, _("Jumlah warga dilayani disimpan."))
            return redirect(target)
    context = {
        "unit": unit,
        "period": period,
        "periods": calendar_order(),
        "months": [
            {"month": month, "row": row, "posted": request.POST.get(f"m-{month:%Y-%m}")}
            for month, row in funnel.served_table(unit, period)
        ],
        "funnel": funnel.unit_funnel(unit, period),
    }
    return render(request, "workspace/served.html", context, status=status)
