"""Intervals through the results service: a unit's from its kept tallies, groups' and the city's from units'."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.results.service import period_results
from sumberdaya.surveys.models import UnitPeriod

pytestmark = pytest.mark.django_db

ROWS = [[4] * 9, [3] * 9, [2, 3, 4, 3, 2, 3, 4, 3, None], [3, 4, 3, 4, 3, 4, 3, 4, 3]] * 5


def test_the_city_mean_has_an_interval_around_it_and_the_recap_page_shows_it(
    unit: Any, other_unit: Any, period: Any, admin_user: Any, make_responses: Any
) -> None:
    make_responses(unit, ROWS)
    make_responses(other_unit, ROWS[:12])
    results = period_results(period)
    city = results.city_interval
    assert city is not None and city.shown
    assert city.low < float(results.city.value) < city.high  # type: ignore[arg-type, operator]
    units = [r for r in results.rows if r.interval]
    # The mean of two units is more certain than either unit alone.
    assert city.half_width < min(r.interval.high - r.interval.low for r in units) / 2  # type: ignore[union-attr, operator]
    client = Client()
    client.force_login(admin_user)
    assert "dengan 95 % keyakinan" in client.get(reverse("city:recap")).content.decode()


def test_a_known_population_narrows_a_units_interval(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, ROWS)
    wide = period_results(period, units=[unit]).rows[0].interval
    UnitPeriod.objects.create(unit=unit, period=period, population=25)
    narrow = period_results(period, units=[unit]).rows[0].interval
    assert wide is not None and narrow is not None
    assert narrow.high - narrow.low < (wide.high - wide.low) / 2
