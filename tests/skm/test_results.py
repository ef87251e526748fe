"""A result's figures: stated results checked, the counted IKM chosen, pooling over respondents."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sumberdaya.skm.results import (
    ELEMENT_OUT_OF_RANGE,
    IKM_MISMATCH,
    LETTER_INVALID,
    LETTER_MISMATCH,
    NO_RESPONDENTS,
    figures_from_json,
    figures_of,
    figures_to_json,
    ikm_of_elements,
    pool,
    stated_result,
)
from sumberdaya.skm.scoring import Weight, band_for, score_answers

EIGHTIES = [Decimal(80)] * 9


def test_a_consistent_stated_result_has_no_flags_and_counts_its_own_ikm() -> None:
    result = stated_result(EIGHTIES, Decimal("79.92"), "B", 120, Weight.OFFICIAL)
    assert result.flags == ()
    assert result.figures.ikm == Fraction("79.92") and result.figures.letter == "B"
    assert result.figures.respondents == 120


def test_a_stated_ikm_that_does_not_follow_from_the_elements_is_replaced_and_flagged() -> None:
    # UPTD TPA Sampah Basirih in the city's 2024 report: stated 86,84 with elements that give less.
    result = stated_result(EIGHTIES, Decimal("86.84"), "B", 200, Weight.OFFICIAL)
    assert result.figures.ikm == Fraction("79.92") and result.stated_ikm == Fraction("86.84")
    assert result.flags == (IKM_MISMATCH,)


def test_the_letter_is_always_the_band_of_the_counted_ikm_whatever_was_sent() -> None:
    result = stated_result(EIGHTIES, Decimal("79.92"), "A", 120, Weight.OFFICIAL)
    assert result.figures.letter == "B" and result.stated_mutu == "A"
    assert result.flags == (LETTER_MISMATCH,)
    assert stated_result(EIGHTIES, Decimal("79.92"), "X", 120, Weight.OFFICIAL).flags == (LETTER_INVALID,)


def test_out_of_range_elements_count_the_stated_ikm_and_cannot_be_pooled() -> None:
    values = [*EIGHTIES[:8], Decimal(120)]
    result = stated_result(values, Decimal("84.36"), "B", 100, Weight.OFFICIAL)
    assert result.flags == (ELEMENT_OUT_OF_RANGE,)
    assert result.figures.ikm == Fraction("84.36") and all(e.score is None for e in result.figures.elements)
    assert pool([result.figures], Weight.OFFICIAL) is None


def test_no_respondents_is_a_flag() -> None:
    assert NO_RESPONDENTS in stated_result(EIGHTIES, Decimal("79.92"), "B", 0, Weight.OFFICIAL).flags


def test_quarters_roll_up_over_respondents_not_as_a_mean_of_means() -> None:
    q1 = stated_result(EIGHTIES, Decimal("79.92"), "B", 100, Weight.OFFICIAL).figures
    q2 = stated_result([Decimal(90)] * 9, Decimal("89.91"), "A", 300, Weight.OFFICIAL).figures
    year = pool([q1, q2], Weight.OFFICIAL)
    assert year is not None and year.respondents == 400
    assert year.elements[0].score == Fraction("87.5")  # (80 × 100 + 90 × 300) / 400
    assert year.ikm == Fraction("87.4125") != (q1.ikm + q2.ikm) / 2  # type: ignore[operator]


def test_pooling_answers_equals_scoring_them_together() -> None:
    a = [[4, 3, 3, 4, 3, 4, 4, 3, 2], [3] * 9]
    b = [[2, 3, 3, 3, None, 3, 3, 3, 3]]
    pooled = pool([figures_of(score_answers(a)), figures_of(score_answers(b))], Weight.OFFICIAL)
    assert pooled is not None and pooled.ikm == score_answers(a + b).ikm


@given(st.lists(st.integers(25, 100), min_size=9, max_size=9), st.integers(1, 5000))
def test_a_consistent_stated_result_keeps_its_elements_and_band(values: list[int], n: int) -> None:
    ikm = ikm_of_elements([Decimal(v) for v in values], Weight.OFFICIAL)
    stated = Decimal(str(round(float(ikm), 2)))
    result = stated_result([Decimal(v) for v in values], stated, band_for(ikm).letter, n, Weight.OFFICIAL)
    assert result.figures.ikm == ikm and result.figures.letter == band_for(ikm).letter
    assert pool([result.figures], Weight.OFFICIAL) == result.figures


def test_figures_survive_a_json_round_trip_exactly() -> None:
    figures = figures_of(score_answers([[4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 3, 3, 3, 3, 3, 3, 3, None]]))
    assert figures_from_json(figures_to_json(figures)) == figures
