"""Template filters for SKM numbers: Indonesian formatting and band letters."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template

from sumberdaya.skm.numbers import format_number, format_percent
from sumberdaya.skm.scoring import band_for

register = template.Library()

Number = Fraction | Decimal | float | int | None


@register.filter
def angka(value: Number, places: int = 2) -> str:
    """88.7312 → "88,73"; None → "–"."""
    return format_number(value, int(places))


@register.filter
def persen(value: Number, places: int = 1) -> str:
    return format_percent(value, int(places))


@register.filter
def mutu(value: Number) -> str:
    """The band letter (A–D) of an IKM on the 25–100 scale, or "–"."""
    return "–" if value is None else band_for(value).letter


@register.filter
def kinerja(value: Number) -> str:
    return "–" if value is None else band_for(value).kinerja


@register.filter
def of(mapping: Any, key: Any) -> Any:
    """`{{ followups|of:row.unit.pk }}`: a dictionary's value in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
