"""The review queue /laporan/: filter by status, waiting and late units first, count cards as links."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sumberdaya.reports.models import UnitReport
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(db: Any) -> Period:
    period = Period.objects.create(
        slug="2025", name="Tahun 2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        input_deadline=dt.date(2026, 1, 15), report_deadline=dt.date(2026, 1, 31),
    )
    statuses = {"a-diterima": "accepted", "b-menunggu": "submitted", "c-kembali": "returned", "d-draf": "draft"}
    for i, code in enumerate(["a-diterima", "b-menunggu", "c-kembali", "d-draf", "e-kosong"]):
        unit = Unit.objects.create(code=code, name=f"Kelurahan {code[2:].title()}", kind="kelurahan", order=i)
        if code in statuses:
            UnitReport.objects.create(unit=unit, period=period, status=statuses[code])
    return period


def codes(html: str) -> list[str]:
    table = html[html.index('id="report-list"') :]
    return [part.split('"', 1)[0] for part in table.split('data-unit="')[1:]]


def test_waiting_reports_come_first_then_late_units(client: Any, admin_user: Any, queue: Period) -> None:
    client.force_login(admin_user)
    html = client.get("/laporan/", {"periode": "2025"}).content.decode()
    assert codes(html) == ["b-menunggu", "c-kembali", "d-draf", "e-kosong", "a-diterima"]


def test_the_count_cards_link_to_the_filtered_list(client: Any, admin_user: Any, queue: Period) -> None:
    client.force_login(admin_user)
    html = client.get("/laporan/", {"periode": "2025"}).content.decode()
    assert 'href="?periode=2025&amp;status=late"><span class="big">3</span>terlambat' in html
    assert 'href="?periode=2025&amp;status=submitted"><span class="big">1</span>menunggu tinjauan' in html
    assert 'href="?periode=2025&amp;status=missing"><span class="big">2</span>belum diajukan' in html
    for status, expected in (("submitted", ["b-menunggu"]), ("late", ["c-kembali", "d-draf", "e-kosong"]),
                             ("missing", ["d-draf", "e-kosong"]), ("accepted", ["a-diterima"]),
                             ("returned", ["c-kembali"])):
        page = client.get("/laporan/", {"periode": "2025", "status": status}).content.decode()
        assert codes(page) == expected, status
        assert 'aria-current="true"' in page


def test_an_unknown_status_shows_every_unit(client: Any, admin_user: Any, queue: Period) -> None:
    client.force_login(admin_user)
    html = client.get("/laporan/", {"periode": "2025", "status": "<x>"}).content.decode()
    assert len(codes(html)) == 5 and "&lt;x&gt;" not in html


def test_an_open_period_carries_the_warning(client: Any, admin_user: Any, period: Any, unit: Any) -> None:
    client.force_login(admin_user)
    html = client.get("/laporan/", {"periode": period.slug}).content.decode()
    assert "Periode belum berakhir" in html and unit.code in codes(html)
