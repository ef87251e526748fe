"""Dates as Indonesian officials write them, for pages, reports and documents alike."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation


def tanggal(value: dt.date | dt.datetime | None) -> str:
    """A date in Indonesian, e.g. "28 November 2026"; datetimes in the local time zone; None -> "–"."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def tanggal_jam(value: dt.datetime | None) -> str:
    """A moment in Indonesian, local time: "28 November 2026 14.05"."""
    if value is None:
        return "–"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{tanggal(local.date())} {local:%H.%M}"
