"""The survey rate limit is one atomic count, shared by every process through Redis (issue 12, item 2).

The audit's probe: 40 parallel submissions from one client against a limit of 20 let 21 through, because
each request checked the count before any of them had added to it. These tests run against the Redis the
machine provides (the `redis_cache` fixture in conftest.py).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.db import connections
from django.test import Client

from sumberdaya.surveys import abuse


def _race(count: int, client: str) -> list[bool]:
    """`count` threads take a submission at the same moment (a barrier releases them together)."""
    start = threading.Barrier(count)
    results: list[bool] = []
    lock = threading.Lock()

    def one() -> None:
        start.wait(timeout=10)
        allowed = abuse.take_submission(client, False)
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_forty_parallel_submissions_against_redis_let_exactly_the_limit_through(redis_cache: str) -> None:
    results = _race(40, "client-a")
    assert len(results) == 40
    assert results.count(True) == 20


def test_forty_parallel_submissions_in_one_process_without_redis_let_exactly_the_limit_through(settings: Any) -> None:
    settings.SKM_RATE_LIMIT = (20, 600)
    assert _race(40, "client-b").count(True) == 20


def _take_in_child(count: int, queue: Any) -> None:
    queue.put([abuse.take_submission("client-c", False) for _ in range(count)])


def test_the_count_is_shared_between_two_processes_through_redis(redis_cache: str) -> None:
    assert all(abuse.take_submission("client-c", False) for _ in range(15))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_take_in_child, args=(6, queue))
    child.start()
    taken = queue.get(timeout=20)
    child.join(timeout=20)
    assert taken == [True] * 5 + [False]  # the other process saw this one's 15
    assert abuse.take_submission("client-c", False) is False
    assert abuse.take_submission("client-d", False) is True  # another client has its own count


def test_a_form_that_was_already_stored_gives_its_slot_back(redis_cache: str, settings: Any) -> None:
    settings.SKM_RATE_LIMIT = (2, 600)
    assert abuse.take_submission("client-e", False) and abuse.take_submission("client-e", False)
    abuse.give_back_submission("client-e", False)
    assert abuse.take_submission("client-e", False) is True
    assert abuse.take_submission("client-e", False) is False


def test_several_workers_without_a_shared_cache_are_reported_at_start_up(settings: Any) -> None:
    settings.WEB_CONCURRENCY = 2
    warnings = [m for m in run_checks(tags=["caches"]) if m.id == "sumberdaya.W001"]
    assert len(warnings) == 1 and "REDIS_URL" in warnings[0].hint
    settings.WEB_CONCURRENCY = 1
    assert not [m for m in run_checks(tags=["caches"]) if m.id == "sumberdaya.W001"]


def test_several_workers_with_redis_are_fine(redis_cache: str, settings: Any) -> None:
    settings.WEB_CONCURRENCY = 4
    assert not [m for m in run_checks(tags=["caches"]) if m.id == "sumberdaya.W001"]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="parallel writes from threads need PostgreSQL (SQLite's in-memory test database is one connection)",
)
@pytest.mark.django_db(transaction=True)
def test_the_audit_probe_forty_parallel_posts_to_the_survey_store_exactly_the_limit(
    redis_cache: str, unit: Any, period: Any
) -> None:
    """Forty requests through the whole stack (middleware, view, database) at once, one client address."""
    from sumberdaya.surveys.models import Response

    path = f"/s/{unit.code}/"
    service = str(unit.services.first().pk)
    forms = []
    for _ in range(40):
        client = Client(enforce_csrf_checks=True)
        html = client.get(path).content.decode()
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', html))
        forms.append((client, fields))
    start = threading.Barrier(len(forms))
    statuses: list[int] = []

    def post(number: int, client: Client, fields: dict[str, str]) -> None:
        answers = {f"a{i}": str(1 + (i + number) % 4) for i in range(1, 10)}
        try:
            start.wait(timeout=20)
            statuses.append(client.post(path, {**fields, **answers, "service": service}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n, *form)) for n, form in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302] * 20 + [429] * 20
    assert Response.objects.count() == 20


def test_the_wsgi_application_refuses_several_workers_without_a_shared_cache(tmp_path: Any) -> None:
    env = {
        "PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "sumberdaya.settings", "SUMBERDAYA_VAR": str(tmp_path),
        "SECRET_KEY": "k3y-" + "x7Qa9pLm2Zr" * 6, "WEB_CONCURRENCY": "3",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import sumberdaya.wsgi"], env=env, capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured: WEB_CONCURRENCY=3 worker processes share no cache" in done.stderr
    assert "Set REDIS_URL" in done.stderr
