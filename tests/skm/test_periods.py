from datetime import date

import pytest

from sumberdaya.skm.periods import parse_period_slug


def test_a_year_slug_covers_the_whole_year() -> None:
    spec = parse_period_slug("2024")
    assert (spec.kind, spec.start, spec.end, spec.name) == ("tahunan", date(2024, 1, 1), date(2024, 12, 31), "Tahun 2024")


@pytest.mark.parametrize(
    ("slug", "start", "end", "name"),
    [
        ("2024-S1", date(2024, 1, 1), date(2024, 6, 30), "Semester I 2024"),
        ("2024-S2", date(2024, 7, 1), date(2024, 12, 31), "Semester II 2024"),
        ("2024-TW1", date(2024, 1, 1), date(2024, 3, 31), "Triwulan I 2024"),
        ("2024-TW2", date(2024, 4, 1), date(2024, 6, 30), "Triwulan II 2024"),
        ("2024-TW3", date(2024, 7, 1), date(2024, 9, 30), "Triwulan III 2024"),
        ("2024-TW4", date(2024, 10, 1), date(2024, 12, 31), "Triwulan IV 2024"),
    ],
)
def test_semester_and_quarter_slugs_give_their_windows(slug: str, start: date, end: date, name: str) -> None:
    spec = parse_period_slug(slug)
    assert (spec.slug, spec.start, spec.end, spec.name) == (slug, start, end, name)


def test_a_lowercase_slug_is_read_as_uppercase() -> None:
    assert parse_period_slug("2025-tw2").slug == "2025-TW2"


@pytest.mark.parametrize("slug", ["", "24", "2024-S3", "2024-TW5", "2024-Q1", "tahun-2024", "1999"])
def test_it_rejects_a_malformed_slug_in_indonesian(slug: str) -> None:
    with pytest.raises(ValueError, match="periode"):
        parse_period_slug(slug)
