"""SKM scoring (PermenPAN-RB 14/2017): NRR per element, IKM per unit, bands, display rounding.

All intermediate values are exact ``Fraction``s; rounding happens only in ``round_half_up``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from sumberdaya.skm.elements import ELEMENT_CODES, ELEMENTS, Element

_SCALE = 25  # maps the 1-4 scale onto 25-100


class Weight(StrEnum):
    """Weight of each element: the worksheet's 0,111 (default) or the exact 1/9."""

    OFFICIAL = "0.111"
    EXACT = "exact"

    @property
    def fraction(self) -> Fraction:
        return Fraction(111, 1000) if self is Weight.OFFICIAL else Fraction(1, 9)

    @property
    def label(self) -> str:
        return "0,111" if self is Weight.OFFICIAL else "1/9 (eksak)"

    @classmethod
    def parse(cls, value: str | Weight) -> Weight:
        """Accept the enum, its value or the ways people write it ("0,111", "1/9")."""
        if isinstance(value, Weight):
            return value
        text = str(value).strip().lower()
        if text in ("0.111", "0,111"):
            return cls.OFFICIAL
        if text in ("exact", "1/9"):
            return cls.EXACT
        raise ValueError(f"Bobot tidak dikenal: {value!r}. Pilih 0,111 atau 1/9.")


def nrr(total: int, count: int) -> Fraction | None:
    """Mean answer of an element (NRR); None when nobody answered it."""
    if count < 0:
        raise ValueError("Jumlah jawaban tidak boleh negatif.")
    return Fraction(total, count) if count else None


def round_half_up(value: Fraction | Decimal | float, places: int = 2) -> Decimal:
    """Round for display, half away from zero (88,725 -> 88,73), never on the way to a result."""
    exact = _exact_decimal(value, places + 1)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # no "-0,00"


def _exact_decimal(value: Fraction | Decimal | float, digits: int) -> Decimal:
    """A Decimal that rounds half-up to the same result as ``value`` at fewer than ``digits`` places."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Bukan angka terhingga: {value}")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Bukan angka terhingga: {value}")
        # The shortest repr is what the user typed: 88.305 means 88,305, not 88,30499999...
        return Decimal(repr(value))
    fraction = Fraction(value)
    # Truncating one digit beyond the target keeps half-up exact: the extra digit is 5 exactly
    # when the true value is at or above the midpoint.
    scaled = abs(fraction.numerator) * 10**digits // fraction.denominator
    sign = "-" if fraction < 0 else ""
    return Decimal(f"{sign}{scaled}E-{digits}")


@dataclass(frozen=True)
class Band:
    """Quality band (mutu) with its performance label (kinerja) and lower edge on the 25-100 scale."""

    letter: str
    kinerja: str
    lower: Decimal


BANDS: tuple[Band, ...] = (
    Band("A", "Sangat Baik", Decimal("88.31")),
    Band("B", "Baik", Decimal("76.61")),
    Band("C", "Kurang Baik", Decimal("65.00")),
    Band("D", "Tidak Baik", Decimal("25.00")),
)


def band_for(value_0_100: Fraction | Decimal | float) -> Band:
    """Band of a 25-100 value: rounded half-up to 2 decimals, then ``>=`` lower edges (closes the gaps)."""
    shown = round_half_up(value_0_100, 2)
    for band in BANDS[:-1]:
        if shown >= band.lower:
            return band
    return BANDS[-1]


@dataclass(frozen=True)
class ElementScore:
    """Sum and number of answers of one element for a unit and period."""

    element: Element
    total: int
    count: int

    def __post_init__(self) -> None:
        # Every answer is 1..4, so any other total means the data was mapped wrongly.
        if self.count < 0 or not self.count <= self.total <= 4 * self.count:
            raise ValueError(
                f"{self.element.name}: jumlah nilai {self.total} tidak sesuai dengan {self.count} jawaban."
            )

    @property
    def nrr(self) -> Fraction | None:
        return nrr(self.total, self.count)

    @property
    def score(self) -> Fraction | None:
        """The element on the 25-100 scale (the U1..U9 of the recap)."""
        return Fraction(self.total * _SCALE, self.count) if self.count else None

    def weighted(self, weight: Weight) -> Fraction | None:
        """NRR tertimbang."""
        value = self.nrr
        return None if value is None else value * weight.fraction

    @property
    def band(self) -> Band | None:
        score = self.score
        return None if score is None else band_for(score)


@dataclass(frozen=True)
class UnitScore:
    """The nine element scores of one unit and period, and the index they give."""

    respondents: int
    elements: tuple[ElementScore, ...]
    weight: Weight

    def __post_init__(self) -> None:
        if tuple(score.element.code for score in self.elements) != ELEMENT_CODES:
            raise ValueError("Skor unit harus memuat kesembilan unsur sesuai urutan kuesioner.")
        if any(not 0 <= score.count <= self.respondents for score in self.elements):
            raise ValueError("Jumlah jawaban suatu unsur tidak boleh melebihi jumlah responden.")

    def element(self, code: str) -> ElementScore:
        """The score of one element by its code."""
        for score in self.elements:
            if score.element.code == code:
                return score
        raise KeyError(code)

    @property
    def ikm_1_4(self) -> Fraction | None:
        """Sum of the weighted NRRs (1-4 scale); None unless every element has answers."""
        if self.respondents == 0 or any(score.count == 0 for score in self.elements):
            return None
        # Σ w·S_i/C_i over one common denominator: one normalisation instead of nine Fraction additions
        # (the city recap scores every unit; exactly the same value).
        common = math.lcm(*(score.count for score in self.elements))
        numerator = sum(score.total * (common // score.count) for score in self.elements)
        return Fraction(numerator, common) * self.weight.fraction

    @property
    def ikm(self) -> Fraction | None:
        """The unit's IKM on the 25-100 scale."""
        value = self.ikm_1_4
        return None if value is None else value * _SCALE

    @property
    def band(self) -> Band | None:
        value = self.ikm
        return None if value is None else band_for(value)

    def priorities(self, n: int = 3) -> list[ElementScore]:
        """Lowest-scoring elements first (unsur prioritas perbaikan); ties keep questionnaire order."""
        return self._ranked(n, lowest_first=True)

    def strengths(self, n: int = 3) -> list[ElementScore]:
        """Highest-scoring elements first; ties keep questionnaire order."""
        return self._ranked(n, lowest_first=False)

    def _ranked(self, n: int, *, lowest_first: bool) -> list[ElementScore]:
        if n < 0:
            raise ValueError("Jumlah unsur tidak boleh negatif.")
        scored = [(value, score) for score in self.elements if (value := score.score) is not None]
        sign = 1 if lowest_first else -1
        # sorted() is stable, so equal scores stay in U order both ways.
        return [score for _, score in sorted(scored, key=lambda pair: sign * pair[0])][:n]


def score_unit(
    totals: Mapping[str, int],
    counts: Mapping[str, int],
    respondents: int,
    weight: Weight = Weight.OFFICIAL,
) -> UnitScore:
    """Build a UnitScore from per-element sums and answer counts keyed by element code (missing = 0)."""
    unknown = (set(totals) | set(counts)) - set(ELEMENT_CODES)
    if unknown:
        raise ValueError(f"Kode unsur tidak dikenal: {', '.join(sorted(unknown))}.")
    elements = tuple(
        ElementScore(element, totals.get(element.code, 0), counts.get(element.code, 0))
        for element in ELEMENTS
    )
    return UnitScore(respondents=respondents, elements=elements, weight=weight)


def score_answers(rows: Iterable[Sequence[int | None]], weight: Weight = Weight.OFFICIAL) -> UnitScore:
    """Score raw questionnaires: each row holds the nine answers in U order, 1-4 or None for a blank."""
    totals = dict.fromkeys(ELEMENT_CODES, 0)
    counts = dict.fromkeys(ELEMENT_CODES, 0)
    respondents = 0
    for row in rows:
        if len(row) != len(ELEMENTS):
            raise ValueError(f"Satu kuesioner harus berisi {len(ELEMENTS)} jawaban, bukan {len(row)}.")
        for element, answer in zip(ELEMENTS, row, strict=True):
            if answer is None:
                continue  # a blank leaves the element's denominator, it is never scored 0
            if isinstance(answer, bool) or answer not in (1, 2, 3, 4):
                raise ValueError(f"Jawaban {element.key.upper()} harus 1-4, bukan {answer!r}.")
            totals[element.code] += answer
            counts[element.code] += 1
        respondents += 1
    return score_unit(totals, counts, respondents, weight)


def mean_confidence_interval(
    n: int, total: Fraction | float, total_sq: Fraction | float, z: float = 1.96
) -> tuple[float, float] | None:
    """Normal-approximation interval of a mean from n, sum and sum of squares; None when n < 2."""
    if n < 2:
        return None
    mean = Fraction(total) / n
    variance = (Fraction(total_sq) - Fraction(total) ** 2 / n) / (n - 1)
    # Float inputs may leave a tiny negative variance for identical values.
    half_width = z * math.sqrt(max(float(variance), 0.0) / n)
    return float(mean) - half_width, float(mean) + half_width
