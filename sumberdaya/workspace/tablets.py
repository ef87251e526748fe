"""The unit's kiosk tablets page: register a tablet, show its link and QR, its answers, revoke it.

The link is the tablet's credential, so the page is for staff who may change the unit.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sumberdaya.accounts.permissions import get_unit_for
from sumberdaya.surveys import kiosks, posters
from sumberdaya.surveys.models import KioskTablet


class TabletForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Nama tablet"),
        max_length=60,
        error_messages={
            "required": gettext_lazy("Beri nama tablet, misalnya: Loket 1."),
            "max_length": gettext_lazy("Nama tablet paling banyak %(limit_value)d karakter."),
        },
    )


def tablet_link(tablet: KioskTablet) -> str:
    """The full link the tablet opens (on the public host, like the posters and the CLI)."""
    return posters.public_base_url() + kiosks.path(tablet)


@login_required
def tablets(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    form = TabletForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tablet = kiosks.register(unit, form.cleaned_data["label"], request.user)
        messages.success(
            request,
            _("Tablet “%(label)s” terdaftar. Buka tautannya sekali di tablet itu (atau pindai kode QR-nya).")
            % {"label": tablet.label},
        )
        return redirect("workspace:tablets", code=unit.code)
    rows = kiosks.tablet_rows(list(KioskTablet.objects.filter(unit=unit).select_related("unit")))
    shown = [
        {"row": row, "link": tablet_link(row.tablet), "qr": posters.qr_svg(tablet_link(row.tablet))}
        if row.tablet.active
        else {"row": row}
        for row in rows
    ]
    return render(
        request, "workspace/tablets.html", {"unit": unit, "form": form, "tablets": shown},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    tablet = get_object_or_404(KioskTablet, pk=pk, unit=unit)
    if kiosks.revoke(tablet, request.user):
        messages.success(
            request, _("Tablet “%(label)s” dicabut: tautannya tidak berlaku lagi.") % {"label": tablet.label}
        )
    else:
        messages.info(request, _("Tablet “%(label)s” sudah dicabut sebelumnya.") % {"label": tablet.label})
    return redirect("workspace:tablets", code=unit.code)
