"""Survey periods named by slug: `2024` (year), `2024-S1`/`S2` (semester), `2024-TW1`..`TW4` (quarter)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_SLUG = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>S[12]|TW[1-4]))?$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PeriodSpec:
    slug: str
    kind: str  # "tahunan" | "semester" | "triwulan"
    year: int
    number: int  # 0 for a year, 1–2 for a semester, 1–4 for a quarter
    start: date
    end: date

    @property
    def name(self) -> str:
        if self.kind == "semester":
            return f"Semester {_ROMAN[self.number]} {self.year}"
        if self.kind == "triwulan":
            return f"Triwulan {_ROMAN[self.number]} {self.year}"
        return f"Tahun {self.year}"


def parse_period_slug(slug: str) -> PeriodSpec:
    """Read a period slug and give its default date window; ValueError (in Indonesian) when malformed."""
    match = _SLUG.match(slug.strip().upper())
    if not match:
        raise ValueError(
            f"Kode periode '{slug}' tidak dikenal: gunakan misalnya 2024, 2024-S1, 2024-S2 "
            "atau 2024-TW1..2024-TW4."
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValueError(f"Tahun periode {year} di luar rentang 2000–2100.")
    part = match["part"]
    if part is None:
        return PeriodSpec(str(year), "tahunan", year, 0, date(year, 1, 1), date(year, 12, 31))
    if part.startswith("S"):
        number = int(part[1])
        first_month = 1 if number == 1 else 7
        kind, months = "semester", 6
    else:
        number = int(part[2])
        first_month = 3 * (number - 1) + 1
        kind, months = "triwulan", 3
    last_month = first_month + months - 1
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return PeriodSpec(f"{year}-{part}", kind, year, number, date(year, first_month, 1), end)
