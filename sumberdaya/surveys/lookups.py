"""What every survey request reads, kept a few seconds in the shared cache (Redis in production).

Each GET and POST of the survey needs the unit with its services and whether a period is open today. These
rarely change, and at hundreds of submissions per second the queries were a third of the survey's CPU time.
Entries live `SKM_SURVEY_CACHE_SECONDS` (default 10 s) in Django's cache, which every server process shares
when `REDIS_URL` is set. Saving or deleting a unit, service or period (signals, see apps.py) bumps a
generation number in that cache, and an entry counts only when its generation is the current one, so every
server process sees the change at its next request. Entries and generation come in one round trip
(`get_many`; `survey_state` reads the unit and the period together). (bulk_create and queryset.update()
send no signals: they are seen within the cache time.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache

from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Service, Unit

GENERATION_KEY = "skm:survey:generation"
# The generation never expires. Should the cache evict it anyway, the count restarts at 0 and an entry of
# an old generation 0 may match again: it is at most SKM_SURVEY_CACHE_SECONDS old, the delay signals avoid.
GENERATION_SECONDS = None


def _cached(computes: dict[str, Callable[[], Any]], also: Sequence[str] = ()) -> tuple[list[Any], dict[str, Any]]:
    """Each compute(), or the shared cache's entry for its key when stored under the current generation;
    every entry and the generation in one round trip, with the plain cache entries of the keys `also`
    (those found)."""
    seconds = settings.SKM_SURVEY_CACHE_SECONDS
    if seconds <= 0:
        return [compute() for compute in computes.values()], cache.get_many(also) if also else {}
    found = cache.get_many([GENERATION_KEY, *computes, *also])
    generation = found.get(GENERATION_KEY, 0)
    values, fresh = [], {}
    for key, compute in computes.items():
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            values.append(entry[1])
        else:
            value = compute()
            values.append(value)
            fresh[key] = (generation, value)
    if fresh:
        cache.set_many(fresh, seconds)
    return values, {key: found[key] for key in also if key in found}


def _unit_key(code: str) -> str:
    # Codes come from URLs: entries expire, and the cache's own eviction (Redis maxmemory, LocMem's
    # MAX_ENTRIES) bounds what guesses can fill.
    return f"skm:survey:unit:{code[:120]}"


def _unit_and_services(code: str) -> tuple[Unit | None, list[Service]]:
    services = list(
        Service.objects.filter(unit__code=code, unit__active=True, active=True)
        .select_related("unit")
        .order_by("order", "name")
    )
    if services:
        return services[0].unit, services
    return Unit.objects.filter(code=code, active=True).first(), []


def _period_key(today: dt.date) -> str:
    return f"skm:survey:period:{today.isoformat()}"


def _period_state(today: dt.date) -> tuple[bool, Period | None]:
    if Period.containing(today).exists():
        return (True, None)
    return (False, Period.objects.filter(start__gt=today).order_by("start").first())


def unit_and_services(code: str) -> tuple[Unit | None, list[Service]]:
    """The active unit and its active services (one query when it has services, the usual case)."""
    return _cached({_unit_key(code): lambda: _unit_and_services(code)})[0][0]  # type: ignore[no-any-return]


def period_state(today: dt.date) -> tuple[bool, Period | None]:
    """(is a period open today?, the next period when none is open and one is planned)."""
    return _cached({_period_key(today): lambda: _period_state(today)})[0][0]  # type: ignore[no-any-return]


def survey_state(
    code: str, today: dt.date, also: str | None = None
) -> tuple[tuple[Unit | None, list[Service]], tuple[bool, Period | None], Any]:
    """`unit_and_services(code)` and `period_state(today)` together, with the cache entry of the key `also`
    (None when absent: the caller's own entry, e.g. the rendered page): one cache round trip per request."""
    (unit, period), extra = _cached(
        {
            _unit_key(code): lambda: _unit_and_services(code),
            _period_key(today): lambda: _period_state(today),
        },
        also=(also,) if also else (),
    )
    return unit, period, extra.get(also) if also else None


def forget(**kwargs: Any) -> None:
    """Signal receiver: a unit, service or period changed; every process drops what it cached."""
    cache.add(GENERATION_KEY, 0, GENERATION_SECONDS)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(GENERATION_KEY, 1, GENERATION_SECONDS)
