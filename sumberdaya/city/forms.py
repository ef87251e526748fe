"""Forms of the city pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sumberdaya.city.importing import MAX_BYTES
from sumberdaya.city.models import ReportNarrative
from sumberdaya.results.tallies import default_method, default_weight
from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.scoring import Weight


class RecapOptionsForm(forms.Form):
    """How the recap aggregates: the city's default unless the admin picks another for this view."""

    metode = forms.ChoiceField(
        label=_("Rata-rata kelompok dan kota"), required=False, choices=[(m.value, _(m.label)) for m in Method]
    )
    bobot = forms.ChoiceField(label=_("Bobot unsur"), required=False, choices=[(w.value, _(w.label)) for w in Weight])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metode"].initial = default_method().value
        self.fields["bobot"].initial = default_weight().value

    def choices(self) -> tuple[Weight, Method]:
        weight, method = default_weight(), default_method()
        if self.is_bound and self.is_valid():
            if self.cleaned_data.get("bobot"):
                weight = Weight(self.cleaned_data["bobot"])
            if self.cleaned_data.get("metode"):
                method = Method(self.cleaned_data["metode"])
        return weight, method


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maks. 5 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Gunakan berkas .csv atau .xlsx."))
        return upload


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = ReportNarrative
        fields = ["background", "legal_basis", "purpose", "location", "schedule", "conclusion"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}
