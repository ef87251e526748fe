"""Properties that must hold for any set of answers."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sumberdaya.skm import (
    BANDS,
    ElementScore,
    Method,
    Weight,
    aggregate,
    band_for,
    krejcie_morgan,
    score_answers,
)

Row = list[int | None]

answers = st.sampled_from([None, 1, 2, 3, 4])
rows = st.lists(st.lists(answers, min_size=9, max_size=9), min_size=1, max_size=25)
full_row = st.lists(st.integers(1, 4), min_size=9, max_size=9)
weights = st.sampled_from(list(Weight))


def _values(scores: list[ElementScore]) -> list[Fraction]:
    return [value for score in scores if (value := score.score) is not None]


@given(st.integers(1, 200))
def test_all_fours_give_99_90_with_the_official_weight_and_100_with_the_exact_one(n: int) -> None:
    assert score_answers([[4] * 9] * n).ikm == Fraction("99.9")
    assert score_answers([[4] * 9] * n, Weight.EXACT).ikm == 100


@given(st.integers(1, 200))
def test_all_ones_give_24_975_with_the_official_weight_and_25_with_the_exact_one(n: int) -> None:
    assert score_answers([[1] * 9] * n).ikm == Fraction("24.975")
    assert score_answers([[1] * 9] * n, Weight.EXACT).ikm == 25


@given(rows, st.lists(answers, min_size=9, max_size=9))
def test_adding_any_valid_response_keeps_every_nrr_between_1_and_4(before: list[Row], extra: Row) -> None:
    for unit in (score_answers(before), score_answers([*before, extra])):
        assert all(1 <= value <= 4 for score in unit.elements if (value := score.nrr) is not None)


@given(full_row, rows, weights)
def test_the_index_always_lies_between_24_975_and_100(first: Row, more: list[Row], weight: Weight) -> None:
    ikm = score_answers([first, *more], weight).ikm
    assert ikm is not None
    assert Fraction("24.975") <= ikm <= 100
    assert ikm <= (Fraction("99.9") if weight is Weight.OFFICIAL else 100)


@given(rows, st.lists(st.booleans(), min_size=9, max_size=9))
def test_a_blank_is_excluded_from_its_element_never_scored_zero(before: list[Row], blank: list[bool]) -> None:
    # The new respondent answers 4 where not blank; a blanked element keeps exactly its NRR.
    extra: Row = [None if is_blank else 4 for is_blank in blank]
    old, new = score_answers(before), score_answers([*before, extra])
    assert new.respondents == old.respondents + 1
    for is_blank, old_score, new_score in zip(blank, old.elements, new.elements, strict=True):
        if is_blank:
            assert new_score == old_score
        else:
            # an answered 4 can only raise the element (or give it its first answer)
            assert new_score.nrr is not None
            assert old_score.nrr is None or new_score.nrr >= old_score.nrr


@given(rows)
def test_each_nrr_is_the_mean_of_the_non_blank_answers(data: list[Row]) -> None:
    unit = score_answers(data)
    for index, score in enumerate(unit.elements):
        answered = [answer for row in data if (answer := row[index]) is not None]
        assert score.nrr == (Fraction(sum(answered), len(answered)) if answered else None)


@given(rows)
def test_priorities_are_sorted_ascending_and_ties_keep_questionnaire_order(data: list[Row]) -> None:
    unit = score_answers(data)
    ranked = unit.priorities(9)
    assert len(ranked) == sum(score.count > 0 for score in unit.elements)
    keys = [(value, score.element.u) for value, score in zip(_values(ranked), ranked, strict=True)]
    assert keys == sorted(keys)
    assert unit.priorities() == ranked[:3]


@given(rows)
def test_strengths_are_sorted_descending_and_ties_keep_questionnaire_order(data: list[Row]) -> None:
    unit = score_answers(data)
    ranked = unit.strengths(9)
    values = _values(ranked)
    assert values == sorted(values, reverse=True)
    for a, b in zip(ranked, ranked[1:], strict=False):
        assert a.score != b.score or a.element.u < b.element.u


@given(st.decimals(0, 100, places=4), st.decimals(0, 100, places=4))
def test_band_for_is_monotonic(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert BANDS.index(band_for(low)) >= BANDS.index(band_for(high))


@given(st.fractions(0, 100), st.fractions(0, 100))
def test_band_for_is_monotonic_on_exact_fractions(a: Fraction, b: Fraction) -> None:
    low, high = sorted((a, b))
    assert BANDS.index(band_for(low)) >= BANDS.index(band_for(high))


@given(full_row, rows, weights, st.integers(1, 5))
def test_the_mean_of_identical_units_equals_that_unit(
    first: Row, more: list[Row], weight: Weight, k: int
) -> None:
    unit = score_answers([first, *more], weight)
    result = aggregate([unit] * k)
    assert (result.units, result.value) == (k, unit.ikm)


@given(rows, weights)
def test_pooling_one_unit_gives_its_own_index(data: list[Row], weight: Weight) -> None:
    unit = score_answers(data, weight)
    assert aggregate([unit], Method.POOLED).value == unit.ikm
    assert aggregate([unit, unit], Method.POOLED).value == unit.ikm


@given(st.integers(1, 2_000_000))
def test_krejcie_morgan_never_decreases_and_never_exceeds_the_population(n: int) -> None:
    assert krejcie_morgan(n) <= krejcie_morgan(n + 1)
    assert krejcie_morgan(n) <= n
