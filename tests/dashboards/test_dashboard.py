"""The unit dashboard: IKM, elements, sample target, CI, breakdowns, trend, population entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.dashboards import dashboard
from sumberdaya.results.service import unit_result
from sumberdaya.skm.interval import respondent_units, score_factor, unit_interval
from sumberdaya.skm.scoring import Weight
from sumberdaya.surveys.models import Response, UnitPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_ikm_with_its_letter_and_label(unit, period, operator, make_responses):
    make_responses(unit, [[4] * 9, [4, 4, 4, 4, 4, 4, 4, 4, 3]])
    page = signed_in(operator).get(reverse("dashboards:unit", args=[unit.code]))
    assert page.status_code == 200
    text = page.content.decode()
    expected = unit_result(unit, period).ikm
    assert f"{float(expected):.2f}".replace(".", ",") in text
    assert 'class="badge A"' in text and "Sangat Baik" in text


def test_the_three_lowest_elements_are_marked_as_priorities(unit, period, make_responses):
    make_responses(unit, [[1, 2, 3, 4, 4, 4, 4, 4, 2]] * 3)
    data = dashboard.unit_dashboard(unit, period)
    assert [r.key for r in data.elements if r.priority] == ["U1", "U2", "U9"]


def test_the_interval_uses_every_respondent_blanks_included(unit, period, make_responses):
    rows = [[4] * 9, [3] * 9, [2, 3, 4, 3, 2, 3, 4, 3, 2], [1, 2, 3, 4, 1, 2, 3, 4, None]] * 3
    make_responses(unit, rows)
    result = unit_result(unit, period, Weight.OFFICIAL)
    factor = score_factor(Weight.OFFICIAL.fraction)
    scores = [factor * respondent_units(r) for r in rows]
    expected = unit_interval(result.ikm, 12, sum(scores), sum(v * v for v in scores))
    assert result.interval is not None and result.interval.n == 12
    assert result.interval.low == pytest.approx(expected.low) and result.interval.high == pytest.approx(expected.high)
    assert result.interval.low < float(result.ikm) < result.interval.high


def test_below_the_minimum_the_interval_is_not_shown_and_the_page_says_why(unit, period, operator, make_responses):
    make_responses(unit, [[4] * 9, [3] * 9, [2] * 9])
    assert unit_result(unit, period).interval is None
    text = signed_in(operator).get(reverse("dashboards:unit", args=[unit.code])).content.decode()
    assert "baru 3 responden (minimal 10)" in text


def test_the_interval_is_shown_as_plus_minus_with_n(unit, period, operator, make_responses):
    make_responses(unit, [[4] * 9, [3] * 9, [2] * 9] * 4)
    text = signed_in(operator).get(reverse("dashboards:unit", args=[unit.code])).content.decode()
    assert "dengan 95 % keyakinan; n = 12" in text


def test_the_sample_compares_respondents_with_the_krejcie_morgan_target(unit, period, operator, make_responses):
    make_responses(unit, [[4] * 9] * 80)
    UnitPeriod.objects.create(unit=unit, period=period, population=100)
    data = dashboard.unit_dashboard(unit, period)
    assert data.sample.target == 80 and data.sample.reached and data.sample.percent == 100
    UnitPeriod.objects.filter(unit=unit).update(population=200)
    data = dashboard.unit_dashboard(unit, period)
    assert data.sample.target == 132 and not data.sample.reached
    text = signed_in(operator).get(reverse("dashboards:unit", args=[unit.code])).content.decode()
    assert "Belum sesuai" in text and "80 <span" in text


def test_breakdowns_count_respondents_by_service_sex_age_education_occupation_and_channel(
    unit, period, make_responses
):
    service = unit.services.first()
    make_responses(unit, [[4] * 9] * 2, service=service, sex="P", age=25, education="S1/D4", channel="paper")
    make_responses(unit, [[2] * 9], sex="L", age=65, occupation="PNS")
    data = dashboard.unit_dashboard(unit, period)
    by = {b.key: {r.label: r.respondents for r in b.rows} for b in data.breakdowns}
    assert by["service_id"] == {service.name: 2, "Tidak diisi": 1}
    assert by["sex"] == {"Perempuan": 2, "Laki-laki": 1}
    assert by["age_band"] == {"25–34": 2, "≥ 55": 1}  # the bands of surveys.profile, as in the unit report
    assert by["education"] == {"S1/D4": 2, "Tidak diisi": 1}
    assert by["occupation"]["PNS"] == 1
    assert by["channel"] == {"Kuesioner kertas": 2, "Daring": 1}


def test_the_trend_lists_earlier_periods_of_the_same_kind(unit, period, period_2024, make_responses):
    make_responses(unit, [[3] * 9], when=dt.datetime(2024, 6, 1, 10, tzinfo=dt.UTC))
    make_responses(unit, [[4] * 9])
    data = dashboard.unit_dashboard(unit, period)
    assert [p.period.slug for p in data.trend] == ["2024", period.slug]
    assert data.trend[0].value == unit_result(unit, period_2024).ikm


def test_an_earlier_period_can_be_chosen(unit, period, period_2024, operator, make_responses):
    make_responses(unit, [[2] * 9], when=dt.datetime(2024, 6, 1, 10, tzinfo=dt.UTC))
    page = signed_in(operator).get(reverse("dashboards:unit", args=[unit.code]) + "?periode=2024")
    assert page.status_code == 200 and "Tahun 2024" in page.content.decode()
    assert page.context["d"].result.respondents == 1


def test_an_unknown_period_is_not_found(unit, period, operator):
    assert signed_in(operator).get(reverse("dashboards:unit", args=[unit.code]) + "?periode=1999").status_code == 404


def test_excluded_responses_do_not_count(unit, period, make_responses):
    make_responses(unit, [[4] * 9])
    make_responses(unit, [[1] * 9], status=Response.Status.EXCLUDED)
    data = dashboard.unit_dashboard(unit, period)
    assert data.result.respondents == 1 and data.excluded == 1


def test_the_operator_enters_the_population_and_it_is_logged(unit, period, operator):
    url = reverse("dashboards:population", args=[unit.code])
    page = signed_in(operator).post(url, {"population": "1000", "periode": period.slug})
    assert page.status_code == 302
    assert UnitPeriod.objects.get(unit=unit, period=period).population == 1000
    event = AuditEvent.objects.get(action="unitperiod.population")
    assert event.before == {"population": None} and event.after == {"population": 1000}
    assert event.unit == unit and event.user == operator


def test_a_bad_population_is_refused_with_an_indonesian_message(unit, period, operator):
    client = signed_in(operator)
    page = client.post(reverse("dashboards:population", args=[unit.code]), {"population": "1.000,5"}, follow=True)
    assert "Tulis angka bulat" in page.content.decode()
    assert not UnitPeriod.objects.exists()


def test_leadership_sees_the_dashboard_without_changing_buttons(unit, period, leader, make_responses):
    make_responses(unit, [[4] * 9])
    text = signed_in(leader).get(reverse("dashboards:unit", args=[unit.code])).content.decode()
    assert reverse("workspace:entry", args=[unit.code]) not in text
    assert reverse("dashboards:population", args=[unit.code]) not in text
    refused = signed_in(leader).post(reverse("dashboards:population", args=[unit.code]), {"population": "5"})
    assert refused.status_code == 403 and not UnitPeriod.objects.exists()


def test_an_operator_with_one_unit_goes_straight_to_its_dashboard(unit, period, operator):
    page = signed_in(operator).get(reverse("dashboards:my_units"))
    assert page.status_code == 302 and page["Location"] == reverse("dashboards:unit", args=[unit.code])


def test_an_operator_with_two_units_chooses_one(unit, other_unit, period, operator):
    operator.units.add(other_unit)
    page = signed_in(operator).get(reverse("dashboards:my_units"))
    assert page.status_code == 200 and other_unit.name in page.content.decode()


def test_the_home_page_sends_each_role_to_its_dashboard(unit, period, operator, admin_user, leader):
    assert signed_in(operator).get("/")["Location"] == reverse("dashboards:my_units")
    assert signed_in(admin_user).get("/")["Location"] == reverse("city_brief")
    assert signed_in(leader).get("/")["Location"] == reverse("city_brief")
    assert Client().get("/").status_code == 200


def test_another_units_operator_gets_404(unit, period, other_operator):
    assert signed_in(other_operator).get(reverse("dashboards:unit", args=[unit.code])).status_code == 404
