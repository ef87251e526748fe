"""What every survey request reads, kept a few seconds in each server process.

Each GET and POST of the survey needs the unit with its services and whether a period is open today. These
rarely change, and at hundreds of submissions per second the queries were a third of the survey's CPU time.
Entries live `SKM_SURVEY_CACHE_SECONDS` (default 10 s). Saving or deleting a unit, service or period drops
them at once in the process that made the change (signals, see apps.py); other server processes see the
change within the cache time. (bulk_create and queryset.update() send no signals: same delay.)
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings

from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Service, Unit

_units: dict[str, tuple[float, tuple[Unit | None, list[Service]]]] = {}
_periods: dict[dt.date, tuple[float, tuple[bool, Period | None]]] = {}


def _ttl() -> float:
    return settings.SKM_SURVEY_CACHE_SECONDS


def unit_and_services(code: str) -> tuple[Unit | None, list[Service]]:
    """The active unit and its active services (one query when it has services, the usual case)."""
    hit = _units.get(code)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    services = list(
        Service.objects.filter(unit__code=code, unit__active=True, active=True)
        .select_related("unit")
        .order_by("order", "name")
    )
    found = (services[0].unit, services) if services else (Unit.objects.filter(code=code, active=True).first(), [])
    if len(_units) > 5000:  # codes come from URLs: never let guesses grow the cache without bound
        _units.clear()
    _units[code] = (time.monotonic() + _ttl(), found)
    return found


def period_state(today: dt.date) -> tuple[bool, Period | None]:
    """(is a period open today?, the next period when none is open and one is planned)."""
    hit = _periods.get(today)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    if Period.containing(today).exists():
        state: tuple[bool, Period | None] = (True, None)
    else:
        state = (False, Period.objects.filter(start__gt=today).order_by("start").first())
    _periods.clear()  # one day at a time
    _periods[today] = (time.monotonic() + _ttl(), state)
    return state


def forget(**kwargs: Any) -> None:
    """Signal receiver: a unit, service or period changed."""
    _units.clear()
    _periods.clear()
