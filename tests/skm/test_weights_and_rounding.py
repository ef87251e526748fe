"""The weight setting, NRR and display rounding."""

from decimal import Decimal
from fractions import Fraction

import pytest

from sumberdaya.skm import Weight, nrr, round_half_up


def test_the_official_weight_is_0_111_and_the_exact_one_is_one_ninth() -> None:
    assert Weight.OFFICIAL.fraction == Fraction(111, 1000)
    assert Weight.EXACT.fraction == Fraction(1, 9)
    assert Weight.OFFICIAL.label == "0,111"
    assert Weight.EXACT.label == "1/9 (eksak)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.111", Weight.OFFICIAL),
        ("0,111", Weight.OFFICIAL),
        (" 0,111 ", Weight.OFFICIAL),
        ("exact", Weight.EXACT),
        ("EXACT", Weight.EXACT),
        ("1/9", Weight.EXACT),
        (Weight.EXACT, Weight.EXACT),
    ],
)
def test_weight_parse_accepts_the_usual_spellings(text: str, expected: Weight) -> None:
    assert Weight.parse(text) is expected


@pytest.mark.parametrize("text", ["0.11", "0,1111", "", "1/8", "eksak?"])
def test_weight_parse_rejects_anything_else_in_indonesian(text: str) -> None:
    with pytest.raises(ValueError, match="Bobot tidak dikenal"):
        Weight.parse(text)


def test_nrr_is_the_exact_mean_and_none_without_answers() -> None:
    assert nrr(8, 3) == Fraction(8, 3)
    assert nrr(0, 0) is None
    with pytest.raises(ValueError):
        nrr(3, -1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(88725, 1000), "88.73"),
        (Decimal("82.325"), "82.33"),
        (88.725, "88.73"),  # the float the user wrote, not its binary neighbour 88.72499...
        (Fraction(2225, 27), "82.41"),
        (Fraction(-88725, 1000), "-88.73"),
        (Fraction(-1, 1000), "0.00"),
        (100, "100.00"),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value: Fraction | Decimal | float, expected: str) -> None:
    assert round_half_up(value) == Decimal(expected)
    assert str(round_half_up(value)) == expected


def test_round_half_up_is_exact_just_below_a_half() -> None:
    # 0.00499999... with a long denominator must not be pushed up by an intermediate rounding.
    just_below = Fraction(5, 1000) - Fraction(1, 10**40)
    assert round_half_up(just_below) == Decimal("0.00")
    assert round_half_up(Fraction(5, 1000)) == Decimal("0.01")


def test_round_half_up_honours_the_number_of_places() -> None:
    assert round_half_up(Fraction(10, 3), 4) == Decimal("3.3333")
    assert round_half_up(Fraction(5, 2), 0) == Decimal("3")


def test_round_half_up_rejects_non_finite_values() -> None:
    with pytest.raises(ValueError):
        round_half_up(float("nan"))
    with pytest.raises(ValueError):
        round_half_up(Decimal("Infinity"))
