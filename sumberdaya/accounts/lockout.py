"""Sign-in lockout: too many failures for one username (or from one client) within a window locks it.

Failures live in the database (LoginAttempt), so the lock holds across worker processes and restarts.
Offices share one public address, so the per-client limit is higher than the per-username one.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from sumberdaya.accounts.models import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_CLIENT = 20


def client_of(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _normal(username: str) -> str:
    return username.strip().lower()[:150]


def is_locked(username: str, client: str) -> bool:
    since = timezone.now() - WINDOW
    recent = LoginAttempt.objects.filter(at__gte=since)
    if recent.filter(username=_normal(username)).count() >= MAX_PER_USERNAME:
        return True
    return bool(client) and recent.filter(client=client).count() >= MAX_PER_CLIENT


def record_failure(username: str, client: str) -> None:
    LoginAttempt.objects.create(username=_normal(username), client=client)
    # Old attempts are useless; drop them so the table stays small.
    LoginAttempt.objects.filter(at__lt=timezone.now() - 4 * WINDOW).delete()


def clear(username: str) -> None:
    """A successful sign-in forgets the username's failures."""
    LoginAttempt.objects.filter(username=_normal(username)).delete()
