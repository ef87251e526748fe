"""Forms for follow-up plan items and their evidence files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sumberdaya.followup.models import MAX_PRIORITIES, PlanItem

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_PER_ITEM = 20
# Checked on the file's first bytes, never on its name or the browser's claim.
MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf"))


class PriorityForm(forms.Form):
    """1 to 5 elements the unit will improve first, chosen from all nine (scores shown, lowest first)."""

    elements = forms.MultipleChoiceField(
        label=_("Unsur prioritas perbaikan"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elements"].choices = choices  # type: ignore[attr-defined]

    def clean_elements(self) -> list[str]:
        chosen = self.cleaned_data["elements"]
        if not 1 <= len(chosen) <= MAX_PRIORITIES:
            raise forms.ValidationError(_("Pilih 1 sampai 5 unsur prioritas perbaikan."))
        order = [code for code, _label in self.fields["elements"].choices]  # type: ignore[attr-defined]
        return sorted(chosen, key=order.index)


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["element", "problem", "action", "quarter", "due_date", "responsible"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"quarter": _("Isi triwulan, tanggal target, atau keduanya.")}

    def __init__(self, *args: Any, priorities: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # With priorities chosen, an RTL item addresses one of them (the item's own element stays selectable).
        if priorities:
            keep = set(priorities) | ({self.instance.element} if self.instance.pk else set())
            field = self.fields["element"]
            field.choices = [(c, label) for c, label in field.choices if c == "" or c in keep]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("quarter") and not data.get("due_date"):
            raise forms.ValidationError(_("Isi waktu pelaksanaan: pilih triwulan atau tanggal target."))
        return data


class ProgressForm(forms.ModelForm):
    """Status and realisation of an item, updated over time."""

    class Meta:
        model = PlanItem
        fields = ["status", "realisation", "published"]
        widgets = {"realisation": forms.Textarea(attrs={"rows": 4})}
        labels = {"published": _("Tampilkan di halaman publik unit (\"Anda berkata, kami bertindak\")")}
        help_texts = {
            "published": _("Warga melihat program, status dan realisasinya, serta foto bukti yang Anda tandai publik.")
        }


def sniff(upload: UploadedFile) -> str | None:
    """The content type from the file's first bytes, or None when it is not a JPEG, PNG or PDF."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas bukti (JPG, PNG atau PDF, maks. 5 MB)"))

    def __init__(self, *args: Any, item: PlanItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.content_type = ""

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar: maksimal 5 MB."))
        kind = sniff(upload)
        if kind is None:
            raise forms.ValidationError(_("Jenis berkas tidak diterima: unggah foto JPG/PNG atau dokumen PDF."))
        if self.item is not None and self.item.evidence.count() >= MAX_EVIDENCE_PER_ITEM:
            raise forms.ValidationError(_("Satu RTL paling banyak memiliki 20 berkas bukti."))
        self.content_type = kind
        return upload
