"""End to end: a unit explains a flagged burst, the city reads the panel and decides; phone and desktop."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import Response


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_unit_explains_and_the_city_decides(
    live_server: Any, page: Any, phone: Any, login: Any, screenshot: Any, admin_user: Any, operator: Any,
    unit: Any, period: Any, make_responses: Any,
) -> None:
    rng = random.Random(3)
    make_responses(unit, [[rng.choice([2, 3, 3, 4]) for _ in range(9)] for _ in range(60)])
    at = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    gamed = [
        Response.objects.create(unit=unit, submitted_at=at + dt.timedelta(minutes=i), channel="paper",
                                **{f"a{k}": 4 for k in range(1, 10)})
        for i in range(12)
    ]
    integrity.scan(period, [unit.pk])

    login(phone, operator.username)
    phone.goto(f"{live_server.url}/unit/{unit.code}/integritas/")
    assert phone.locator("text=berjawaban persis sama").count() >= 1
    screenshot(phone, "integrity/01-unit-flags-360")
    phone.locator(f"[data-testid=flag-{gamed[0].pk}] textarea").fill("Rombongan kelompok tani mengisi bersama")
    phone.locator(f"[data-testid=flag-{gamed[0].pk}] button").click()
    phone.wait_for_selector("text=tersimpan; kota akan memutuskannya")

    login(page, admin_user.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/kota/integritas/")
    assert page.locator(f"[data-testid=integrity-{unit.code}]").count() == 1
    screenshot(page, "integrity/02-city-panel-1366")
    page.click(f"text={unit.name}")
    page.wait_for_selector("text=Rombongan kelompok tani")
    screenshot(page, "integrity/03-city-unit-1366")
    page.click("text=Semua yang menunggu: keluarkan")
    page.wait_for_selector("text=tercatat di log audit")
    screenshot(page, "integrity/04-city-decided-1366")
    assert Response.objects.filter(pk__in=[g.pk for g in gamed], status="excluded").count() == 12

    phone.goto(f"{live_server.url}/kota/integritas/{unit.code}/")  # the operator may not open the city's panel
    assert phone.locator("text=Akses ditolak").count() == 1
    screenshot(phone, "integrity/05-operator-refused-city-panel-360")
