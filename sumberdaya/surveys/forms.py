"""The citizen's questionnaire: service, the nine SKM questions, optional profile and comment.

The form validates; the template renders the inputs itself (big tap targets, one fieldset per question),
so the page stays small and fast.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.abuse import HONEYPOT_FIELD
from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Service

COMMENT_MAX = 2000
TRACKED_MIN = 5  # a tracked complaint needs a few words to act on (complaints.forms.ComplaintForm too)
PHONE_MAX = 20
EMAIL_MAX = 120
# An Indonesian mobile number, once spaces, dots and dashes are taken out: 08…, 628… or +628….
PHONE = re.compile(r"^(\+62|62|0)8\d{7,12}$")
PHONE_UNKNOWN = _("Nomor HP tidak dikenali: tulis seperti 0812 3456 7890.")
EMAIL_UNKNOWN = _("Alamat e-mail tidak dikenali, misalnya nama@contoh.id.")
CONSENT_LABEL = _(
    "Saya setuju nomor HP atau e-mail ini disimpan hanya untuk menjawab aduan saya, dan dihapus "
    "setelah aduan selesai."
)
CONSENT_MISSING = _(
    "Centang persetujuan agar kami boleh menyimpan kontak Anda, atau kosongkan nomor HP dan e-mail."
)


def clean_phone_number(raw: str) -> str:
    """The phone as stored (digits and a leading +), or ValidationError with PHONE_UNKNOWN."""
    phone = re.sub(r"[\s.-]", "", raw or "")
    if phone and not PHONE.match(phone):
        raise forms.ValidationError(PHONE_UNKNOWN)
    return phone

ANSWER_CHOICES = [(str(v), str(v)) for v in range(1, 5)]
ANSWER_ERRORS = {
    "required": _("Pertanyaan ini belum dijawab: pilih salah satu jawaban."),
    "invalid_choice": _("Jawaban tidak dikenal: pilih salah satu dari empat jawaban (1–4)."),
}


class ContactFields(forms.Form):
    """A tracked complaint's optional contact (phone or e-mail) and the consent box, on the survey's comment
    step and on the complaint page alike: a contact is refused without the box ticked."""

    phone = forms.CharField(label=_("Nomor HP (boleh dikosongkan)"), max_length=PHONE_MAX, required=False)
    email = forms.EmailField(
        label=_("E-mail (boleh dikosongkan)"),
        max_length=EMAIL_MAX,
        required=False,
        error_messages={"invalid": EMAIL_UNKNOWN},
    )
    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone") or "")

    def contact_given(self) -> bool:
        return bool(self.cleaned_data.get("phone") or self.cleaned_data.get("email"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.contact_given() and not data.get("consent"):
            # Never keep a contact the citizen did not agree to: ask, and keep everything typed on the page.
            self.add_error("consent", CONSENT_MISSING)
        return data


class SurveyForm(ContactFields):
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
    # A tracked complaint made of the comment (sumberdaya.complaints, filed by the citizen views with the
    # response, in one transaction); a contact only with the consent box ticked. Not on a kiosk tablet.
    track = forms.BooleanField(
        label=_("Jadikan aduan yang bisa dilacak: saya mendapat kode lacak untuk melihat tanggapan unit"),
        required=False,
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact = self.contact_given()
        if not (data.get("track") or contact):
            return data  # the usual submission: nothing more to check
        comment = (data.get("comment") or "").strip()
        if data.get("track") and "comment" not in self.errors:
            if not comment:
                self.add_error("comment", _("Tulis dulu keluhan, pujian, atau saran Anda."))
            elif len(comment) < TRACKED_MIN:
                self.add_error(
                    "comment", _("Tulis paling sedikit %(limit_value)d karakter.") % {"limit_value": TRACKED_MIN}
                )
        if data.get("track") and not data.get("comment_kind") and "comment_kind" not in self.errors:
            self.add_error("comment_kind", _("Pilih jenisnya: keluhan, pujian, atau saran."))
        if contact and not data.get("track"):
            self.add_error(
                "track",
                _(
                    "Kontak hanya dipakai untuk menjawab aduan yang dilacak: centang kotak ini, atau kosongkan "
                    "nomor HP dan e-mail."
                ),
            )
        return data

    def tracked(self) -> bool:
        """The citizen asked for a tracked complaint (only meaningful once the form is valid)."""
        return bool(self.cleaned_data.get("track"))

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
