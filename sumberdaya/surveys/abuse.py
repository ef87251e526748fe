"""Abuse protection that does not block real people.

- Client identity: an HMAC (keyed with SECRET_KEY) of the client's IP address (`accounts.client.client_ip`, which
  reads X-Forwarded-For only behind `SKM_TRUSTED_PROXY_COUNT` trusted proxies), stored in `Response.client`;
  the raw IP is never stored.
- Rate limit per client with Django's cache: `SKM_RATE_LIMIT` = (submissions, seconds), default 20 per
  10 minutes; a registered kiosk tablet (surveys.kiosks) is its own client ("kiosk:<id>", not its
  address, so tablets behind one address do not share a limit) and gets `SKM_KIOSK_RATE_LIMIT`, default
  240 per 10 minutes. Over the limit the person sees a friendly page with the answers kept. Taking a slot
  is one atomic increment (Redis INCR, or the local cache's lock), so parallel requests cannot all pass a
  check made before any of them counted. With several server processes the cache must be shared
  (REDIS_URL; a system check warns otherwise, see core/checks.py).
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

import contextlib
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
from sumberdaya.accounts.client import client_ip
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


def client_id(request: HttpRequest) -> str:
    address = client_ip(request).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), b"skm-client:" + address, hashlib.sha256)
    return digest.hexdigest()


OVER_LIMIT_NOTICE = _(
    "Terlalu banyak kiriman dari perangkat ini dalam beberapa menit terakhir. Jawaban Anda masih ada "
    "di bawah: mohon tunggu beberapa menit, lalu tekan Kirim lagi."
)


def rate_limit(kiosk: bool) -> tuple[int, int]:
    return settings.SKM_KIOSK_RATE_LIMIT if kiosk else settings.SKM_RATE_LIMIT


def _rate_key(client: str, kiosk: bool) -> str:
    _, seconds = rate_limit(kiosk)
    window = int(time.time()) // seconds
    return f"skm:rate:{'k' if kiosk else 'o'}:{client}:{window}"


def take_submission(client: str, kiosk: bool) -> bool:
    """Count one submission for the client in the current (fixed) window; False when it is over the limit.

    The count is the increment's own result, so of 40 parallel requests with a limit of 20 exactly 20 get
    True. Refused ones stay counted, which only matters within a window that is already full.
    """
    limit, seconds = rate_limit(kiosk)
    key = _rate_key(client, kiosk)
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: this is the window's first submission
        cache.add(key, 1, timeout=seconds + 5)
        count = 1
    return count <= limit


def give_back_submission(client: str, kiosk: bool) -> None:
    """Undo take_submission for a form that was not stored after all (it had been stored already)."""
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(_rate_key(client, kiosk))


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
