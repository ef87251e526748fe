"""The city's integrity panel: per unit the share flagged, the reasons, the IKM with and without the flagged
responses and the trend of both; per unit the flagged responses, the unit's explanations and the decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sumberdaya.accounts.permissions import admin_required, all_units_required, staff_user
from sumberdaya.results.service import UnitResult, period_results, unit_result
from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import IntegrityReview, Period, Response
from sumberdaya.surveys.periods import chosen_period, earlier_periods
from sumberdaya.units.models import Unit


@dataclass(frozen=True)
class PanelRow:
    result: UnitResult
    summary: integrity.UnitIntegrity | None

    @property
    def share(self) -> float | None:
        n = self.result.respondents
        return None if not n else 100 * self.result.flagged_responses / n


@all_units_required
def panel(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    results = period_results(period)
    summaries = integrity.summary(period)
    rows = [
        PanelRow(r, summaries.get(r.unit.pk))
        for r in results.rows
        if r.flagged_responses or r.unit.pk in summaries
    ]
    rows.sort(key=lambda row: -(row.share or 0))
    return render(
        request,
        "city/integrity.html",
        {
            "period": period,
            "periods": Period.objects.order_by("-start", "end"),
            "rows": rows,
            "results": results,
            "can_decide": staff_user(request).is_city_admin,
        },
    )


@all_units_required
def unit_panel(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    period = chosen_period(request)
    trend = [(p, unit_result(unit, p)) for p in [*earlier_periods(period), period]]
    return render(
        request,
        "city/integrity_unit.html",
        {
            "unit": unit,
            "period": period,
            "result": trend[-1][1],
            "trend": trend,
            "summary": integrity.summary(period, [unit.pk]).get(unit.pk),
            "responses": integrity.flagged_in(period, [unit.pk])[:500],
            "can_decide": staff_user(request).is_city_admin,
            "decisions": IntegrityReview.Decision.choices,
        },
    )


@require_POST
@admin_required
def decide(request: HttpRequest, code: str) -> HttpResponse:
    """Keep or exclude one flagged response, or every pending one of the unit in the period (each logged)."""
    unit = get_object_or_404(Unit, code=code)
    period = get_object_or_404(Period, slug=request.POST.get("periode", ""))
    decision = request.POST.get("keputusan", "")
    back = reverse("city:integrity_unit", args=[unit.code]) + f"?periode={period.slug}"
    if decision not in IntegrityReview.Decision.values:
        messages.error(request, _("Pilih keputusan: tetap dihitung atau dikeluarkan."))
        return redirect(back)
    pending = integrity.flagged_in(period, [unit.pk]).filter(flagged=True, status=Response.Status.VALID)
    if request.POST.get("semua") != "1":
        pending = pending.filter(pk=request.POST.get("respons") or 0)
    chosen = list(pending)
    if not chosen:
        messages.error(request, _("Tidak ada respons bertanda yang menunggu keputusan."))
        return redirect(back)
    user = staff_user(request)
    for response in chosen:
        integrity.decide(response, user, decision)
    label = dict(IntegrityReview.Decision.choices)[decision]
    messages.success(
        request, _("%(n)d respons: %(decision)s (tercatat di log audit).") % {"n": len(chosen), "decision": label}
    )
    return redirect(back)
