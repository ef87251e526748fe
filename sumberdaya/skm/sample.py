"""Minimum sample size for an SKM (Krejcie-Morgan, as tabulated in PermenPAN-RB 14/2017)."""

from __future__ import annotations

from fractions import Fraction

SAMPLE_OK = "Sesuai"
SAMPLE_SHORT = "Belum sesuai"

_CHI_SQUARE = Fraction("3.841")  # chi-square, 1 degree of freedom, 95 %
_P_Q = Fraction(1, 4)  # P(1-P) with P = 0.5, the most conservative proportion
_D_SQUARED = Fraction("0.0025")  # margin of error 5 %, squared


def krejcie_morgan(population: int) -> int:
    """Minimum respondents for a population of N people served: S = X²NP(1−P) / (d²(N−1) + X²P(1−P))."""
    if population <= 0:
        raise ValueError("Jumlah populasi harus lebih dari 0.")
    size = _CHI_SQUARE * population * _P_Q / (_D_SQUARED * (population - 1) + _CHI_SQUARE * _P_Q)
    rounded = int(size + Fraction(1, 2))  # half-up; size is positive so int() floors
    return min(rounded, population)


def sample_status(population: int, achieved: int) -> tuple[int, bool]:
    """The target sample size and whether the achieved number of respondents reaches it."""
    if achieved < 0:
        raise ValueError("Jumlah responden tidak boleh negatif.")
    target = krejcie_morgan(population)
    return target, achieved >= target
