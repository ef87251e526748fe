"""Every URL of the project, walked as anonymous, as an operator of another unit, as leadership and as admin.

The URL list comes from the resolver, so pages added later are covered without touching this file. URL
parameters are filled from fixtures: a unit code is the `operator`'s unit, a period slug the current period,
an integer pk an object of that unit where we know which model the app's URLs take. Rules:
- anonymous: every non-public URL redirects to sign-in or answers 403/404, and nothing changes;
- an operator of another unit: every URL of the unit answers 403/404 (GET and POST), nothing changes;
- leadership: may GET (never a 500); every POST to a non-public URL is refused with 403 (or 405 where the
  page takes no POST at all), and nothing changes;
- admin: GETs every page without a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from sumberdaya.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db

# Pages anyone may open: the citizen survey, the short QR alias, the kiosk, published results, the open API,
# language switching, the sign-in page and the home page.
PUBLIC = re.compile(r"^(s/|k/|kios/|zi/s/|aduan/|hasil/|api/v1/|i18n/|akun/masuk/|akun/keluar/|static/|media/|$)")
# Self-service any signed-in user may POST to.
SELF_SERVICE = {"accounts:logout", "accounts:password_change", "set_language"}
# URLs the walk cannot meaningfully fill, with the reason.
SKIP = {
    "admin": "Django admin has its own staff check (is_staff) and its own tests",
}
# Which object an `<int:pk>` of each namespace names; other namespaces get a pk that does not exist, so
# their object pages are only checked for "no 500 and nothing changed" (their own tests cover the objects).
PK_OBJECTS = {"workspace": "response", "accounts": "operator_user"}
# Models whose rows legitimately change on any request (sessions, the failed-sign-in log).
VOLATILE = {Session, LoginAttempt}


@dataclass(frozen=True)
class Route:
    path: str  # with converters, e.g. "unit/<slug:code>/entri/"
    name: str  # namespaced URL name

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    @property
    def public(self) -> bool:
        return bool(PUBLIC.match(self.path))

    @property
    def of_unit(self) -> bool:
        return "<slug:code>" in self.path or "<str:code>" in self.path


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield Route(prefix + str(pattern.pattern), name)


ROUTES = [r for r in _walk(get_resolver().url_patterns) if not any(r.path.startswith(f"{s}/") for s in SKIP)]


def _fill(route: Route, objects: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name == "code":
            return objects["unit"].code
        if name in ("period", "slug"):
            return objects["period"].slug
        if name == "fmt":
            return "pdf"
        if converter == "int":
            kind = PK_OBJECTS.get(route.namespace)
            return str(objects[kind].pk) if kind else "999999"
        return objects["period"].slug

    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, route.path)
    if route.path.startswith("^") or "(?P<" in route.path:  # a regex route (none today)
        pytest.skip(f"regex route {route.path}")
    return "/" + path


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model not in VOLATILE and not model._meta.proxy
    }


@pytest.fixture
def objects(unit, other_unit, period, operator, other_operator, leader, admin_user, make_responses) -> dict[str, Any]:
    (response,) = make_responses(unit, [[3] * 9], comment="Antrean lama", comment_kind="keluhan")
    make_responses(other_unit, [[4] * 9])
    cache.clear()
    return {"unit": unit, "period": period, "response": response, "operator_user": operator}


PAYLOAD = {
    "reason": "uji izin akses", "note": "uji izin akses", "population": "100", "role": "admin", "is_active": "on",
    "username": "penyusup", "password": "sandi-yang-cukup-kuat-1", "channel": "paper", "status": "excluded",
    "comment": "uji", "comment_kind": "saran", **{f"u{i}": "4" for i in range(1, 10)},
}


def _payload(objects: dict[str, Any]) -> dict[str, str]:
    return {**PAYLOAD, "periode": objects["period"].slug, "submitted_on": timezone.localdate().isoformat()}


def _signed_in(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/akun/masuk/" in response.get("Location", "")


def test_the_walk_finds_the_pages_of_every_app():
    names = {r.name for r in ROUTES}
    assert {"dashboards:unit", "dashboards:city", "workspace:entry", "accounts:audit", "core:home"} <= names


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public], ids=lambda r: r.name or r.path)
def test_anonymous_visitors_are_sent_to_sign_in_or_refused(route, objects):
    url = _fill(route, objects)
    client = Client(raise_request_exception=False)
    before = _counts()
    for method in ("get", "post"):
        response = getattr(client, method)(url, _payload(objects) if method == "post" else None)
        assert _login_redirect(response) or response.status_code in (403, 404, 405), (
            f"{method.upper()} {url} -> {response.status_code}")
    assert _counts() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.of_unit and not r.public], ids=lambda r: r.name)
def test_an_operator_of_another_unit_is_refused(route, objects, other_operator):
    url = _fill(route, objects)
    client = _signed_in(other_operator)
    before = _counts()
    for method in ("get", "post"):
        response = getattr(client, method)(url, _payload(objects) if method == "post" else None)
        assert response.status_code in (403, 404, 405), f"{method.upper()} {url} -> {response.status_code}"
    assert _counts() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public], ids=lambda r: r.name or r.path)
def test_leadership_reads_but_every_change_is_refused(route, objects, leader):
    url = _fill(route, objects)
    client = _signed_in(leader)
    got = client.get(url)
    assert got.status_code < 500, f"GET {url} -> {got.status_code}"
    if route.name in SELF_SERVICE:
        return
    before = _counts()
    posted = client.post(url, _payload(objects))
    assert _counts() == before, f"POST {url} changed data"
    if got.status_code < 400:
        # A page leadership may read: a POST must be refused or, on a read-only page, change nothing.
        assert posted.status_code < 500, f"POST {url} -> {posted.status_code}"
        return
    # A page leadership may not even open (a form to change something, or a POST-only action): refused.
    unfilled = "<int:" in route.path and not PK_OBJECTS.get(route.namespace)
    allowed = (403, 404, 405) if unfilled else (403, 405)
    assert posted.status_code in allowed, f"POST {url} -> {posted.status_code}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.path)
def test_the_admin_opens_every_page(route, objects, admin_user):
    url = _fill(route, objects)
    response = _signed_in(admin_user).get(url)
    assert response.status_code < 500, f"GET {url} -> {response.status_code}"
