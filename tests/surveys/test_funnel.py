"""The funnel: people served per month (typed or imported), invitations issued and answered, verified
responses and the response rate, on the dashboard, the city monitoring page, the unit report and recap."""

from __future__ import annotations

import datetime as dt
import io
import json
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from sumberdaya.surveys import funnel, invitations
from sumberdaya.surveys.models import Response, ServedCount

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Makassar")


@pytest.fixture
def counted(unit: Any, other_unit: Any, period_2024: Any, make_responses: Any) -> dict[str, Any]:
    """Kelurahan Mawar in 2024: 400 served in March, 600 in April (other months not entered); 10 slips
    in March of which 3 answered; 5 responses in March (3 verified), 4 in April, 2 in June, 1 excluded."""
    funnel.set_served(unit, dt.date(2024, 3, 1), 400)
    funnel.set_served(unit, dt.date(2024, 4, 1), 600)
    march = dt.datetime(2024, 3, 10, 9, tzinfo=TZ)
    slips = invitations.issue(unit, 10)
    invitations.Invitation.objects.filter(pk__in=[s.pk for s in slips]).update(created_at=march)
    responses = make_responses(unit, [[4] * 9] * 5, when=march)
    for slip, response in zip(slips[:3], responses[:3], strict=False):
        assert invitations.claim(slip.code, response)
    make_responses(unit, [[3] * 9] * 4, when=dt.datetime(2024, 4, 2, 9, tzinfo=TZ))
    make_responses(unit, [[3] * 9] * 2, when=dt.datetime(2024, 6, 2, 9, tzinfo=TZ))
    make_responses(unit, [[1] * 9], when=march, status=Response.Status.EXCLUDED)
    make_responses(other_unit, [[4] * 9] * 2, when=march)
    return {"slips": slips}


def test_the_funnel_counts_served_invitations_verified_and_the_rate(
    unit: Any, other_unit: Any, period_2024: Any, counted: Any
) -> None:
    figures = funnel.funnels(period_2024, [unit.pk, other_unit.pk])
    mawar = figures[unit.pk]
    assert (mawar.months, mawar.served_months, mawar.served) == (12, 2, 1000)
    assert (mawar.invitations_issued, mawar.invitations_answered, mawar.verified) == (10, 3, 3)
    assert (mawar.responses, mawar.not_invited) == (11, 8)
    # Only March and April have a served count: (5 + 4) responses of 1000 people served.
    assert mawar.response_rate == Fraction(9 * 100, 1000)
    assert mawar.invitation_rate == 30 and not mawar.complete
    cempaka = figures[other_unit.pk]
    assert cempaka.responses == 2
    assert (cempaka.served, cempaka.invitations_issued, cempaka.verified, cempaka.response_rate) == (
        None, None, None, None
    )


def test_the_dashboard_shows_verified_responses_and_the_response_rate(
    client: Client, unit: Any, period_2024: Any, counted: Any, operator: Any
) -> None:
    client.force_login(operator)
    html = client.get(f"/dasbor/unit/{unit.code}/?periode=2024").content.decode()
    assert "Dari dilayani sampai menjawab" in html
    assert 'data-testid="funnel-served">1.000<' in html and "2 dari 12 bulan terisi" in html
    assert 'data-testid="funnel-issued">10<' in html and 'data-testid="funnel-answered">3<' in html
    assert "3 terverifikasi (lewat undangan), 8 tanpa undangan" in html
    assert 'data-testid="funnel-rate"><strong>0,9 %<' in html


def test_the_monitoring_page_and_the_unit_report_show_the_funnel(
    client: Client, unit: Any, other_unit: Any, period_2024: Any, counted: Any, admin_user: Any
) -> None:
    client.force_login(admin_user)
    html = client.get("/kota/pemantauan/?periode=2024").content.decode()
    assert "Pemantauan SKM" in html
    row = html.split(f'data-testid="funnel-{unit.code}">', 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    assert cells[0].startswith("1.000") and cells[1:] == ["10", "3", "11", "3", "0,9 %"]
    other = html.split(f'data-testid="funnel-{other_unit.code}">', 1)[1].split("</tr>", 1)[0]
    assert other.count(">–<") == 5  # served, issued, answered, verified, rate unknown; responses known
    report = client.get(f"/laporan/unit/{unit.code}/?periode=2024")
    assert report.status_code == 200
    assert "3 terverifikasi (lewat undangan)" in report.content.decode()


def test_recap_json_adds_served_invitations_and_verified_per_unit(
    unit: Any, other_unit: Any, period_2024: Any, counted: Any
) -> None:
    out = io.StringIO()
    call_command("recap", "--period", "2024", "--format", "json", stdout=out)
    units = {u["code"]: u for u in json.loads(out.getvalue())["units"]}
    assert {k: units[unit.code][k] for k in ("served", "invitations_issued", "invitations_answered", "verified")} == {
        "served": 1000, "invitations_issued": 10, "invitations_answered": 3, "verified": 3,
    }
    assert {k: units[other_unit.code][k] for k in ("served", "invitations_issued", "invitations_answered",
                                                     "verified")} == dict.fromkeys(
        ("served", "invitations_issued", "invitations_answered", "verified")
    )
    assert units[unit.code]["respondents"] == 11  # the recap itself is unchanged


def test_an_operator_enters_served_per_month_and_a_bad_value_keeps_everything(
    client: Client, unit: Any, period_2024: Any, operator: Any, other_operator: Any
) -> None:
    client.force_login(operator)
    url = f"/unit/{unit.code}/dilayani/?periode=2024"
    assert client.get(url).status_code == 200
    assert client.post(url, {"periode": "2024", "m-2024-01": "1.250", "m-2024-02": "980"}).status_code == 302
    assert dict(ServedCount.objects.values_list("month", "served")) == {
        dt.date(2024, 1, 1): 1250, dt.date(2024, 2, 1): 980
    }
    bad = client.post(url, {"periode": "2024", "m-2024-01": "1300", "m-2024-03": "banyak"})
    assert bad.status_code == 400 and "03/2024: tulis jumlah dengan angka bulat" in bad.content.decode()
    assert 'value="banyak"' in bad.content.decode() and 'value="1300"' in bad.content.decode()
    assert ServedCount.objects.get(month=dt.date(2024, 1, 1)).served == 1250
    client.force_login(other_operator)
    assert client.post(url, {"periode": "2024", "m-2024-01": "1"}).status_code == 404


def test_daily_counts_from_a_queue_system_are_summed_per_month(
    client: Client, unit: Any, period_2024: Any, operator: Any
) -> None:
    client.force_login(operator)
    url = f"/unit/{unit.code}/dilayani/?periode=2024"
    content = "tanggal;jumlah\n2024-05-01;40\n02/05/2024;35\n2024-06-03;12\n\n"
    reply = client.post(url, {"periode": "2024", "file": SimpleUploadedFile("antrean.csv", content.encode())})
    assert reply.status_code == 302
    assert dict(ServedCount.objects.values_list("month", "served", )) == {
        dt.date(2024, 5, 1): 75, dt.date(2024, 6, 1): 12
    }
    assert set(ServedCount.objects.values_list("source", flat=True)) == {"import"}
    bad = "tanggal,jumlah\n2024-07-01,10\n2024-07-02,sepuluh\n2024-07-01,3\n"
    reply = client.post(url, {"periode": "2024", "file": SimpleUploadedFile("antrean.csv", bad.encode())})
    html = reply.content.decode()
    assert reply.status_code == 400 and "Tidak ada yang disimpan" in html
    assert "baris 3: jumlah &#x27;sepuluh&#x27; bukan bilangan bulat" in html and "baris 4" in html
    assert not ServedCount.objects.filter(month=dt.date(2024, 7, 1)).exists()
    reply = client.post(url, {"periode": "2024", "file": SimpleUploadedFile("x.csv", b"hari,orang\n1,2\n")})
    assert reply.status_code == 400 and "kolom &#x27;tanggal&#x27; dan &#x27;jumlah&#x27;" in reply.content.decode()


def test_the_unit_report_files_carry_the_funnel_in_every_format(
    unit: Any, period_2024: Any, counted: Any, tmp_path: Any
) -> None:
    import subprocess

    import docx
    import openpyxl

    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data

    data = report_data(unit, period_2024)
    assert data.funnel is not None and data.funnel["served"] == 1000
    pdf = tmp_path / "unit.pdf"
    pdf.write_bytes(render(data, "pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "3.4 Jumlah Dilayani dan Tingkat Respons" in text
    assert "1.000" in text and "2 dari 12 bulan" in text and "0,9" in text
    word = docx.Document(io.BytesIO(render(data, "docx")))
    headings = [p.text for p in word.paragraphs]
    assert "3.4 Jumlah Dilayani dan Tingkat Respons" in headings
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "1.000" in cells and "2 dari 12 bulan" in cells
    book = openpyxl.load_workbook(io.BytesIO(render(data, "xlsx")))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "3.4 Jumlah Dilayani dan Tingkat Respons" in values and 1000 in values


def test_a_unit_without_served_counts_or_slips_has_no_funnel_section(other_unit: Any, period_2024: Any) -> None:
    from sumberdaya.reports.unit import report_data

    data = report_data(other_unit, period_2024)
    assert data.unit == other_unit and data.funnel is None
