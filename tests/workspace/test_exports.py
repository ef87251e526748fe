"""Exports of responses (issue 18, item 4): a unit's and the city's, CSV streamed and Excel write-only."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture
def answered(unit: Any, other_unit: Any, period: Any, make_responses: Any) -> list[Any]:
    when = timezone.make_aware(dt.datetime(period.start.year, 3, 4, 9, 30))
    stored = make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]], when=when, comment=FORMULA, comment_kind="saran")
    stored += make_responses(unit, [[1] * 9], when=when + dt.timedelta(hours=1), channel="paper", sex="P", age=41)
    make_responses(other_unit, [[2] * 9], when=when)  # another unit's: never in this unit's export
    return stored


def _csv(reply: Any) -> list[list[str]]:
    assert isinstance(reply, StreamingHttpResponse)
    text = b"".join(reply.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(text)))


def test_an_operator_downloads_the_units_responses_as_csv_with_formulas_made_harmless(
    client: Client, unit: Any, period: Any, operator: Any, answered: list[Any]
) -> None:
    client.force_login(operator)
    review = client.get(f"/unit/{unit.code}/respons/?periode={period.slug}").content.decode()
    assert f"/unit/{unit.code}/respons/unduh.csv?periode={period.slug}" in review
    reply = client.get(f"/unit/{unit.code}/respons/unduh.csv?periode={period.slug}")
    assert reply.status_code == 200 and reply["Content-Type"].startswith("text/csv")
    assert f"respons-{unit.code}-{period.slug}.csv" in reply["Content-Disposition"]
    header, *rows = _csv(reply)
    assert header[:4] == ["No", "Kode unit", "Unit", "Waktu pengisian"] and header[12:21] == [f"U{i}" for i in range(1, 10)]
    assert len(rows) == 2 and {row[1] for row in rows} == {unit.code}
    first, second = rows
    assert first[3] == f"{period.start.year}-03-04 09:30:00" and first[12:21] == ["4", "3", "3", "4", "3", "4", "4", "3", "2"]
    assert first[-1] == "'" + FORMULA and first[-2] == "Saran"
    assert second[5] == "Kuesioner kertas" and second[8:10] == ["P", "41"]
    assert AuditEvent.objects.filter(action="responses.export", unit=unit).count() == 1


def test_the_excel_export_is_a_real_workbook_with_dates_and_text_that_never_runs(
    client: Client, unit: Any, period: Any, operator: Any, answered: list[Any]
) -> None:
    from openpyxl import load_workbook

    client.force_login(operator)
    reply = client.get(f"/unit/{unit.code}/respons/unduh.xlsx?periode={period.slug}&metode=paper")
    assert reply.status_code == 200 and isinstance(reply, FileResponse)
    book = load_workbook(io.BytesIO(b"".join(reply.streaming_content)))  # type: ignore[arg-type]
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "No" and len(rows) == 2  # the review list's filter (paper only) applies
    assert rows[1][3] == dt.datetime(period.start.year, 3, 4, 10, 30) and rows[1][12:21] == (1,) * 9
    reply = client.get(f"/unit/{unit.code}/respons/unduh.xlsx?periode={period.slug}")
    book = load_workbook(io.BytesIO(b"".join(reply.streaming_content)))  # type: ignore[arg-type]
    comment = book.active.cell(row=2, column=len(rows[0]))  # type: ignore[union-attr]
    assert comment.value == FORMULA and comment.data_type == "s" and comment.quotePrefix


def test_another_units_operator_cannot_export_and_the_city_export_is_for_the_admin(
    client: Client, unit: Any, other_unit: Any, period: Any, other_operator: Any, admin_user: Any, answered: Any
) -> None:
    client.force_login(other_operator)
    assert client.get(f"/unit/{unit.code}/respons/unduh.csv").status_code in (403, 404)
    assert client.get(f"/kota/respons.csv?periode={period.slug}").status_code == 403
    client.force_login(admin_user)
    recap = client.get(f"/kota/?periode={period.slug}")
    assert recap.status_code == 200 and f"/kota/respons.csv?periode={period.slug}" in recap.content.decode()
    header, *rows = _csv(client.get(f"/kota/respons.csv?periode={period.slug}"))
    assert header[0] == "No" and sorted(row[1] for row in rows) == sorted([unit.code, unit.code, other_unit.code])
    Response.objects.filter(unit=other_unit).update(status=Response.Status.EXCLUDED)
    _header, *rows = _csv(client.get(f"/kota/respons.csv?periode={period.slug}"))
    assert {row[1] for row in rows} == {unit.code}  # the city export holds the valid responses
