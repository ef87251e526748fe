"""Indices over several units (SKM.md §3, Aggregation)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sumberdaya.skm import Aggregate, Method, UnitScore, Weight, aggregate, score_answers
from sumberdaya.skm.aggregate import exact_sum

HIGH = score_answers([[4] * 9])  # 99,90
LOW = score_answers([[2] * 9, [3] * 9])  # Σ NRR 22,5 → 22,5 × 2,775 = 62,4375
NO_INDEX = score_answers([[4, 4, 4, 4, 4, 4, 4, 4, None]])  # U9 unanswered


def test_method_labels_are_indonesian() -> None:
    assert [method.label for method in Method] == [
        "Rata-rata IKM unit",
        "Gabungan seluruh responden",
        "Tertimbang jumlah populasi",
    ]


def test_the_default_is_the_plain_mean_of_unit_indices_as_banjarmasin_reports() -> None:
    # (99,9 + 62,4375) / 2 = 81,16875; the unit without an index is left out and not counted.
    result = aggregate([HIGH, LOW, NO_INDEX])
    assert result == Aggregate(Method.MEAN, 2, Fraction("81.16875"))
    assert result.band is not None and result.band.letter == "B"


def test_pooling_weighs_every_respondent_equally() -> None:
    # Σ NRR over 3 respondents = 9 × (4 + 2 + 3) / 3 = 27 → 27 × 2,775 = 74,925.
    result = aggregate([HIGH, LOW], Method.POOLED)
    assert result == Aggregate(Method.POOLED, 2, Fraction("74.925"))


def test_pooling_uses_the_answers_of_a_unit_that_has_no_index_of_its_own() -> None:
    # U9 comes only from HIGH (4); U1..U8 average (4 + 4) / 2 = 4 → still 99,90.
    result = aggregate([HIGH, NO_INDEX], Method.POOLED)
    assert result.units == 2
    assert result.value == Fraction("99.9")


def test_pooling_refuses_units_scored_with_different_weights() -> None:
    exact = score_answers([[4] * 9], Weight.EXACT)
    with pytest.raises(ValueError, match="bobot"):
        aggregate([HIGH, exact], Method.POOLED)


def test_the_weighted_mean_uses_populations_and_skips_units_without_one() -> None:
    # (99,9 × 1 + 62,4375 × 3) / 4 = 287,2125 / 4 = 71,803125
    result = aggregate([HIGH, LOW, NO_INDEX, HIGH], Method.WEIGHTED, populations=[1, 3, 10, None])
    assert result == Aggregate(Method.WEIGHTED, 2, Fraction("71.803125"))


def test_the_weighted_mean_needs_one_population_per_unit() -> None:
    with pytest.raises(ValueError):
        aggregate([HIGH, LOW], Method.WEIGHTED)
    with pytest.raises(ValueError):
        aggregate([HIGH, LOW], Method.WEIGHTED, populations=[1])
    with pytest.raises(ValueError):
        aggregate([HIGH], Method.WEIGHTED, populations=[-1])


def test_the_weighted_mean_of_zero_populations_has_no_value() -> None:
    assert aggregate([HIGH], Method.WEIGHTED, populations=[0]).value is None


@pytest.mark.parametrize("method", list(Method))
def test_an_empty_group_has_no_value_and_covers_no_units(method: Method) -> None:
    scores: list[UnitScore] = []
    result = aggregate(scores, method, populations=[] if method is Method.WEIGHTED else None)
    assert (result.units, result.value, result.band) == (0, None, None)


@given(st.lists(st.fractions(min_value=25, max_value=100, max_denominator=10**12), max_size=40))
def test_the_exact_sum_in_pairs_equals_the_sum_one_by_one(values: list[Fraction]) -> None:
    assert exact_sum(values) == sum(values, Fraction(0))
