"""Periods as staff pages and reports move between them: the chosen one, earlier ones, the years.

One set of rules for every page, report and trend: a period's kind (tahunan, semester, triwulan) comes from
its slug (custom slugs: from the window's length), and "earlier" means the same kind, ended before this
one began.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sumberdaya.skm.periods import parse_period_slug
from sumberdaya.surveys.models import Period

TREND_PERIODS = 6  # earlier periods a dashboard or report shows beside the current one


def chosen_period(request: HttpRequest) -> Period:
    """`?periode=<slug>` (or the form field) or the current period; 404 for an unknown slug or no period yet."""
    slug = request.GET.get("periode") or request.POST.get("periode")
    if slug:
        return get_object_or_404(Period, slug=slug.strip())
    period = Period.current()
    if period is None:
        raise Http404(_("Belum ada periode survei. Admin kota perlu membuat periode lebih dulu."))
    return period


def period_kind(period: Period) -> str:
    """tahunan / semester / triwulan from the slug; custom slugs fall back to the window's length."""
    try:
        return parse_period_slug(period.slug).kind
    except ValueError:
        days = (period.end - period.start).days
        return "tahunan" if days > 250 else "semester" if days > 120 else "triwulan"


KIND_ORDER = {"tahunan": 0, "semester": 1, "triwulan": 2}


def calendar_order(periods: Iterable[Period] | None = None) -> list[Period]:
    """Periods as every list and picker shows them: newest year first; within a year the year itself, then
    S1, S2, then TW I..IV (each kind by its start). Without an argument: every period."""
    found = list(Period.objects.all() if periods is None else periods)
    return sorted(found, key=lambda p: (-p.start.year, KIND_ORDER.get(period_kind(p), 3), p.start, p.end, p.slug))


def earlier_periods(period: Period, limit: int = TREND_PERIODS) -> list[Period]:
    """Periods of the same kind that ended before this one starts, oldest first."""
    kind = period_kind(period)
    candidates = Period.objects.filter(end__lt=period.start).order_by("-start")
    return [p for p in candidates if period_kind(p) == kind][:limit][::-1]


def previous_period(period: Period) -> Period | None:
    earlier = earlier_periods(period, 1)
    return earlier[-1] if earlier else None


def annual_periods(until: Period | None = None) -> list[Period]:
    """Year periods in time order, up to `until`'s end: the city trend's x-axis."""
    periods = [p for p in Period.objects.order_by("start") if period_kind(p) == "tahunan"]
    if until is not None:
        periods = [p for p in periods if p.start <= until.end]
    return periods


def sub_periods(period: Period) -> list[Period]:
    """Shorter periods inside this one's window (quarters and half-years of a year), by start."""
    inside = Period.objects.filter(start__gte=period.start, end__lte=period.end).exclude(pk=period.pk)
    return list(inside.order_by("start", "-end"))
