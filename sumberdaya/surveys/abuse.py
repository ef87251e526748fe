"""Abuse protection that does not block real people.

- Client identity: an HMAC (keyed with SECRET_KEY) of the client's IP address (`accounts.client.client_ip`, which
  reads X-Forwarded-For only behind `SKM_TRUSTED_PROXY_COUNT` trusted proxies), stored in `Response.client`;
  the raw IP is never stored.
- Rate limit per client with Django's cache (`take_slot`; also the complaint tracking lookups,
  `SKM_LOOKUP_RATE_LIMIT`): `SKM_RATE_LIMIT` = (submissions, seconds), default 20 per
  10 minutes; a registered kiosk tablet (surveys.kiosks) is its own client ("kiosk:<id>", not its
  address, so tablets behind one address do not share a limit) and gets `SKM_KIOSK_RATE_LIMIT`, default
  240 per 10 minutes. Over the limit the person sees a friendly page with the answers kept. Taking a slot
  is one atomic increment (Redis INCR, or the local cache's lock), so parallel requests cannot all pass a
  check made before any of them counted. With several server processes the cache must be shared
  (REDIS_URL; a system check warns otherwise, see core/checks.py).
- Bursts are stored but flagged for the unit's review, never dropped (flagged responses still count
  until a reviewer excludes them). They are counted in the shared cache (`burst_flags`: one Redis round
  trip, no database query), so storing an answer stays one INSERT:
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
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts.audit import record
from sumberdaya.accounts.client import client_ip
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.instruments import INSTRUMENTS
from sumberdaya.surveys.models import Response

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
    True. Refused ones stay counted, which only matters within a window that is already full. On Redis the
    window's key is created and counted in one round trip (a pipeline of SET NX and INCR).
    """
    limit, seconds = rate_limit(kiosk)
    return take_slot(_rate_key(client, kiosk), limit, seconds)


def take_slot(key: str, limit: int, seconds: int) -> bool:
    """Count one use of `key` (a fixed window's counter, named with its window); False when over `limit`.

    The machinery of take_submission, for other per-client limits (the complaint tracking page's lookups,
    citizen.complaints); one Redis round trip with a shared cache.
    """
    server = _redis()
    if server is not None:
        made = caches["default"].make_and_validate_key(key)
        pipe = server.pipeline(transaction=False)
        pipe.set(made, 0, ex=seconds + 5, nx=True)
        pipe.incr(made)
        count = int(pipe.execute()[1])
        return count <= limit
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


def _redis() -> Any | None:
    """The Redis client behind Django's cache when the cache is Redis (REDIS_URL), else None."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return backend._cache.get_client(write=True)  # type: ignore[attr-defined]
    return None


# --- burst rules, answered from counters kept in the cache -----------------------------------------------
#
# Two keys per instrument and unit, and one per client for the same-device rule:
# - `skm:burst:c:<instrument>:<unit>:<client>`: the client's recent submissions (a sorted set on Redis of form
#   tokens scored by time, a {token: time} dict otherwise); a resent form counts once.
# - `skm:burst:v:<instrument>:<unit>`: the unit's last IDENTICAL_RUN_COUNT answer vectors in arrival order
#   (a list on Redis of "token time vector", a list of tuples otherwise).
# On Redis one script reads and updates both in one round trip, atomically; without Redis the same steps run
# under a lock in this process (its cache is its own anyway). Nothing is read from the database.

_BURST_SCRIPT = """
if #KEYS == 3 then
  redis.call('SET', KEYS[3], 0, 'EX', tonumber(ARGV[10]) + 5, 'NX')
  if redis.call('INCR', KEYS[3]) > tonumber(ARGV[9]) then return {-1, 0} end
end
local now = tonumber(ARGV[1])
local token = ARGV[2]
local vector = ARGV[3]
local same_window = tonumber(ARGV[5])
local same_count = tonumber(ARGV[6])
local run_window = tonumber(ARGV[7])
local run_count = tonumber(ARGV[8])
local same = 0
if ARGV[4] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - same_window))
  redis.call('ZADD', KEYS[1], now, token)
  redis.call('EXPIRE', KEYS[1], same_window + 60)
  if redis.call('ZCARD', KEYS[1]) >= same_count then same = 1 end
end
local previous = {}
local resent = false
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, run_count - 1)) do
  local t, at, v = string.match(entry, '^(%S+) (%S+) (%S+)$')
  if t == token then resent = true
  elseif #previous < run_count - 1 then table.insert(previous, {tonumber(at), v}) end
end
local identical = 0
if #previous == run_count - 1 then
  identical = 1
  for _, p in ipairs(previous) do
    if p[1] < now - run_window or p[2] ~= vector then identical = 0 end
  end
end
if not resent then
  redis.call('LPUSH', KEYS[2], token .. ' ' .. now .. ' ' .. vector)
  redis.call('LTRIM', KEYS[2], 0, run_count - 1)
end
redis.call('EXPIRE', KEYS[2], run_window + 60)
return {same, identical}
"""
_local_lock = threading.Lock()


def burst_flags(
    *,
    unit_id: int,
    client: str,
    answers: Sequence[int | None],
    kiosk: bool,
    now: dt.datetime,
    token: uuid.UUID | str | None = None,
    instrument: str = Response.Instrument.SKM,
    limited: bool = False,
) -> list[str]:
    """The burst rules above for one instrument, from the shared cache's counters; counts this submission.

    Each instrument counts its own submissions, so one visit that answers SKM, SPKP and SPAK counts once per
    rule. `token` (the form's) makes a resent form count once; call it once per form about to be stored.
    `limited`: count it against the client's rate limit too, first and in the same round trip
    (`take_submission`); over the limit it raises `OverLimit` and counts nothing for the burst rules.
    """
    same_key = f"skm:burst:c:{instrument}:{unit_id}:{client}"
    run_key = f"skm:burst:v:{instrument}:{unit_id}"
    moment = round(now.timestamp(), 3)
    mark = str(token or uuid.uuid4().hex)
    vector = ",".join("-" if a is None else str(a) for a in answers)
    limit, seconds = rate_limit(kiosk)
    server = _redis()
    if server is not None:
        backend = caches["default"]
        keys = [backend.make_and_validate_key(same_key), backend.make_and_validate_key(run_key)]
        if limited:
            keys.append(backend.make_and_validate_key(_rate_key(client, kiosk)))
        same, identical = server.register_script(_BURST_SCRIPT)(
            keys=keys,
            args=[
                moment,
                mark,
                vector,
                "0" if kiosk else "1",
                int(SAME_CLIENT_WINDOW.total_seconds()),
                SAME_CLIENT_COUNT,
                int(IDENTICAL_RUN_WINDOW.total_seconds()),
                IDENTICAL_RUN_COUNT,
                limit,
                seconds,
            ],
        )
        if same == -1:
            raise OverLimit
    else:
        if limited and not take_slot(_rate_key(client, kiosk), limit, seconds):
            raise OverLimit
        same, identical = _local_burst(same_key, run_key, moment, mark, vector, kiosk)
    flags = []
    if same:
        flags.append(FLAG_SAME_CLIENT)
    if identical:
        flags.append(FLAG_IDENTICAL)
    return flags


def _local_burst(same_key: str, run_key: str, now: float, token: str, vector: str, kiosk: bool) -> tuple[int, int]:
    """The Redis script's steps on any other cache (one process: LocMem), under a lock."""
    same_window = SAME_CLIENT_WINDOW.total_seconds()
    run_window = IDENTICAL_RUN_WINDOW.total_seconds()
    with _local_lock:
        found = cache.get_many([same_key, run_key])
        same = 0
        if not kiosk:
            recent = {t: at for t, at in found.get(same_key, {}).items() if at >= now - same_window}
            recent[token] = now
            cache.set(same_key, recent, int(same_window) + 60)
            same = int(len(recent) >= SAME_CLIENT_COUNT)
        entries: list[tuple[str, float, str]] = found.get(run_key, [])
        previous = [(at, v) for t, at, v in entries if t != token][: IDENTICAL_RUN_COUNT - 1]
        identical = int(
            len(previous) == IDENTICAL_RUN_COUNT - 1
            and all(at >= now - run_window and v == vector for at, v in previous)
        )
        if all(t != token for t, _at, _v in entries):
            entries = [(token, now, vector), *entries][:IDENTICAL_RUN_COUNT]
        cache.set(run_key, entries, int(run_window) + 60)
    return same, identical


# How many answer columns each instrument uses (the identical-answers rule compares those).
ITEM_COUNT = {"skm": len(ELEMENTS), **{code: len(i.items) for code, i in INSTRUMENTS.items()}}


class OverLimit(Exception):
    """The client sent more submissions than the rate limit allows: nothing was stored."""


def save_checked(
    response: Response,
    *,
    honeypot: bool,
    kiosk_device: bool,
    extra_flags: Sequence[str] = (),
    limited: bool = False,
) -> None:
    """Flag a new response by the burst rules, keep a honeypot hit excluded, and insert it.

    The insert is one statement (INSERT … RETURNING; the tally triggers run inside it); the caller holds a
    transaction only when something else must commit with it (a honeypot's audit event, an invitation slip).

    Nothing is dropped: a honeypot hit is stored excluded (a reviewer can count it again) and logged.
    `extra_flags` come from the caller (a kiosk tablet's clock skew, surveys.kiosks). `limited`: count it
    against the client's rate limit in the burst rules' round trip (raises `OverLimit`, storing nothing).
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
            token=response.token,
            limited=limited,
        ),
    ]
    if honeypot:
        flags.insert(0, FLAG_HONEYPOT)
        response.status = Response.Status.EXCLUDED
        response.excluded_reason = FLAG_HONEYPOT
        response.excluded_at = response.submitted_at
    response.flagged = bool(flags)
    response.flag_reason = "; ".join(flags)[:200]
    response.insert()
    if honeypot:
        record(
            None, "response.exclude", response, after={"status": response.status, "reason": response.excluded_reason}
        )
