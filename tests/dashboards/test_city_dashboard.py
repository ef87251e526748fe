"""The city dashboard: every unit with respondents, target, IKM, trend and status, filtered and sorted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sumberdaya.dashboards import dashboard
from sumberdaya.surveys.models import UnitPeriod
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city(unit, other_unit, period, period_2024, make_responses) -> dict[str, Any]:
    quiet = Unit.objects.create(code="uptd-sepi", name="UPTD Sepi", kind="uptd")
    make_responses(unit, [[3] * 9] * 2, when=dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC))
    make_responses(unit, [[4] * 9] * 80)
    make_responses(other_unit, [[3] * 9] * 5)
    UnitPeriod.objects.create(unit=unit, period=period, population=100)  # target 80: reached
    UnitPeriod.objects.create(unit=other_unit, period=period, population=1000)  # target 278
    return {"quiet": quiet}


def test_each_unit_has_respondents_target_ikm_trend_and_status(city, unit, other_unit, period):
    rows = {r.code: r for r in dashboard.city_rows(period).rows}
    assert rows[unit.code].respondents == 80 and rows[unit.code].target == 80
    assert rows[unit.code].status == "ok" and rows[unit.code].trend == "up"
    assert rows[other_unit.code].status == "below" and rows[other_unit.code].trend == ""
    assert rows["uptd-sepi"].status == "none" and rows["uptd-sepi"].ikm is None


def test_the_page_counts_units_per_status(city, admin_user, period):
    page = signed_in(admin_user).get(reverse("dashboards:city"))
    assert page.status_code == 200
    assert page.context["counts"] == {"none": 1, "below": 1, "ok": 1}


def test_it_filters_by_group_kind_and_status(city, leader, unit):
    client = signed_in(leader)
    assert [r.code for r in client.get(reverse("dashboards:city") + "?kelompok=Kelurahan").context["rows"]] == [unit.code]
    assert [r.code for r in client.get(reverse("dashboards:city") + "?jenis=uptd").context["rows"]] == ["uptd-sepi"]
    assert [r.code for r in client.get(reverse("dashboards:city") + "?status=ok").context["rows"]] == [unit.code]


def test_it_sorts_by_ikm_with_units_without_an_index_last(city, admin_user, unit, other_unit):
    rows = signed_in(admin_user).get(reverse("dashboards:city") + "?urut=-ikm").context["rows"]
    assert [r.code for r in rows] == [unit.code, other_unit.code, "uptd-sepi"]
    rows = signed_in(admin_user).get(reverse("dashboards:city") + "?urut=ikm").context["rows"]
    assert [r.code for r in rows][:2] == [other_unit.code, unit.code]


def test_the_number_of_queries_does_not_grow_with_the_units(city, admin_user, period):
    client = signed_in(admin_user)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboards:city")).status_code == 200
        return len(queries)

    before = count()
    for i in range(30):
        Unit.objects.create(code=f"kelurahan-{i}", name=f"Kelurahan {i}", kind="kelurahan")
    assert count() == before < 25


def test_operators_may_not_see_the_city_dashboard(city, operator):
    assert signed_in(operator).get(reverse("dashboards:city")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(city):
    page = Client().get(reverse("dashboards:city"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:login"))


def test_a_slow_count_is_reused_then_recounted_by_one_request_while_the_others_get_the_previous_one(
    city, period, monkeypatch
):
    calls = []

    def slow_rows(p):
        calls.append(p.pk)
        return dashboard.CityDashboard(p, None, [], None, None, 0, "uji")

    monkeypatch.setattr(dashboard, "city_rows", slow_rows)
    monkeypatch.setattr(dashboard, "SLOW_SECONDS", -1)  # every count counts as slow
    first = dashboard.city_dashboard(period)
    assert dashboard.city_dashboard(period) is not None and calls == [period.pk]  # fresh: reused
    key = f"dashboards:city:{period.pk}:{period.start}:{period.end}"
    stale = dashboard.CityDashboard(period, None, [], None, None, 0, "uji", computed_at=first.computed_at - 120)
    cache.set(key, stale, 300)
    cache.add(f"{key}:recounting", 1, 60)  # another request (on any server) is recounting right now
    assert dashboard.city_dashboard(period) == stale and len(calls) == 1  # served the previous count at once
    cache.delete(f"{key}:recounting")
    recounted = dashboard.city_dashboard(period)  # this request wins the marker and recounts inline
    assert recounted.computed_at >= first.computed_at and len(calls) == 2
    assert cache.get(key).computed_at == recounted.computed_at and cache.get(f"{key}:recounting") is None
    assert dashboard.city_dashboard(period).computed_at == recounted.computed_at and len(calls) == 2
    cache.set(key, dashboard.CityDashboard(period, None, [], None, None, 0, "uji", computed_at=first.computed_at - 400), 300)
    assert dashboard.city_dashboard(period).computed_at >= first.computed_at  # too old: counted now
    assert len(calls) == 3


def test_a_fast_count_is_never_cached(city, period, monkeypatch):
    monkeypatch.setattr(dashboard, "SLOW_SECONDS", 60)  # "fast" by the rule, however busy the machine is
    assert dashboard.city_dashboard(period).rows
    assert cache.get(f"dashboards:city:{period.pk}:{period.start}:{period.end}") is None
