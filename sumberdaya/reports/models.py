"""A unit's SKM report for a period: its narrative, and its submission to the city with a frozen snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

NARRATIVE_FIELDS = ("background", "legal_basis", "purpose", "team", "analysis", "conclusion")


class UnitReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        ACCEPTED = "accepted", _("Diterima")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reports", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="unit_reports", verbose_name=_("periode"))

    # Narrative parts the operator edits; blank means "use the generated default".
    background = models.TextField(_("latar belakang"), max_length=8000, blank=True)
    legal_basis = models.TextField(_("dasar hukum"), max_length=8000, blank=True)
    purpose = models.TextField(_("maksud dan tujuan"), max_length=8000, blank=True)
    team = models.TextField(_("tim pelaksana"), max_length=8000, blank=True)
    analysis = models.TextField(_("analisis"), max_length=12000, blank=True)
    conclusion = models.TextField(_("kesimpulan"), max_length=8000, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    snapshot = models.JSONField(_("angka yang dibekukan"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submissions = models.PositiveIntegerField(_("jumlah pengajuan"), default=0)
    late = models.BooleanField(_("terlambat"), default=False)
    reviewed_at = models.DateTimeField(_("ditinjau"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("catatan peninjau"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unitreport_unique")]
        verbose_name = _("laporan SKM unit")
        verbose_name_plural = _("laporan SKM unit")

    def __str__(self) -> str:
        return f"Laporan SKM {self.unit} {self.period}"

    @property
    def frozen(self) -> bool:
        """Submitted or accepted: numbers and narrative come from the snapshot, not the live data."""
        return self.status in (self.Status.SUBMITTED, self.Status.ACCEPTED)


class GeneratedFile(models.Model):
    """A report file built in the background, reused while its fingerprint (data and narrative) is unchanged."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(max_length=20)  # "city" | "unit" | "posters" (the QR poster sheet: no period)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    fmt = models.CharField(max_length=5)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "period", "unit", "fmt", "fingerprint"], name="generated_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_id} {self.unit_id or ''} {self.fmt} {self.status}"
