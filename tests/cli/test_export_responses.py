"""`sumberdaya export-responses`: the exact header, one row per response, formula-safe, flags and reasons."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command

from sumberdaya.surveys.models import IntegrityFlag, Response

HEADER = (
    "id,unit,submitted_at,channel,service,u1,u2,u3,u4,u5,u6,u7,u8,u9,sex,age,education,occupation,comment,"
    "status,flagged,flag_reasons"
)


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_responses", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_writes_one_formula_safe_row_per_response_with_its_flag_reasons(
    unit: Any, other_unit: Any, period: Any, make_responses: Any
) -> None:
    first, second = make_responses(unit, [[4] * 9, [3, None, 3, 3, 3, 3, 3, 3, 3]], comment="=HYPERLINK(1)")
    make_responses(other_unit, [[2] * 9])
    Response.objects.filter(pk=second.pk).update(flagged=True, flag_reason="x", status="excluded")
    IntegrityFlag.objects.create(response=second, rule="identical_run", detail="12 kuesioner identik")
    text = export("--period", period.slug, "--format", "csv", "--unit", unit.code)
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == [first.pk, second.pk]
    assert rows[0]["comment"] == "'=HYPERLINK(1)"
    assert (rows[1]["u2"], rows[1]["status"], rows[1]["flagged"]) == ("", "excluded", "true")
    assert rows[1]["flag_reasons"] == "12 kuesioner identik"
    assert rows[0]["flagged"] == "false" and rows[0]["unit"] == unit.code
    assert len(list(csv.DictReader(io.StringIO(export("--period", period.slug))))) == 3


@pytest.mark.django_db
def test_an_unknown_period_is_refused_with_a_message(period: Any) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("export_responses", "--period", "1999", stderr=err)
    assert "tidak ditemukan" in err.getvalue()
