"""/kota/aduan/: tracked complaints per unit (open, overdue, median working days to the first response) and
the city's complaint rules (deadline, retention, holidays). Counts only: the texts stay in the units' inboxes."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.permissions import all_units_required, staff_user
from sumberdaya.complaints import handling
from sumberdaya.complaints.forms import PolicyForm
from sumberdaya.complaints.models import Policy
from sumberdaya.units.models import Unit

POLICY_FIELDS = ["response_days", "retention_days", "extra_holidays", "removed_holidays"]


@all_units_required
def complaints(request: HttpRequest) -> HttpResponse:
    policy = Policy.current()
    user = staff_user(request)
    if request.method == "POST":
        if not user.is_city_admin:
            return HttpResponse(status=403)
        form = PolicyForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                before = snapshot(policy, POLICY_FIELDS)
                for name in POLICY_FIELDS:
                    setattr(policy, name, form.cleaned_data[name])
                policy.updated_by = user
                policy.save()
                record(user, "complaint.policy", policy, before=before, after=snapshot(policy, POLICY_FIELDS))
            messages.success(request, _("Aturan pengaduan disimpan."))
            return redirect("city:complaints")
    else:
        form = PolicyForm(
            initial={
                "response_days": policy.response_days,
                "retention_days": policy.retention_days,
                "extra_holidays": "\n".join(policy.extra_holidays),
                "removed_holidays": "\n".join(policy.removed_holidays),
            }
        )
    summaries = handling.unit_summaries(Unit.objects.filter(active=True), handling.Clock(policy))
    shown = [s for s in summaries if s.open or s.answered] if request.GET.get("semua") != "1" else summaries
    context = {
        "rows": sorted(shown, key=lambda s: (-s.overdue, -s.open, s.unit.order, s.unit.name)),
        "totals": {
            "open": sum(s.open for s in summaries),
            "overdue": sum(s.overdue for s in summaries),
        },
        "policy": policy,
        "form": form,
        "can_change": user.is_city_admin,
        "all_units": request.GET.get("semua") == "1",
    }
    return render(request, "city/complaints.html", context, status=400 if form.errors else 200)
