"""The unit's invitation slips page: print a sheet of one-time invitations (PDF) or a list (CSV)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts.permissions import get_unit_for
from sumberdaya.surveys import invitations
from sumberdaya.surveys.models import Invitation
from sumberdaya.units.models import Service, Unit


class SlipForm(forms.Form):
    count = forms.IntegerField(
        label=_("Jumlah undangan"),
        min_value=1,
        max_value=invitations.MAX_COUNT,
        initial=invitations.SLIPS_PER_PAGE * 2,
        error_messages={
            "required": _("Isi jumlah undangan."),
            "invalid": _("Tulis jumlah undangan dengan angka."),
            "min_value": _("Paling sedikit 1 undangan."),
            "max_value": _("Paling banyak %(limit_value)s undangan sekali cetak."),
        },
    )
    service = forms.ModelChoiceField(
        label=_("Untuk layanan"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Semua layanan (warga memilih)"),
    )
    output = forms.ChoiceField(
        label=_("Bentuk"),
        choices=[("pdf", _("Lembar A4 untuk dicetak (PDF)")), ("csv", _("Daftar untuk sistem antrean (CSV)"))],
        initial="pdf",
    )

    def __init__(self, unit: Unit, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Service.objects.filter(unit=unit, active=True).order_by("order", "name")


@login_required
def slips(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    form = SlipForm(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = invitations.issue(unit, form.cleaned_data["count"], form.cleaned_data["service"], request.user)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if form.cleaned_data["output"] == "csv":
            reply = HttpResponse(invitations.sheet_csv(batch), content_type="text/csv; charset=utf-8")
            reply["Content-Disposition"] = f'attachment; filename="undangan-{unit.code}-{stamp}.csv"'
        else:
            reply = HttpResponse(invitations.sheet_pdf(batch), content_type="application/pdf")
            reply["Content-Disposition"] = f'attachment; filename="undangan-{unit.code}-{stamp}.pdf"'
        return reply
    totals = Invitation.objects.filter(unit=unit).aggregate(
        issued=Count("id"), answered=Count("id", filter=Q(response__isnull=False))
    )
    return render(
        request, "workspace/slips.html", {"unit": unit, "form": form, "totals": totals},
        status=400 if form.errors else 200,
    )
