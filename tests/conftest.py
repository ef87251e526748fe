"""Shared fixtures: units, periods, users of each role, responses, and a headless Chromium page."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

# A loaded CI machine must not turn slow examples into failures: properties are about values, not speed.
hypothesis_settings.register_profile("sumberdaya", deadline=None)
hypothesis_settings.load_profile("sumberdaya")

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _fast_password_hasher(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 costs ~0.5 s per user; only the login tests and tests marked `argon2` need the real hasher."""
    if "test_login" not in request.node.path.name and request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache (rate limits, cached dashboards, charts)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The shared-cache tests run against the Redis the machine provides.
REDIS_URL = os.environ.get("SKM_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[str]:
    """Django's cache on the machine's Redis (database 1, or SKM_TEST_REDIS_URL), as production shares it
    between servers, under a key prefix of this test's own, deleted afterwards."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": REDIS_BACKEND, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    settings.SKM_RATE_LIMIT = (20, 600)
    yield prefix
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)
    server.close()


@pytest.fixture
def unit(db: Any) -> Any:
    from sumberdaya.units.models import Service, Unit

    unit = Unit.objects.create(code="kelurahan-mawar", name="Kelurahan Mawar", kind="kelurahan", order=53)
    Service.objects.create(unit=unit, name="Surat keterangan domisili", order=1)
    Service.objects.create(unit=unit, name="Surat pengantar nikah", order=2)
    return unit


@pytest.fixture
def other_unit(db: Any) -> Any:
    from sumberdaya.units.models import Service, Unit

    unit = Unit.objects.create(code="puskesmas-cempaka", name="Puskesmas Cempaka", kind="puskesmas", order=86)
    Service.objects.create(unit=unit, name="Poli umum", order=1)
    return unit


@pytest.fixture
def period(db: Any) -> Any:
    """The current year's period, so the survey is open today."""
    from sumberdaya.surveys.models import Period

    year = timezone.localdate().year
    return Period.objects.create(
        slug=str(year), name=f"Tahun {year}", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )


@pytest.fixture
def period_2024(db: Any) -> Any:
    from sumberdaya.surveys.models import Period

    return Period.objects.create(slug="2024", name="Tahun 2024", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


def _user(username: str, role: str, units: Sequence[Any] = ()) -> Any:
    from sumberdaya.accounts.models import User

    user = User.objects.create_user(username=username, password="kata-sandi-uji-123", role=role)
    if units:
        user.units.set(units)
    return user


@pytest.fixture
def admin_user(db: Any) -> Any:
    return _user("admin-kota", "admin")


@pytest.fixture
def operator(unit: Any) -> Any:
    return _user("operator-mawar", "operator", [unit])


@pytest.fixture
def other_operator(other_unit: Any) -> Any:
    return _user("operator-cempaka", "operator", [other_unit])


@pytest.fixture
def leader(db: Any) -> Any:
    return _user("pimpinan", "leadership")


@pytest.fixture
def make_responses(db: Any) -> Callable[..., list[Any]]:
    """make_responses(unit, [[4,4,3,...], ...], when=datetime, **fields) stores SKM responses."""
    from sumberdaya.surveys.models import Response

    def make(unit: Any, rows: Sequence[Sequence[int | None]], when: dt.datetime | None = None, **fields: Any) -> list[Any]:
        when = when or timezone.now()
        objs = []
        for answers in rows:
            response = Response(unit=unit, submitted_at=when, **fields)
            for i, value in enumerate(answers, start=1):
                setattr(response, f"a{i}", value)
            objs.append(response)
        return Response.objects.bulk_create(objs)

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A cheap phone's screen: 360×740."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """screenshot(page, "survey/01-start") writes var/screenshots/survey/01-start.png."""

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(live_server: Any) -> Callable[[Any, str], None]:
    def do(page: Any, username: str, password: str = "kata-sandi-uji-123") -> None:
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")

    return do


@pytest.fixture
def tablet(unit: Any, operator: Any) -> Any:
    """A kiosk tablet registered for `unit` ("Loket 1")."""
    from sumberdaya.surveys import kiosks

    return kiosks.register(unit, "Loket 1", operator)
