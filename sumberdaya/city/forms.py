"""Forms of the city pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sumberdaya.city.history import CITY_SERIES, ikm_error, known_series, year_error
from sumberdaya.city.history import MAX_BYTES as FIGURE_MAX_BYTES
from sumberdaya.city.importing import MAX_BYTES
from sumberdaya.city.models import PublishedFigure, ReportNarrative
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


class AccountsImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas akun (CSV atau XLSX)"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar 1 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Gunakan berkas .csv atau .xlsx."))
        return upload


TEXT_FIELDS = ["background", "legal_basis", "purpose", "location", "schedule", "conclusion"]
SENTENCE_PREFIX = "kalimat_"


class NarrativeForm(forms.ModelForm):
    """The city report's prose, the Sekda's letter and signature, why units did not report, and each
    generated sentence (prefilled with the generated text; emptied = removed from the report)."""

    reasons = forms.CharField(
        label=_("Alasan unit belum melapor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu unit per baris: kode-unit: alasan."),
    )

    class Meta:
        model = ReportNarrative
        fields = [
            *TEXT_FIELDS,
            "letter_number",
            "letter_date",
            "signer_title",
            "signer_name",
            "signer_rank",
            "signer_nip",
            "signed_date",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 5}) for name in TEXT_FIELDS},
            "letter_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signed_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, generated: dict[str, str], labels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generated = generated
        edited = self.instance.sentences or {}
        self.fields["reasons"].initial = "\n".join(
            f"{k}: {v}" for k, v in (self.instance.missing_reasons or {}).items()
        )
        for key, text in generated.items():
            self.fields[SENTENCE_PREFIX + key] = forms.CharField(
                label=labels.get(key, key),
                required=False,
                initial=edited.get(key, text),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Kosongkan untuk menghapus kalimat ini dari laporan."),
            )

    def clean_reasons(self) -> dict[str, str]:
        reasons = {}
        for number, line in enumerate(self.cleaned_data["reasons"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, reason = line.partition(":")
            if not sep or not code.strip() or not reason.strip():
                raise forms.ValidationError(
                    _("Baris %(n)d: tulis kode unit, titik dua, lalu alasannya.") % {"n": number}
                )
            reasons[code.strip()] = reason.strip()
        return reasons

    def save(self, commit: bool = True) -> ReportNarrative:
        narrative = super().save(commit=False)
        narrative.missing_reasons = self.cleaned_data["reasons"]
        sentences = dict(narrative.sentences or {})
        for key, text in self.generated.items():
            value = " ".join(self.cleaned_data.get(SENTENCE_PREFIX + key, "").split())
            # Only a changed sentence is kept: an untouched one follows the data when it changes.
            if value == " ".join(text.split()):
                sentences.pop(key, None)
            else:
                sentences[key] = value
        narrative.sentences = sentences
        if commit:
            narrative.save()
        return narrative


class PublishedFigureForm(forms.ModelForm):
    """One published average of a past year: the city's (Kelompok "Kota") or one group's."""

    class Meta:
        model = PublishedFigure
        fields = ["year", "series", "ikm", "units", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"] = forms.ChoiceField(
            label=_("Kelompok"),
            required=False,
            choices=[("", _("Kota")), *[(name, name) for name in known_series()]],
        )
        self.fields["source"].widget.attrs["maxlength"] = 200

    def validate_unique(self) -> None:
        """A second figure for the same year and series gets a plain message instead of Django's generic one."""
        year, series = self.cleaned_data.get("year"), self.cleaned_data.get("series", "")
        if year is None:
            return
        others = PublishedFigure.objects.filter(year=year, series=series).exclude(pk=self.instance.pk)
        if others.exists():
            self.add_error(
                "year",
                _("Angka %(year)s untuk %(series)s sudah ada; ubah angka itu di daftar.")
                % {"year": year, "series": series or CITY_SERIES},
            )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if problem := year_error(year):
            raise forms.ValidationError(problem[0].upper() + problem[1:] + ".")
        return year

    def clean_ikm(self) -> Any:
        value = self.cleaned_data["ikm"]
        if value is not None and (problem := ikm_error(value)):
            raise forms.ValidationError(problem + ".")
        return value

    def clean_units(self) -> int | None:
        units: int | None = self.cleaned_data.get("units")
        if units is not None and not 1 <= units <= 10000:
            raise forms.ValidationError(_("Jumlah unit harus antara 1 dan 10.000."))
        return units


class FigureImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > FIGURE_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maks. 1 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Gunakan berkas .csv atau .xlsx."))
        return upload
