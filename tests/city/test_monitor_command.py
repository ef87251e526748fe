"""`sumberdaya monitor --period SLUG --format json`: who is late, around both deadlines (Asia/Makassar)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from sumberdaya.reports.models import UnitReport
from sumberdaya.surveys.models import Period, UnitPeriod
from sumberdaya.units.models import Unit

WITA = ZoneInfo("Asia/Makassar")
INPUT_DEADLINE = dt.date(2026, 1, 15)
REPORT_DEADLINE = dt.date(2026, 1, 31)


def run(*args: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("monitor", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), {}, err.getvalue()
    return 0, json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def year(db: Any, make_responses: Callable[..., Any]) -> Period:
    """Five units of 2025: on target + accepted, one short of target + submitted, no N and nothing,
    no N but one answer + returned, a draft report with no answers."""
    period = Period.objects.create(
        slug="2025", name="Tahun 2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        input_deadline=INPUT_DEADLINE, report_deadline=REPORT_DEADLINE,
    )
    when = dt.datetime(2025, 6, 2, 10, tzinfo=WITA)
    units = {
        code: Unit.objects.create(code=code, name=name, kind="kelurahan", order=i)
        for i, (code, name) in enumerate(
            [("a-cukup", "Kelurahan Cukup"), ("b-kurang", "Kelurahan Kurang"), ("c-kosong", "Kelurahan Kosong"),
             ("d-kembali", "Kelurahan Kembali"), ("e-draf", "Kelurahan Draf")]
        )
    }
    for code in ("a-cukup", "b-kurang"):
        UnitPeriod.objects.create(unit=units[code], period=period, population=100)  # target 80
    make_responses(units["a-cukup"], [[4] * 9] * 80, when=when)
    make_responses(units["b-kurang"], [[3] * 9] * 79, when=when)
    make_responses(units["d-kembali"], [[3] * 9], when=when)
    for code, status in (("a-cukup", "accepted"), ("b-kurang", "submitted"), ("d-kembali", "returned"),
                         ("e-draf", "draft")):
        UnitReport.objects.create(unit=units[code], period=period, status=status)
    return period


def at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def late(data: dict[str, Any], key: str) -> set[str]:
    return {u["code"] for u in data["units"] if u[key]}


def test_it_lists_every_unit_with_respondents_target_and_report_status(year: Period) -> None:
    code, data, _err = run("--period", "2025", "--format", "json")
    assert code == 0
    assert data["period"] == "2025"
    assert data["input_deadline"] == "2026-01-15" and data["report_deadline"] == "2026-01-31"
    rows = {u["code"]: u for u in data["units"]}
    assert set(rows) == {"a-cukup", "b-kurang", "c-kosong", "d-kembali", "e-draf"}
    assert rows["a-cukup"] == {
        "code": "a-cukup", "name": "Kelurahan Cukup", "respondents": 80, "target": 80,
        "report_status": "accepted", "late_data": False, "late_report": False,
    }
    assert rows["b-kurang"]["respondents"] == 79 and rows["b-kurang"]["target"] == 80
    assert rows["c-kosong"]["target"] is None and rows["c-kosong"]["respondents"] == 0
    assert [rows[c]["report_status"] for c in ("b-kurang", "c-kosong", "d-kembali", "e-draf")] == [
        "submitted", "none", "returned", "none"
    ]


def test_nobody_is_late_for_data_on_the_last_minute_of_the_input_deadline(
    year: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 1, 15, 23, 59, 59, tzinfo=WITA))  # 15:59:59 UTC
    _code, data, _err = run("--period", "2025", "--format", "json")
    assert data["date"] == "2026-01-15"
    assert late(data, "late_data") == set() and late(data, "late_report") == set()


def test_units_below_target_are_late_for_data_from_midnight_after_the_input_deadline(
    year: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 16:00 UTC on the 15th is already the 16th in Banjarmasin.
    at(monkeypatch, dt.datetime(2026, 1, 15, 16, 0, tzinfo=dt.UTC))
    _code, data, _err = run("--period", "2025", "--format", "json")
    assert data["date"] == "2026-01-16"
    # 79 of 80 is short; without N only "no answer at all" is late (d-kembali has one).
    assert late(data, "late_data") == {"b-kurang", "c-kosong", "e-draf"}
    assert late(data, "late_report") == set()


def test_nobody_is_late_for_the_report_on_the_report_deadline_day(
    year: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 1, 31, 23, 59, 59, tzinfo=WITA))
    _code, data, _err = run("--period", "2025", "--format", "json")
    assert late(data, "late_report") == set()
    assert late(data, "late_data") == {"b-kurang", "c-kosong", "e-draf"}


def test_units_without_a_submitted_report_are_late_from_the_day_after_the_report_deadline(
    year: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 2, 1, 0, 0, tzinfo=WITA))
    _code, data, _err = run("--period", "2025", "--format", "json")
    # Accepted and submitted are in; none, a draft and a returned report are late.
    assert late(data, "late_report") == {"c-kosong", "d-kembali", "e-draf"}


def test_a_period_without_deadlines_has_nobody_late(year: Period, monkeypatch: pytest.MonkeyPatch) -> None:
    Period.objects.filter(pk=year.pk).update(input_deadline=None, report_deadline=None)
    at(monkeypatch, dt.datetime(2027, 1, 1, tzinfo=WITA))
    _code, data, _err = run("--period", "2025", "--format", "json")
    assert len(data["units"]) == 5
    assert late(data, "late_data") == set() and late(data, "late_report") == set()


def test_an_unknown_period_is_refused_with_the_known_ones(year: Period) -> None:
    code, _data, err = run("--period", "2019", "--format", "json")
    assert code == 1
    assert "2019" in err and "2025" in err
