"""The signed-in menu: one list for the whole app, filtered by role and by which pages exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise  # lazy: translated in each request's language
    allowed: Callable[[User], bool]
    account: bool = False  # shown in the account menu (under the user's name) rather than the top bar


def _everyone(user: User) -> bool:
    return True


def _all_units(user: User) -> bool:
    return user.sees_all_units


def _admin(user: User) -> bool:
    return user.is_city_admin


def _unit_staff(user: User) -> bool:
    return not user.sees_all_units


# Apps add their pages here; an entry whose URL does not exist (yet) is skipped.
NAV: list[NavItem] = [
    NavItem("city_brief", _("Dasbor kota"), _all_units),
    NavItem("dashboards:my_units", _("Unit saya"), _unit_staff),
    NavItem("reports:index", _("Laporan unit"), _all_units),
    NavItem("city:recap", _("Rekap kota"), _all_units),
    NavItem("perception:city", _("Persepsi ZI"), _all_units),
    NavItem("city:monitoring", _("Pemantauan"), _all_units),
    NavItem("city:complaints", _("Aduan"), _all_units),
    NavItem("city:integrity", _("Integritas"), _admin),
    NavItem("accounts:users", _("Akun"), _admin),
    NavItem("accounts:audit", _("Log audit"), _admin, account=True),
    NavItem("accounts:password_change", _("Ganti kata sandi"), _everyone, account=True),
]


def nav_items(request: HttpRequest) -> list[dict[str, object]]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    items: list[dict[str, object]] = []
    for item in NAV:
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {"url": url, "label": item.label, "active": request.path.startswith(url), "account": item.account}
        )
    return items
