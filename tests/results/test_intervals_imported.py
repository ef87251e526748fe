"""Group and city intervals when a counted unit has an imported result: computed once in the service, marked as
a worst case, shown where the group and city intervals show."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.results.models import ImportedResult
from sumberdaya.results.service import period_results
from sumberdaya.skm.aggregate import Method
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db

ROWS = [[4] * 9, [3] * 9, [2, 3, 4, 3, 2, 3, 4, 3, None], [3, 4, 3, 4, 3, 4, 3, 4, 3]] * 5


def _imported(unit: Unit, period: Any, respondents: int = 100, value: str = "80") -> ImportedResult:
    return ImportedResult.objects.create(
        unit=unit, period=period, ikm=Decimal("79.92"), mutu="B", respondents=respondents, method="Kertas",
        **{f"u{i}": Decimal(value) for i in range(1, 10)},
    )


def test_the_city_mean_with_an_imported_unit_has_a_wider_bounded_interval_inside_the_scale(
    unit: Any, other_unit: Any, period: Any, admin_user: Any, make_responses: Any
) -> None:
    make_responses(unit, ROWS)
    make_responses(other_unit, ROWS)
    system_only = period_results(period).city_interval
    ImportedResult.objects.all().delete()
    other_unit.responses.all().delete()
    _imported(other_unit, period, respondents=20)
    results = period_results(period)
    row = next(r for r in results.rows if r.unit == other_unit)
    assert row.source == "imported" and row.interval is None  # the unit's own pages show none, as before
    city = results.city_interval
    assert system_only is not None and city is not None and city.shown and city.bounded
    assert not system_only.bounded
    assert 25 <= city.low < float(results.city.value) < city.high <= 100  # type: ignore[arg-type, operator]
    # The imported unit's spread is a worst case: never narrower than with real answers of the same size.
    assert city.half_width > system_only.half_width  # type: ignore[operator]
    group = next(g for g in results.groups if other_unit in [r.unit for r in g.rows])
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("city:recap")).content.decode()
    assert 'data-testid="city-interval"' in page and 'data-testid="city-interval-bounded"' in page
    assert "sebaran terlebar yang mungkin" in page
    assert group.interval is not None and group.interval.shown and group.interval.bounded  # its only unit
    assert "termasuk hasil impor, sebaran terlebar" in page


def test_more_imported_respondents_narrow_the_city_interval_and_one_respondent_gives_none(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, ROWS)
    record = _imported(other_unit, period, respondents=30)
    few = period_results(period).city_interval
    record.respondents = 3000
    record.save()
    many = period_results(period).city_interval
    assert few is not None and many is not None and few.shown and many.shown
    assert many.half_width < few.half_width  # type: ignore[operator]
    record.respondents = 1
    record.save()
    none = period_results(period).city_interval
    assert none is not None and not none.shown and none.reason == "no_data"
    assert period_results(period).city.value is not None  # the mean itself is still given


def test_the_pooled_city_interval_takes_the_units_as_strata_when_one_is_imported(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, ROWS)
    _imported(other_unit, period, respondents=60)
    results = period_results(period, method=Method.POOLED)
    city = results.city_interval
    assert city is not None and city.shown and city.bounded
    assert city.low < float(results.city.value) < city.high  # type: ignore[arg-type, operator]
    system = period_results(period, method=Method.POOLED, source="system").city_interval
    assert system is not None and system.shown and not system.bounded  # one pooled tally, as before
