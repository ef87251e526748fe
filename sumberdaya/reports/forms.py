from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sumberdaya.reports.models import NARRATIVE_FIELDS, UnitReport


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = UnitReport
        fields = list(NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 7}) for name in NARRATIVE_FIELDS}
        help_texts = {
            "legal_basis": _("Satu dasar hukum per baris."),
            "analysis": _("Pisahkan paragraf dengan baris kosong."),
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Terima")), ("return", _("Kembalikan"))])
    note = forms.CharField(
        label=_("Catatan untuk unit"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
