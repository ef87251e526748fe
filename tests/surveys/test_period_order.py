"""Period lists in calendar order everywhere: newest year first; in a year the year, S1, S2, TW I..IV."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import calendar_order

pytestmark = pytest.mark.django_db

SLUGS = ["2025-TW4", "2025-TW1", "2024", "2025-S2", "2025", "2025-TW3", "2025-S1", "2025-TW2", "2024-TW2"]
EXPECTED = ["2025", "2025-S1", "2025-S2", "2025-TW1", "2025-TW2", "2025-TW3", "2025-TW4", "2024", "2024-TW2"]


@pytest.fixture
def periods() -> None:
    for slug in SLUGS:
        Period.from_slug(slug).save()


def test_the_year_comes_first_then_the_halves_then_the_quarters(periods: None) -> None:
    assert [p.slug for p in calendar_order()] == EXPECTED
    assert [p.slug for p in calendar_order(Period.objects.filter(slug__startswith="2025-TW"))] == EXPECTED[3:7]


def test_staff_period_pickers_use_the_calendar_order(periods: None, admin_user: Any, unit: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    for url in ("/kota/?periode=2025", "/dasbor/kota/tabel/?periode=2025", f"/dasbor/unit/{unit.code}/?periode=2025"):
        page = client.get(url)
        assert page.status_code == 200
        assert [p.slug for p in page.context["periods"]] == EXPECTED, url


def test_the_api_lists_periods_in_calendar_order(periods: None) -> None:
    assert [p["slug"] for p in Client().get("/api/v1/periods/").json()["periods"]] == EXPECTED
