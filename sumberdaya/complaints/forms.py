"""The citizen's complaint form and the staff's handling forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sumberdaya.complaints import tagging
from sumberdaya.complaints.models import NOTE_MAX, REPLY_MAX, TEXT_MAX, Complaint
from sumberdaya.surveys.abuse import HONEYPOT_FIELD
from sumberdaya.surveys.forms import TRACKED_MIN, ContactFields
from sumberdaya.units.models import Service, Unit


class ComplaintForm(ContactFields):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=Complaint.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenisnya: keluhan, pujian, atau saran.")},
    )
    text = forms.CharField(
        label=_("Isi keluhan, pujian, atau saran"),
        min_length=TRACKED_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
        error_messages={
            "required": _("Tulis dulu keluhan, pujian, atau saran Anda."),
            "min_length": _("Tulis paling sedikit %(limit_value)d karakter."),
            "max_length": _("Paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."),
        },
    )
    service = forms.TypedChoiceField(label=_("Layanan (boleh dilewati)"), coerce=int, required=False, empty_value=None)
    visit = forms.UUIDField(widget=forms.HiddenInput, required=False)
    field_order = ("kind", "text", "service", "consent", "phone", "email", "visit")  # as on the page

    def __init__(self, *args: Any, services: list[Service] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = services or []
        choices = [("", _("— pilih —")), *[(s.pk, s.name) for s in self.services]]
        self.fields["service"].choices = choices  # type: ignore[attr-defined]

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Tanggapan untuk warga (tampil di halaman lacak)"),
        max_length=REPLY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPLY_MAX}),
    )
    publish = forms.BooleanField(label=_("Tampilkan tanggapan ini di halaman publik unit"), required=False)
    close = forms.BooleanField(label=_("Tandai selesai"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("reply") or "").strip() and not data.get("close"):
            raise forms.ValidationError(_("Tulis tanggapan, atau centang Tandai selesai."))
        return data


class ForwardForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=_("Alihkan ke unit"),
        queryset=Unit.objects.filter(active=True),
        to_field_name="code",
        error_messages={"required": _("Pilih unit tujuan."), "invalid_choice": _("Unit tujuan tidak dikenal.")},
    )
    note = forms.CharField(
        label=_("Catatan untuk unit tujuan"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        error_messages={"required": _("Tulis catatan alasan pengalihan.")},
    )


class TagForm(forms.Form):
    elements = forms.MultipleChoiceField(
        label=_("Unsur"),
        choices=[(code, f"U{i}") for i, code in enumerate(tagging.ELEMENT_CODES, 1)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=Complaint.Kind.choices)


def holiday_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class PolicyForm(forms.Form):
    response_days = forms.IntegerField(label=_("Batas tanggapan pertama (hari kerja)"), min_value=1, max_value=60)
    retention_days = forms.IntegerField(
        label=_("Kontak pengadu dihapus … hari setelah aduan selesai"), min_value=0, max_value=3650
    )
    extra_holidays = forms.CharField(
        label=_("Hari libur tambahan (cuti bersama, libur daerah), satu tanggal per baris: 2026-12-24"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    removed_holidays = forms.CharField(
        label=_("Hari libur nasional yang tetap hari kerja, satu tanggal per baris"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def _dates(self, name: str) -> list[str]:
        import datetime as dt

        found = []
        for line in holiday_lines(self.cleaned_data.get(name) or ""):
            try:
                found.append(dt.date.fromisoformat(line).isoformat())
            except ValueError as error:
                raise forms.ValidationError(
                    _("Tanggal %(value)s tidak dikenali: tulis seperti 2026-12-24."), params={"value": line[:20]}
                ) from error
        return sorted(set(found))

    def clean_extra_holidays(self) -> list[str]:
        return self._dates("extra_holidays")

    def clean_removed_holidays(self) -> list[str]:
        return self._dates("removed_holidays")
