"""Band edges: round half-up to 2 decimals, then >= lower edges (SKM.md §3)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from sumberdaya.skm import BANDS, band_for


def test_the_four_bands_with_their_lower_edges() -> None:
    assert [(band.letter, band.kinerja, band.lower) for band in BANDS] == [
        ("A", "Sangat Baik", Decimal("88.31")),
        ("B", "Baik", Decimal("76.61")),
        ("C", "Kurang Baik", Decimal("65.00")),
        ("D", "Tidak Baik", Decimal("25.00")),
    ]


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.305", "A"),  # shows as 88,31
        ("88.3049", "B"),  # shows as 88,30
        ("76.61", "B"),
        ("76.6049", "C"),  # shows as 76,60
        ("65.00", "C"),
        ("64.995", "C"),  # shows as 65,00
        ("64.9949", "D"),  # shows as 64,99
        ("25", "D"),
    ],
)
def test_band_edges_follow_the_displayed_value(value: str, letter: str) -> None:
    assert band_for(Decimal(value)).letter == letter
    assert band_for(Fraction(value)).letter == letter
    assert band_for(float(value)).letter == letter


def test_88_31_is_a_and_not_b_as_a_strict_comparison_would_make_it() -> None:
    assert band_for(Decimal("88.31")).kinerja == "Sangat Baik"
