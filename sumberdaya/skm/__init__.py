"""Pure SKM scoring core (PermenPAN-RB 14/2017): elements, NRR/IKM, bands, sample size, aggregates.

Plain Python with exact fractions. This package must never import Django (or any third-party
library), so the arithmetic can be tested and reused on its own.
"""

from sumberdaya.skm.aggregate import Aggregate, Method, aggregate
from sumberdaya.skm.elements import ELEMENT_BY_CODE, ELEMENT_CODES, ELEMENTS, Element
from sumberdaya.skm.numbers import format_number, format_percent, parse_decimal
from sumberdaya.skm.sample import SAMPLE_OK, SAMPLE_SHORT, krejcie_morgan, sample_status
from sumberdaya.skm.scoring import (
    BANDS,
    Band,
    ElementScore,
    UnitScore,
    Weight,
    band_for,
    mean_confidence_interval,
    nrr,
    round_half_up,
    score_answers,
    score_unit,
)

__all__ = [
    "BANDS",
    "ELEMENTS",
    "ELEMENT_BY_CODE",
    "ELEMENT_CODES",
    "SAMPLE_OK",
    "SAMPLE_SHORT",
    "Aggregate",
    "Band",
    "Element",
    "ElementScore",
    "Method",
    "UnitScore",
    "Weight",
    "aggregate",
    "band_for",
    "format_number",
    "format_percent",
    "krejcie_morgan",
    "mean_confidence_interval",
    "nrr",
    "parse_decimal",
    "round_half_up",
    "sample_status",
    "score_answers",
    "score_unit",
]
