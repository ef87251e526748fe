"""A restart of PostgreSQL or Redis during a citizen's submission costs a short wait, not an error page, and
the answer is stored once (core/retry.py; bench/cluster.py shows it with real restarts)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import OperationalError, transaction
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from sumberdaya.core.retry import retry_when_unreachable
from sumberdaya.surveys import abuse
from sumberdaya.surveys.models import Response


def _flaky(failures: list[Exception]) -> Any:
    calls = []

    @retry_when_unreachable(seconds=2, pause=0.01)
    def view() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "ok"

    return view, calls


def test_a_view_that_cannot_reach_the_database_or_redis_is_run_again_until_it_can():
    view, calls = _flaky([OperationalError("server closed the connection"), RedisConnectionError("refused")])
    assert view() == "ok" and len(calls) == 3


def test_other_errors_and_a_server_down_for_longer_than_the_wait_reach_the_caller():
    view, calls = _flaky([ValueError("a bug")])
    with pytest.raises(ValueError):
        view()
    assert len(calls) == 1
    view, calls = _flaky([OperationalError("down")] * 1000)
    with pytest.raises(OperationalError):
        view()
    assert 10 < len(calls) < 300  # retried, then gave up at the deadline


@pytest.mark.django_db
def test_nothing_is_retried_inside_a_transaction():
    view, calls = _flaky([OperationalError("down")])
    with transaction.atomic(), pytest.raises(OperationalError):
        view()
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_submission_that_meets_a_database_restart_is_stored_once_and_the_citizen_thanked(unit, period, monkeypatch):
    real = abuse.save_checked
    failures = [OperationalError("terminating connection due to administrator command")]

    def restarting(*args: Any, **kwargs: Any) -> None:
        if failures:
            raise failures.pop()
        real(*args, **kwargs)

    monkeypatch.setattr(abuse, "save_checked", restarting)
    citizen = Client()
    page = citizen.get(f"/s/{unit.code}/")
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert token
    data = {"token": token.group(1), "service": str(unit.services.first().pk)}
    data.update({f"a{i}": "3" for i in range(1, 10)})
    reply = citizen.post(f"/s/{unit.code}/", data)
    assert reply.status_code == 302 and "terima-kasih" in reply["Location"]
    assert failures == [] and Response.objects.count() == 1
