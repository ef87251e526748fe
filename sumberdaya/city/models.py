"""City-level data: publications of a period's results and the city report's narrative.

Imported results (ImportBatch, ImportedResult) live in `results.models`: the results service reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.surveys.models import Period


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
    letter_number = models.CharField(_("nomor surat Sekda (batas waktu)"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat Sekda"), null=True, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signer_rank = models.CharField(_("pangkat/golongan penanda tangan"), max_length=200, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=30, blank=True)
    signed_date = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    # Generated sentences as the admin edited them, by key (city.report.SENTENCES); "" removes a sentence.
    sentences = models.JSONField(_("kalimat yang diubah"), default=dict, blank=True)
    # Why a unit has no report this period, by unit code, as the admin records it.
    missing_reasons = models.JSONField(_("alasan unit belum melapor"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("narasi laporan kota")
        verbose_name_plural = _("narasi laporan kota")

    def __str__(self) -> str:
        return f"{_('Narasi')} {self.period}"


class PublishedFigure(models.Model):
    """An average the city published for a past year (e.g. 2019–2023, before unit-level data exists here):
    the city's or one group's IKM, with how many units it covered. Marked as such wherever it is shown."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    series = models.CharField(
        _("kelompok"), max_length=100, blank=True, help_text=_("Kosongkan untuk rata-rata kota; isi nama kelompok.")
    )
    ikm = models.DecimalField(_("IKM"), max_digits=5, decimal_places=2)
    units = models.PositiveIntegerField(_("jumlah unit"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=200, blank=True, help_text=_("Mis. Laporan SKM Kota 2023."))

    class Meta:
        ordering = ["year", "series"]
        constraints = [models.UniqueConstraint(fields=["year", "series"], name="published_figure_year_series")]
        verbose_name = _("angka terbit tahun lalu")
        verbose_name_plural = _("angka terbit tahun lalu")

    def __str__(self) -> str:
        return f"{self.year} {self.series or 'Kota'}: {self.ikm}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.ikm is not None and not 25 <= self.ikm <= 100:
            raise ValidationError({"ikm": _("IKM harus antara 25 dan 100.")})


class Reminder(models.Model):
    """One reminder sent (e-mail) or prepared (WhatsApp link) to a unit about a period's deadlines."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        WHATSAPP = "whatsapp", _("WhatsApp")

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", verbose_name=_("periode"))
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    recipients = models.CharField(_("penerima"), max_length=500, blank=True)
    message = models.TextField(_("pesan"), max_length=2000)
    late_data = models.BooleanField(_("terlambat input data"), default=False)
    late_report = models.BooleanField(_("terlambat laporan"), default=False)
    sent = models.BooleanField(_("terkirim"), default=True)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("waktu"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["period", "unit"], name="reminder_period_unit_idx")]
        verbose_name = _("pengingat")
        verbose_name_plural = _("pengingat")

    def __str__(self) -> str:
        return f"Pengingat {self.get_channel_display()} {self.unit_id} {self.period}"
