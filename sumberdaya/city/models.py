"""City-level data: results imported from outside, publications of a period's results, report narrative.

Imported results are units' finished numbers (a third party's survey, paper surveys, earlier years): they
never become Responses, they sit beside them and `city.results.period_results` merges both.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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

    class Meta:
        ordering = ["period", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="importedresult_unique")]
        verbose_name = _("hasil impor")
        verbose_name_plural = _("hasil impor")

    def __str__(self) -> str:
        return f"{self.unit} – {self.period} ({_('impor')})"

    def element_values(self) -> list[Decimal]:
        return [getattr(self, key) for key in ELEMENT_KEYS]

    @property
    def ikm_fraction(self) -> Fraction:
        return Fraction(self.ikm)


class Publication(models.Model):
    """A period's results as published: the numbers are frozen so /hasil/ and the API never drift."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("metode agregasi"), max_length=10)
    weight = models.CharField(_("bobot"), max_length=10)
    snapshot = models.JSONField(_("data terbit"))
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            # Two admins publishing at once must not leave two live snapshots of one period.
            models.UniqueConstraint(
                fields=["period"], condition=models.Q(withdrawn_at__isnull=True), name="publication_one_live_per_period"
            )
        ]
        verbose_name = _("publikasi hasil")
        verbose_name_plural = _("publikasi hasil")

    def __str__(self) -> str:
        return f"{self.period} ({self.published_at:%Y-%m-%d})"

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None


class ReportNarrative(models.Model):
    """The editable prose of the city report for a period; blank fields fall back to standard text."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="city_narrative")
    background = models.TextField(_("latar belakang"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True, help_text=_("Satu dasar per baris."))
    purpose = models.TextField(_("maksud dan tujuan"), blank=True)
    location = models.TextField(_("lokasi"), blank=True)
    schedule = models.TextField(_("jadwal pelaksanaan"), blank=True)
    conclusion = models.TextField(_("catatan kesimpulan"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("narasi laporan kota")
        verbose_name_plural = _("narasi laporan kota")

    def __str__(self) -> str:
        return f"{_('Narasi')} {self.period}"
