"""The stored scan: it runs in the background after paper entry, removes stale undecided flags, keeps decisions;
and the deadline rule looks at the channel that surged, at new devices and at the surge's own hours only."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.results.service import unit_result
from sumberdaya.surveys import integrity
from sumberdaya.surveys.integrity import Context, Row, evaluate
from sumberdaya.surveys.models import IntegrityFlag, IntegrityReview, Period, Response

LOCAL = timezone.get_fixed_timezone(8 * 60)
ALL_FOUR = (4,) * 9
_ids = iter(range(1, 10**9))


def honest_answers(rng: random.Random) -> tuple[int | None, ...]:
    base = rng.choice([2, 3, 3, 3, 4])
    return tuple(min(4, max(1, base + rng.choice([-1, 0, 0, 0, 1]))) for _ in range(9))


def row(at: dt.datetime, answers: tuple[int | None, ...], **extra: Any) -> Row:
    values: dict[str, Any] = {"channel": "online", "client": "c" + str(next(_ids)), "created_at": at}
    values.update(extra)
    return Row(id=next(_ids), unit_id=1, submitted_at=at, answers=answers, **values)


def daily(rng: random.Random, first: dt.date, days: int, per_day: int, **extra: Any) -> list[Row]:
    """Honest answers, `per_day` a day between 08:00 and 15:00."""
    return [
        row(dt.datetime.combine(first + dt.timedelta(days=d), dt.time(8), tzinfo=LOCAL)
            + dt.timedelta(minutes=rng.randrange(420)), honest_answers(rng), **extra)
        for d in range(days) for _ in range(per_day)
    ]


def surge_hits(rows: list[Row], context: Context) -> set[int]:
    return {rid for rid, found in evaluate(rows, context).items() if any(f.rule == integrity.DEADLINE_SURGE
                                                                         for f in found)}


# ------------------------------------------------------------------------------------------ deadline surge


def test_a_surge_online_is_flagged_and_the_kiosks_good_answers_of_those_days_are_not() -> None:
    rng = random.Random(21)
    first = dt.date(2024, 4, 1)
    deadline = dt.date(2024, 5, 31)
    days = (deadline - first).days + 1
    kiosk = daily(rng, first, days, 12, channel="kiosk", client="tablet-1")
    online = daily(rng, first, days, 12)
    late = dt.datetime.combine(deadline, dt.time(9), tzinfo=LOCAL)
    surge = [row(late + dt.timedelta(minutes=5 * i), tuple(4 if rng.random() < 0.85 else 3 for _ in range(9)))
             for i in range(60)]
    hit = surge_hits(kiosk + online + surge, Context(deadline=deadline, zone="Asia/Makassar"))
    assert len(hit & {r.id for r in surge}) >= 0.9 * len(surge)
    late_kiosk = {r.id for r in kiosk if r.submitted_at.date() >= deadline - dt.timedelta(days=2)}
    assert late_kiosk and not hit & late_kiosk  # the kiosk kept its pace: its answers are not the surge
    reason = next(f.detail for f in evaluate(kiosk + online + surge, Context(deadline=deadline))[surge[0].id]
                  if f.rule == integrity.DEADLINE_SURGE)
    assert "daring" in reason and "batas input 31-05-2024" in reason


def test_in_a_surge_a_device_that_answered_before_is_the_units_usual_traffic() -> None:
    rng = random.Random(22)
    first = dt.date(2024, 4, 1)
    deadline = dt.date(2024, 5, 31)
    days = (deadline - first).days + 1
    regular = daily(rng, first, days - 3, 1, client="wifi-kantor")
    online = daily(rng, first, days, 10)
    late = dt.datetime.combine(deadline, dt.time(9), tzinfo=LOCAL)
    surge = [row(late + dt.timedelta(minutes=5 * i), ALL_FOUR) for i in range(60)]
    returning = [row(late + dt.timedelta(minutes=5 * i + 2), ALL_FOUR, client="wifi-kantor") for i in range(3)]
    hit = surge_hits(regular + online + surge + returning, Context(deadline=deadline))
    assert {r.id for r in surge} <= hit
    assert not hit & {r.id for r in returning}


def test_in_a_surge_the_honest_top_scores_outside_the_surges_hours_are_not_flagged() -> None:
    rng = random.Random(24)
    first = dt.date(2024, 4, 1)
    deadline = dt.date(2024, 5, 31)
    days = (deadline - first).days + 1

    def top() -> tuple[int | None, ...]:
        return tuple(4 if rng.random() < 0.85 else 3 for _ in range(9))

    online = daily(rng, first, days, 10)
    # Citizens delighted with the service, each on their own phone, a few every day: the unit's usual traffic.
    delighted = [
        row(dt.datetime.combine(first + dt.timedelta(days=d), dt.time(8), tzinfo=LOCAL)
            + dt.timedelta(minutes=rng.randrange(420)), top())
        for d in range(days) for _ in range(2)
    ]
    message = dt.datetime.combine(deadline - dt.timedelta(days=1), dt.time(10, 20), tzinfo=LOCAL)
    surge = [row(message + dt.timedelta(minutes=rng.expovariate(1 / 30)), top()) for _ in range(60)]
    rows = online + delighted + surge
    hit = surge_hits(rows, Context(deadline=deadline, zone="Asia/Makassar"))
    assert len(hit & {r.id for r in surge}) >= 0.9 * len(surge)
    wave = {r.submitted_at.replace(minute=0, second=0, microsecond=0) for r in surge}
    spared = {r.id for r in delighted if r.submitted_at.date() >= deadline - dt.timedelta(days=2)
              and r.submitted_at.replace(minute=0, second=0, microsecond=0) not in wave}
    assert spared and not hit & spared
    reason = next(f.detail for f in evaluate(rows, Context(deadline=deadline))[surge[0].id]
                  if f.rule == integrity.DEADLINE_SURGE)
    assert "pada 30-05-2024 pukul 10.00–" in reason


def test_a_surge_spread_evenly_over_the_last_days_is_flagged_whole() -> None:
    rng = random.Random(25)
    first = dt.date(2024, 4, 1)
    deadline = dt.date(2024, 5, 31)
    days = (deadline - first).days + 1
    online = daily(rng, first, days, 20)
    # Typed in a few at a time all day long, never a wave: no hour stands out, the days do.
    surge = [row(dt.datetime.combine(deadline - dt.timedelta(days=d), dt.time(8), tzinfo=LOCAL)
                 + dt.timedelta(minutes=rng.randrange(420)), tuple(4 if rng.random() < 0.85 else 3 for _ in range(9)))
             for d in range(3) for _ in range(15)]
    hit = surge_hits(online + surge, Context(deadline=deadline))
    # (a few of the surge's answers are at a level the unit's honest answers often reach, and are spared)
    assert len(hit & {r.id for r in surge}) >= 0.8 * len(surge)


# ---------------------------------------------------------------------------------------- stale flags


@pytest.fixture
def gamed(unit: Any, period: Period, make_responses: Any) -> list[Response]:
    rng = random.Random(23)
    make_responses(unit, [list(honest_answers(rng)) for _ in range(60)])
    at = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    return [
        Response.objects.create(unit=unit, submitted_at=at + dt.timedelta(minutes=i), channel="paper",
                                **{f"a{k}": 4 for k in range(1, 10)})
        for i in range(15)
    ]


@pytest.mark.django_db
def test_a_rescan_removes_flags_no_rule_gives_any_more_but_keeps_decided_ones(
    unit: Any, period: Period, gamed: list[Response], admin_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Response.objects.filter(pk=gamed[2].pk).update(flagged=True, flag_reason="Banyak isian identik dalam 5 menit")
    first = integrity.scan(period, [unit.pk])
    assert first.flagged >= 14 and first.removed == 0
    assert all(r.flagged for r in Response.objects.filter(pk__in=[g.pk for g in gamed]))
    integrity.decide(gamed[0], admin_user, "keep")
    integrity.decide(gamed[1], admin_user, "exclude")
    counted = unit_result(unit, period).respondents

    # The rules are tuned: only the last five of the run still fire.
    still = {g.pk for g in gamed[-5:]}
    evaluate_before = integrity.evaluate
    monkeypatch.setattr(
        integrity, "evaluate",
        lambda rows, context=None: {k: v for k, v in evaluate_before(rows, context).items() if k in still},
    )
    again = integrity.scan(period, [unit.pk])
    stale = [g for g in gamed[2:-5]]  # undecided, no longer given by any rule
    assert again.findings == 0 and again.removed >= len(stale) and again.unflagged == len(stale) - 1
    for response in Response.objects.filter(pk__in=[g.pk for g in stale]):
        assert not IntegrityFlag.objects.filter(response=response).exists()
        if response.pk == gamed[2].pk:  # the submission's own burst check flagged it: that stays
            assert response.flagged and response.flag_reason == "Banyak isian identik dalam 5 menit"
        else:
            assert not response.flagged and response.flag_reason == "" and response.status == "valid"
    for response in Response.objects.filter(pk__in=still):
        assert response.flagged and IntegrityFlag.objects.filter(response=response).exists()
    kept, excluded = (Response.objects.get(pk=g.pk) for g in gamed[:2])
    assert IntegrityFlag.objects.filter(response=kept).exists() and not kept.flagged
    assert IntegrityFlag.objects.filter(response=excluded).exists() and excluded.status == "excluded"
    assert IntegrityReview.objects.get(response=kept).decision == "keep"
    assert IntegrityReview.objects.get(response=excluded).decision == "exclude"
    event = AuditEvent.objects.get(action="integrity.scan_unflag")
    assert event.unit == unit and event.after["flags_removed"] == again.removed  # type: ignore[index]
    assert event.after["responses_unflagged"] == len(stale) - 1  # type: ignore[index]
    assert unit_result(unit, period).respondents == counted  # removing a flag drops nothing

    assert integrity.scan(period, [unit.pk]).removed == 0  # idempotent
    assert AuditEvent.objects.filter(action="integrity.scan_unflag").count() == 1


@pytest.mark.django_db
def test_the_scan_command_reports_the_flags_it_removed(unit: Any, period: Period, gamed: list[Response]) -> None:
    integrity.scan(period, [unit.pk])
    response = gamed[0]
    IntegrityFlag.objects.create(response=response, rule=integrity.DUPLICATE_IMPORT, detail="lama")
    out = io.StringIO()
    call_command("integrity", "scan", "--period", period.slug, "--unit", unit.code, stdout=out)
    assert "1 tanda usang dihapus" in out.getvalue()
    assert not IntegrityFlag.objects.filter(response=response, rule=integrity.DUPLICATE_IMPORT).exists()
    assert IntegrityFlag.objects.filter(response=response).exists()  # the rules that still fire stay


# ------------------------------------------------------------------------------------------ background


@pytest.mark.django_db(transaction=True)
def test_paper_entry_queues_one_background_scan_that_the_worker_runs(
    unit: Any, period: Period, operator: Any, make_responses: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
    rng = random.Random(24)
    make_responses(unit, [list(honest_answers(rng)) for _ in range(60)])
    client = Client()
    client.force_login(operator)
    url = reverse("workspace:entry", args=[unit.code])
    data = {"submitted_on": timezone.localdate().isoformat(), "channel": "paper", "sex": "P", "age": "34",
            "education": "SMA", "occupation": "Swasta", "comment": "", "comment_kind": "", "service": ""}
    data.update({f"u{i}": "4" for i in range(1, 10)})
    for _ in range(15):
        page = client.post(url, data, follow=True)
        assert page.status_code == 200 and "Kuesioner tersimpan" in page.content.decode()
    assert Response.objects.filter(entered_by=operator).count() == 15
    assert not IntegrityFlag.objects.exists()  # nothing was scanned inside the operator's requests
    waiting = DBTaskResult.objects.ready().filter(task_path="sumberdaya.surveys.tasks.scan_units")
    assert waiting.count() == 1  # fifteen forms of one unit and day: one scan waits
    assert waiting.get().args_kwargs["args"] == [[unit.pk], [timezone.localdate().isoformat()]]

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    done = DBTaskResult.objects.get()
    assert done.status == "SUCCEEDED" and done.return_value["flagged"] >= 15
    assert Response.objects.filter(entered_by=operator, flagged=True).count() == 15
    client.post(url, data, follow=True)
    assert DBTaskResult.objects.ready().count() == 1  # the next form queues a new scan once the last one ran
