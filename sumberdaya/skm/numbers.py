"""Numbers in Indonesian notation: "." groups thousands, "," marks decimals."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from sumberdaya.skm.scoring import round_half_up

MISSING = "–"  # en dash: shown where there is no value

_NUMBER = re.compile(r"([+-]?)([0-9][0-9.,]*)")


def format_number(value: Fraction | Decimal | float | None, places: int = 2) -> str:
    """88.725 -> "88,73"; 1234567.5 -> "1.234.567,50"; None -> "–"."""
    if value is None:
        return MISSING
    english = f"{round_half_up(value, places):,.{places}f}"
    return english.translate(str.maketrans(",.", ".,"))


def format_percent(value: Fraction | Decimal | float | None, places: int = 1) -> str:
    """A value already in percent: 12.5 -> "12,5 %"."""
    if value is None:
        return MISSING
    return f"{format_number(value, places)} %"


def parse_decimal(text: str) -> Decimal:
    """Read "88,73", "88.73", "1.234,5" or "1.234.567".

    With both separators the last one marks the decimals; a single separator used once marks the
    decimals ("88.73" and "88,73" alike), used several times it groups thousands.
    """
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"Bukan angka yang sah: {text!r}")
    sign, body = match.groups()
    if "." in body and "," in body:
        decimal_mark = max(".,", key=body.rfind)
    elif body.count(".") == 1 or body.count(",") == 1:
        decimal_mark = "." if "." in body else ","
    else:
        decimal_mark = ""  # no separator, or one repeated: thousands only
    whole, fraction = body.rsplit(decimal_mark, 1) if decimal_mark else (body, "")
    group_mark = {".": ",", ",": "."}.get(decimal_mark) or ("." if "." in body else ",")
    if group_mark in whole:
        if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(group_mark)}[0-9]{{3}})+", whole):
            raise ValueError(f"Pemisah ribuan tidak sah: {text!r}")
        whole = whole.replace(group_mark, "")
    if not whole.isdecimal() or (decimal_mark and not re.fullmatch("[0-9]+", fraction)):
        raise ValueError(f"Bukan angka yang sah: {text!r}")
    return Decimal(f"{sign}{whole}.{fraction}" if decimal_mark else f"{sign}{whole}")
