"""The citizen's questionnaire: service, the nine SKM questions, optional profile and comment.

The form validates; the template renders the inputs itself (big tap targets, one fieldset per question),
so the page stays small and fast.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.abuse import HONEYPOT_FIELD
from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Service

COMMENT_MAX = 2000
ANSWER_CHOICES = [(str(v), str(v)) for v in range(1, 5)]
ANSWER_ERRORS = {
    "required": _("Pertanyaan ini belum dijawab: pilih salah satu jawaban."),
    "invalid_choice": _("Jawaban tidak dikenal: pilih salah satu dari empat jawaban (1–4)."),
}


class SurveyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=400)
    service = forms.TypedChoiceField(
        label=_("Layanan yang Anda terima"),
        coerce=int,
        error_messages={
            "required": _("Pilih layanan yang Anda terima."),
            "invalid_choice": _("Layanan tidak dikenal: pilih dari daftar."),
        },
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Response.Sex.choices, required=False)
    age = forms.IntegerField(
        label=_("Umur (tahun)"),
        required=False,
        min_value=10,
        max_value=120,
        error_messages={
            "invalid": _("Tulis umur dengan angka, misalnya 35."),
            "min_value": _("Umur paling kecil 10 tahun."),
            "max_value": _("Umur paling besar 120 tahun."),
        },
    )
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=Response.Education.choices, required=False)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), choices=Response.Occupation.choices, required=False)
    occupation_other = forms.CharField(
        label=_("Pekerjaan lainnya"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Pekerjaan lainnya paling banyak %(limit_value)d karakter.")},
    )
    comment_kind = forms.ChoiceField(label=_("Jenis masukan"), choices=Response.CommentKind.choices, required=False)
    comment = forms.CharField(
        label=_("Masukan Anda"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea,
        error_messages={
            "max_length": _(
                "Masukan terlalu panjang: paling banyak %(limit_value)d karakter (sekarang %(show_value)d). "
                "Mohon dipersingkat."
            )
        },
    )
    # The honeypot: hidden from people (CSS and aria-hidden), tempting to bots.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = services
        service = self.fields["service"]
        assert isinstance(service, forms.TypedChoiceField)
        service.choices = [(str(s.pk), s.name) for s in services]
        # The step is skipped when the unit has one service (or none): nothing to choose.
        service.required = len(services) > 1

    def clean_service(self) -> int | None:
        value = self.cleaned_data.get("service")
        if len(self.services) == 1:
            return self.services[0].pk
        return value or None

    def answers(self) -> list[int]:
        return [self.cleaned_data[element.column] for element in ELEMENTS]

    def honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD, "").strip())


class _SharedFields(dict[str, forms.Field]):
    """The form's fields, shared by every instance but `service` (its choices are the unit's).

    Django deep-copies every field of every form instance; for these 19 fields with their choices that was
    a tenth of a submission's CPU time, and no instance changes them (the template renders the inputs).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        fields = dict(self)
        fields["service"] = copy.deepcopy(self["service"], memo)
        return fields


# The nine answer fields, declared once from the elements (a1..a9, in the questionnaire's order).
SurveyForm.base_fields = _SharedFields(
    {
        **SurveyForm.base_fields,
        **{
            element.column: forms.TypedChoiceField(
                label=element.question, choices=ANSWER_CHOICES, coerce=int, error_messages=ANSWER_ERRORS
            )
            for element in ELEMENTS
        },
    }
)


def answer_fields() -> list[str]:
    return [element.column for element in ELEMENTS]
