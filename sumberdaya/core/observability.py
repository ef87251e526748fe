"""Health, metrics and logs for operators (issue 13, item 5).

- `/healthz`: is the database, the cache and the task queue reachable? JSON for the load balancer, no
  secrets (no addresses, versions or error texts), 503 when something is down.
- Prometheus metrics (prometheus_client through django-prometheus, whose middleware counts requests and
  their latencies by view): survey submissions by channel, refusals by reason, and the task queue's depth,
  counted when scraped. Served at `METRICS_PATH` only to addresses in `METRICS_ALLOWED_IPS` that came
  straight to the app server (a request that passed a proxy carries X-Forwarded-For and is refused), so
  the public site behind nginx never shows them. With several gunicorn workers set
  PROMETHEUS_MULTIPROC_DIR (deploy/), and every worker's counts are summed.
- One JSON line per log event (python-json-logger) with the request id: nginx's X-Request-ID when it is a
  plain token, else a new one; it is sent back in the response header. A request is logged by method,
  path, status and duration, never with its body or query string, so a citizen's answers and comment
  never reach a log.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import prometheus_client
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

logger = logging.getLogger("sumberdaya.request")
events = logging.getLogger("sumberdaya.events")

SUBMISSIONS = prometheus_client.Counter(
    "sumberdaya_survey_submissions", "Survey answers stored, by instrument and channel", ["instrument", "channel"]
)
REFUSALS = prometheus_client.Counter(
    "sumberdaya_survey_refusals", "Survey posts not stored, by reason", ["reason"]
)
REFUSAL_REASONS = (
    "form_expired", "form_invalid", "answers_incomplete", "rate_limited", "already_stored", "tablet_revoked",
)


def survey_stored(instrument: str, channel: str, unit_code: str) -> None:
    SUBMISSIONS.labels(instrument, channel).inc()
    events.info("survey.stored", extra={"instrument": instrument, "channel": channel, "unit": unit_code})


def survey_refused(reason: str, unit_code: str) -> None:
    assert reason in REFUSAL_REASONS, reason
    REFUSALS.labels(reason).inc()
    events.info("survey.refused", extra={"reason": reason, "unit": unit_code})


# ------------------------------------------------------------------------------------------ request id

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_TOKEN = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, and drops the request object Django attaches to its own records
    (its repr is harmless, but a formatter that serialises extras must never walk into POST data)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.pop("request", None)
        # Django logs a 4xx/5xx after the middleware has returned: the id is then read from the request.
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


def request_id_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _TOKEN.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path[:200],
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)

    return middleware


# ------------------------------------------------------------------------------------ probes (health, metrics)


def probe_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Answers /healthz and the metrics path before host validation and the HTTPS redirect: a load balancer
    or Prometheus reaches an app server by its address over plain HTTP (Host: 10.0.0.11:8000), and must get
    the answer, not a 400 for an unknown host or a 301 to https. Neither answer uses the Host header."""
    metrics_path = f"/{settings.METRICS_PATH}"

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return healthz(request)
        if request.path == metrics_path:
            try:
                return metrics(request)
            except Http404:
                return HttpResponse(status=404)
        return get_response(request)

    return middleware


# ---------------------------------------------------------------------------------------------- format

# PostgreSQL's error details quote the row or key that failed (a check constraint on an answer quotes the
# whole response, comment included): keep the error, never the values.
_ROW_DETAIL = re.compile(r"(Failing row contains|Key \(.*?\)=)\s*\(.*", re.MULTILINE)


def redact(text: str) -> str:
    return _ROW_DETAIL.sub(r"\1 (…)", text)


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter, with database error details redacted from tracebacks."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return redact(str(super().formatException(ei)))


class TextFormatter(logging.Formatter):
    def formatException(self, ei: Any) -> str:  # noqa: N802
        return redact(super().formatException(ei))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# ---------------------------------------------------------------------------------------------- health


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache() -> bool:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    try:
        return cache.get(key) == 1
    finally:
        cache.delete(key)


def _waiting_tasks() -> int:
    from django_tasks.backends.database.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


def _task_queue() -> bool:
    _waiting_tasks()
    return True


CHECKS: dict[str, Callable[[], bool]] = {"database": _database, "cache": _cache, "task_queue": _task_queue}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """{"status": "ok"|"fail", "checks": {"database": "ok", ...}}; 503 when any check fails."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "fail"
        except Exception:  # a server that is down raises anything (OperationalError, ConnectionError, ...)
            logging.getLogger("sumberdaya.health").exception("healthz: %s unreachable", name)
            results[name] = "fail"
    healthy = all(v == "ok" for v in results.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)


# --------------------------------------------------------------------------------------------- metrics


class TaskQueueCollector(Collector):
    """Tasks waiting for the worker, counted in the database when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            depth: float = _waiting_tasks()
        except Exception:  # the database is down: say so with NaN rather than fail the whole scrape
            depth = float("nan")
        yield GaugeMetricFamily("sumberdaya_task_queue_depth", "Tasks ready to run, not yet taken", value=depth)


def allowed_to_scrape(request: HttpRequest) -> bool:
    if "HTTP_X_FORWARDED_FOR" in request.META:  # came through nginx: the public side
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not allowed_to_scrape(request):
        raise Http404  # as if there were nothing here
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several workers: sum what each wrote to that directory
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(TaskQueueCollector())
    else:
        registry = prometheus_client.REGISTRY
    return HttpResponse(prometheus_client.generate_latest(registry), content_type=prometheus_client.CONTENT_TYPE_LATEST)


if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    prometheus_client.REGISTRY.register(TaskQueueCollector())
