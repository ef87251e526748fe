"""The citizen side of SPKP + SPAK: which setting is open, the visit link from the SKM, storing answers.

Abuse protection and one-time tokens are the SKM survey's (`sumberdaya.surveys.abuse` / `tokens`), applied
per instrument.
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sumberdaya.perception.forms import PerceptionForm
from sumberdaya.perception.models import PerceptionSetting, setting_for
from sumberdaya.skm.instruments import INSTRUMENTS, SPAK, Instrument
from sumberdaya.surveys import abuse, tokens
from sumberdaya.surveys.models import ANSWER_COLUMNS, Period, Response
from sumberdaya.units.models import Unit

ZI_INSTRUMENTS = (Response.Instrument.SPKP, Response.Instrument.SPAK)


def open_setting(today: dt.date) -> PerceptionSetting | None:
    """The setting citizens answer under today, or None when no period is open or the city closed ZI.

    When a year and its quarter are both open, the longest window with a saved setting decides (the city
    sets the scale for the year; a quarter follows it unless it has its own setting and the year has none).
    """
    periods = sorted(Period.containing(today), key=lambda p: (p.start - p.end, p.pk))
    if not periods:
        return None
    saved = {s.period_id: s for s in PerceptionSetting.objects.filter(period__in=periods)}
    for period in periods:
        if period.pk in saved:
            setting = saved[period.pk]
            return setting if setting.enabled else None
    return setting_for(periods[0])


def linked_visit(unit: Unit, raw: str | None) -> uuid.UUID | None:
    """The visit id from the SKM's thank-you link, if it belongs to a recent SKM response of this unit
    and that visit has no SPKP/SPAK yet; otherwise None (the person starts a fresh visit)."""
    if not raw:
        return None
    try:
        visit = uuid.UUID(raw)
    except ValueError:
        return None
    since = timezone.now() - dt.timedelta(seconds=tokens.max_age())
    recent_skm = Response.objects.filter(
        visit=visit, unit=unit, instrument=Response.Instrument.SKM, submitted_at__gte=since
    ).exists()
    if not recent_skm or Response.objects.filter(visit=visit, instrument__in=ZI_INSTRUMENTS).exists():
        return None
    return visit


def continue_url(unit: Unit, visit: uuid.UUID | None, kiosk: bool = False) -> str | None:
    """The link the SKM thank-you page offers ("Lanjut ke survei persepsi (opsional)"), or None when the
    perception survey is not open today. Format: /zi/s/<unit>/?kunjungan=<visit uuid>[&kiosk=1]."""
    if open_setting(timezone.localdate()) is None:
        return None
    params = {"kunjungan": str(visit)} if visit else {}
    if kiosk:
        params["kiosk"] = "1"
    url = reverse("perception:survey", args=[unit.code])
    return f"{url}?{urlencode(params)}" if params else url


def response_token(form_token: uuid.UUID, instrument: Instrument) -> uuid.UUID:
    """One form stores two rows; each needs its own unique token, derived so a resubmission collides."""
    return form_token if instrument.code == "spkp" else uuid.uuid5(form_token, instrument.code)


def store(form: PerceptionForm, unit: Unit, token: tokens.FormToken, client: str, setting: PerceptionSetting) -> bool:
    """Save the SPKP and the SPAK response of one form in one transaction; False when already stored."""
    now = timezone.now()
    honeypot = form.honeypot_filled()
    try:
        with transaction.atomic():
            for instrument in INSTRUMENTS.values():
                answers = form.answers(instrument)
                response = Response(
                    instrument=instrument.code,
                    unit=unit,
                    submitted_at=now,
                    channel=Response.Channel.KIOSK if token.kiosk else Response.Channel.ONLINE,
                    scale=setting.scale_for(instrument.code),
                    visit=token.visit,
                    token=response_token(token.token, instrument),
                    client=client,
                    control=form.steered() if instrument is SPAK else None,
                )
                for column, value in zip(ANSWER_COLUMNS, answers, strict=False):
                    setattr(response, column, value)
                abuse.save_checked(response, honeypot=honeypot, kiosk_device=token.kiosk_device)
    except IntegrityError:
        if tokens.used(token):
            return False
        raise
    return True
