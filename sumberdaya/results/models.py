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


class ElementSums(models.Model):
    """Per element: the sum of the answers (s1..s9) and how many answered (c1..c9), for the kept tallies."""

    s1 = models.BigIntegerField(default=0)
    s2 = models.BigIntegerField(default=0)
    s3 = models.BigIntegerField(default=0)
    s4 = models.BigIntegerField(default=0)
    s5 = models.BigIntegerField(default=0)
    s6 = models.BigIntegerField(default=0)
    s7 = models.BigIntegerField(default=0)
    s8 = models.BigIntegerField(default=0)
    s9 = models.BigIntegerField(default=0)
    c1 = models.BigIntegerField(default=0)
    c2 = models.BigIntegerField(default=0)
    c3 = models.BigIntegerField(default=0)
    c4 = models.BigIntegerField(default=0)
    c5 = models.BigIntegerField(default=0)
    c6 = models.BigIntegerField(default=0)
    c7 = models.BigIntegerField(default=0)
    c8 = models.BigIntegerField(default=0)
    c9 = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class KeptTally(ElementSums):
    """The sums a bucket of valid responses keeps (per instrument, unit and shard, over a month or a year).

    Kept by database triggers (`results.aggregates`) in the same statement as every insert, update or delete
    of a response, whatever the path (form, import, COPY, review, retention), so a recap adds up a few rows
    per unit instead of scanning every answer. Four shards per bucket (response id mod 4) keep concurrent
    submissions to one unit from queueing on one row. Never written by application code.
    """

    instrument = models.CharField(max_length=8)
    # No database constraint: the triggers write rows in the middle of any statement (even a test flush
    # that empties the units table before the responses one); units with responses are protected anyway.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    shard = models.PositiveSmallIntegerField()
    n = models.BigIntegerField(default=0)
    first = models.DateTimeField(null=True)  # earliest and latest submitted_at among the bucket's responses
    last = models.DateTimeField(null=True)
    complete = models.BigIntegerField(default=0)  # questionnaires with all nine answers
    answer_sum = models.BigIntegerField(default=0)  # Σ (a1+…+a9) of complete questionnaires
    answer_squares = models.BigIntegerField(default=0)  # Σ (a1+…+a9)² of complete questionnaires
    n_online = models.BigIntegerField(default=0)
    n_kiosk = models.BigIntegerField(default=0)
    n_paper = models.BigIntegerField(default=0)
    n_interview = models.BigIntegerField(default=0)
    # Every respondent with an answer: how many, Σ m and Σ m² of m = 2520 · (sum of answers) / (answers given),
    # the per-respondent score in exact integers (the IKM interval, `skm.interval`).
    answered = models.BigIntegerField(default=0, db_default=0)
    mean_sum = models.BigIntegerField(default=0, db_default=0)
    mean_squares = models.BigIntegerField(default=0, db_default=0)
    # Valid responses flagged by the integrity rules and not yet decided (`surveys.integrity`): how many and
    # their per-element sums and counts, so the IKM without them is read from the tallies too.
    flagged = models.BigIntegerField(default=0, db_default=0)
    fs1 = models.BigIntegerField(default=0, db_default=0)
    fs2 = models.BigIntegerField(default=0, db_default=0)
    fs3 = models.BigIntegerField(default=0, db_default=0)
    fs4 = models.BigIntegerField(default=0, db_default=0)
    fs5 = models.BigIntegerField(default=0, db_default=0)
    fs6 = models.BigIntegerField(default=0, db_default=0)
    fs7 = models.BigIntegerField(default=0, db_default=0)
    fs8 = models.BigIntegerField(default=0, db_default=0)
    fs9 = models.BigIntegerField(default=0, db_default=0)
    fc1 = models.BigIntegerField(default=0, db_default=0)
    fc2 = models.BigIntegerField(default=0, db_default=0)
    fc3 = models.BigIntegerField(default=0, db_default=0)
    fc4 = models.BigIntegerField(default=0, db_default=0)
    fc5 = models.BigIntegerField(default=0, db_default=0)
    fc6 = models.BigIntegerField(default=0, db_default=0)
    fc7 = models.BigIntegerField(default=0, db_default=0)
    fc8 = models.BigIntegerField(default=0, db_default=0)
    fc9 = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        abstract = True


class ResponseTally(KeptTally):
    """The sums of a local month's valid responses (any window's whole months)."""

    month = models.DateField()  # the first day of the local month of `submitted_at` (settings.TIME_ZONE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "month", "unit", "shard"], name="tally_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.instrument} {self.month:%Y-%m} #{self.shard}: {self.n}"


class YearTally(KeptTally):
    """The same sums over a local calendar year: a year's recap reads one row per unit and shard."""

    year = models.DateField()  # 1 January of the local year of `submitted_at`

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "year", "unit", "shard"], name="year_tally_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.instrument} {self.year:%Y} #{self.shard}: {self.n}"


class BreakdownTally(ElementSums):
    """Respondents and element sums of valid responses per instrument, local month, unit, profile dimension
    (service, sex, age band, education, occupation, channel), its value and shard.

    Kept by database triggers (`results.breakdowns`) like `ResponseTally`; the unit dashboard's breakdowns read
    it instead of scanning the unit's answers six times. Never written by application code.
    """

    instrument = models.CharField(max_length=8)
    month = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=40)  # the choice's value, a service id, an age band; "" when blank
    shard = models.PositiveSmallIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "unit", "month", "dimension", "value", "shard"], name="breakdown_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.instrument} {self.month:%Y-%m} {self.dimension}={self.value!r}: {self.n}"
