"""`sumberdaya recap --instrument spkp|spak` prints the perception recap the pages show."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from sumberdaya.perception.recap import perception_recap

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("recap", *args, stdout=out)
    return out.getvalue()


def test_the_recap_command_prints_the_spkp_recap_as_json(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4, 4, 3, 3, 4, 4, 3, 4], [3, 3, 3, 2, 4, 3, 3, 3]], instrument="spkp")
    data = json.loads(_run("--period", period.slug, "--instrument", "spkp"))
    assert data == json.loads(json.dumps(perception_recap(period, "spkp")))
    mawar = next(u for u in data["units"] if u["code"] == unit.code)
    assert mawar["respondents"] == 2


def test_the_recap_command_prints_the_spak_recap_as_csv(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 5, [3] * 5], instrument="spak", control=False)
    rows = list(csv.DictReader(io.StringIO(_run("--period", period.slug, "--instrument", "spak", "--format", "csv"))))
    mawar = next(r for r in rows if r.get("code") == unit.code)
    assert mawar["respondents"] == "2"


def test_the_skm_recap_stays_the_default(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 9], instrument="spkp")
    data = json.loads(_run("--period", period.slug))
    mawar = next(u for u in data["units"] if u["code"] == unit.code)
    assert mawar["respondents"] == 0
