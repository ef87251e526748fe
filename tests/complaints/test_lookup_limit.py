"""Tracking-code look-ups have a rate limit of their own per client address (issue 15), so codes cannot be
enumerated: the tracking page, the confirmation page and the look-up form count against SKM_LOOKUP_RATE_LIMIT,
on the shared cache (Redis in production)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sumberdaya.complaints import handling
from sumberdaya.complaints.models import Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def complaint(unit: Any) -> Complaint:
    return handling.file_complaint(unit=unit, kind="keluhan", text="Antre lama sekali", client="x")


def _guesses(client: Client, count: int, **headers: str) -> list[int]:
    return [client.get(f"/aduan/lacak/ZZZZZZ{i:02d}/", **headers).status_code for i in range(count)]  # type: ignore[arg-type]


def test_guessing_codes_is_stopped_with_a_clear_429_page(complaint: Complaint, settings: Any) -> None:
    settings.SKM_LOOKUP_RATE_LIMIT = (5, 600)
    client = Client()
    assert _guesses(client, 5) == [404] * 5
    refused = client.get(f"/aduan/lacak/{complaint.code}/")  # even a right code, once over the limit
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Terlalu banyak pencarian kode lacak" in page and "Mohon tunggu sekitar" in page
    assert 0 < int(refused["Retry-After"]) <= 600
    assert complaint.code not in page and "Diterima" not in page
    # The confirmation page and the look-up form are look-ups too.
    assert client.get(f"/aduan/terkirim/{complaint.code}/").status_code == 429
    assert client.get(f"/aduan/lacak/?kode={complaint.code}", follow=True).status_code == 429


def test_the_limit_is_per_client_address(complaint: Complaint, settings: Any) -> None:
    settings.SKM_LOOKUP_RATE_LIMIT = (3, 600)
    assert _guesses(Client(), 4, REMOTE_ADDR="10.0.0.1")[-1] == 429
    other = Client().get(f"/aduan/lacak/{complaint.code}/", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200 and "Diterima" in other.content.decode()


def test_a_citizen_following_a_complaint_stays_well_under_the_default_limit(complaint: Complaint) -> None:
    client = Client()
    for _visit in range(20):
        page = client.get(f"/aduan/lacak/{complaint.code}/")
        assert page.status_code == 200 and 'data-testid="complaint-status"' in page.content.decode()


def test_a_malformed_code_in_the_look_up_form_is_answered_without_a_database_look_up(
    complaint: Complaint, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.SKM_LOOKUP_RATE_LIMIT = (1, 600)
    client = Client()
    with django_assert_num_queries(0):
        answer = client.get("/aduan/lacak/?kode=ABC")
    assert answer.status_code == 404 and "Kode lacak tidak ditemukan" in answer.content.decode()
    # One look-up per code typed: the form's redirect and the tracking page count once together.
    found = client.get(f"/aduan/lacak/?kode={complaint.code.lower()}", follow=True)
    assert found.status_code == 200 and found.redirect_chain[-1][0] == f"/aduan/lacak/{complaint.code}/"


def test_the_limit_is_counted_once_for_all_servers_on_redis(
    redis_cache: str, complaint: Complaint, settings: Any
) -> None:
    import redis

    from tests.conftest import REDIS_URL

    settings.SKM_LOOKUP_RATE_LIMIT = (4, 600)
    assert _guesses(Client(), 5) == [404, 404, 404, 404, 429]
    server = redis.Redis.from_url(REDIS_URL)
    keys = [k.decode() for k in server.scan_iter(match=f"{redis_cache}:*skm:rate:lacak:*")]
    assert len(keys) == 1 and int(server.get(keys[0]) or 0) == 5
    assert 0 < int(server.ttl(keys[0])) <= 605
