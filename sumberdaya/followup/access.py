"""Who may see and change a unit's follow-up and report, and which period a page is about."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sumberdaya.accounts.models import User
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit


def visible_unit(user: User, code: str) -> Unit:
    """The unit, or 404 when it does not exist or the user may not see it (no hint that it exists)."""
    unit = get_object_or_404(Unit, code=code)
    if not user.can_view_unit(unit):
        raise Http404
    return unit


def require_change(user: User, unit: Unit) -> None:
    """403 for someone who may read the unit but not change it (leadership)."""
    if not user.can_change_unit(unit):
        raise PermissionDenied


def require_city_admin(user: User) -> None:
    if not user.is_city_admin:
        raise PermissionDenied


def current_period() -> Period | None:
    """The longest period holding today (reports are usually yearly), else the latest one."""
    today = timezone.localdate()
    holding = sorted(Period.containing(today), key=lambda p: (p.end - p.start, p.slug), reverse=True)
    return holding[0] if holding else Period.objects.order_by("-end").first()


def chosen_period(request: HttpRequest) -> Period:
    """The period named by ?periode=, else the current one; 404 when none exists."""
    slug = request.GET.get("periode", "").strip()
    if slug:
        return get_object_or_404(Period, slug=slug)
    period = current_period()
    if period is None:
        raise Http404("Belum ada periode.")
    return period
