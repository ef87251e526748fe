"""The survey path at scale (issue 18, item 3): one INSERT per answer, burst rules from the cache, a light worker."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sumberdaya.surveys import abuse
from sumberdaya.surveys.models import Response

from .test_survey import form_token, submit, survey_url

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PIL", "lxml", "openpyxl", "segno", "vl_convert", "weasyprint", "docx", "matplotlib")


@pytest.mark.django_db(transaction=True)  # no test transaction around it: autocommit, as in production
def test_an_accepted_answer_is_one_insert_and_nothing_else(client: Client, unit: Any, period: Any) -> None:
    submit(client, unit)  # the first visit fills the caches (unit, period, page)
    token = form_token(client, survey_url(unit))
    data = {"token": token, "service": str(unit.services.first().pk), **{f"a{i}": "3" for i in range(1, 10)}}
    with CaptureQueriesContext(connection) as queries:
        reply = client.post(survey_url(unit), data)
    assert reply.status_code == 302 and "/terima-kasih/" in reply["Location"]
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1, statements  # no BEGIN/COMMIT, no burst SELECTs
    assert statements[0].startswith('INSERT INTO "surveys_response"')
    if connection.vendor == "postgresql":
        assert 'RETURNING "id"' in statements[0]
    assert Response.objects.filter(token=uuid.UUID(json_token(token)["t"])).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_visit_is_one_cache_round_trip_for_the_form_and_one_for_the_answer(
    redis_cache: str, client: Client, unit: Any, period: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """GET: the unit, the period and the blank page in one MGET; POST: the unit and the period, then the rate
    limit with the burst rules in one script."""
    import redis.client

    settings.SKM_SURVEY_CACHE_SECONDS = 10  # as in production
    submit(client, unit)  # fills the caches
    sent: list[str] = []
    real = redis.client.Redis.execute_command
    pipeline = redis.client.Pipeline.execute

    def command(self: Any, *args: Any, **options: Any) -> Any:
        sent.append(str(args[0]))
        return real(self, *args, **options)

    def pipelined(self: Any, *args: Any, **options: Any) -> Any:
        sent.append("PIPELINE " + " ".join(str(c[0][0]) for c in self.command_stack))
        return pipeline(self, *args, **options)

    monkeypatch.setattr(redis.client.Redis, "execute_command", command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", pipelined)
    page = client.get(survey_url(unit))
    assert page.status_code == 200 and "Kelurahan Mawar" in page.content.decode()
    assert sent == ["MGET"]
    sent.clear()
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    data = {"token": token, "service": str(unit.services.first().pk), **{f"a{i}": "3" for i in range(1, 10)}}
    reply = client.post(survey_url(unit), data)
    assert reply.status_code == 302 and "/terima-kasih/" in reply["Location"]
    assert [c for c in sent if not c.startswith("SCRIPT")] == ["MGET", "EVALSHA"], sent


def json_token(token: str) -> dict[str, Any]:
    from django.core import signing

    from sumberdaya.surveys.tokens import SALT

    return signing.loads(token, salt=SALT)  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_the_precompiled_insert_stores_what_save_would(unit: Any, period: Any) -> None:
    now = timezone.now()
    response = Response(unit=unit, submitted_at=now, a1=4, a9=1, comment="Ruang tunggu", client="c", token=uuid.uuid4())
    response.insert()
    stored = Response.objects.get(pk=response.pk)
    assert (stored.a1, stored.a2, stored.a9, stored.comment, stored.scale) == (4, None, 1, "Ruang tunggu", 4)
    assert stored.status == Response.Status.VALID and stored.instrument == "skm" and not stored.demo
    assert stored.submitted_at == now and stored.token == response.token
    assert not response._state.adding


def _flags(calls: list[dict[str, Any]]) -> list[list[str]]:
    now = timezone.now()
    return [
        abuse.burst_flags(unit_id=1, now=now + dt.timedelta(seconds=i), **call) for i, call in enumerate(calls)
    ]


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_the_burst_rules_flag_the_fifth_from_one_client_and_the_fifth_identical_in_a_row(
    backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    same = [{"client": "a", "answers": [1 + (i + j) % 4 for j in range(9)], "kiosk": False} for i in range(6)]
    assert _flags(same) == [[]] * 4 + [[abuse.FLAG_SAME_CLIENT]] * 2
    identical = [{"client": f"c{i}", "answers": [4] * 9, "kiosk": False} for i in range(6)]
    assert _flags(identical) == [[]] * 4 + [[abuse.FLAG_IDENTICAL]] * 2
    # A tablet serves many people: only the identical-answers rule applies.
    tablet = [{"client": "kiosk:1", "answers": [2] * 9, "kiosk": True} for _ in range(5)]
    assert _flags(tablet) == [[]] * 4 + [[abuse.FLAG_IDENTICAL]]


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_a_resent_form_counts_once_and_old_submissions_leave_the_window(
    backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    now = timezone.now()
    token = uuid.uuid4()
    for _ in range(6):  # the same form six times (a retry after a database restart): one submission
        flags = abuse.burst_flags(unit_id=2, client="b", answers=[3] * 9, kiosk=False, now=now, token=token)
    assert flags == []
    old = now - abuse.SAME_CLIENT_WINDOW - dt.timedelta(minutes=1)
    for i in range(4):
        abuse.burst_flags(unit_id=3, client="d", answers=[i % 4 + 1] * 9, kiosk=False, now=old)
    assert abuse.burst_flags(unit_id=3, client="d", answers=[1, 2] * 4 + [1], kiosk=False, now=now) == []


def test_importing_the_wsgi_app_and_serving_the_survey_loads_no_heavy_library(tmp_path: Path) -> None:
    """Pillow, lxml, openpyxl, segno, vl-convert, WeasyPrint, python-docx load only where used (posters,
    exports, charts, reports), so a survey worker stays small."""
    script = f"""
import json, re, sys
import sumberdaya.wsgi  # noqa: F401
from django.test import Client
from django.utils import timezone
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Service, Unit
unit = Unit.objects.create(code="u1", name="Kelurahan Uji", kind="kelurahan")
service = Service.objects.create(unit=unit, name="Surat", order=1)
year = timezone.localdate().year
Period.objects.create(slug=str(year), name=str(year), start=f"{{year}}-01-01", end=f"{{year}}-12-31")
client = Client()
page = client.get("/s/u1/").content.decode()
token = re.search(r'name="token" value="([^"]+)"', page).group(1)
data = {{"token": token, **{{f"a{{i}}": "3" for i in range(1, 10)}}}}
reply = client.post("/s/u1/", data)
print(json.dumps({{"status": reply.status_code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "sumberdaya.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"status": 302, "loaded": []}
