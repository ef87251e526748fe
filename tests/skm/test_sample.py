"""Krejcie–Morgan sample sizes (SKM.md §4)."""

import pytest

from sumberdaya.skm import SAMPLE_OK, SAMPLE_SHORT, krejcie_morgan, sample_status


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (100, 80),
        (200, 132),
        (300, 169),
        (500, 217),
        (1_000, 278),
        (2_000, 322),
        (5_000, 357),
        (10_000, 370),
        (50_000, 381),
        (1_000_000, 384),
    ],
)
def test_krejcie_morgan_reproduces_the_table_point(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


def test_a_population_of_one_needs_one_respondent() -> None:
    assert krejcie_morgan(1) == 1


def test_small_populations_never_need_more_respondents_than_people() -> None:
    assert all(krejcie_morgan(n) <= n for n in range(1, 60))


@pytest.mark.parametrize("population", [0, -5])
def test_a_population_must_be_positive(population: int) -> None:
    with pytest.raises(ValueError, match="populasi"):
        krejcie_morgan(population)


def test_sample_status_reports_the_target_and_whether_it_is_met() -> None:
    assert sample_status(1_000, 278) == (278, True)
    assert sample_status(1_000, 277) == (278, False)
    assert sample_status(1_000, 500) == (278, True)


def test_sample_status_rejects_a_negative_achieved_count() -> None:
    with pytest.raises(ValueError):
        sample_status(100, -1)


def test_sample_labels_are_indonesian() -> None:
    assert (SAMPLE_OK, SAMPLE_SHORT) == ("Sesuai", "Belum sesuai")
