"""The unit dashboard (an operator's morning page), the city dashboard, and the population (N) entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.permissions import all_units_required, get_unit_for, staff_user
from sumberdaya.complaints.handling import unit_comment_counts
from sumberdaya.core.charts import element_chart, trend_chart
from sumberdaya.dashboards import dashboard
from sumberdaya.dashboards.forms import PopulationForm
from sumberdaya.results.lateness import recent_lateness, unit_lateness
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys.funnel import unit_funnel
from sumberdaya.surveys.models import UnitPeriod
from sumberdaya.surveys.periods import calendar_order, chosen_period
from sumberdaya.units.groups import group_names
from sumberdaya.units.models import Unit


@login_required
@require_safe
def my_units(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if user.sees_all_units:
        return redirect("city_brief")
    units = list(user.visible_units().filter(active=True))
    if len(units) == 1:
        return redirect("dashboards:unit", code=units[0].code)
    return render(request, "dashboards/my_units.html", {"units": units})


@login_required
@require_safe
def unit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = chosen_period(request)
    data = dashboard.unit_dashboard(unit, period)
    trend = [(p.period.name, float(p.value) if p.value is not None else None) for p in data.trend]
    figures = data.result.figures if data.result.has_result else None
    context = {
        "unit": unit,
        "period": period,
        "periods": calendar_order(),
        "d": data,
        "elements": data.elements,
        "element_svg": element_chart(figures.pairs()).svg() if figures else "",
        "element_svg_compact": element_chart(figures.pairs(), width=230, compact=True).svg() if figures else "",
        "trend_svg": trend_chart(trend).svg() if sum(1 for _p, v in trend if v is not None) >= 2 else "",
        "can_change": staff_user(request).can_change_unit(unit),
        "population_form": PopulationForm(initial={"population": data.sample.population}),
        "interval_text": _interval_text(data),
        "funnel": unit_funnel(unit, period),
        # What citizens' comments and complaints speak about, per element (sumberdaya.complaints tagger).
        "comment_counts": unit_comment_counts(unit, *period.bounds()),
        "late": unit_lateness(unit, period),
        "late_elsewhere": [(p, late) for p, late in recent_lateness(unit) if p.pk != period.pk],
    }
    return render(request, "dashboards/unit.html", context)


def _interval_text(data: dashboard.UnitDashboard) -> str:
    if data.interval is None:
        return data.result.interval_note or ""
    return _("%(low)s–%(high)s dengan 95 %% keyakinan; n = %(n)s") % {
        "low": format_number(data.interval.low, 2),
        "high": format_number(data.interval.high, 2),
        "n": format_number(data.interval.n, 0),
    }


@login_required
@require_POST
def population(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    period = chosen_period(request)
    form = PopulationForm(request.POST)
    target = reverse("dashboards:unit", args=[unit.code]) + f"?periode={period.slug}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(target)
    with transaction.atomic():
        setting, _created = UnitPeriod.objects.select_for_update().get_or_create(unit=unit, period=period)
        before = snapshot(setting, ["population"])
        setting.population = form.cleaned_data["population"]
        setting.save(update_fields=["population"])
        record(
            request.user,
            "unitperiod.population",
            setting,
            before=before,
            after=snapshot(setting, ["population"]),
            unit=unit,
        )
    messages.success(request, _("Populasi (N) disimpan."))
    return redirect(target)


@all_units_required
@require_safe
def city(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    data = dashboard.city_dashboard(period)
    group = request.GET.get("kelompok", "")
    kind = request.GET.get("jenis", "")
    status = request.GET.get("status", "")
    sort = request.GET.get("urut", "kelompok")
    rows = dashboard.filter_rows(data.rows, group=group, kind=kind, status=status, sort=sort)
    query = request.GET.copy()
    query.pop("urut", None)
    context = {
        "period": period,
        "periods": calendar_order(),
        "d": data,
        "rows": rows,
        "counts": data.counts(),
        "status_labels": dashboard.STATUS_LABELS,
        "groups": group_names(),
        "kinds": Unit.Kind.choices,
        "group": group,
        "kind": kind,
        "status": status,
        "sort": sort,
        "query": query.urlencode(),
    }
    return render(request, "dashboards/city.html", context)
