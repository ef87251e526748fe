"""Sign-in lockout: too many failures for one username lock that username; many from one address throttle it.

Failures live in the database (LoginAttempt), so the lock holds across worker processes and restarts.

- Username: MAX_PER_USERNAME failures within WINDOW lock the account; even its right password is refused
  until the window has passed (or an admin's reset: a successful sign-in clears it).
- Address (`sumberdaya.accounts.client.client_ip`, so behind nginx it is the citizen's or officer's own
  address, not the proxy's): MAX_PER_CLIENT failures within WINDOW throttle it. A throttled address gets
  no hint which guesses failed (every failure reads as a lock) and is logged for blocking at the proxy,
  but the right password of an account that is not itself locked still signs in: an office shares one
  public address, and one person guessing must not lock out every colleague (issue 12).

django-axes was considered: its address lock refuses every sign-in from the address, right password or
not, and "username or address" is all-or-nothing there, so it cannot express the rule above.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.cache import cache
from django.utils import timezone

from sumberdaya.accounts.models import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_CLIENT = 20

log = logging.getLogger(__name__)


def _normal(username: str) -> str:
    return username.strip().lower()[:150]


def is_locked(username: str) -> bool:
    """Whether the username has used up its failures in the window (its right password is refused too)."""
    since = timezone.now() - WINDOW
    return LoginAttempt.objects.filter(at__gte=since, username=_normal(username)).count() >= MAX_PER_USERNAME


def is_throttled(client: str) -> bool:
    """Whether the address has failed too often in the window (it no longer learns which guess failed)."""
    since = timezone.now() - WINDOW
    return bool(client) and LoginAttempt.objects.filter(at__gte=since, client=client).count() >= MAX_PER_CLIENT


def record_failure(username: str, client: str) -> None:
    LoginAttempt.objects.create(username=_normal(username), client=client[:64])
    # Old attempts are useless; drop them so the table stays small.
    LoginAttempt.objects.filter(at__lt=timezone.now() - 4 * WINDOW).delete()
    if is_throttled(client) and cache.add(f"skm:login-throttle:{client}", 1, timeout=int(WINDOW.total_seconds())):
        log.warning("sign-in: %s failed %d times within %s; consider blocking it at the proxy", client,
                    MAX_PER_CLIENT, WINDOW)


def clear(username: str) -> None:
    """A successful sign-in forgets the username's failures."""
    LoginAttempt.objects.filter(username=_normal(username)).delete()
