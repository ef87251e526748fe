"""A unit's result as figures: nine element values (25–100), the IKM that is counted, and its band.

A result comes either from answers (`figures_of` a `UnitScore`) or from outside, as a unit or a third party
stated it (`stated_result`). Both end up as `Figures`, so aggregates, roll-ups, charts and reports never need
to know where a number came from, and the letter is always the band of the counted IKM.

Rule for a stated result (README, "Imported results"): the counted IKM is the one computed from its own
elements whenever all nine are within 25–100; only when they are not is the stated IKM counted (if it is
itself within 25–100). What was stated is kept beside it, and every inconsistency is a flag.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sumberdaya.skm.elements import ELEMENTS, Element
from sumberdaya.skm.scoring import Band, UnitScore, Weight, band_for, score_unit

_SCALE = 25
TOLERANCE = Fraction(1, 100)  # a stated IKM within ±0,01 of its elements' index is consistent

# Flags: short machine codes (CLI, open data, API); the Indonesian wording is `FLAG_LABELS`.
ELEMENT_OUT_OF_RANGE = "element_out_of_range"
IKM_MISMATCH = "ikm_mismatch"
IKM_OUT_OF_RANGE = "ikm_out_of_range"
LETTER_MISMATCH = "letter_mismatch"
LETTER_INVALID = "letter_invalid"
NO_RESPONDENTS = "no_respondents"
FLAG_LABELS = {
    ELEMENT_OUT_OF_RANGE: "Nilai unsur di luar rentang 25–100",
    IKM_MISMATCH: "IKM yang dikirim tidak sama dengan IKM dari nilai unsurnya",
    IKM_OUT_OF_RANGE: "IKM yang dikirim di luar rentang 25–100",
    LETTER_MISMATCH: "Mutu yang dikirim tidak sesuai dengan IKM",
    LETTER_INVALID: "Mutu yang dikirim bukan A, B, C atau D",
    NO_RESPONDENTS: "Jumlah responden tidak lebih dari 0",
}


@dataclass(frozen=True)
class ElementValue:
    """One element of a result: its value on the 25–100 scale and how many answers it stands for."""

    element: Element
    score: Fraction | None
    count: int  # answers (system) or respondents (stated): the weight of this value when pooling

    @property
    def band(self) -> Band | None:
        return None if self.score is None else band_for(self.score)


@dataclass(frozen=True)
class Figures:
    """The numbers of one result: what every page, report and export shows of it."""

    respondents: int
    elements: tuple[ElementValue, ...]
    ikm: Fraction | None
    weight: Weight

    @property
    def band(self) -> Band | None:
        return None if self.ikm is None else band_for(self.ikm)

    @property
    def letter(self) -> str | None:
        band = self.band
        return band.letter if band else None

    @property
    def values(self) -> list[Fraction | None]:
        return [e.score for e in self.elements]

    def element(self, code: str) -> ElementValue:
        return next(e for e in self.elements if e.element.code == code)

    def pairs(self) -> list[tuple[Element, Fraction | None]]:
        """(element, value) in U order: what a chart or a table draws."""
        return [(e.element, e.score) for e in self.elements]

    def priorities(self, n: int = 3) -> list[ElementValue]:
        """Lowest-valued elements first (proposed unsur prioritas); ties keep questionnaire order."""
        return _ranked(self.elements, n, lowest_first=True)

    def strengths(self, n: int = 3) -> list[ElementValue]:
        return _ranked(self.elements, n, lowest_first=False)


class Counted:
    """The counted figures' IKM, band, letter and respondents, for any record that holds `figures`."""

    figures: Figures | None

    @property
    def ikm(self) -> Fraction | None:
        return self.figures.ikm if self.figures else None

    @property
    def band(self) -> Band | None:
        return self.figures.band if self.figures else None

    @property
    def letter(self) -> str | None:
        band = self.band
        return band.letter if band else None

    @property
    def respondents(self) -> int:
        return self.figures.respondents if self.figures else 0


def _ranked(elements: Sequence[ElementValue], n: int, *, lowest_first: bool) -> list[ElementValue]:
    scored = [(value, e) for e in elements if (value := e.score) is not None]
    sign = 1 if lowest_first else -1
    return [e for _, e in sorted(scored, key=lambda pair: sign * pair[0])][:n]


def figures_of(score: UnitScore) -> Figures:
    """A result computed from answers."""
    elements = tuple(ElementValue(e.element, e.score, e.count) for e in score.elements)
    return Figures(score.respondents, elements, score.ikm, score.weight)


@functools.lru_cache(maxsize=4096)
def counted_figures(totals: tuple[int, ...], counts: tuple[int, ...], respondents: int, weight: Weight) -> Figures:
    """`figures_of` the score of the nine elements' answer sums and counts (questionnaire order).

    Memoised, being a pure function of its arguments: the city recap scores every unit on every view, and
    most units' sums have not changed since the last one (exact Fractions cost ~0,1 ms a unit).
    """
    codes = [e.code for e in ELEMENTS]
    return figures_of(score_unit(dict(zip(codes, totals, strict=True)), dict(zip(codes, counts, strict=True)),
                                 respondents, weight))


def ikm_of_elements(values: Sequence[Fraction | Decimal], weight: Weight) -> Fraction:
    """Σ (u_i / 25) × w × 25: the IKM that nine element values (25–100) give."""
    if len(values) != len(ELEMENTS):
        raise ValueError(f"Diperlukan {len(ELEMENTS)} nilai unsur, bukan {len(values)}.")
    return sum((Fraction(v) / _SCALE * weight.fraction for v in values), Fraction(0)) * _SCALE


@dataclass(frozen=True)
class StatedResult:
    """A result as sent from outside, checked: the counted figures, what was stated, and the flags."""

    figures: Figures
    stated_ikm: Fraction
    stated_mutu: str
    flags: tuple[str, ...]


def stated_result(
    values: Sequence[Fraction | Decimal], stated_ikm: Fraction | Decimal, stated_mutu: str, respondents: int,
    weight: Weight,
) -> StatedResult:
    """Check a stated result and decide the IKM that is counted (module docstring)."""
    flags: list[str] = []
    elements_ok = all(_SCALE <= Fraction(v) <= 100 for v in values)
    stated = Fraction(stated_ikm)
    stated_ok = _SCALE <= stated <= 100
    letter = (stated_mutu or "").strip().upper()
    if not elements_ok:
        flags.append(ELEMENT_OUT_OF_RANGE)
    if not stated_ok:
        flags.append(IKM_OUT_OF_RANGE)
    counted: Fraction | None
    if elements_ok:
        counted = ikm_of_elements(values, weight)
        if abs(stated - counted) > TOLERANCE:
            flags.append(IKM_MISMATCH)
    else:
        counted = stated if stated_ok else None
    if letter not in ("A", "B", "C", "D"):
        flags.append(LETTER_INVALID)
    elif letter != band_for(stated).letter or (counted is not None and letter != band_for(counted).letter):
        flags.append(LETTER_MISMATCH)
    if respondents <= 0:
        flags.append(NO_RESPONDENTS)
    n = max(respondents, 0)
    elements = tuple(
        ElementValue(element, Fraction(v) if elements_ok else None, n if elements_ok else 0)
        for element, v in zip(ELEMENTS, values, strict=True)
    )
    return StatedResult(Figures(n, elements, counted, weight), stated, letter, tuple(flags))


def pool(parts: Sequence[Figures], weight: Weight) -> Figures | None:
    """One result from several over the same unit or units: each element value weighted by its answers.

    Used to roll quarters or half-years up into the year and for the "pooled" aggregate; never a mean of
    means. An element left blank by every answer of a part is left out of that element's pool; a part
    without element values (a stated result with out-of-range elements) is left out; None when none remains.
    """
    usable = [p for p in parts if p.respondents > 0 and any(e.score is not None and e.count for e in p.elements)]
    if not usable:
        return None
    elements = []
    for i, element in enumerate(ELEMENTS):
        answered = [(v.score, v.count) for p in usable if (v := p.elements[i]).score is not None and v.count]
        count = sum(n for _, n in answered)
        total = sum((score * n for score, n in answered), Fraction(0))
        elements.append(ElementValue(element, total / count if count else None, count))
    values = [e.score for e in elements]
    ikm = ikm_of_elements(values, weight) if all(v is not None for v in values) else None  # type: ignore[arg-type]
    return Figures(sum(p.respondents for p in usable), tuple(elements), ikm, weight)


def figures_to_json(figures: Figures) -> dict[str, object]:
    """Exact figures as plain JSON (fractions as "n/d" text), for frozen snapshots."""
    return {
        "respondents": figures.respondents,
        "weight": figures.weight.value,
        "ikm": None if figures.ikm is None else str(figures.ikm),
        "elements": [[None if e.score is None else str(e.score), e.count] for e in figures.elements],
    }


def figures_from_json(data: dict[str, object]) -> Figures:
    pairs = data["elements"]
    assert isinstance(pairs, list)
    elements = tuple(
        ElementValue(element, None if score is None else Fraction(str(score)), int(count))
        for element, (score, count) in zip(ELEMENTS, pairs, strict=True)
    )
    ikm = data.get("ikm")
    return Figures(int(str(data["respondents"])), elements, None if ikm is None else Fraction(str(ikm)),
                   Weight.parse(str(data["weight"])))
