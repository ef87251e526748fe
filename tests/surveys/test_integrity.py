"""Each integrity rule flags its pattern and leaves the matching honest case alone; flags never drop anything."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.results.service import unit_result
from sumberdaya.surveys import integrity
from sumberdaya.surveys.integrity import Context, Reference, Row, evaluate
from sumberdaya.surveys.models import IntegrityFlag, Period, Response

LOCAL = timezone.get_fixed_timezone(8 * 60)
START = dt.datetime(2024, 5, 6, 8, 0, tzinfo=LOCAL)  # a Monday
_ids = iter(range(1, 10**9))


def honest_answers(rng: random.Random, level: int = 3) -> tuple[int | None, ...]:
    base = rng.choice([level - 1, level, level, level, min(4, level + 1)])
    return tuple(min(4, max(1, base + rng.choice([-1, 0, 0, 0, 1]))) for _ in range(9))


def row(at: dt.datetime, answers: tuple[int | None, ...], **extra: Any) -> Row:
    values: dict[str, Any] = {"channel": "online", "client": "c" + str(next(_ids)), "created_at": at}
    values.update(extra)
    return Row(id=next(_ids), unit_id=1, submitted_at=at, answers=answers, **values)


def counter(rng: random.Random, n: int, per_hour: int = 40, level: int = 3, **extra: Any) -> list[Row]:
    """A busy counter: n honest answers, many an hour, during service hours."""
    rows = []
    at = START
    for _ in range(n):
        at += dt.timedelta(minutes=rng.expovariate(per_hour / 60))
        if at.hour >= 16:
            at = at.replace(hour=8) + dt.timedelta(days=1 if at.weekday() < 5 else 2)
        rows.append(row(at, honest_answers(rng, level), **extra))
    return rows


def excellent(rng: random.Random, n: int, **extra: Any) -> list[Row]:
    """A genuinely excellent unit: most citizens give 4 everywhere."""
    rows = counter(rng, n, **extra)
    return [
        Row(**{**r.__dict__, "answers": (4,) * 9 if rng.random() < 0.55 else r.answers}) for r in rows
    ]


def rules_hit(rows: list[Row], context: Context | None = None) -> dict[str, set[int]]:
    found = evaluate(rows, context)
    hit: dict[str, set[int]] = {}
    for response_id, findings in found.items():
        for finding in findings:
            hit.setdefault(finding.rule, set()).add(response_id)
    return hit


ALL_FOUR = (4,) * 9


def test_a_run_of_identical_questionnaires_is_flagged_with_its_reason() -> None:
    rng = random.Random(1)
    honest = counter(rng, 300)
    at = honest[150].submitted_at
    gamed = [row(at + dt.timedelta(minutes=i + 0.5), (4, 4, 3, 4, 4, 4, 3, 4, 4)) for i in range(12)]
    found = evaluate(honest + gamed)
    assert {r.id for r in gamed} <= set(found)
    finding = found[gamed[0].id][0]
    assert finding.rule == integrity.IDENTICAL_RUN
    assert "berjawaban persis sama" in finding.detail


def test_an_excellent_busy_counter_with_many_identical_fours_is_left_alone() -> None:
    rng = random.Random(2)
    rows = excellent(rng, 2000, channel="kiosk", client="tablet-1")
    flagged = set(evaluate(rows, Context(history=Reference.of(excellent(rng, 2000)))))
    assert len(flagged) <= 0.02 * len(rows)


def test_top_straightlining_far_above_the_units_history_is_flagged() -> None:
    rng = random.Random(3)
    history = Reference.of(counter(rng, 500))
    honest = counter(rng, 200)
    day = honest[100].submitted_at
    # One operator types 15 all-4 forms among the day's honest ones, not in a row.
    staff = [row(day + dt.timedelta(minutes=7 * i), ALL_FOUR, channel="paper", entered_by=9) for i in range(15)]
    hit = rules_hit(honest + staff, Context(history=history))
    assert {r.id for r in staff} <= hit.get(integrity.TOP_STRAIGHTLINE, set()) | hit.get(integrity.SOURCE_BURST, set())
    assert integrity.TOP_STRAIGHTLINE in hit


def test_an_excellent_unit_giving_fours_as_usual_is_not_straightlining() -> None:
    rng = random.Random(4)
    history = Reference.of(excellent(rng, 800))
    rows = excellent(rng, 400, channel="paper", entered_by=9)
    assert integrity.TOP_STRAIGHTLINE not in rules_hit(rows, Context(history=history))


def test_a_burst_from_one_device_with_one_answer_pattern_is_flagged() -> None:
    rng = random.Random(5)
    honest = counter(rng, 300)
    at = honest[10].submitted_at
    vector = (4, 3, 4, 4, 4, 3, 4, 4, 4)
    device = [row(at + dt.timedelta(minutes=4 * i), vector if i % 3 else honest_answers(rng), client="phone")
              for i in range(12)]
    hit = rules_hit(honest + device)
    assert {r.id for r in device if r.answers == vector} <= hit[integrity.SOURCE_BURST]


def short_burst(at: dt.datetime, rng: random.Random, vector: tuple[int | None, ...], client: str) -> list[Row]:
    """Eight answers from one device within half an hour: five of one pattern, three varied high ones."""
    answers = [vector] * 5 + [tuple(rng.choice([3, 4, 4]) for _ in range(9)) for _ in range(3)]
    rng.shuffle(answers)
    return [row(at + dt.timedelta(minutes=4 * i), a, client=client) for i, a in enumerate(answers)]


def test_a_short_burst_from_one_phone_mostly_of_one_rare_pattern_is_flagged() -> None:
    rng = random.Random(15)
    history = Reference.of(counter(rng, 1500))
    honest = counter(rng, 300)
    device = short_burst(honest[10].submitted_at, rng, (4, 4, 3, 4, 4, 4, 4, 3, 4), "staff-phone")
    hit = rules_hit(honest + device, Context(history=history))
    assert {r.id for r in device} <= hit[integrity.SOURCE_BURST]
    assert not {r.id for r in honest} & hit[integrity.SOURCE_BURST]


def test_a_short_burst_on_the_offices_wifi_mostly_of_the_units_usual_fours_is_not_a_burst() -> None:
    rng = random.Random(16)
    history = Reference.of(excellent(rng, 1500))
    honest = excellent(rng, 300)
    wifi = short_burst(honest[10].submitted_at, rng, ALL_FOUR, "office-wifi")
    assert integrity.SOURCE_BURST not in rules_hit(honest + wifi, Context(history=history))


def test_many_citizens_on_the_offices_wifi_are_not_a_burst() -> None:
    rng = random.Random(6)
    rows = counter(rng, 400, per_hour=30, client="office-wifi")
    assert integrity.SOURCE_BURST not in rules_hit(rows)


def test_one_import_of_uniform_high_scores_is_a_burst_and_an_honest_import_is_not() -> None:
    rng = random.Random(7)
    history = Reference.of(counter(rng, 400))
    honest = counter(rng, 200, channel="paper", import_batch=1)
    gamed = [row(START + dt.timedelta(days=3, minutes=i), ALL_FOUR, channel="paper", import_batch=2)
             for i in range(20)]
    hit = rules_hit(honest + gamed, Context(history=history))
    assert {r.id for r in gamed} <= hit[integrity.SOURCE_BURST]
    assert not {r.id for r in honest} & hit[integrity.SOURCE_BURST]


def test_a_surge_of_high_scores_just_before_the_deadline_is_flagged() -> None:
    rng = random.Random(8)
    honest = counter(rng, 300, per_hour=1)
    deadline = timezone.localtime(honest[-1].submitted_at).date() + dt.timedelta(days=10)
    late = dt.datetime.combine(deadline, dt.time(9), tzinfo=LOCAL)
    surge = [row(late + dt.timedelta(minutes=2 * i), (4, 4, 4, 4, 3, 4, 4, 4, rng.choice([3, 4])),
                 client=f"s{i}") for i in range(60)]
    hit = rules_hit(honest + surge, Context(deadline=deadline))
    assert len(hit[integrity.DEADLINE_SURGE] & {r.id for r in surge}) >= 0.9 * len(surge)


def test_an_ordinary_rush_before_the_deadline_is_not_flagged() -> None:
    rng = random.Random(9)
    honest = counter(rng, 300, per_hour=1)
    deadline = timezone.localtime(honest[-1].submitted_at).date() + dt.timedelta(days=10)
    late = dt.datetime.combine(deadline, dt.time(9), tzinfo=LOCAL)
    rush = [row(late + dt.timedelta(minutes=2 * i), honest_answers(rng)) for i in range(60)]
    assert integrity.DEADLINE_SURGE not in rules_hit(honest + rush, Context(deadline=deadline))


def test_paper_forms_dated_at_night_are_flagged_but_not_at_a_24_hour_service() -> None:
    rng = random.Random(10)
    honest = counter(rng, 100, channel="paper", entered_by=3)
    night = START.replace(hour=22)
    forms = [row(night + dt.timedelta(minutes=i), honest_answers(rng), channel="paper", entered_by=3)
             for i in range(5)]
    assert {r.id for r in forms} == rules_hit(honest + forms)[integrity.OFF_HOURS]
    assert integrity.OFF_HOURS not in rules_hit(honest + forms, Context(always_open=True))
    one_late = [row(night, honest_answers(rng), channel="paper", entered_by=3)]
    assert integrity.OFF_HOURS not in rules_hit(honest + one_late)


def test_the_same_questionnaires_imported_again_are_flagged_only_in_the_second_import() -> None:
    rng = random.Random(11)
    first = counter(rng, 40, channel="paper", import_batch=1)
    for r in first:
        object.__setattr__(r, "profile", (None, "L", 30 + r.id % 20, "SMA", "Swasta", ""))
    later = START + dt.timedelta(days=5)
    again = [Row(**{**r.__dict__, "id": next(_ids), "import_batch": 2, "created_at": later}) for r in first[:10]]
    hit = rules_hit(first + again)
    assert hit[integrity.DUPLICATE_IMPORT] == {r.id for r in again}


def test_two_honest_imports_with_a_chance_match_are_not_duplicates() -> None:
    rng = random.Random(12)
    first = counter(rng, 40, channel="paper", import_batch=1)
    second = counter(rng, 40, channel="paper", import_batch=2)
    twin = Row(**{**first[0].__dict__, "id": next(_ids), "import_batch": 2})  # one chance twin
    assert integrity.DUPLICATE_IMPORT not in rules_hit(first + second + [twin])


# --------------------------------------------------------------------------------------------- database


@pytest.fixture
def gamed(unit: Any, period: Period, make_responses: Any) -> list[Response]:
    rng = random.Random(13)
    make_responses(unit, [list(honest_answers(rng)) for _ in range(60)])
    at = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    return [
        Response.objects.create(unit=unit, submitted_at=at + dt.timedelta(minutes=i), channel="paper",
                                **{f"a{k}": 4 for k in range(1, 10)})
        for i in range(15)
    ]


@pytest.mark.django_db
def test_a_scan_flags_but_keeps_counting_until_a_person_decides(
    unit: Any, period: Period, gamed: list[Response], admin_user: Any
) -> None:
    before = unit_result(unit, period)
    summary = integrity.scan(period, [unit.pk])
    assert summary.flagged >= 15
    after = unit_result(unit, period)
    assert after.respondents == before.respondents and after.ikm == before.ikm  # nothing dropped
    assert after.flagged_responses >= 15 and after.ikm_unflagged < after.ikm
    assert integrity.scan(period, [unit.pk]).findings == 0  # idempotent

    integrity.decide(gamed[0], admin_user, "keep")
    integrity.decide(gamed[1], admin_user, "exclude")
    gamed[0].refresh_from_db()
    gamed[1].refresh_from_db()
    assert not gamed[0].flagged and gamed[0].status == "valid"
    assert gamed[1].status == "excluded" and "Integritas" in gamed[1].excluded_reason
    assert AuditEvent.objects.filter(action="response.integrity_decide").count() == 2
    integrity.scan(period, [unit.pk])
    gamed[0].refresh_from_db()
    assert not gamed[0].flagged  # a kept response is not flagged again
    assert IntegrityFlag.objects.filter(response=gamed[0]).exists()  # its reasons stay


@pytest.mark.django_db
def test_forty_identical_paper_rows_imported_a_minute_apart_are_flagged_and_shown_in_the_recap(
    unit: Any, period: Period, make_responses: Any, tmp_path: Any
) -> None:
    import io
    import json

    from django.core.management import call_command

    # The paper rows a minute apart and already past, whatever the hour the suite runs; the unit's own history
    # hours before them (both inside the period but in its first hours).
    now = timezone.localtime()
    year_start = dt.datetime.combine(period.start, dt.time(0), tzinfo=now.tzinfo)
    start = max(now - dt.timedelta(minutes=42), year_start)
    step = min(dt.timedelta(minutes=1), (now - start) / 41)
    rng = random.Random(14)
    make_responses(unit, [list(honest_answers(rng)) for _ in range(80)], when=max(start - dt.timedelta(hours=3), year_start))
    lines = ["unit,submitted_at,service,channel,u1,u2,u3,u4,u5,u6,u7,u8,u9,sex,age,education,occupation,comment"]
    lines += [f"{unit.code},{start + i * step:%Y-%m-%d %H:%M:%S},,paper,4,4,4,4,4,4,4,4,4,,,,," for i in range(40)]
    path = tmp_path / "kertas.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import_responses", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Response.objects.filter(flagged=True, import_batch__isnull=False).count() == 40
    out = io.StringIO()
    call_command("recap", "--period", period.slug, "--format", "json", stdout=out)
    row = next(u for u in json.loads(out.getvalue())["units"] if u["code"] == unit.code)
    assert row["respondents"] == 120 and row["flagged"] == 40
    assert row["ikm_unflagged"] < row["ikm"]
    assert row["ci_low"] < row["ikm"] < row["ci_high"]
