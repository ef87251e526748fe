"""Per-unit and city indices from stored responses: scale per period, steered answers, recap, report."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from sumberdaya.perception.models import PerceptionSetting
from sumberdaya.perception.recap import (
    perception_recap,
    perception_results,
    unit_perception,
    unit_perception_section,
)
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db

SPKP_ROWS = [[4, 4, 3, 3, 4, 4, 3, 4], [3, 3, 3, 2, 4, 3, 3, 3], [4, 3, 2, 3, 4, 4, 4, 3]]
SPAK_ROWS_6 = [[6, 6, 5, 6, 6], [5, 6, 6, 6, 5], [6, 5, 6, 6, 6], [4, 5, 5, 6, 6]]


def test_hand_checked_spkp_index_of_a_unit_on_the_default_scale(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")
    make_responses(unit, [[1] * 9], instrument="skm")  # SKM rows never enter a perception index
    result = unit_perception(unit, period, "spkp")
    assert result.score.scale == 4
    assert result.respondents == 3
    assert result.score.mean == Fraction(10, 3)
    assert result.score.index == Fraction(250, 3)


def test_hand_checked_spak_index_on_the_1_to_6_scale_chosen_for_the_period(
    unit: Any, period: Any, make_responses: Any
) -> None:
    PerceptionSetting.objects.create(period=period, spak_scale=6)
    make_responses(unit, SPAK_ROWS_6, instrument="spak", scale=6, control=False)
    result = unit_perception(unit, period, "spak")
    assert result.score.mean == Fraction(28, 5)
    assert result.score.index == Fraction(280, 3)
    assert result.steered_percent == 0


def test_steered_responses_are_shown_and_left_out_of_the_index_by_default(
    unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4] * 5, [4] * 5, [4] * 5], instrument="spak", control=False)
    make_responses(unit, [[1] * 5], instrument="spak", control=True)
    result = unit_perception(unit, period, "spak")
    assert result.steered == 1 and result.controlled == 4
    assert result.steered_percent == 25
    assert result.respondents == 3 and result.score.index == 100


def test_the_city_can_count_steered_responses_in_the_index(unit: Any, period: Any, make_responses: Any) -> None:
    PerceptionSetting.objects.create(period=period, exclude_steered=False)
    make_responses(unit, [[4] * 5, [4] * 5, [4] * 5], instrument="spak", control=False)
    make_responses(unit, [[1] * 5], instrument="spak", control=True)
    result = unit_perception(unit, period, "spak")
    assert result.respondents == 4
    assert result.score.mean == Fraction(13, 4)


def test_responses_on_another_scale_are_counted_apart_not_mixed(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")
    make_responses(unit, [[6] * 8], instrument="spkp", scale=6)
    result = unit_perception(unit, period, "spkp")
    assert result.respondents == 3 and result.other_scale == 1
    assert result.score.mean == Fraction(10, 3)


def test_excluded_responses_and_other_periods_do_not_count(
    unit: Any, period: Any, period_2024: Any, make_responses: Any
) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")
    make_responses(unit, [[1] * 8], instrument="spkp", status=Response.Status.EXCLUDED)
    make_responses(unit, [[1] * 8], instrument="spkp", when=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    assert unit_perception(unit, period, "spkp").respondents == 3
    assert unit_perception(unit, period_2024, "spkp").respondents == 1


def test_the_recap_lists_every_unit_and_the_city_mean_of_unit_indices(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")  # 83,33
    make_responses(other_unit, [[2] * 8], instrument="spkp")  # 50
    recap = perception_recap(period, "spkp")
    assert recap["instrument"] == "spkp" and recap["scale"] == 4
    assert "÷ skala × 100" in recap["formula"]
    by_code = {u["code"]: u for u in recap["units"]}
    assert by_code["kelurahan-mawar"]["respondents"] == 3
    assert by_code["kelurahan-mawar"]["p1"] == pytest.approx(11 / 3)
    assert by_code["kelurahan-mawar"]["index_0_100"] == pytest.approx(250 / 3)
    assert by_code["kelurahan-mawar"]["below_minimum"] is True
    assert by_code["kelurahan-mawar"]["steered_share"] is None
    assert recap["city"]["units"] == 2
    assert recap["city"]["index_0_100"] == pytest.approx((250 / 3 + 50) / 2)


def test_the_spak_recap_carries_the_steered_share(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 5], instrument="spak", control=True)
    make_responses(unit, [[3] * 5], instrument="spak", control=False)
    recap = perception_recap(period, "spak")
    assert recap["exclude_steered"] is True
    assert recap["units"][0]["steered_share"] == 50.0
    assert recap["units"][0]["respondents"] == 1
    assert recap["city"]["steered_share"] == 50.0


def test_the_recap_refuses_an_unknown_instrument(period: Any) -> None:
    with pytest.raises(ValueError, match="spkp atau spak"):
        perception_recap(period, "skm")


def test_a_unit_without_responses_has_no_report_section(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 9])
    assert unit_perception_section(unit, period) is None


def test_the_report_section_has_both_instruments(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")
    section = unit_perception_section(unit, period)
    assert section is not None
    spkp, spak = section["instruments"]
    assert spkp["index_0_100"] == pytest.approx(250 / 3) and spkp["items"][0]["mean"] == pytest.approx(11 / 3)
    assert spak["respondents"] == 0 and spak["index_0_100"] is None


def test_one_query_per_instrument_tallies_every_unit(
    unit: Any, other_unit: Any, period: Any, make_responses: Any, django_assert_max_num_queries: Any
) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")
    units = [unit, other_unit]
    with django_assert_max_num_queries(3):
        results = perception_results(period, "spkp", units=units)
    assert [r.respondents for r in results] == [3, 0]


def test_the_recap_flattens_to_csv_rows_for_the_recap_command(unit: Any, period: Any, make_responses: Any) -> None:
    from sumberdaya.perception.recap import perception_csv_columns, perception_recap_rows

    make_responses(unit, [[4] * 5], instrument="spak", control=False)
    rows = perception_recap_rows(perception_recap(period, "spak"))
    assert [r["level"] for r in rows] == ["unit", "city"]
    assert rows[0]["p5"] == 4.0 and rows[0]["instrument"] == "spak" and rows[-1]["index_0_100"] == 100.0
    assert set(rows[0]) <= set(perception_csv_columns("spak"))
