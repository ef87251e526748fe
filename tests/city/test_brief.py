"""Leadership's brief at /dasbor/kota/: the city IKM and its trend, categories, groups, the best, worst and
most improved units and the late ones, every number from the results service; monitoring read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.city.brief import leadership_brief
from sumberdaya.results.service import period_results
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def year(unit: Any, other_unit: Any, make_responses: Any) -> Period:
    """Last year (deadlines passed) with seven units, and the year before for the improvement."""
    last = timezone.localdate().year - 1
    period = Period.objects.create(
        slug=str(last), name=f"Tahun {last}", start=dt.date(last, 1, 1), end=dt.date(last, 12, 31),
        input_deadline=dt.date(last + 1, 1, 14), report_deadline=dt.date(last + 1, 1, 30),
    )
    before = Period.objects.create(
        slug=str(last - 1), name=f"Tahun {last - 1}", start=dt.date(last - 1, 1, 1), end=dt.date(last - 1, 12, 31)
    )
    now = timezone.make_aware(dt.datetime(last, 6, 1, 10))
    earlier = timezone.make_aware(dt.datetime(last - 1, 6, 1, 10))
    units = [unit, other_unit] + [
        Unit.objects.create(code=f"kelurahan-uji-{i}", name=f"Kelurahan Uji {i}", kind="kelurahan", order=100 + i)
        for i in range(5)
    ]
    answers = [[4] * 9, [3] * 9, [2] * 9, [4, 4, 4, 3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 2, 2, 2, 2, 2], [4] * 9, [1] * 9]
    for u, row in zip(units, answers, strict=True):
        make_responses(u, [row] * 4, when=now)
        make_responses(u, [[3] * 9] * 4, when=earlier)
    assert before.pk
    return period


def test_the_brief_carries_the_results_services_numbers(year: Period) -> None:
    brief = leadership_brief(year)
    results = period_results(year)
    assert brief.results.city.value == results.city.value
    assert brief.bands == results.band_counts()
    assert [r.row.unit.code for r in brief.best][:2] == sorted(
        [r.unit.code for r in results.with_result if r.ikm == max(x.ikm for x in results.with_result)]
    )
    assert brief.worst[0].row.ikm == min(r.ikm for r in results.with_result)
    assert len(brief.best) == len(brief.worst) == 5
    # Improved: only units that rose, largest rise first; everyone answered 3s the year before.
    assert [r.change for r in brief.improved] == sorted([r.change for r in brief.improved], reverse=True)
    assert all(r.change > 0 for r in brief.improved) and len(brief.improved) == 3
    assert brief.previous_city is not None and brief.city_change == results.city.value - brief.previous_city


def test_units_without_a_report_after_the_deadline_are_late(year: Period, unit: Any, admin_user: Any) -> None:
    from sumberdaya.reports.submission import report_for, submit

    submit(report_for(unit, year), admin_user)
    late = {entry.row.unit.code: entry.reasons for entry in leadership_brief(year).late}
    assert unit.code not in late and len(late) == 6
    assert all("laporan belum dikirim" in reasons for reasons in late.values())


def test_nobody_is_late_before_the_deadlines(unit: Any, period: Any, make_responses: Any) -> None:
    period.input_deadline = period.end + dt.timedelta(days=14)
    period.report_deadline = period.end + dt.timedelta(days=30)
    period.save()
    make_responses(unit, [[4] * 9] * 3)
    assert leadership_brief(period).late == []


def test_leadership_reads_the_brief_charts_first_with_the_full_table_behind_a_link(
    year: Period, leader: Any
) -> None:
    page = signed_in(leader).get(reverse("city_brief") + f"?periode={year.slug}")
    html = page.content.decode()
    assert page.status_code == 200
    city = period_results(year).city.value
    assert format_number(city) in html
    assert html.count("<svg") >= 3  # trend, categories, groups
    assert html.index("<svg") < html.index('data-testid="best"')
    assert reverse("dashboards:city") + f"?periode={year.slug}" in html
    assert 'data-testid="late-count">7<' in html
    assert "Kenaikan terbesar" in html and "Lima terendah" in html


def test_the_full_table_is_one_link_away_and_still_there(year: Period, leader: Any) -> None:
    page = signed_in(leader).get(reverse("dashboards:city") + f"?periode={year.slug}")
    assert page.status_code == 200 and len(page.context["rows"]) == 7


def test_leadership_sees_monitoring_read_only_and_operators_see_neither(
    year: Period, leader: Any, operator: Any
) -> None:
    page = signed_in(leader).get(reverse("city:monitoring") + f"?periode={year.slug}")
    assert page.status_code == 200 and "Kelurahan Uji 0" in page.content.decode()
    assert page.context["can_change"] is False
    menu = signed_in(leader).get(reverse("city_brief")).content.decode()
    assert reverse("city:monitoring") in menu
    assert signed_in(operator).get(reverse("city_brief")).status_code == 403
    assert signed_in(operator).get(reverse("city:monitoring")).status_code == 403



def test_a_slow_brief_is_reused_for_a_minute_and_a_fast_one_never(
    year: Period, unit: Any, make_responses: Any, monkeypatch: Any
) -> None:
    from sumberdaya.city import brief

    monkeypatch.setattr(brief, "SLOW_SECONDS", 10**6)  # counting is fast here
    first = brief.leadership_brief(year)
    make_responses(unit, [[1] * 9] * 40, when=timezone.make_aware(dt.datetime(year.start.year, 7, 1, 10)))
    assert brief.leadership_brief(year).results.city.value != first.results.city.value  # fast: live
    monkeypatch.setattr(brief, "SLOW_SECONDS", -1)  # now every count is slow
    counted = brief.leadership_brief(year)
    make_responses(unit, [[4] * 9] * 40, when=timezone.make_aware(dt.datetime(year.start.year, 7, 2, 10)))
    assert brief.leadership_brief(year).results.city.value == counted.results.city.value  # reused
