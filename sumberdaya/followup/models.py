"""Follow-up plans (Rencana Tindak Lanjut, RTL): what a unit will do about its weakest elements.

One `PlanItem` per action: for a unit and period, an element, the problem found, the action, when,
who is responsible; its status moves belum -> sedang -> selesai with a realisation text and evidence
files. The next period's report shows the previous period's items and what was done.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

ELEMENT_CHOICES = [(e.code, f"U{e.u} {e.name}") for e in ELEMENTS]


class PlanItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "belum", _("Belum dilaksanakan")
        IN_PROGRESS = "sedang", _("Sedang dilaksanakan")
        DONE = "selesai", _("Selesai")

    class Quarter(models.TextChoices):
        TW1 = "TW I", _("Triwulan I")
        TW2 = "TW II", _("Triwulan II")
        TW3 = "TW III", _("Triwulan III")
        TW4 = "TW IV", _("Triwulan IV")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("periode"))
    element = models.CharField(_("unsur"), max_length=20, choices=ELEMENT_CHOICES)
    problem = models.TextField(_("permasalahan"), max_length=2000)
    action = models.TextField(_("program/kegiatan"), max_length=2000)
    due_date = models.DateField(_("tanggal target"), null=True, blank=True)
    quarter = models.CharField(_("triwulan"), max_length=6, choices=Quarter.choices, blank=True)
    responsible = models.CharField(_("penanggung jawab"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    realisation = models.TextField(_("realisasi"), max_length=4000, blank=True)
    # "Anda berkata, kami bertindak": shown with its status and realisation on the unit's public page.
    published = models.BooleanField(_("tampilkan di halaman publik"), default=False, db_default=False)
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "period", "order", "pk"]
        indexes = [models.Index(fields=["unit", "period"], name="planitem_unit_period_idx")]
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")

    def __str__(self) -> str:
        return f"RTL {self.unit.code} {self.period.slug}: {self.get_element_display()}"

    @property
    def element_obj(self):  # type: ignore[no-untyped-def]
        return next(e for e in ELEMENTS if e.code == self.element)

    @property
    def timing(self) -> str:
        """The planned time as written in reports: the quarter, the date, or both."""
        from sumberdaya.core.dates import tanggal

        parts = [self.quarter] if self.quarter else []
        if self.due_date:
            parts.append(tanggal(self.due_date))
        return " / ".join(parts) or "–"


MAX_PRIORITIES = 5


class Priority(models.Model):
    """The unit's chosen priority elements (unsur prioritas perbaikan) for a period: 1 to 5, in its order.

    The system proposes the lowest-scoring elements; the unit decides. RTL items address these elements.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="priorities", verbose_name=_("periode"))
    elements = models.JSONField(_("unsur prioritas"), default=list)  # element codes, e.g. ["waktu", "biaya"]
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="priority_unit_period_unique")]
        verbose_name = _("unsur prioritas perbaikan")
        verbose_name_plural = _("unsur prioritas perbaikan")

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period.slug}: {', '.join(self.elements)}"

    @property
    def element_objs(self) -> list[Any]:
        by_code = {e.code: e for e in ELEMENTS}
        return [by_code[code] for code in self.elements if code in by_code]


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name that reveals nothing and cannot be guessed; the extension follows the checked type."""
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(instance.content_type, "")
    return str(PurePosixPath("rtl") / f"{secrets.token_urlsafe(24)}{extension}")


class Evidence(models.Model):
    """A photo or PDF documenting a plan item's realisation; served only through a permission check."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("RTL"))
    file = models.FileField(_("berkas"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("nama berkas asli"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    # A photo the unit marks public is shown on the public page with its published plan item.
    public = models.BooleanField(_("foto publik"), default=False, db_default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self) -> str:
        return self.original_name

    @property
    def unit(self) -> Unit:
        return self.item.unit

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
