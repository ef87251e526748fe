"""The interval of an imported result (element values and n, no respondent's answers): a worst case that never
understates the spread, inside the scale, narrower with n, not shown below the minimum, covering at least 95 %."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sumberdaya.skm.interval import (
    MIN_RESPONDENTS,
    REASON_FEW,
    bounded_interval,
    bounded_sd,
    combined_interval,
    respondent_units,
    score_factor,
)
from sumberdaya.skm.scoring import Weight, score_answers

COMPLETE = st.lists(st.integers(1, 4), min_size=9, max_size=9)


def _elements(rows: list[list[int]]) -> list[Fraction]:
    return [Fraction(sum(row[i] for row in rows), len(rows)) * 25 for i in range(9)]


@settings(max_examples=200, deadline=None)
@given(st.lists(COMPLETE, min_size=2, max_size=60), st.sampled_from([Weight.OFFICIAL, Weight.EXACT]))
def test_the_bound_is_never_below_the_true_spread_of_respondents_scores(rows: list[list[int]], weight: Weight) -> None:
    factor = score_factor(weight.fraction)
    scores = [float(factor * respondent_units(row)) for row in rows]  # type: ignore[operator]
    mean = sum(scores) / len(scores)
    population_sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
    bound = bounded_sd(_elements(rows), weight.fraction)
    assert bound is not None and bound + 1e-9 >= population_sd


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(25, 100), min_size=9, max_size=9), st.integers(MIN_RESPONDENTS, 5000))
def test_the_bounded_interval_stays_on_the_scale_and_holds_the_ikm(values: list[int], n: int) -> None:
    ikm = sum(Fraction(v) for v in values) / 9
    estimate = bounded_interval(ikm, values, Fraction(1, 9), n)
    assert estimate.shown and estimate.bounded
    assert 25 <= estimate.low <= float(ikm) <= estimate.high <= 100  # type: ignore[operator]


def test_a_perfect_imported_result_still_has_a_width_and_stays_below_100() -> None:
    estimate = bounded_interval(100, [100] * 9, Fraction(1, 9), 40)
    assert estimate.shown and estimate.high == 100 and estimate.low < 100  # type: ignore[operator]


def test_the_bounded_interval_narrows_with_more_respondents_and_a_known_population() -> None:
    values = [80, 75, 90, 70, 85, 80, 78, 82, 88]
    ikm = sum(Fraction(v) for v in values) / 9
    small, large = (bounded_interval(ikm, values, Fraction(1, 9), n) for n in (30, 300))
    assert large.half_width < small.half_width / 3  # type: ignore[operator]
    served = bounded_interval(ikm, values, Fraction(1, 9), 300, population=320)
    assert served.half_width < large.half_width / 3  # type: ignore[operator]


def test_below_the_minimum_the_imported_interval_is_not_shown_but_its_error_still_counts() -> None:
    few = bounded_interval(Fraction(80), [80] * 9, Fraction(1, 9), MIN_RESPONDENTS - 1)
    assert not few.shown and few.reason == REASON_FEW and few.se is not None
    one = bounded_interval(Fraction(80), [80] * 9, Fraction(1, 9), 1)
    assert not one.shown and one.se is None
    assert not combined_interval(Fraction(80), [(0.5, 1.0), (0.5, one.se)]).shown  # one respondent: no group interval


def test_off_scale_element_values_fall_back_to_the_bound_of_the_ikm_itself() -> None:
    estimate = bounded_interval(Fraction(86), [120, 80, 80, 80, 80, 80, 80, 80, 80], Fraction(1, 9), 100)
    assert estimate.shown and math.isclose(estimate.se, math.sqrt(61 * 14 / 100), rel_tol=0.02)  # type: ignore[arg-type]


def test_the_bounded_interval_covers_the_true_ikm_at_least_95_percent_of_the_time() -> None:
    rng = random.Random(17)
    population: list[list[int | None]] = []
    for _ in range(20000):
        base = rng.choice([2, 3, 3, 3, 4, 4])
        population.append([min(4, max(1, base + rng.choice([-1, 0, 0, 0, 1]))) for _ in range(9)])
    truth = float(score_answers(population).ikm)  # type: ignore[arg-type]
    hits = 0
    runs = 500
    for _ in range(runs):
        sample = rng.sample(population, 40)
        values = _elements(sample)  # type: ignore[arg-type]
        ikm = sum(values, Fraction(0)) * Weight.OFFICIAL.fraction
        estimate = bounded_interval(ikm, values, Weight.OFFICIAL.fraction, 40)
        hits += estimate.low <= truth <= estimate.high  # type: ignore[operator]
    assert hits / runs >= 0.95
