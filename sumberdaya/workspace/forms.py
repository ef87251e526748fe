"""Forms of the unit workspace: paper entry, upload, exclusion and comment follow-up (Indonesian messages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Service, Unit

ANSWER_ERRORS = {"invalid_choice": _("Isi 1, 2, 3 atau 4.")}
BLANK = [("", "–")]


class EntryForm(forms.Form):
    """One paper (or interview) questionnaire, typed with the keyboard: digits 1–4, Tab or auto-advance."""

    submitted_on = forms.DateField(
        label=_("Tanggal kuesioner"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal kuesioner."), "invalid": _("Tanggal tidak sah.")},
    )
    channel = forms.ChoiceField(
        label=_("Metode"),
        widget=forms.RadioSelect,
        choices=[
            (Response.Channel.PAPER, _("Kuesioner kertas")),
            (Response.Channel.INTERVIEW, _("Wawancara")),
        ],
    )
    service = forms.ModelChoiceField(
        label=_("Jenis layanan"),
        queryset=Service.objects.none(),
        required=False,
        empty_label="–",
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=BLANK + list(Response.Sex.choices), required=False)
    age = forms.IntegerField(
        label=_("Umur"),
        required=False,
        min_value=10,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
        error_messages={
            "min_value": _("Umur 10–120 tahun."),
            "max_value": _("Umur 10–120 tahun."),
            "invalid": _("Tulis umur dengan angka."),
        },
    )
    education = forms.ChoiceField(
        label=_("Pendidikan"), choices=BLANK + list(Response.Education.choices), required=False
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"), choices=BLANK + list(Response.Occupation.choices), required=False
    )
    comment_kind = forms.ChoiceField(
        label=_("Jenis komentar"), choices=BLANK + list(Response.CommentKind.choices), required=False
    )
    comment = forms.CharField(
        label=_("Saran / komentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Paling banyak 2.000 karakter.")},
    )

    def __init__(self, unit: Unit, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["service"].queryset = Service.objects.filter(unit=unit, active=True)  # type: ignore[attr-defined]
        for element in ELEMENTS:
            self.fields[element.key] = forms.TypedChoiceField(
                label=f"{element.key.upper()} {element.name}",
                choices=[("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
                coerce=int,
                required=False,
                empty_value=None,
                error_messages=ANSWER_ERRORS,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "maxlength": "1",
                        "pattern": "[1-4]",
                        "autocomplete": "off",
                        "class": "answer",
                        "size": "1",
                        "title": " · ".join(f"{i} {label}" for i, label in enumerate(element.labels, start=1)),
                    }
                ),
                help_text=element.question,
            )
        first = self.fields[ELEMENTS[0].key]
        first.widget.attrs["autofocus"] = "autofocus"

    @property
    def answer_fields(self) -> list[forms.BoundField]:
        return [self[element.key] for element in ELEMENTS]

    def clean_submitted_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["submitted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal kuesioner tidak boleh di masa depan."))
        if day < timezone.localdate() - dt.timedelta(days=3 * 366):
            raise forms.ValidationError(_("Tanggal terlalu lama; periksa tahunnya."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and all(cleaned.get(element.key) is None for element in ELEMENTS):
            raise forms.ValidationError(_("Isi paling sedikit satu jawaban U1–U9 (1–4)."))
        if cleaned.get("comment") and not cleaned.get("comment_kind"):
            self.add_error("comment_kind", _("Pilih jenis komentar: keluhan, pujian atau saran."))
        return cleaned

    def build(self, entered_by: Any) -> Response:
        data = self.cleaned_data
        day: dt.date = data["submitted_on"]
        now = timezone.localtime()
        # A paper form carries only its date; noon keeps it inside that day whatever the time zone.
        moment = now if day == now.date() else dt.datetime.combine(day, dt.time(12), tzinfo=now.tzinfo)
        response = Response(
            unit=self.unit,
            service=data["service"],
            submitted_at=moment,
            channel=data["channel"],
            sex=data["sex"],
            age=data["age"],
            education=data["education"],
            occupation=data["occupation"],
            comment=data["comment"].strip(),
            comment_kind=data["comment_kind"] if data["comment"].strip() else "",
            entered_by=entered_by,
        )
        for element in ELEMENTS:
            setattr(response, element.column, data[element.key])
        return response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas .xlsx atau .csv"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": _("Pilih berkas untuk diunggah."), "empty": _("Berkas kosong.")},
    )


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        min_length=5,
        max_length=500,
        error_messages={
            "required": _("Tulis alasan mengeluarkan respons ini."),
            "min_length": _("Alasan terlalu singkat (paling sedikit 5 karakter)."),
        },
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan tindak lanjut"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Tulis catatan tindak lanjut."),
            "max_length": _("Paling banyak 2.000 karakter."),
        },
    )
