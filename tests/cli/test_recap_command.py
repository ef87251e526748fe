"""`sumberdaya recap --period SLUG [--format json|csv] [--weight 0.111|exact]`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from sumberdaya.units.models import Unit

WHEN = dt.datetime(2024, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))
MAWAR = [
    [4, 3, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 2, 4, 3, 3, 4, 3, None],
    [4, 4, 3, 4, 4, 4, 4, 3, 2],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
]


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("recap", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def data(unit: Any, other_unit: Any, period_2024: Any, make_responses: Callable[..., Any]) -> None:
    make_responses(unit, MAWAR, when=WHEN)
    make_responses(other_unit, [[4] * 9, [4] * 9], when=WHEN)
    Unit.objects.create(code="=cmd", name='=HYPERLINK("x")', kind="uptd", order=99)


@pytest.mark.django_db
def test_json_has_units_groups_city_and_the_weight(data: None) -> None:
    code, out, _err = run("--period", "2024")
    assert code == 0
    result = json.loads(out)
    assert {"period", "weight", "units", "groups", "city"} <= set(result)
    assert (result["period"], result["weight"]) == ("2024", "0.111")
    mawar = next(u for u in result["units"] if u["code"] == "kelurahan-mawar")
    assert list(mawar) == [
        "code",
        "name",
        "kind",
        "group",
        "source",
        "flags",
        "respondents",
        "u1",
        "u2",
        "u3",
        "u4",
        "u5",
        "u6",
        "u7",
        "u8",
        "u9",
        "ikm",
        "mutu",
        "kinerja",
        # Integrity and the interval (surveys.integrity, skm.interval): null where not shown.
        "flagged",
        "ikm_unflagged",
        "ci_low",
        "ci_high",
        # The counter's funnel (surveys.funnel): null where the unit has no data.
        "served",
        "invitations_issued",
        "invitations_answered",
        "verified",
    ]
    assert (mawar["served"], mawar["verified"]) == (None, None)
    assert mawar["ikm"] == pytest.approx(82.325, abs=1e-12)
    assert mawar["u9"] == float(Fraction(200, 3))  # unrounded
    empty = next(u for u in result["units"] if u["code"] == "=cmd")
    assert (empty["respondents"], empty["ikm"], empty["mutu"]) == (0, None, None)
    assert [g["name"] for g in result["groups"]] == ["Kelurahan", "Puskesmas", "UPTD"]
    assert result["city"] == {"units": 2, "mean_ikm": pytest.approx((82.325 + 99.9) / 2)}


@pytest.mark.django_db
def test_the_exact_weight_is_used_when_asked(data: None) -> None:
    result = json.loads(run("--period", "2024", "--weight", "exact")[1])
    assert result["weight"] == "exact"
    assert next(u for u in result["units"] if u["code"] == "puskesmas-cempaka")["ikm"] == 100.0
    assert result["city"]["mean_ikm"] == float(Fraction(4925, 54))


@pytest.mark.django_db
def test_csv_has_unit_group_and_city_rows_with_dot_decimals_and_safe_cells(data: None) -> None:
    code, out, _err = run("--period", "2024", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["level"] for r in rows] == ["unit"] * 3 + ["group"] * 3 + ["city"]
    mawar = next(r for r in rows if r["code"] == "kelurahan-mawar")
    assert float(mawar["ikm"]) == pytest.approx(82.325, abs=1e-12)
    assert mawar["u9"] == repr(float(Fraction(200, 3)))
    assert (mawar["mutu"], mawar["kinerja"], mawar["weight"], mawar["period"]) == ("B", "Baik", "0.111", "2024")
    hostile = next(r for r in rows if r["level"] == "unit" and r["code"] == "'=cmd")
    assert hostile["name"].startswith("'=")  # a spreadsheet will not run it
    assert (hostile["respondents"], hostile["ikm"]) == ("0", "")
    city = rows[-1]
    assert (city["name"], city["units"]) == ("Kota Banjarmasin", "2")
    assert float(city["mean_ikm"]) == pytest.approx(91.1125)


@pytest.mark.django_db
def test_an_unknown_period_exits_with_code_1_and_lists_the_known_ones(data: None) -> None:
    code, out, err = run("--period", "2023")
    assert code == 1
    assert out == ""
    assert "Periode '2023' tidak ada (periode yang ada: 2024)." in err
