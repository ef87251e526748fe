"""The Indonesian working calendar for complaint deadlines: Monday to Friday, less national holidays.

National holidays come from the `holidays` library (its Indonesia calendar, kept up to date with the
government's SKB of each year); the city adds days (cuti bersama, regional holidays) and removes days
that stay working days, in `Policy.extra_holidays` / `removed_holidays` (ISO dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import holidays


@cache  # a pure function of the year
def national_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


def parse_dates(values: Iterable[str]) -> frozenset[dt.date]:
    found = set()
    for value in values:
        try:
            found.add(dt.date.fromisoformat(str(value)))
        except ValueError:
            continue
    return frozenset(found)


@dataclass(frozen=True)
class WorkingCalendar:
    extra: frozenset[dt.date] = field(default_factory=frozenset)
    removed: frozenset[dt.date] = field(default_factory=frozenset)

    def is_holiday(self, day: dt.date) -> bool:
        if day in self.removed:
            return False
        return day in self.extra or day in national_holidays(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (a complaint filed on `start` is due by the end of it)."""
        day = start
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when answered the same day)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
