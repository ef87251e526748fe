from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PopulationForm(forms.Form):
    population = forms.IntegerField(
        label=_("Populasi (N) periode ini"),
        min_value=1,
        max_value=50_000_000,
        error_messages={
            "required": _("Isi jumlah penerima layanan pada periode ini."),
            "invalid": _("Tulis angka bulat tanpa titik, misalnya 1250."),
            "min_value": _("Populasi paling sedikit 1."),
            "max_value": _("Populasi terlalu besar; periksa kembali angkanya."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Jumlah penerima layanan pada periode ini; dasar target sampel Krejcie–Morgan."),
    )
