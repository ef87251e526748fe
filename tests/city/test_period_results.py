"""period_results: system and imported results merged one way for every city page, report and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.results.models import ImportedResult
from sumberdaya.results.service import IMPORTED, SYSTEM, new_units, period_results, trend, trend_table
from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.scoring import Weight
from sumberdaya.surveys.models import Period, UnitPeriod
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db


def _imported(unit: Unit, period: Period, value: str = "80", ikm: str = "79.92", mutu: str = "B", **fields: Any) -> Any:
    values = {f"u{i}": Decimal(value) for i in range(1, 10)}
    return ImportedResult.objects.create(
        unit=unit,
        period=period,
        ikm=Decimal(ikm),
        mutu=mutu,
        respondents=fields.pop("respondents", 100),
        method=fields.pop("method", "Kertas"),
        **values,
        **fields,
    )


def _when(period: Period, month: int, day: int) -> dt.datetime:
    return dt.datetime(period.start.year, month, day, 10, tzinfo=timezone.get_current_timezone())


def test_without_imports_the_numbers_equal_the_recap(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 3 + [[3] * 9], when=_when(period, 3, 2))
    make_responses(other_unit, [[2, 3, 3, 3, 3, 3, 3, 3, 3]] * 5, when=_when(period, 4, 1))
    for method in Method:
        if method is Method.WEIGHTED:
            continue
        results = period_results(period, Weight.OFFICIAL, method)
        recap = period_results(period, Weight.OFFICIAL, method)
        assert results.city.value == recap.city.value
        assert [(g.name, g.aggregate.value) for g in results.groups] == [
            (g.name, g.aggregate.value) for g in recap.groups
        ]
        assert {r.unit.code: r.ikm for r in results.rows} == {u.unit.code: u.ikm for u in recap.rows}


def test_an_imported_result_fills_a_unit_without_responses_and_is_marked(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4] * 9] * 2, when=_when(period, 5, 1))
    _imported(other_unit, period)
    results = period_results(period, Weight.OFFICIAL, Method.MEAN)
    imported = results.row_for(other_unit.code)
    assert imported is not None
    assert imported.source == IMPORTED and imported.ikm == Fraction("79.92") and imported.letter == "B"
    assert imported.channels == "Kertas" and imported.respondents == 100 and imported.window == period.name
    assert [e.key for e in imported.priorities] == ["u1", "u2", "u3"]  # ties keep questionnaire order
    # Plain mean of the two units' IKM: (99,90 + 79,92) / 2.
    assert results.city.value == (Fraction("99.9") + Fraction("79.92")) / 2
    assert results.city.units == 2


def test_the_system_result_wins_and_the_import_is_noted(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 9], when=_when(period, 5, 1))
    record = _imported(unit, period)
    row = period_results(period).row_for(unit.code)
    assert row is not None
    assert row.source == SYSTEM and row.imported == record and row.respondents == 1


def test_a_confirmed_flagged_import_counts_the_ikm_of_its_elements_and_its_band(other_unit: Any, period: Any) -> None:
    # Elements of 80 give 79,92 (band B); the unit stated 85,00 and "A": kept beside it, flagged.
    _imported(other_unit, period, ikm="85.00", mutu="A", flagged=True, problems=["IKM tidak sesuai"])
    results = period_results(period, Weight.OFFICIAL, Method.MEAN)
    row = results.row_for(other_unit.code)
    assert row is not None and row.ikm == Fraction("79.92") and row.letter == "B"
    assert (row.stated_ikm, row.stated_mutu) == (85, "A")
    assert set(row.flags) == {"ikm_mismatch", "letter_mismatch"}
    assert results.city.value == Fraction("79.92")
    assert dict((letter, n) for letter, _k, n in results.band_counts())["B"] == 1


def test_an_out_of_range_import_still_shows_but_is_left_out_of_a_pooled_mean(other_unit: Any, period: Any) -> None:
    _imported(other_unit, period, value="120", ikm="99.00", mutu="A", flagged=True)
    assert period_results(period, Weight.OFFICIAL, Method.MEAN).city.value == 99
    assert period_results(period, Weight.OFFICIAL, Method.POOLED).city.value is None


def test_the_period_column_shows_the_declared_window_else_first_and_last_response(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[3] * 9], when=_when(period, 6, 1))
    make_responses(unit, [[3] * 9], when=_when(period, 11, 12), channel="paper")
    make_responses(other_unit, [[3] * 9], when=_when(period, 5, 3))
    make_responses(other_unit, [[3] * 9], when=_when(period, 5, 9))
    results = period_results(period)
    row = results.row_for(unit.code)
    assert row is not None
    assert row.window == f"1 Juni – 12 November {period.start.year}"
    assert row.channels == "Daring, Kuesioner kertas"
    other = results.row_for(other_unit.code)
    assert other is not None and other.window == f"3–9 Mei {period.start.year}"
    UnitPeriod.objects.create(
        unit=unit,
        period=period,
        survey_start=dt.date(period.start.year, 5, 1),
        survey_end=dt.date(period.start.year, 10, 31),
    )
    row = period_results(period).row_for(unit.code)
    assert row is not None and row.window == f"1 Mei – 31 Oktober {period.start.year}"


def test_units_without_results_and_inactive_units_with_history(unit: Any, other_unit: Any, period_2024: Any) -> None:
    closed = Unit.objects.create(code="uptd-lama", name="UPTD Lama", kind="uptd", active=False)
    _imported(closed, period_2024)
    results = period_results(period_2024)
    assert {r.unit.code for r in results.with_result} == {"uptd-lama"}
    assert {r.unit.code for r in results.without_result} == {unit.code, other_unit.code}
    assert all(r.source is None for r in results.without_result)
    assert dict((letter, n) for letter, _k, n in results.band_counts()) == {"A": 0, "B": 1, "C": 0, "D": 0}


def test_new_units_are_those_with_no_earlier_result(
    unit: Any, other_unit: Any, period: Any, period_2024: Any, make_responses: Any
) -> None:
    _imported(unit, period_2024)
    make_responses(unit, [[3] * 9], when=_when(period, 2, 2))
    make_responses(other_unit, [[3] * 9], when=_when(period, 2, 2))
    assert [r.unit.code for r in new_units(period_results(period))] == [other_unit.code]


def test_new_units_count_earlier_system_responses_of_whole_months_and_of_the_days_before_the_start(
    unit: Any, other_unit: Any, period: Any, period_2024: Any, make_responses: Any
) -> None:
    year = period.start.year
    later = Period.objects.create(slug=f"{year}-x", name="Mid-month", start=dt.date(year, 6, 15), end=period.end)
    make_responses(unit, [[3] * 9], when=_when(period, 2, 2))  # a whole month before June (kept tallies)
    make_responses(other_unit, [[3] * 9], when=_when(period, 6, 3))  # June, before the 15th (responses)
    third = Unit.objects.create(code="kecamatan-x", name="Kecamatan X", kind="kecamatan", order=1)
    for surveyed in (unit, other_unit, third):
        make_responses(surveyed, [[4] * 9], when=_when(period, 7, 1))
    assert [r.unit.code for r in new_units(period_results(later))] == [third.code]


def test_the_trend_joins_imported_history_and_system_years(
    unit: Any, other_unit: Any, period: Any, period_2024: Any, make_responses: Any
) -> None:
    Period.objects.create(slug=f"{period.start.year}-TW1", name="TW I", start=period.start, end=period.start)
    _imported(unit, period_2024, ikm="79.92")
    _imported(other_unit, period_2024, value="90", ikm="89.91", mutu="A")
    make_responses(unit, [[4] * 9], when=_when(period, 2, 2))
    points = trend(period, Weight.OFFICIAL, Method.MEAN)
    city = [(p.period.slug, p.value) for p in points if p.series == "Kota"]
    slugs = [slug for slug, _ in city]
    assert slugs[0] == "2024" and slugs[-1] == period.slug and f"{period.start.year}-TW1" not in slugs
    assert city[0][1] == (Fraction("79.92") + Fraction("89.91")) / 2
    assert city[-1][1] == Fraction("99.9")
    periods, table = trend_table(points)
    assert table[0][0] == "Kota" and periods[0].slug == "2024"
    assert {name for name, _cells in table} == {"Kota", "Kelurahan", "Puskesmas"}


def test_the_population_weighted_mean_uses_each_units_declared_population(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4] * 9], when=_when(period, 5, 1))  # 99,90
    _imported(other_unit, period)  # 79,92
    UnitPeriod.objects.create(unit=unit, period=period, population=100)
    UnitPeriod.objects.create(unit=other_unit, period=period, population=300)
    results = period_results(period, Weight.OFFICIAL, Method.WEIGHTED)
    assert results.city.value == (Fraction("99.9") * 100 + Fraction("79.92") * 300) / 400
