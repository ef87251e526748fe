"""Django settings for Sumber Daya, read from environment variables (see README's Configuration table).

Every environment variable is read here, once, with its type (environs); the rest of the code reads
`settings.X`. A value that does not parse ("ture", "20x", an unknown SKM_WEIGHT) stops the start with
ImproperlyConfigured naming every bad variable, instead of quietly becoming False or a default.
Importing this module writes nothing: var/secret_key is made by `make install`
(`python -m sumberdaya.keyfile`), never here.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvValidationError
from marshmallow import ValidationError
from marshmallow.validate import URL, OneOf, Range

from sumberdaya.skm.aggregate import Method
from sumberdaya.skm.scoring import Weight

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# eager=False: collect every bad value, then report them together at env.seal() below.
env = Env(eager=False)


def _parses_with(parse: Any) -> Any:
    """A validator: the value must be one `parse` accepts (marshmallow wants a raised ValidationError)."""

    def validate(value: str) -> None:
        try:
            parse(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    return validate


def _redis_url(value: str) -> None:
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("expected redis://host:port/db, rediss://… or unix://…")


def _url_path(value: str) -> None:
    if not re.fullmatch(r"/?[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?", value):
        raise ValueError("expected a path such as metrics or internal/metrics")


def _networks(values: list[str]) -> None:
    for value in values:
        ipaddress.ip_network(value, strict=False)


VAR_DIR = env.path("SUMBERDAYA_VAR", PROJECT_DIR / "var")
DEBUG = env.bool("DEBUG", False)
_SECRET_KEY = env.str("SECRET_KEY", "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", [])
_CONN_MAX_AGE = env.int("CONN_MAX_AGE", 60, validate=Range(min=0))
_PG_RANDOM_PAGE_COST = env.float("PG_RANDOM_PAGE_COST", 1.1, validate=Range(min=0))
REDIS_URL = env.str("REDIS_URL", "", validate=_parses_with(_redis_url))
TIME_ZONE = env.str("TIME_ZONE", "Asia/Makassar")
_PLAIN_STATIC = env.bool("SUMBERDAYA_PLAIN_STATIC", True)
_MEDIA_ROOT = env.path("MEDIA_ROOT", None)
_SECURE_COOKIES = env.bool("SECURE_COOKIES", False)
_SECURE_PROXY_SSL = env.bool("SECURE_PROXY_SSL", False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0, validate=Range(min=0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", True)
_LOG_LEVEL = env.str("LOG_LEVEL", "WARNING", validate=OneOf(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]))
_LOG_FORMAT = env.str("LOG_FORMAT", "json", validate=OneOf(["json", "text"]))
# Prometheus metrics: only for these addresses, coming straight to an app server (core/observability.py).
METRICS_PATH = env.str("METRICS_PATH", "metrics", validate=_parses_with(_url_path)).strip("/")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", ["127.0.0.1/32", "::1/128"], validate=_parses_with(_networks))
# gunicorn's own worker count variable; with more than one process the cache must be shared (core/checks.py).
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", 1, validate=Range(min=1))

# SKM settings: the weight (0.111 as printed on the official worksheet, or the exact 1/9) and how a group
# or the city averages its units (mean of unit IKMs as Banjarmasin reports, pooled, or weighted).
SKM_WEIGHT = env.str("SKM_WEIGHT", "0.111", validate=_parses_with(Weight.parse))
SKM_AGGREGATION = env.str("SKM_AGGREGATION", "mean", validate=_parses_with(Method))
SKM_CITY_NAME = env.str("SKM_CITY_NAME", "Kota Banjarmasin")
# The address printed under the QR code on posters (the QR goes on paper, so it must be the public one).
SKM_PUBLIC_BASE_URL = env.str(
    "SKM_PUBLIC_BASE_URL", "http://127.0.0.1:8000", validate=URL(require_tld=False, schemes={"http", "https"})
)
# Behind a reverse proxy (nginx: 1) the client address comes from X-Forwarded-For (accounts/client.py); never
# trust it otherwise.
SKM_TRUSTED_PROXY_COUNT = env.int("SKM_TRUSTED_PROXY_COUNT", 0, validate=Range(min=0, max=5))
# Submissions per client: (count, seconds); a registered kiosk tablet serves many people.
SKM_RATE_LIMIT = (env.int("SKM_RATE_LIMIT", 20, validate=Range(min=1)), 600)
SKM_KIOSK_RATE_LIMIT = (env.int("SKM_KIOSK_RATE_LIMIT", 240, validate=Range(min=1)), 600)
# Complaint tracking-code lookups per client address: (count, seconds), so codes cannot be enumerated.
SKM_LOOKUP_RATE_LIMIT = (env.int("SKM_LOOKUP_RATE_LIMIT", 60, validate=Range(min=1)), 600)
# Seconds a survey form stays valid (long enough for a slow queue, short against replays).
SKM_FORM_MAX_AGE = env.int("SKM_FORM_MAX_AGE", 12 * 3600, validate=Range(min=60))
# Seconds the citizen survey keeps a unit, its services and the open period in process memory.
SKM_SURVEY_CACHE_SECONDS = env.float("SKM_SURVEY_CACHE_SECONDS", 10.0, validate=Range(min=0))
# A unit report submitted or accepted before its period ends: "warn" (allowed once the person confirms it)
# or "refuse" (not before the period's last day has passed).
SKM_EARLY_REPORTS = env.str("SKM_EARLY_REPORTS", "warn", validate=OneOf(["warn", "refuse"]))
# Processes that lay out the parts of a large report PDF side by side (reports/pdf.py); unset: the machine's
# cores (at most 4); 1: in one piece.
SKM_PDF_WORKERS: int | None = env.int("SKM_PDF_WORKERS", None, validate=Range(min=1, max=16))
# Reminder e-mails to late units (city/reminders.py) go through Django's SMTP backend with these.
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25, validate=Range(min=1, max=65535))
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 10, validate=Range(min=1))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "skm@localhost")
# Report groups, `[(group name, [unit kinds]), ...]`; None keeps Banjarmasin's (units/groups.py). Not an
# environment variable: a city that needs its own sets it in a settings module that imports this one.
SKM_UNIT_GROUPS: list[tuple[str, list[str]]] | None = None

try:
    env.seal()
except EnvValidationError as error:
    problems = "; ".join(
        f"{name}={os.environ.get(name, '')[:40]!r}: {' '.join(map(str, messages))}"
        for name, messages in dict(error.error_messages).items()  # type: ignore[arg-type]
    )
    raise ImproperlyConfigured(f"Invalid environment variable(s): {problems} (see README, Configuration)")

SKM_PUBLIC_BASE_URL = SKM_PUBLIC_BASE_URL.rstrip("/")


def _secret_key() -> str:
    """SECRET_KEY, else var/secret_key (made by `make install`), else in DEBUG a key for this process only."""
    if _SECRET_KEY.startswith("CHANGE"):
        raise ImproperlyConfigured("SECRET_KEY is still the placeholder of deploy/sumberdaya.env: generate one.")
    if _SECRET_KEY:
        return _SECRET_KEY
    path = VAR_DIR / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    if DEBUG:
        # Sessions and open survey forms end when the process restarts; fine for a developer's machine.
        return secrets.token_urlsafe(50)
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: set the SECRET_KEY environment variable (production), or run "
        "`python -m sumberdaya.keyfile` once to keep a generated key in var/secret_key."
    )


SECRET_KEY = _secret_key()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_prometheus",
    "django_tasks",
    "django_tasks.backends.database",
    "sumberdaya.core",
    "sumberdaya.units",
    "sumberdaya.accounts",
    "sumberdaya.surveys",
    "sumberdaya.results",
    "sumberdaya.complaints",
    "sumberdaya.dashboards",
    "sumberdaya.citizen",
    "sumberdaya.workspace",
    "sumberdaya.followup",
    "sumberdaya.reports",
    "sumberdaya.city",
    "sumberdaya.perception",
    "sumberdaya.public",
]

# Reports are built by a worker (`sumberdaya db_worker`, started by `make run`), queued in the database:
# the SQLite default and PostgreSQL alike, no broker to run.
TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

MIDDLEWARE = [
    "sumberdaya.core.observability.request_id_middleware",
    "sumberdaya.core.observability.probe_middleware",  # /healthz and metrics: before host check and redirect
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sumberdaya.core.middleware.RefuseNulBytes",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sumberdaya.core.language.ChosenLanguageMiddleware",  # not LocaleMiddleware: no Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sumberdaya.core.middleware.CSPMiddleware",  # django-csp's, its header built once (core/middleware.py)
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "sumberdaya.urls"
CSRF_FAILURE_VIEW = "sumberdaya.core.views.csrf_failure"  # the styled Indonesian 403, not Django's English one
WSGI_APPLICATION = "sumberdaya.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sumberdaya.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'sumberdaya.sqlite3'}",
        conn_max_age=_CONN_MAX_AGE,
        # A kept connection is tested before a request reuses it, so a restarted PostgreSQL costs no error page.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) assumes spinning disks; on SSDs 1.1 is the usual value, and
    # with it the planner reads recaps from the covering indexes (index-only scans) instead of the table.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c random_page_cost={_PG_RANDOM_PAGE_COST}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the survey keep accepting answers while a report reads.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {
    "default": (
        # Django's Redis backend, reusing its Redis client (core/cache.py).
        {"BACKEND": "sumberdaya.core.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sumberdaya"}
    )
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # collectstatic fills it (`make install` creates it for development)
MEDIA_URL = "media/"
MEDIA_ROOT = _MEDIA_ROOT or VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or _PLAIN_STATIC
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_SECURE = _SECURE_COOKIES
# Behind nginx that terminates TLS and sets `X-Forwarded-Proto $scheme` (and strips a client's own).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _SECURE_PROXY_SSL else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every response. Scripts only from our own static files (every
# <script> has a src; none is inline, and there are no on*= handlers), nothing framed, no plugins, forms
# post only here. Styles too only from our own stylesheets: no served template has a style attribute or a
# <style> block (page styles live in app.css under the page's body class, a bar's width is a <progress>
# value, the SVG charts use presentation attributes), so an injected style is refused as well. Only the
# templates WeasyPrint renders to PDF (surveys/poster.html, surveys/invitations.html,
# reports/document_base.html and reports/blocks.py) keep inline styles: they are never served as pages.
# tests/core/test_csp.py and the every-page crawl (tests/test_every_page_browser.py) keep it so.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# One JSON line per event with the request id (core/observability.py); LOG_FORMAT=text for a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sumberdaya.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "sumberdaya.core.observability.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
        "text": {
            "()": "sumberdaya.core.observability.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": _LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
}

# SQLite ignores the covering index's INCLUDE columns (used on PostgreSQL); that is expected.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
