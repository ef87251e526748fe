"""Indonesian number notation."""

from decimal import Decimal
from fractions import Fraction

import pytest

from sumberdaya.skm import format_number, format_percent, parse_decimal


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (88.725, 2, "88,73"),
        (Fraction(88725, 1000), 2, "88,73"),
        (Decimal("82.325"), 2, "82,33"),
        (1234567.5, 2, "1.234.567,50"),
        (1234567.5, 0, "1.234.568"),
        (Fraction(8, 3), 4, "2,6667"),
        (-1234.5, 1, "-1.234,5"),
        (0, 2, "0,00"),
        (None, 2, "–"),
    ],
)
def test_format_number_writes_indonesian_notation(
    value: Fraction | Decimal | float | None, places: int, text: str
) -> None:
    assert format_number(value, places) == text


def test_format_percent_appends_a_spaced_percent_sign() -> None:
    assert format_percent(12.5) == "12,5 %"
    assert format_percent(Fraction(200, 3)) == "66,7 %"
    assert format_percent(None) == "–"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("88,73", "88.73"),
        ("88.73", "88.73"),
        ("1.234,5", "1234.5"),
        ("1.234.567,50", "1234567.50"),
        ("1.234.567", "1234567"),
        ("1,234.5", "1234.5"),
        (" -3 ", "-3"),
        ("100", "100"),
    ],
)
def test_parse_decimal_reads_indonesian_and_plain_notation(text: str, value: str) -> None:
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "5,", ",5", "1..2", "1.23.4", "1.2.3,4", "1e5", "88,7a", "١٢"])
def test_parse_decimal_rejects_garbage_in_indonesian(text: str) -> None:
    with pytest.raises(ValueError, match="sah"):
        parse_decimal(text)


def test_format_then_parse_round_trips() -> None:
    assert parse_decimal(format_number(1234567.5)) == Decimal("1234567.50")
