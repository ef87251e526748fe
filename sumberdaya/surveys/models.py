"""Survey periods and responses.

A response is one filled-in questionnaire of one instrument (SKM by default; SPKP and SPAK use the same
table with fewer items). Answers live in the columns a1..a9, one per item in the instrument's own order
(for SKM: U1..U9, see `sumberdaya.skm.elements`), so a recap is one GROUP BY with SUM/COUNT per column,
fast over millions of rows. Periods are date windows: a response belongs to every period whose window
holds its date, so a quarter and its year never disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.periods import parse_period_slug
from sumberdaya.units.models import Service, Unit

ANSWER_COLUMNS = tuple(f"a{i}" for i in range(1, 10))


class Period(models.Model):
    slug = models.SlugField(_("kode periode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    input_deadline = models.DateField(_("batas input data"), null=True, blank=True)
    report_deadline = models.DateField(_("batas laporan"), null=True, blank=True)
    questionnaire_version = models.CharField(
        _("versi kuesioner"), max_length=40, default="PermenPAN-RB 14/2017",
        help_text=_("Rumusan pertanyaan yang dipakai pada periode ini."),
    )

    class Meta:
        ordering = ["-start", "end"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start")]
        verbose_name = _("periode")
        verbose_name_plural = _("periode")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_slug(cls, slug: str, start: dt.date | None = None, end: dt.date | None = None) -> Period:
        spec = parse_period_slug(slug)
        return cls(slug=spec.slug, name=spec.name, start=start or spec.start, end=end or spec.end)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The window as aware datetimes [start 00:00, day after end 00:00) in the local time zone."""
        tz = ZoneInfo(settings.TIME_ZONE)
        begin = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        finish = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return begin, finish

    def contains(self, moment: dt.datetime | dt.date) -> bool:
        if isinstance(moment, dt.datetime):
            moment = timezone.localtime(moment).date()
        return self.start <= moment <= self.end

    @classmethod
    def containing(cls, day: dt.date) -> models.QuerySet[Period]:
        return cls.objects.filter(start__lte=day, end__gte=day)

    @classmethod
    def current(cls, today: dt.date | None = None) -> Period | None:
        """The period holding today (the longest, i.e. the year over its quarters), else the latest one begun."""
        today = today or timezone.localdate()
        return (
            cls.containing(today).order_by("start", "-end").first()
            or cls.objects.filter(start__lte=today).order_by("-end", "start").first()
            or cls.objects.order_by("start").first()
        )


class Response(models.Model):
    class Instrument(models.TextChoices):
        SKM = "skm", "SKM"
        SPKP = "spkp", "SPKP"
        SPAK = "spak", "SPAK"

    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring")
        KIOSK = "kiosk", _("Kios / tablet")
        PAPER = "paper", _("Kuesioner kertas")
        INTERVIEW = "interview", _("Wawancara")

    class Status(models.TextChoices):
        VALID = "valid", _("Sah")
        EXCLUDED = "excluded", _("Dikeluarkan")

    class CommentKind(models.TextChoices):
        KELUHAN = "keluhan", _("Keluhan")
        PUJIAN = "pujian", _("Pujian")
        SARAN = "saran", _("Saran")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "SD", "SD"
        SMP = "SMP", "SMP"
        SMA = "SMA", "SMA"
        DIPLOMA = "D1-D3", "D1–D3"
        S1 = "S1/D4", "S1/D4"
        S2 = "S2", "S2"
        S3 = "S3", "S3"

    class Occupation(models.TextChoices):
        PNS = "PNS", "PNS"
        TNI = "TNI", "TNI"
        POLRI = "POLRI", "POLRI"
        SWASTA = "Swasta", _("Swasta")
        WIRAUSAHA = "Wirausaha", _("Wirausaha")
        LAINNYA = "Lainnya", _("Lainnya")

    instrument = models.CharField(_("instrumen"), max_length=8, choices=Instrument.choices, default=Instrument.SKM)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responses", verbose_name=_("unit"))
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="responses",
        verbose_name=_("jenis layanan"),
    )
    submitted_at = models.DateTimeField(_("waktu pengisian"))
    channel = models.CharField(_("metode"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    scale = models.PositiveSmallIntegerField(_("skala"), default=4)
    a1 = models.PositiveSmallIntegerField(null=True, blank=True)
    a2 = models.PositiveSmallIntegerField(null=True, blank=True)
    a3 = models.PositiveSmallIntegerField(null=True, blank=True)
    a4 = models.PositiveSmallIntegerField(null=True, blank=True)
    a5 = models.PositiveSmallIntegerField(null=True, blank=True)
    a6 = models.PositiveSmallIntegerField(null=True, blank=True)
    a7 = models.PositiveSmallIntegerField(null=True, blank=True)
    a8 = models.PositiveSmallIntegerField(null=True, blank=True)
    a9 = models.PositiveSmallIntegerField(null=True, blank=True)
    control = models.BooleanField(
        _("jawaban diarahkan"), null=True, blank=True,
        help_text=_("Pertanyaan kontrol SPAK: apakah ada yang mengarahkan jawaban responden?"),
    )
    visit = models.UUIDField(
        _("kunjungan"), null=True, blank=True, db_index=True,
        help_text=_("Menghubungkan SKM, SPKP dan SPAK yang diisi dalam satu kunjungan."),
    )

    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("umur"), null=True, blank=True)
    education = models.CharField(_("pendidikan"), max_length=8, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=12, choices=Occupation.choices, blank=True)
    occupation_other = models.CharField(_("pekerjaan lainnya"), max_length=100, blank=True)
    comment = models.TextField(_("komentar"), max_length=2000, blank=True)
    comment_kind = models.CharField(_("jenis komentar"), max_length=8, choices=CommentKind.choices, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    excluded_reason = models.TextField(_("alasan dikeluarkan"), blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    excluded_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(_("ditandai"), default=False)
    flag_reason = models.CharField(_("alasan ditandai"), max_length=200, blank=True)

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("dientri oleh"),
    )
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    client = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Written only by the demo loader, so `demo --reset` can tell demo answers from citizens' answers.
    demo = models.BooleanField(default=False, db_default=False, editable=False)
    # The ImportRecord that brought this response (spreadsheet import), for the integrity rules (bursts from
    # one import, duplicates across imports). A plain integer: no constraint or index on this hot table.
    import_batch = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("respons")
        verbose_name_plural = _("respons")
        indexes = [
            # Covering index (PostgreSQL) so a unit's or the city's recap reads the index only.
            models.Index(
                fields=["instrument", "unit", "submitted_at"],
                include=["status", *ANSWER_COLUMNS],
                name="response_recap_idx",
            ),
            # Covering too: a period's recap of every unit (city pages, trends) reads this index only.
            models.Index(
                fields=["instrument", "submitted_at"],
                include=["unit", "status", *ANSWER_COLUMNS],
                name="response_window_idx",
            ),
            # The survey's burst rule counts a client's recent submissions (surveys/abuse.py).
            models.Index(fields=["client", "submitted_at"], name="response_client_idx"),
            # Small partial indexes: the unit dashboard counts its flagged, excluded and commented responses
            # without reading the unit's other answers.
            models.Index(
                fields=["instrument", "unit", "submitted_at"], condition=Q(flagged=True), name="response_flagged_idx"
            ),
            models.Index(
                fields=["instrument", "unit", "submitted_at"], condition=Q(status="excluded"),
                name="response_excluded_idx",
            ),
            models.Index(
                fields=["instrument", "unit", "submitted_at"], condition=~Q(comment=""), name="response_comment_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__in=[4, 6]), name="response_scale_4_or_6",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{col}__isnull": True}) | Q(**{f"{col}__gte": 1, f"{col}__lte": models.F("scale")}),
                    name=f"response_{col}_within_scale",
                )
                for col in ANSWER_COLUMNS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.unit.code} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def answers(self) -> list[int | None]:
        return [getattr(self, col) for col in ANSWER_COLUMNS]

    @property
    def excluded(self) -> bool:
        return self.status == self.Status.EXCLUDED

    def insert(self) -> None:
        """Store this new response with one INSERT … RETURNING id, its SQL built once per process.

        What `save(force_insert=True)` does, without compiling the query for every answer: the citizen's
        survey stores hundreds a second. Fields are prepared by their own `get_db_prep_save`; post_save
        receivers, if any app connects one, are sent the signal as by save().
        """
        sql, fields = _insert_statement(connection.vendor)
        values = [field.get_db_prep_save(field.pre_save(self, True), connection) for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            if connection.features.can_return_columns_from_insert:
                row = cursor.fetchone()
                assert row is not None
                self.pk = row[0]
            else:
                self.pk = connection.ops.last_insert_id(cursor, self._meta.db_table, "id")
        self._state.adding = False
        self._state.db = connection.alias
        if post_save.has_listeners(Response):
            post_save.send(Response, instance=self, created=True, update_fields=None, raw=False, using=connection.alias)


@functools.cache
def _insert_statement(vendor: str) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    """The INSERT of one Response (every concrete column but the id) and its fields, per database vendor."""
    fields = tuple(f for f in Response._meta.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    # Names come from the model, values go as parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(Response._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote('id')}"
    return sql, fields


class UnitPeriod(models.Model):
    """What a unit declares for a period: the population served (for the sample target) and its own window."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="period_settings")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="unit_settings")
    population = models.PositiveIntegerField(
        _("populasi (N)"), null=True, blank=True,
        help_text=_("Jumlah penerima layanan pada periode ini, dasar target sampel Krejcie–Morgan."),
    )
    survey_start = models.DateField(_("survei mulai"), null=True, blank=True)
    survey_end = models.DateField(_("survei selesai"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unitperiod_unique")]
        verbose_name = _("pengaturan unit per periode")
        verbose_name_plural = _("pengaturan unit per periode")

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"


class ImportRecord(models.Model):
    """One stored import of a response file for one unit: its content fingerprint, for refusing a repeat.

    `upload_token` (browser imports) makes a repeated POST of the same upload harmless: the database
    allows one record per token, and the second request is shown the first one's result.
    """

    class Source(models.TextChoices):
        WEB = "web", _("peramban")
        CLI = "cli", _("baris perintah")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="import_records", verbose_name=_("unit"))
    sha256 = models.CharField(_("sidik isi (SHA-256)"), max_length=64)
    file_name = models.CharField(_("nama berkas"), max_length=200)
    rows = models.PositiveIntegerField(_("jumlah respons"))
    source = models.CharField(_("sumber"), max_length=3, choices=Source.choices)
    upload_token = models.CharField(max_length=40, null=True, blank=True, editable=False)
    duplicate_confirmed = models.BooleanField(_("duplikat dikonfirmasi"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("diimpor oleh"),
    )
    imported_at = models.DateTimeField(_("waktu impor"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["unit", "sha256"], name="importrecord_unit_sha_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["upload_token"],
                condition=Q(upload_token__isnull=False),
                name="importrecord_one_per_upload",
            )
        ]
        verbose_name = _("riwayat impor")
        verbose_name_plural = _("riwayat impor")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.unit_id}, {self.imported_at:%Y-%m-%d %H:%M})"

    def describe(self) -> str:
        """One Indonesian line naming the earlier import, as an operator is shown it."""
        who = self.imported_by.username if self.imported_by else "baris perintah"
        when = timezone.localtime(self.imported_at).strftime("%d-%m-%Y %H:%M")
        return f"{self.file_name}, diimpor {when} oleh {who} ({self.rows} respons)"


class KioskTablet(models.Model):
    """A tablet at a unit's counter, registered by an operator: its link opens the survey in kiosk mode.

    The key in the link is the tablet's credential (shown again to the unit's staff, so it is stored as
    is); revoking the tablet stops its link and its cookie at once. Its responses carry `client_key` in
    `Response.client`, so the tablet has its own rate-limit bucket and its answers can be counted.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="kiosk_tablets", verbose_name=_("unit"))
    label = models.CharField(_("nama tablet"), max_length=60, help_text=_("Misalnya: Loket 1"))
    key = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(_("didaftarkan"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "revoked_at", "label", "id"]
        verbose_name = _("tablet kios")
        verbose_name_plural = _("tablet kios")

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.label}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def client_key(self) -> str:
        return f"kiosk:{self.pk}"


class Invitation(models.Model):
    """A one-time invitation slip handed to a person who was served: its code opens the unit's survey
    (optionally for one service) once; the response it brought is *verified* (someone was served)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("unit"))
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("jenis layanan")
    )
    code = models.CharField(_("kode"), max_length=12, unique=True)
    created_at = models.DateTimeField(_("dicetak"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.OneToOneField(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation",
        verbose_name=_("respons"),
    )
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "code"]
        indexes = [models.Index(fields=["unit", "created_at"], name="invitation_unit_created_idx")]
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")

    def __str__(self) -> str:
        return self.code


class ServedCount(models.Model):
    """How many people a unit served in a month: entered by the operator, or summed from a queue
    system's daily counts (CSV import). The base of the response rate (surveys.funnel)."""

    class Source(models.TextChoices):
        OPERATOR = "operator", _("Diisi operator")
        IMPORT = "import", _("Impor sistem antrean")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="served_counts", verbose_name=_("unit"))
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan itu."))
    served = models.PositiveIntegerField(_("jumlah dilayani"))
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.OPERATOR)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "month"]
        constraints = [
            # `month` is always the 1st (surveys.funnel.set_served writes it).
            models.UniqueConstraint(fields=["unit", "month"], name="servedcount_unit_month"),
        ]
        verbose_name = _("jumlah dilayani per bulan")
        verbose_name_plural = _("jumlah dilayani per bulan")

    def __str__(self) -> str:
        return f"{self.unit.code} {self.month:%Y-%m}: {self.served}"


class IntegrityFlag(models.Model):
    """One integrity rule that fired for a response (`surveys.integrity`), with a reason a person understands.

    A flag never removes the response: it counts until a person decides (`IntegrityReview`).
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="integrity_flags")
    rule = models.CharField(_("aturan"), max_length=30)
    detail = models.CharField(_("alasan"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["response", "rule"]
        constraints = [models.UniqueConstraint(fields=["response", "rule"], name="integrityflag_once_per_rule")]
        verbose_name = _("tanda integritas")
        verbose_name_plural = _("tanda integritas")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.rule}"


class IntegrityReview(models.Model):
    """What people said about a flagged response: the unit's explanation and the city's decision."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Tetap dihitung")
        EXCLUDE = "exclude", _("Dikeluarkan")

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="integrity_review")
    explanation = models.TextField(_("penjelasan unit"), max_length=1000, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.CharField(_("alasan ditandai"), max_length=200, blank=True)  # the flags when decided

    class Meta:
        verbose_name = _("tinjauan integritas")
        verbose_name_plural = _("tinjauan integritas")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.decision or '-'}"
