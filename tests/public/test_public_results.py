"""Public results at /hasil/ and the open-data downloads: only what the city published, never comments."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.city.publication import publish, withdraw
from sumberdaya.results.models import ImportedResult

pytestmark = pytest.mark.django_db

SECRET = "Petugas Budi 0812-3456-7890 minta uang"


@pytest.fixture
def published(unit: Any, other_unit: Any, period: Any, make_responses: Any, admin_user: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(
        unit,
        [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3, 3, 2, 4, 3, 3, 4, 3, 3]] * 4,
        when=when,
        comment=SECRET,
        comment_kind="keluhan",
    )
    ImportedResult.objects.create(
        unit=other_unit,
        period=period,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=50,
        method='=HYPERLINK("http://jahat.example")',
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    return publish(period, admin_user)


def test_nothing_is_public_before_publication(client: Any, unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 9])
    page = client.get("/hasil/")
    assert page.status_code == 200 and "Belum ada hasil yang diterbitkan" in page.content.decode()
    assert client.get(f"/hasil/{period.slug}/").status_code == 404
    assert client.get(f"/hasil/{period.slug}/{unit.code}/").status_code == 404
    assert client.get(f"/hasil/{period.slug}/rekap.csv").status_code == 404


def test_the_overview_shows_the_city_groups_and_a_searchable_unit_list(client: Any, published: Any) -> None:
    snapshot = published.snapshot
    page = client.get("/hasil/").content.decode()
    assert f"{snapshot['city']['ikm']:.2f}".replace(".", ",") in page
    assert "Kelurahan Mawar" in page and "Puskesmas Cempaka" in page
    assert ">impor</span>" in page  # imported results are marked
    filtered = client.get("/hasil/?q=mawar").content.decode()
    assert "Kelurahan Mawar" in filtered and "Puskesmas Cempaka" not in filtered
    assert SECRET not in page


def test_the_unit_page_shows_index_elements_interval_priorities_and_rtl(
    client: Any, published: Any, unit: Any, period: Any
) -> None:
    response = client.get(f"/hasil/{period.slug}/{unit.code}/")
    page = response.content.decode()
    entry = next(u for u in published.snapshot["units"] if u["code"] == unit.code)
    assert response.status_code == 200
    assert f"{entry['ikm']:.2f}".replace(".", ",") in page
    assert "Selang kepercayaan 95 %" in page and entry["ci"][0] < entry["ikm"] < entry["ci"][1]
    assert "<svg" in page  # the elements chart, drawn on the server
    assert "U9 Penanganan pengaduan" in page  # the lowest element is a priority
    assert "Status rencana tindak lanjut" in page
    assert SECRET not in page
    assert "<script" not in page  # no JavaScript needed


def test_withdrawn_results_disappear(client: Any, published: Any, unit: Any, period: Any, admin_user: Any) -> None:
    withdraw(published, admin_user)
    assert client.get(f"/hasil/{period.slug}/{unit.code}/").status_code == 404
    assert "Belum ada hasil" in client.get("/hasil/").content.decode()


def test_open_data_csv_and_json_hold_the_published_recap_without_comments(
    client: Any, published: Any, period: Any
) -> None:
    response = client.get(f"/hasil/{period.slug}/rekap.csv")
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["code"] for r in rows} == {"kelurahan-mawar", "puskesmas-cempaka"}
    imported = next(r for r in rows if r["code"] == "puskesmas-cempaka")
    assert imported["source"] == "imported" and imported["ikm"] == "79.92"
    assert imported["channels"].startswith("'=")  # a formula is neutralised
    assert SECRET not in text

    data = client.get(f"/hasil/{period.slug}/rekap.json").json()
    assert data["city"] == published.snapshot["city"]
    assert {u["code"] for u in data["units"]} == {"kelurahan-mawar", "puskesmas-cempaka"}
    assert SECRET not in response.content.decode()


def test_a_flagged_import_is_published_as_sent_with_a_note(
    client: Any, other_unit: Any, period: Any, admin_user: Any
) -> None:
    ImportedResult.objects.create(
        unit=other_unit,
        period=period,
        ikm=Decimal("85.00"),
        mutu="B",
        respondents=50,
        method="Kertas",
        flagged=True,
        problems=["IKM 85,00 tidak sama dengan IKM dari nilai unsur 79,92 (bobot 0,111)."],
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    publish(period, admin_user)
    page = client.get(f"/hasil/{period.slug}/{other_unit.code}/").content.decode()
    assert "85,00" in page and "tidak sepenuhnya konsisten" in page
