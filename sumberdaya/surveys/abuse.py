"""Abuse protection that does not block real people.

- Client identity: an HMAC (keyed with SECRET_KEY) of the client's IP address, stored in `Response.client`;
  the raw IP is never stored. X-Forwarded-For is read only behind `SKM_TRUSTED_PROXY_COUNT` trusted proxies.
- Rate limit per client with Django's cache: `SKM_RATE_LIMIT` = (submissions, seconds), default 20 per
  10 minutes; a registered kiosk tablet (surveys.kiosks) is its own client ("kiosk:<id>", not its
  address, so tablets behind one address do not share a limit) and gets `SKM_KIOSK_RATE_LIMIT`, default
  240 per 10 minutes. Over
  the limit the person sees a friendly page with the answers kept. With several server processes use a
  shared cache (REDIS_URL) so the limit holds across them.
- Bursts are stored but flagged for the unit's review, never dropped (flagged responses still count
  until a reviewer excludes them):
  1. online: the 5th and later submission for one unit from the same client within 10 minutes
     → "banyak kiriman dari perangkat yang sama" (not for a registered kiosk: one tablet, many people);
  2. online and kiosk: a 5th and later identical answer vector in a row for the unit within 30 minutes
     → "jawaban identik beruntun".
- Honeypot: a field people never see; when filled the response is stored but excluded (reversible by a
  reviewer) and flagged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts.audit import record
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.instruments import INSTRUMENTS
from sumberdaya.surveys.models import ANSWER_COLUMNS, Response

HONEYPOT_FIELD = "website"

SAME_CLIENT_COUNT = 5
SAME_CLIENT_WINDOW = dt.timedelta(minutes=10)
IDENTICAL_RUN_COUNT = 5
IDENTICAL_RUN_WINDOW = dt.timedelta(minutes=30)

FLAG_SAME_CLIENT = "banyak kiriman dari perangkat yang sama"
FLAG_IDENTICAL = "jawaban identik beruntun"
FLAG_HONEYPOT = "isian tersembunyi terisi (kemungkinan kiriman otomatis)"


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our trusted proxies saw (counted from the right of X-Forwarded-For)."""
    proxies = int(getattr(settings, "SKM_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def client_id(request: HttpRequest) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"skm-client:" + client_ip(request).encode(), hashlib.sha256)
    return digest.hexdigest()


OVER_LIMIT_NOTICE = _(
    "Terlalu banyak kiriman dari perangkat ini dalam beberapa menit terakhir. Jawaban Anda masih ada "
    "di bawah: mohon tunggu beberapa menit, lalu tekan Kirim lagi."
)


def rate_limit(kiosk: bool) -> tuple[int, int]:
    if kiosk:
        return tuple(getattr(settings, "SKM_KIOSK_RATE_LIMIT", (240, 600)))  # type: ignore[return-value]
    return tuple(getattr(settings, "SKM_RATE_LIMIT", (20, 600)))  # type: ignore[return-value]


def _rate_key(client: str, kiosk: bool) -> str:
    _, seconds = rate_limit(kiosk)
    window = int(time.time()) // seconds
    return f"skm:rate:{'k' if kiosk else 'o'}:{client}:{window}"


def over_limit(client: str, kiosk: bool) -> bool:
    """Whether the client has used up its submissions in the current window (fixed windows)."""
    limit, _ = rate_limit(kiosk)
    return int(cache.get(_rate_key(client, kiosk), 0)) >= limit


def count_submission(client: str, kiosk: bool) -> None:
    key = _rate_key(client, kiosk)
    _, seconds = rate_limit(kiosk)
    if not cache.add(key, 1, timeout=seconds + 5):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds + 5)


def burst_flags(
    *,
    unit_id: int,
    client: str,
    answers: Sequence[int | None],
    kiosk: bool,
    now: dt.datetime,
    instrument: str = Response.Instrument.SKM,
) -> list[str]:
    """The burst rules above for one instrument, checked against the responses already stored (call before saving).

    Each instrument counts its own rows, so one visit that answers SKM, SPKP and SPAK counts once per rule.
    """
    flags = []
    rows = Response.objects.filter(instrument=instrument, unit_id=unit_id)
    if not kiosk:
        recent = rows.filter(client=client, submitted_at__gte=now - SAME_CLIENT_WINDOW).count()
        if recent >= SAME_CLIENT_COUNT - 1:
            flags.append(FLAG_SAME_CLIENT)
    previous = list(
        rows.filter(
            submitted_at__gte=now - IDENTICAL_RUN_WINDOW,
            channel__in=[Response.Channel.ONLINE, Response.Channel.KIOSK],
        )
        .order_by("-submitted_at", "-id")
        .values_list(*ANSWER_COLUMNS[: len(answers)])[: IDENTICAL_RUN_COUNT - 1]
    )
    vector = tuple(answers)
    if len(previous) == IDENTICAL_RUN_COUNT - 1 and all(tuple(row) == vector for row in previous):
        flags.append(FLAG_IDENTICAL)
    return flags


# How many answer columns each instrument uses (the identical-answers rule compares those).
ITEM_COUNT = {"skm": len(ELEMENTS), **{code: len(i.items) for code, i in INSTRUMENTS.items()}}


def save_checked(
    response: Response, *, honeypot: bool, kiosk_device: bool, extra_flags: Sequence[str] = ()
) -> None:
    """Flag a new response by the burst rules, keep a honeypot hit excluded, and insert it (inside a transaction).

    Nothing is dropped: a honeypot hit is stored excluded (a reviewer can count it again) and logged.
    `extra_flags` come from the caller (a kiosk tablet's clock skew, surveys.kiosks).
    """
    flags = [
        *extra_flags,
        *burst_flags(
            instrument=response.instrument,
            unit_id=response.unit_id,
            client=response.client,
            answers=response.answers[: ITEM_COUNT[response.instrument]],
            kiosk=kiosk_device,
            now=response.submitted_at,
        ),
    ]
    if honeypot:
        flags.insert(0, FLAG_HONEYPOT)
        response.status = Response.Status.EXCLUDED
        response.excluded_reason = FLAG_HONEYPOT
        response.excluded_at = response.submitted_at
    response.flagged = bool(flags)
    response.flag_reason = "; ".join(flags)[:200]
    response.save(force_insert=True)
    if honeypot:
        record(
            None, "response.exclude", response, after={"status": response.status, "reason": response.excluded_reason}
        )
