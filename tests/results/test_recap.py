"""City recap worked out by hand: units, groups, city mean, both weights, blanks, exclusions, time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sumberdaya.results.service import period_results, unit_result
from sumberdaya.skm import Weight
from sumberdaya.units.models import Unit

WITA = ZoneInfo("Asia/Makassar")
MID_2024 = dt.datetime(2024, 6, 1, 10, 0, tzinfo=WITA)

# Kelurahan Mawar: sums / answers U1 14/4, U2 13/4, U3 11/4, U4 16/4, U5 13/4, U6 14/4, U7 16/4, U8 11/4,
# U9 8/3 (one blank leaves the denominator). Σ NRR = 89/3.
# 0,111: 89/3 × 0,111 × 25 = 82,325 (B).  1/9: 89/3 × 1/9 × 25 = 2225/27 = 82,407… (B).
MAWAR = [
    [4, 3, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 2, 4, 3, 3, 4, 3, None],
    [4, 4, 3, 4, 4, 4, 4, 3, 2],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
]
# Puskesmas Cempaka: two respondents answering 4 everywhere. 0,111: 36 × 0,111 × 25 = 99,9.  1/9: 100.
CEMPAKA = [[4] * 9, [4] * 9]


@pytest.fixture
def recap_data(unit: Any, other_unit: Any, period_2024: Any, make_responses: Callable[..., Any]) -> dict[str, Any]:
    make_responses(unit, MAWAR, when=MID_2024)
    make_responses(other_unit, CEMPAKA, when=MID_2024)
    # Not counted: an excluded questionnaire, and answers from outside the period.
    make_responses(unit, [[1] * 9], when=MID_2024, status="excluded", excluded_reason="Diisi petugas")
    make_responses(unit, [[1] * 9], when=dt.datetime(2023, 12, 31, 23, 59, tzinfo=WITA))
    silent = Unit.objects.create(code="kelurahan-melati", name="Kelurahan Melati", kind="kelurahan", order=60)
    return {"unit": unit, "other": other_unit, "period": period_2024, "silent": silent}


@pytest.mark.django_db
def test_each_unit_scores_as_worked_out_by_hand_with_the_official_weight(recap_data: dict[str, Any]) -> None:
    data = period_results(recap_data["period"], weight=Weight.OFFICIAL).as_dict()
    assert data["weight"] == "0.111"
    units = {u["code"]: u for u in data["units"]}
    mawar = units["kelurahan-mawar"]
    assert mawar["respondents"] == 4  # the excluded and the 2023 questionnaire are not counted
    assert [mawar[f"u{i}"] for i in range(1, 10)] == [
        87.5,
        81.25,
        68.75,
        100.0,
        81.25,
        87.5,
        100.0,
        68.75,
        float(Fraction(200, 3)),
    ]
    assert mawar["ikm"] == pytest.approx(82.325, abs=1e-12)
    assert (mawar["mutu"], mawar["kinerja"], mawar["group"]) == ("B", "Baik", "Kelurahan")
    cempaka = units["puskesmas-cempaka"]
    assert cempaka["ikm"] == pytest.approx(99.9, abs=1e-12)
    assert (cempaka["mutu"], cempaka["kinerja"], cempaka["group"]) == ("A", "Sangat Baik", "Puskesmas")


@pytest.mark.django_db
def test_the_exact_weight_gives_82_41_and_100(recap_data: dict[str, Any]) -> None:
    data = period_results(recap_data["period"], weight=Weight.EXACT).as_dict()
    assert data["weight"] == "exact"
    units = {u["code"]: u for u in data["units"]}
    assert units["kelurahan-mawar"]["ikm"] == float(Fraction(2225, 27))
    assert units["puskesmas-cempaka"]["ikm"] == 100.0
    # The city: the plain mean of the unit indices, (2225/27 + 100) / 2 = 4925/54 = 91,2037…
    assert data["city"] == {"units": 2, "mean_ikm": float(Fraction(4925, 54))}


@pytest.mark.django_db
def test_groups_and_the_city_average_the_units_that_have_an_index(recap_data: dict[str, Any]) -> None:
    data = period_results(recap_data["period"], weight=Weight.OFFICIAL).as_dict()
    groups = {g["name"]: g for g in data["groups"]}
    # Kelurahan Melati has no responses: listed, but not part of its group's mean.
    assert groups["Kelurahan"] == {"name": "Kelurahan", "units": 1, "mean_ikm": pytest.approx(82.325)}
    assert groups["Puskesmas"] == {"name": "Puskesmas", "units": 1, "mean_ikm": pytest.approx(99.9)}
    assert data["city"]["units"] == 2
    assert data["city"]["mean_ikm"] == pytest.approx((82.325 + 99.9) / 2)  # 91,1125


@pytest.mark.django_db
def test_a_unit_without_responses_is_listed_with_zero_respondents_and_no_scores(recap_data: dict[str, Any]) -> None:
    data = period_results(recap_data["period"]).as_dict()
    silent = next(u for u in data["units"] if u["code"] == "kelurahan-melati")
    assert silent["respondents"] == 0
    assert all(silent[key] is None for key in ("u1", "u9", "ikm", "mutu", "kinerja"))


@pytest.mark.django_db
def test_the_unit_recap_agrees_with_the_city_recap(recap_data: dict[str, Any]) -> None:
    score = unit_result(recap_data["unit"], recap_data["period"], Weight.OFFICIAL)
    assert score.respondents == 4
    assert score.ikm == Fraction("82.325")
    assert score.figures is not None and score.figures.element("pengaduan").count == 3


@pytest.mark.django_db
def test_an_answer_at_23_30_local_on_31_december_belongs_to_that_year(
    unit: Any, period_2024: Any, make_responses: Callable[..., Any]
) -> None:
    # 23:30 WITA on 31 Dec 2024 is 15:30 UTC the same day; 00:30 WITA on 1 Jan 2025 is still 31 Dec in UTC
    # but belongs to 2025.
    make_responses(unit, [[4] * 9], when=dt.datetime(2024, 12, 31, 23, 30, tzinfo=WITA))
    make_responses(unit, [[1] * 9], when=dt.datetime(2025, 1, 1, 0, 30, tzinfo=WITA))
    make_responses(unit, [[1] * 9], when=dt.datetime(2023, 12, 31, 23, 30, tzinfo=WITA))
    score = unit_result(unit, period_2024, Weight.EXACT)
    assert score.respondents == 1
    assert score.ikm == 100
