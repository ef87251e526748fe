"""The pure ZI perception core: statements, scales, and hand-checked indices on both scales."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sumberdaya.skm.instruments import (
    INSTRUMENTS,
    SCALE_LABELS,
    SPAK,
    SPKP,
    percent,
    perception_index,
    score_perception_answers,
    to_0_100,
)


def test_spkp_has_eight_statements_and_spak_five_with_a_control_question() -> None:
    assert len(SPKP.items) == 8 and SPKP.control_question is None
    assert len(SPAK.items) == 5 and SPAK.control_question and "mengarahkan" in SPAK.control_question
    assert [i.column for i in SPAK.items] == ["a1", "a2", "a3", "a4", "a5"]
    assert set(INSTRUMENTS) == {"spkp", "spak"}


def test_spak_statements_cover_the_five_corruption_topics() -> None:
    text = " ".join(i.statement.lower() for i in SPAK.items)
    for word in ("membeda-bedakan", "prosedur", "imbalan", "pungli", "calo"):
        assert word in text


def test_scale_labels_run_from_disagree_to_strongly_agree() -> None:
    assert len(SCALE_LABELS[4]) == 4 and len(SCALE_LABELS[6]) == 6
    assert SCALE_LABELS[6][0] == "Sangat tidak setuju" and SCALE_LABELS[6][-1] == "Sangat setuju"


def test_hand_checked_spkp_on_the_1_to_4_scale() -> None:
    # Item totals 11,10,8,8,12,11,10,10 over 3 respondents: item means sum to 80/3, their mean is
    # 80/24 = 3,3333; converted 3,3333 / 4 × 100 = 83,33.
    rows = [[4, 4, 3, 3, 4, 4, 3, 4], [3, 3, 3, 2, 4, 3, 3, 3], [4, 3, 2, 3, 4, 4, 4, 3]]
    score = score_perception_answers(SPKP, rows, 4)
    assert score.respondents == 3
    assert score.item("informasi").mean == Fraction(11, 3)
    assert score.item("biaya").mean == 4
    assert score.mean == Fraction(10, 3)
    assert score.index == Fraction(250, 3)  # 83,33
    assert score.item("biaya").index == 100
    assert score.below_minimum


def test_hand_checked_spak_on_the_1_to_6_scale() -> None:
    # Item totals 21,22,22,24,23 over 4 respondents: means 5,25 5,5 5,5 6 5,75; mean 5,6; 5,6/6×100 = 93,33.
    rows = [[6, 6, 5, 6, 6], [5, 6, 6, 6, 5], [6, 5, 6, 6, 6], [4, 5, 5, 6, 6]]
    score = score_perception_answers(SPAK, rows, 6)
    assert [s.mean for s in score.items] == [
        Fraction(21, 4),
        Fraction(11, 2),
        Fraction(11, 2),
        6,
        Fraction(23, 4),
    ]
    assert score.mean == Fraction(28, 5)
    assert score.index == Fraction(280, 3)  # 93,33


def test_the_lowest_answer_everywhere_gives_one_scale_step_not_zero() -> None:
    assert score_perception_answers(SPAK, [[1] * 5], 4).index == 25
    assert score_perception_answers(SPAK, [[1] * 5], 6).index == Fraction(50, 3)
    assert score_perception_answers(SPAK, [[6] * 5], 6).index == 100


def test_a_blank_leaves_the_item_denominator_and_the_index_is_the_mean_of_item_means() -> None:
    score = score_perception_answers(SPAK, [[4, 4, 4, 4, 4], [2, None, 2, 2, 2]], 4)
    assert score.item("prosedur").count == 1 and score.item("prosedur").mean == 4
    assert score.mean == Fraction(3 + 4 + 3 + 3 + 3, 5)


def test_an_item_nobody_answered_gives_no_index() -> None:
    score = perception_index(SPKP, {"informasi": 4}, {"informasi": 1}, 1, 4)
    assert score.mean is None and score.index is None


def test_no_respondents_gives_no_index_and_is_below_the_minimum() -> None:
    score = perception_index(SPKP, {}, {}, 0, 6)
    assert score.index is None and score.below_minimum


def test_thirty_respondents_meet_the_minimum() -> None:
    assert not score_perception_answers(SPAK, [[3] * 5] * 30, 4).below_minimum


def test_it_refuses_an_answer_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="1–4"):
        score_perception_answers(SPAK, [[5, 4, 4, 4, 4]], 4)


def test_it_refuses_an_unknown_scale() -> None:
    with pytest.raises(ValueError, match="4 atau 6"):
        score_perception_answers(SPAK, [[3] * 5], 5)


def test_it_refuses_totals_that_cannot_come_from_the_scale() -> None:
    with pytest.raises(ValueError):
        perception_index(SPAK, {"pungli": 30}, {"pungli": 5}, 5, 4)


def test_percent_of_yes_answers() -> None:
    assert percent(1, 4) == 25
    assert percent(0, 0) is None
    assert to_0_100(None, 4) is None
