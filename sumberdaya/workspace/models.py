"""What a unit's workspace remembers: its spreadsheet column mapping and follow-ups of citizens' comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Unit


class ImportMapping(models.Model):
    """Which file column holds each contract field, remembered per unit so the next import is one click."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="import_mapping")
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pemetaan kolom impor")
        verbose_name_plural = _("pemetaan kolom impor")

    def __str__(self) -> str:
        return f"{self.unit}"


class CommentFollowUp(models.Model):
    """The unit's note on how a citizen's keluhan / pujian / saran was followed up."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="follow_up")
    note = models.TextField(_("catatan tindak lanjut"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now=True)

    class Meta:
        verbose_name = _("tindak lanjut komentar")
        verbose_name_plural = _("tindak lanjut komentar")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.note[:40]}"
