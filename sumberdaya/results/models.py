"""Results imported from outside: units' finished numbers (a third party's survey, paper surveys, earlier
years). They never become Responses; they sit beside them and `results.service` merges both, checks them
with the scoring core and decides which one counts.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

ELEMENT_KEYS = tuple(e.key for e in ELEMENTS)  # "u1".."u9"


class ImportBatch(models.Model):
    """One uploaded file: the checked rows wait here until the admin stores them (nothing is lost)."""

    filename = models.CharField(_("nama berkas"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    rows = models.JSONField(_("baris"), default=list)
    stored_at = models.DateTimeField(_("disimpan"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("impor hasil")
        verbose_name_plural = _("impor hasil")

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class ImportedResult(models.Model):
    """A unit's result for a period as sent from outside (external survey or historical record)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="imported_results", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="imported_results")
    u1 = models.DecimalField(max_digits=6, decimal_places=2)
    u2 = models.DecimalField(max_digits=6, decimal_places=2)
    u3 = models.DecimalField(max_digits=6, decimal_places=2)
    u4 = models.DecimalField(max_digits=6, decimal_places=2)
    u5 = models.DecimalField(max_digits=6, decimal_places=2)
    u6 = models.DecimalField(max_digits=6, decimal_places=2)
    u7 = models.DecimalField(max_digits=6, decimal_places=2)
    u8 = models.DecimalField(max_digits=6, decimal_places=2)
    u9 = models.DecimalField(max_digits=6, decimal_places=2)
    ikm = models.DecimalField(_("IKM"), max_digits=6, decimal_places=2)
    mutu = models.CharField(_("mutu"), max_length=1)
    respondents = models.PositiveIntegerField(_("jumlah responden"))
    method = models.CharField(_("metode"), max_length=100, blank=True)
    flagged = models.BooleanField(_("ditandai"), default=False)
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="results")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("diimpor"), default=timezone.now)
    # The admin may count this result instead of the system's responses for the unit and period (logged).
    preferred = models.BooleanField(_("diutamakan atas data sistem"), default=False)

    class Meta:
        ordering = ["period", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="importedresult_unique")]
        verbose_name = _("hasil impor")
        verbose_name_plural = _("hasil impor")

    def __str__(self) -> str:
        return f"{self.unit} – {self.period} ({_('impor')})"

    def element_values(self) -> list[Decimal]:
        return [getattr(self, key) for key in ELEMENT_KEYS]
