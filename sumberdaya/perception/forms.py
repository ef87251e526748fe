"""The citizen's SPKP + SPAK questionnaire (one page) and the city's per-period setting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sumberdaya.perception.models import PerceptionSetting
from sumberdaya.skm.instruments import INSTRUMENTS, Instrument, Item
from sumberdaya.surveys.abuse import HONEYPOT_FIELD

CONTROL_CHOICES = [("tidak", _("Tidak")), ("ya", _("Ya"))]


def field_name(instrument: Instrument, item: Item) -> str:
    return f"{instrument.code}_{item.number}"


class PerceptionForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=400)
    control = forms.ChoiceField(
        choices=CONTROL_CHOICES,
        error_messages={
            "required": _("Pertanyaan ini belum dijawab: pilih Ya atau Tidak."),
            "invalid_choice": _("Jawaban tidak dikenal: pilih Ya atau Tidak."),
        },
    )
    website = forms.CharField(required=False, max_length=200)  # honeypot, see surveys/abuse.py

    def __init__(self, *args: Any, scales: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scales = scales
        for instrument in INSTRUMENTS.values():
            scale = scales[instrument.code]
            for item in instrument.items:
                self.fields[field_name(instrument, item)] = forms.TypedChoiceField(
                    label=item.statement,
                    choices=[(str(v), str(v)) for v in range(1, scale + 1)],
                    coerce=int,
                    error_messages={
                        "required": _("Pernyataan ini belum dijawab: pilih salah satu jawaban."),
                        "invalid_choice": _("Jawaban tidak dikenal: pilih salah satu dari %(n)d jawaban.")
                        % {"n": scale},
                    },
                )

    def answers(self, instrument: Instrument) -> list[int]:
        return [self.cleaned_data[field_name(instrument, item)] for item in instrument.items]

    def steered(self) -> bool:
        return self.cleaned_data["control"] == "ya"

    def honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD, "").strip())


class SettingForm(forms.ModelForm):
    class Meta:
        model = PerceptionSetting
        fields = ["enabled", "spkp_scale", "spak_scale", "exclude_steered"]
        widgets = {"spkp_scale": forms.RadioSelect, "spak_scale": forms.RadioSelect}
        error_messages = {
            name: {
                "required": _("Pilih skala jawaban: 1–4 atau 1–6."),
                "invalid_choice": _("Skala tidak dikenal: pilih 1–4 atau 1–6."),
            }
            for name in ("spkp_scale", "spak_scale")
        }
