"""The unit's integrity flags: each flagged response with its reasons, and the unit's explanation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sumberdaya.accounts.permissions import get_unit_for, staff_user
from sumberdaya.results.service import unit_result
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import Period, Response
from sumberdaya.surveys.periods import chosen_period

MAX_EXPLANATION = 1000


@login_required
@require_safe
def flags(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = chosen_period(request)
    page = Paginator(integrity.flagged_in(period, [unit.pk]), 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "workspace/integrity.html",
        {
            "unit": unit,
            "period": period,
            "periods": Period.objects.order_by("-start", "end"),
            "page": page,
            "result": unit_result(unit, period),
            "summary": integrity.summary(period, [unit.pk]).get(unit.pk),
            "elements": ELEMENTS,
            "can_change": staff_user(request).can_change_unit(unit),
            "max_explanation": MAX_EXPLANATION,
        },
    )


@login_required
@require_POST
def explain(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    response = get_object_or_404(Response.objects.filter(integrity.ever_flagged()), pk=pk, unit=unit)
    text = request.POST.get("explanation", "").strip()
    back = reverse("workspace:integrity", args=[unit.code]) + f"?periode={request.POST.get('periode', '')}"
    if not 5 <= len(text) <= MAX_EXPLANATION:
        messages.error(request, _("Tulis penjelasan 5–1000 karakter."))
        return redirect(back)
    integrity.explain(response, staff_user(request), text)
    messages.success(request, _("Penjelasan untuk respons #%(pk)d tersimpan; kota akan memutuskannya.") % {"pk": pk})
    return redirect(back)
