"""/healthz, the Prometheus metrics and the JSON log lines (issue 13, item 5)."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django_tasks import task

from sumberdaya.core import observability
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db
ANSWERS = [4, 3, 3, 4, 3, 4, 4, 3, 2]
# Everything a log line may carry: no answers, comment, profile, form token or query string.
LOGGED_FIELDS = {
    "time", "level", "logger", "message", "request_id", "method", "path", "status", "duration_ms",
    "instrument", "channel", "unit", "reason", "status_code",
}


@task()
def _sample_task() -> None:
    """Only enqueued here (never run), to see the queue depth move."""


def _metric(client: Client, name: str, labels: str = "") -> float:
    page = client.get("/metrics")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/plain")
    text = page.content.decode()
    pattern = rf"^{re.escape(name)}{re.escape(labels)} ([0-9.e+-]+|NaN)$" if labels else rf"^{re.escape(name)} (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def _submit(client: Client, unit: Any, **extra: str) -> Any:
    page = client.get(f"/s/{unit.code}/")
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert token
    data = {"token": token.group(1), "service": str(unit.services.first().pk)}
    data.update({f"a{i}": str(v) for i, v in enumerate(ANSWERS, 1)})
    data.update(extra)
    return client.post(f"/s/{unit.code}/", data)


def test_healthz_says_the_database_cache_and_task_queue_are_reachable_and_tells_no_secret():
    page = Client().get("/healthz")
    assert page.status_code == 200 and page["Content-Type"] == "application/json"
    assert page.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "task_queue": "ok"}}
    text = page.content.decode()
    for secret in (settings.SECRET_KEY, str(settings.DATABASES["default"]["NAME"]), "postgres", "127.0.0.1"):
        assert secret not in text


def test_healthz_answers_503_and_names_the_cache_when_redis_is_down(settings):
    # Port 6394: this machine's spare Redis port, with nothing listening during the test suite.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6394/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    page = Client().get("/healthz")
    assert page.status_code == 503
    assert page.json() == {"status": "fail", "checks": {"database": "ok", "cache": "fail", "task_queue": "ok"}}
    assert "6394" not in page.content.decode() and "Error" not in page.content.decode()


def test_healthz_answers_503_when_the_database_refuses(monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    page = Client().get("/healthz")
    assert page.status_code == 503
    assert page.json()["checks"]["database"] == "fail" and page.json()["checks"]["cache"] == "ok"
    assert "refused" not in page.content.decode()


def test_metrics_count_requests_submissions_refusals_by_reason_and_the_task_queue(unit, period):
    scraper = Client()  # the test client comes from 127.0.0.1, straight to the app server
    stored = _metric(scraper, "sumberdaya_survey_submissions_total", '{channel="online",instrument="skm"}')
    incomplete = _metric(scraper, "sumberdaya_survey_refusals_total", '{reason="answers_incomplete"}')
    invalid = _metric(scraper, "sumberdaya_survey_refusals_total", '{reason="form_invalid"}')
    waiting = _metric(scraper, "sumberdaya_task_queue_depth")
    citizen = Client()
    assert _submit(citizen, unit).status_code == 302
    assert _submit(citizen, unit, a3="").status_code == 200  # an unanswered question: not stored
    assert citizen.post(f"/s/{unit.code}/", {"token": "rusak"}).status_code == 400
    _sample_task.enqueue()
    _sample_task.enqueue()
    assert Response.objects.count() == 1
    assert _metric(scraper, "sumberdaya_survey_submissions_total", '{channel="online",instrument="skm"}') == stored + 1
    assert _metric(scraper, "sumberdaya_survey_refusals_total", '{reason="answers_incomplete"}') == incomplete + 1
    assert _metric(scraper, "sumberdaya_survey_refusals_total", '{reason="form_invalid"}') == invalid + 1
    assert _metric(scraper, "sumberdaya_task_queue_depth") == waiting + 2
    text = scraper.get("/metrics").content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'django_http_responses_total_by_status_total{status="302"}' in text


def test_metrics_are_not_shown_through_the_proxy_or_to_other_addresses(unit):
    assert Client().get("/metrics").status_code == 200
    through_nginx = Client(HTTP_X_FORWARDED_FOR="203.0.113.9").get("/metrics")
    elsewhere = Client(REMOTE_ADDR="10.0.0.7").get("/metrics")
    for page in (through_nginx, elsewhere):
        assert page.status_code == 404 and b"sumberdaya_" not in page.content


def test_a_load_balancer_probing_an_app_server_by_its_address_over_http_gets_the_answer(settings):
    settings.ALLOWED_HOSTS = ["skm.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    probe = Client(HTTP_HOST="10.0.0.11:8000", REMOTE_ADDR="10.0.0.2")
    health = probe.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert probe.get("/metrics").status_code == 200
    # Any other page by address is still refused (400), and by name still redirected to https.
    assert probe.get("/hasil/").status_code == 400
    assert Client(HTTP_HOST="skm.example.go.id").get("/hasil/").status_code == 301


def test_metrics_allow_list_takes_networks(settings):
    settings.METRICS_ALLOWED_IPS = ["10.213.0.0/16"]
    assert Client(REMOTE_ADDR="10.213.2.10").get("/metrics").status_code == 200
    assert Client().get("/metrics").status_code == 404


@pytest.fixture
def json_log() -> Any:
    """The production log handler (JSON formatter, request id filter) on a buffer, at INFO."""
    from logging.config import dictConfig

    stream = io.StringIO()
    config = {**settings.LOGGING, "root": {"handlers": ["buffer"], "level": "INFO"}}
    config["handlers"] = {
        **settings.LOGGING["handlers"],
        "buffer": {"class": "logging.StreamHandler", "stream": stream, "formatter": "json", "filters": ["request_id"]},
    }
    dictConfig(config)
    yield stream
    dictConfig(settings.LOGGING)
    logging.getLogger().setLevel(logging.WARNING)


def test_each_event_is_one_json_line_with_the_request_id_and_never_the_citizens_words_or_answers(
    json_log, unit, period
):
    citizen = Client()
    reply = _submit(citizen, unit, comment="Rahasia-warga: loket tiga lambat sekali", sex="P", age="41")
    assert reply.status_code == 302 and Response.objects.get().comment.startswith("Rahasia-warga")
    lines = [line for line in json_log.getvalue().splitlines() if line]
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    request_id = reply["X-Request-ID"]
    post_lines = [e for e in events if e.get("request_id") == request_id]
    assert {e["message"] for e in post_lines} == {"survey.stored", "request"}
    assert next(e for e in post_lines if e["message"] == "request")["status"] == 302
    assert all({"time", "level", "logger", "request_id"} <= set(e) for e in events)
    text = json_log.getvalue()
    assert "Rahasia" not in text and "lambat" not in text
    assert all(set(e) <= LOGGED_FIELDS for e in events), [set(e) - LOGGED_FIELDS for e in events]


def test_the_request_id_nginx_sends_is_kept_and_a_forged_one_is_replaced():
    kept = Client(HTTP_X_REQUEST_ID="0f3c9a1b2c3d4e5f").get("/healthz")
    assert kept.status_code == 200 and kept["X-Request-ID"] == "0f3c9a1b2c3d4e5f"
    forged = Client(HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b").get("/healthz")
    assert forged.status_code == 200 and re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


def test_refusal_reasons_are_the_documented_ones():
    with pytest.raises(AssertionError):
        observability.survey_refused("something_else", "kelurahan-mawar")


MULTIPROCESS_SCRIPT = """
import django, os
django.setup()
from django.test import Client
from sumberdaya.core import observability
observability.survey_stored("skm", "kiosk", "kelurahan-mawar")
observability.survey_refused("rate_limited", "kelurahan-mawar")
print(Client().get("/metrics").content.decode())
"""


def test_with_several_gunicorn_workers_the_metrics_of_every_worker_are_summed(tmp_path):
    """PROMETHEUS_MULTIPROC_DIR (deploy/): each worker writes its counts there; a scrape reads them all."""
    import os
    import subprocess
    import sys

    directory = tmp_path / "prometheus"
    directory.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
           "SECRET_KEY": "x" * 50}
    outputs = []
    for _worker in range(2):  # two processes, one after the other, as two workers would
        done = subprocess.run([sys.executable, "-c", MULTIPROCESS_SCRIPT], env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert 'sumberdaya_survey_submissions_total{channel="kiosk",instrument="skm"} 1.0' in outputs[0]
    assert 'sumberdaya_survey_submissions_total{channel="kiosk",instrument="skm"} 2.0' in outputs[1]
    assert 'sumberdaya_survey_refusals_total{reason="rate_limited"} 2.0' in outputs[1]
    assert "sumberdaya_task_queue_depth" in outputs[1]


def test_a_database_error_that_quotes_the_failing_row_is_logged_without_its_values(json_log):
    from django.db import IntegrityError

    try:
        raise IntegrityError(
            'new row for relation "surveys_response" violates check constraint "response_a1_range"\n'
            "DETAIL:  Failing row contains (7, skm, 9, Rahasia-warga loket lambat, 2026-12-01).\n"
            'DETAIL:  Key (token)=(5f0c6d1e-0000-4000-8000-000000000001) already exists.'
        )
    except IntegrityError:
        logging.getLogger("django.request").exception("Internal Server Error: /s/kelurahan-mawar/")
    line = json.loads(json_log.getvalue().splitlines()[-1])
    assert "violates check constraint" in line["exc_info"] and "Failing row contains (…)" in line["exc_info"]
    assert "Rahasia" not in json_log.getvalue() and "5f0c6d1e" not in json_log.getvalue()
