"""The IKM interval: inside the scale, narrower with more respondents, about 95 % coverage, honest when small."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sumberdaya.skm.interval import (
    MIN_RESPONDENTS,
    REASON_FEW,
    combined_interval,
    respondent_units,
    score_factor,
    t_quantile,
    unit_interval,
)
from sumberdaya.skm.scoring import Weight, score_answers

ANSWER = st.one_of(st.none(), st.integers(1, 4))
QUESTIONNAIRE = st.lists(ANSWER, min_size=9, max_size=9).filter(lambda q: any(a is not None for a in q))


def _estimate(rows: list[list[int | None]], weight: Weight = Weight.OFFICIAL, population: int | None = None):  # type: ignore[no-untyped-def]
    factor = score_factor(weight.fraction)
    scores = [factor * respondent_units(row) for row in rows]  # type: ignore[operator]
    ikm = score_answers(rows, weight).ikm
    return unit_interval(ikm, len(rows), sum(scores), sum(s * s for s in scores), population)


def test_the_t_quantile_matches_the_table() -> None:
    assert round(t_quantile(1), 3) == 12.706
    assert round(t_quantile(9), 3) == 2.262
    assert round(t_quantile(29), 3) == 2.045
    assert round(t_quantile(1000), 3) == 1.962


def test_the_per_respondent_score_of_a_full_questionnaire_averages_to_the_ikm() -> None:
    rows: list[list[int | None]] = [[4] * 9, [3, 3, 3, 4, 4, 4, 2, 2, 2], [1, 2, 3, 4, 1, 2, 3, 4, 4]]
    factor = score_factor(Weight.OFFICIAL.fraction)
    mean = sum(factor * respondent_units(r) for r in rows) / len(rows)  # type: ignore[operator]
    assert mean == score_answers(rows).ikm
    assert respondent_units([4, None, None, None, None, None, None, None, 2]) == 2520 * 6 // 2


@settings(max_examples=150, deadline=None)
@given(st.lists(QUESTIONNAIRE, min_size=MIN_RESPONDENTS, max_size=60), st.sampled_from(list(Weight)))
def test_the_interval_never_leaves_the_scale_and_holds_the_ikm(rows: list[list[int | None]], weight: Weight) -> None:
    estimate = _estimate(rows, weight)
    if estimate.centre is None:  # an element nobody answered: no IKM
        return
    assert estimate.shown
    assert 25 <= estimate.low <= estimate.high <= 100  # type: ignore[operator]
    assert estimate.high > estimate.low  # type: ignore[operator]
    if 25 <= estimate.centre <= 100:
        assert estimate.low <= estimate.centre <= estimate.high  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(st.lists(QUESTIONNAIRE, min_size=MIN_RESPONDENTS, max_size=30).filter(lambda rs: len({tuple(r) for r in rs}) > 1))
def test_the_interval_narrows_as_the_same_answers_come_from_more_people(rows: list[list[int | None]]) -> None:
    small = _estimate(rows)
    large = _estimate(rows * 4)
    if small.centre is None:
        return
    assert large.half_width < small.half_width  # type: ignore[operator]


def test_identical_questionnaires_do_not_claim_a_zero_width_interval() -> None:
    estimate = _estimate([[4] * 9] * 40)
    assert estimate.shown
    assert estimate.half_width > 0.3  # type: ignore[operator]
    assert estimate.high == 100 or estimate.high > estimate.centre  # type: ignore[operator]


def test_two_respondents_get_no_interval_but_a_reason() -> None:
    estimate = _estimate([[4] * 9, [3] * 9])
    assert not estimate.shown
    assert estimate.reason == REASON_FEW
    assert estimate.centre is not None


def test_blank_answers_count_their_respondent() -> None:
    rows: list[list[int | None]] = [[3, 3, 3, None, 4, 4, 4, 4, 4]] * 6 + [[2] * 9] * 6
    assert _estimate(rows).n == 12


def test_a_known_population_narrows_the_interval() -> None:
    rows: list[list[int | None]] = [[3] * 9, [4] * 9, [2, 3, 4, 3, 2, 3, 4, 3, 2]] * 10
    free = _estimate(rows)
    finite = _estimate(rows, population=40)
    assert finite.half_width < free.half_width  # type: ignore[operator]
    assert _estimate(rows, population=30).half_width < 0.5  # type: ignore[operator]  # everyone answered


def test_the_interval_covers_the_true_ikm_about_95_percent_of_the_time() -> None:
    rng = random.Random(16)
    # A population of respondents whose answers are correlated within a person, with some blanks.
    population: list[list[int | None]] = []
    for _ in range(20000):
        base = rng.choice([2, 3, 3, 3, 4, 4])
        row: list[int | None] = [min(4, max(1, base + rng.choice([-1, 0, 0, 0, 1]))) for _ in range(9)]
        population.append(row)
    truth = float(score_answers(population).ikm)  # type: ignore[arg-type]
    hits = 0
    runs = 1000
    for _ in range(runs):
        sample = rng.sample(population, 40)
        estimate = _estimate(sample)
        hits += estimate.low <= truth <= estimate.high  # type: ignore[operator]
    assert 0.93 <= hits / runs <= 0.975


def test_a_group_mean_has_an_interval_from_its_units() -> None:
    mean = (Fraction(80) + Fraction(90)) / 2
    estimate = combined_interval(mean, [(0.5, 2.0), (0.5, 2.0)])
    assert estimate.shown
    assert round(estimate.half_width, 3) == round(1.96 * (0.5**2 * 4 * 2) ** 0.5, 3)  # type: ignore[arg-type]
    assert not combined_interval(mean, [(0.5, 2.0), (0.5, None)]).shown
