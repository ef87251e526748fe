"""Building unit scores, guarding their inputs, ranking elements and the confidence interval."""

import math
from fractions import Fraction

import pytest

from sumberdaya.skm import (
    ELEMENT_CODES,
    ELEMENTS,
    ElementScore,
    UnitScore,
    Weight,
    mean_confidence_interval,
    score_answers,
    score_unit,
)


def test_missing_codes_count_as_no_answers() -> None:
    unit = score_unit({"persyaratan": 7}, {"persyaratan": 2}, respondents=2)
    assert unit.element("persyaratan").nrr == Fraction(7, 2)
    assert all(score.count == 0 for score in unit.elements[1:])
    assert unit.ikm is None
    assert unit.weight is Weight.OFFICIAL


def test_an_unknown_element_code_is_rejected_rather_than_ignored() -> None:
    with pytest.raises(ValueError, match="u1"):
        score_unit({"u1": 8}, {"u1": 2}, respondents=2)


def test_a_total_that_cannot_come_from_answers_1_to_4_is_rejected() -> None:
    with pytest.raises(ValueError):
        ElementScore(ELEMENTS[0], total=9, count=2)
    with pytest.raises(ValueError):
        ElementScore(ELEMENTS[0], total=1, count=2)
    with pytest.raises(ValueError):
        ElementScore(ELEMENTS[0], total=3, count=0)


def test_an_element_cannot_have_more_answers_than_respondents() -> None:
    with pytest.raises(ValueError, match="responden"):
        score_unit({"waktu": 12}, {"waktu": 3}, respondents=2)


def test_a_unit_score_must_hold_all_nine_elements_in_order() -> None:
    scores = tuple(ElementScore(element, 0, 0) for element in ELEMENTS)
    with pytest.raises(ValueError):
        UnitScore(respondents=0, elements=scores[::-1], weight=Weight.OFFICIAL)
    with pytest.raises(ValueError):
        UnitScore(respondents=0, elements=scores[:8], weight=Weight.OFFICIAL)


def test_a_unit_without_respondents_has_no_index_and_no_priorities() -> None:
    unit = score_unit({}, {}, respondents=0)
    assert unit.ikm is None and unit.band is None
    assert unit.priorities() == [] and unit.strengths() == []


def test_element_lookup_by_unknown_code_raises_key_error() -> None:
    with pytest.raises(KeyError):
        score_unit({}, {}, 0).element("u1")


@pytest.mark.parametrize(
    "row",
    [[4] * 8, [4] * 10, [4, 4, 4, 4, 0, 4, 4, 4, 4], [4, 4, 4, 4, 5, 4, 4, 4, 4], [True] + [4] * 8],
)
def test_score_answers_rejects_rows_of_the_wrong_length_or_values_outside_1_to_4(row: list[int]) -> None:
    with pytest.raises(ValueError):
        score_answers([[4] * 9, row])


def test_score_answers_counts_a_completely_blank_questionnaire_as_a_respondent() -> None:
    unit = score_answers([[4] * 9, [None] * 9])
    assert unit.respondents == 2
    assert unit.ikm == Fraction("99.9")


def test_priorities_and_strengths_take_the_requested_number() -> None:
    unit = score_unit(
        dict(zip(ELEMENT_CODES, range(11, 20), strict=True)), dict.fromkeys(ELEMENT_CODES, 5), respondents=5
    )
    assert [score.element.u for score in unit.priorities(2)] == [1, 2]
    assert [score.element.u for score in unit.strengths(4)] == [9, 8, 7, 6]
    assert len(unit.priorities(20)) == 9
    with pytest.raises(ValueError):
        unit.priorities(-1)


def test_the_confidence_interval_of_80_90_100_is_90_plus_minus_11_32() -> None:
    # mean 90; s² = (24500 − 270²/3) / 2 = 100; half-width = 1,96 × 10 / √3 = 11,3161…
    interval = mean_confidence_interval(3, 270, 24500)
    assert interval is not None
    low, high = interval
    assert math.isclose(low, 90 - 19.6 / math.sqrt(3))
    assert math.isclose(high, 90 + 19.6 / math.sqrt(3))


def test_the_confidence_interval_accepts_fractions_and_a_custom_z() -> None:
    interval = mean_confidence_interval(4, Fraction(10), Fraction(30), z=1.0)
    # values 1,2,3,4: mean 2,5; s² = (30 − 25) / 3 = 5/3; half-width = √(5/12)
    assert interval is not None
    assert math.isclose(interval[1] - 2.5, math.sqrt(5 / 12))


def test_the_confidence_interval_of_identical_values_has_no_width() -> None:
    assert mean_confidence_interval(3, 0.3, 0.03) == pytest.approx((0.1, 0.1))


def test_the_confidence_interval_needs_two_values() -> None:
    assert mean_confidence_interval(1, 88, 88 * 88) is None
    assert mean_confidence_interval(0, 0, 0) is None
