"""Server-side permission checks shared by every staff view: 404 for what a user may not see, 403 for
what a read-only user tries to change."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from sumberdaya.accounts.models import User
from sumberdaya.units.models import Unit

View = Callable[..., HttpResponse]


def staff_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


def get_unit_for(request: HttpRequest, code: str, *, change: bool = False) -> Unit:
    """The unit `code` if the user may see it (else 404); with `change`, 403 unless they may change it."""
    return check_unit(request, get_object_or_404(Unit, code=code), change=change)


def check_unit(request: HttpRequest, unit: Unit, *, change: bool = False) -> Unit:
    """`get_unit_for` for a unit already at hand (e.g. the unit of an object fetched by id)."""
    user = staff_user(request)
    if not user.can_view_unit(unit):
        raise Http404
    if change and not user.can_change_unit(unit):
        raise PermissionDenied
    return unit


def require_city_admin(request: HttpRequest) -> None:
    if not staff_user(request).is_city_admin:
        raise PermissionDenied


def unit_change_allowed(request: HttpRequest, unit: Unit) -> bool:
    return staff_user(request).can_change_unit(unit)


def admin_required(view: View) -> View:
    """Only the city admin; anyone else signed in gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff_user(request).is_city_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def all_units_required(view: View) -> View:
    """City admin and leadership (who see every unit)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff_user(request).sees_all_units:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
