"""Ride out a restart of PostgreSQL or Redis inside one request, for views that may safely run twice.

A restart takes a second or two; without this, every citizen who submits in that moment sees an error page
and must press Kirim again. The survey's POST may run again because its one-time token is stored in a
unique column: a second run finds the form stored and shows the thank-you page (surveys/views.py). Only a
failure to reach the server is retried, within a few seconds; any other error is raised at once.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError, connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

UNREACHABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("sumberdaya.retry")


def retry_when_unreachable(seconds: float = 4.0, pause: float = 0.25) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            deadline = time.monotonic() + seconds
            while True:
                try:
                    return view(*args, **kwargs)
                except UNREACHABLE as error:
                    if connection.in_atomic_block or time.monotonic() + pause > deadline:
                        raise
                    logger.warning("retrying %s: %s", view.__name__, type(error).__name__)
                    connection.close()  # a connection the server dropped is of no use; the next query reconnects
                    time.sleep(pause)

        return wrapper  # type: ignore[return-value]

    return decorate
