"""The city's choices for the Zona Integritas perception surveys, per period.

Without a saved setting a period uses the defaults below (`setting_for`), so nothing has to be set up
before citizens can answer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sumberdaya.skm.instruments import DEFAULT_SCALE
from sumberdaya.surveys.models import Period

SCALE_CHOICES = [(4, _("1–4")), (6, _("1–6"))]


class PerceptionSetting(models.Model):
    period = models.OneToOneField(
        Period, on_delete=models.CASCADE, related_name="perception_setting", verbose_name=_("periode")
    )
    enabled = models.BooleanField(
        _("survei persepsi dibuka"),
        default=True,
        help_text=_("Warga dapat mengisi SPKP dan SPAK pada periode ini."),
    )
    spkp_scale = models.PositiveSmallIntegerField(_("skala SPKP"), choices=SCALE_CHOICES, default=DEFAULT_SCALE)
    spak_scale = models.PositiveSmallIntegerField(_("skala SPAK"), choices=SCALE_CHOICES, default=DEFAULT_SCALE)
    # Default True: a respondent who says someone steered the answers did not give their own perception,
    # so the SPAK index leaves such responses out; their share is always shown, so nothing is hidden.
    exclude_steered = models.BooleanField(
        _("keluarkan jawaban yang diarahkan dari indeks SPAK"),
        default=True,
        help_text=_("Respons SPAK yang menjawab “ya” pada pertanyaan kontrol tidak dihitung dalam indeks."),
    )

    class Meta:
        verbose_name = _("pengaturan survei persepsi")
        verbose_name_plural = _("pengaturan survei persepsi")
        constraints = [
            models.CheckConstraint(condition=models.Q(spkp_scale__in=[4, 6]), name="perception_spkp_scale_4_or_6"),
            models.CheckConstraint(condition=models.Q(spak_scale__in=[4, 6]), name="perception_spak_scale_4_or_6"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: SPKP 1–{self.spkp_scale}, SPAK 1–{self.spak_scale}"

    def scale_for(self, instrument: str) -> int:
        return self.spkp_scale if instrument == "spkp" else self.spak_scale


def setting_for(period: Period) -> PerceptionSetting:
    """The period's saved setting, or an unsaved one holding the defaults."""
    try:
        return PerceptionSetting.objects.get(period=period)
    except PerceptionSetting.DoesNotExist:
        return PerceptionSetting(period=period)
