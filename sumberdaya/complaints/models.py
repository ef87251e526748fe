"""Tracked complaints (keluhan, pujian, saran) filed by citizens without an account.

- `Complaint`: the text, the unit handling it, its status (diterima → diproses → selesai, or dialihkan) and
  its public tracking code. The text is shown to staff of the handling unit and the city only.
- `ComplaintContact`: the phone or e-mail a citizen gave, only with explicit consent, in its own table so
  it can be shown to the handling unit alone and erased after the retention time (UU PDP 27/2022).
- `ComplaintStep`: each handling step (reply, forward, close), the history the tracking page and the inbox
  show; every step is also an audit event (accounts.audit).
- `TagCorrection`: a staff member's correction of the tagger's elements/kind for a comment or complaint.
- `Policy`: the city's handling rules (response deadline in working days, retention, holidays).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Service, Unit

TEXT_MAX = 2000
REPLY_MAX = 2000
NOTE_MAX = 1000
# No 0/O, 1/I/L: the code is read aloud and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class Policy(models.Model):
    """The city's rules for complaints (one row, pk=1; `Policy.current()`)."""

    response_days = models.PositiveSmallIntegerField(_("batas tanggapan pertama (hari kerja)"), default=5, db_default=5)
    retention_days = models.PositiveSmallIntegerField(
        _("kontak dihapus setelah selesai (hari)"), default=30, db_default=30
    )
    extra_holidays = models.JSONField(
        _("hari libur tambahan (cuti bersama, libur daerah)"), default=list, db_default=[], blank=True
    )
    removed_holidays = models.JSONField(_("hari libur yang tetap hari kerja"), default=list, db_default=[], blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan pengaduan")
        verbose_name_plural = _("aturan pengaduan")

    def __str__(self) -> str:
        return str(_("Aturan pengaduan"))

    @classmethod
    def current(cls) -> Policy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class Complaint(models.Model):
    class Kind(models.TextChoices):
        KELUHAN = "keluhan", _("Keluhan")
        PUJIAN = "pujian", _("Pujian")
        SARAN = "saran", _("Saran")

    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima")
        IN_PROGRESS = "diproses", _("Diproses")
        DONE = "selesai", _("Selesai")
        FORWARDED = "dialihkan", _("Dialihkan")

    OPEN = (Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED)

    code = models.CharField(_("kode lacak"), max_length=12, unique=True, default=new_code, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit"))
    filed_at_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit tujuan semula")
    )
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    text = models.TextField(_("isi"), max_length=TEXT_MAX)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    client = models.CharField(max_length=64, blank=True, editable=False)  # HMAC of the address (surveys.abuse)
    created_at = models.DateTimeField(_("diterima"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("kontak dihapus"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["unit", "status"], name="complaint_unit_status_idx")]
        constraints = [
            # One complaint per survey response: filed on the comment step or from the thank-you page, not both.
            models.UniqueConstraint(fields=["response"], name="complaint_one_per_response")
        ]
        verbose_name = _("aduan")
        verbose_name_plural = _("aduan")

    def __str__(self) -> str:
        return f"{self.code} ({self.unit.code})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def public_replies(self) -> models.QuerySet[ComplaintStep]:
        return self.steps.filter(kind=ComplaintStep.Kind.REPLY).exclude(reply="")


class ComplaintContact(models.Model):
    """How to reach the citizen for the reply: given only with explicit consent, erased after retention."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), max_length=120, blank=True)
    consent_at = models.DateTimeField(_("persetujuan diberikan"))

    class Meta:
        verbose_name = _("kontak pengadu")
        verbose_name_plural = _("kontak pengadu")

    def __str__(self) -> str:
        return f"{self.complaint_id}"


class ComplaintStep(models.Model):
    class Kind(models.TextChoices):
        REPLY = "balas", _("Tanggapan")
        FORWARD = "alihkan", _("Dialihkan")
        CLOSE = "selesai", _("Diselesaikan")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reply = models.TextField(_("tanggapan untuk warga"), max_length=REPLY_MAX, blank=True)
    note = models.TextField(_("catatan internal"), max_length=NOTE_MAX, blank=True)
    publish = models.BooleanField(_("tampilkan di halaman publik unit"), default=False)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("langkah penanganan aduan")
        verbose_name_plural = _("langkah penanganan aduan")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"

    @property
    def unit(self) -> Unit:
        return self.from_unit


class TagCorrection(models.Model):
    """A staff member's elements and kind for one comment (a response's) or complaint."""

    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="tag_correction"
    )
    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="tag_correction"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    elements = models.JSONField(_("unsur"), default=list)
    kind = models.CharField(_("jenis"), max_length=8, choices=Complaint.Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("koreksi label komentar")
        verbose_name_plural = _("koreksi label komentar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response__isnull=False) ^ models.Q(complaint__isnull=False),
                name="tagcorrection_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {', '.join(self.elements)}"
