"""Run a few callables at the same instant in threads (each with its own database connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_at_once(*calls: Callable[[], Any], timeout: float = 60) -> list[BaseException]:
    """Start every call together (a barrier), wait for all; the exceptions they raised, in no order."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as error:  # noqa: BLE001 (returned to the test, which asserts on it)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
