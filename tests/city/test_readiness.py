"""Publishing goes through a readiness summary and an explicit confirmation."""

from __future__ import annotations

from typing import Any

from sumberdaya.city.models import Publication
from sumberdaya.reports.models import UnitReport


def test_the_readiness_page_summarises_results_reports_missing_data_and_flags(
    client: Any, admin_user: Any, late_year: Any, unit: Any, other_unit: Any, make_responses: Any
) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    when = dt.datetime(2025, 3, 3, 10, tzinfo=ZoneInfo("Asia/Makassar"))
    make_responses(unit, [[4] * 9] * 3, when=when)
    make_responses(unit, [[1] * 9], when=when, flagged=True, flag_reason="terlalu cepat")
    UnitReport.objects.create(unit=unit, period=late_year, status="accepted")
    client.force_login(admin_user)
    page = client.get("/kota/terbitkan/", {"periode": "2025"})
    assert page.status_code == 200
    html = page.content.decode()
    row = {key: html[html.index(f'data-check="{key}"') :].split("</tr>", 1)[0] for key in
           ("results", "reports", "no_data", "late", "flagged")}
    assert "1 dari 2" in row["results"] and "1 dari 2" in row["reports"]
    assert "<strong>1</strong>" in row["no_data"] and "Puskesmas Cempaka" in html
    assert "<strong>1</strong>" in row["flagged"]
    assert 'name="confirm"' in html
    assert not Publication.objects.exists()


def test_publishing_without_the_confirmation_publishes_nothing(
    client: Any, admin_user: Any, late_year: Any, unit: Any
) -> None:
    client.force_login(admin_user)
    reply = client.post("/kota/terbitkan/", {"periode": "2025"})
    assert reply.status_code == 400
    assert "Centang konfirmasi di bawah untuk menerbitkan." in reply.content.decode()
    assert not Publication.objects.exists()
    done = client.post("/kota/terbitkan/", {"periode": "2025", "confirm": "1"}, follow=True)
    assert "Hasil Tahun 2025 diterbitkan di halaman publik" in done.content.decode()
    assert Publication.objects.filter(period=late_year, withdrawn_at=None).count() == 1


def test_the_recap_links_to_the_readiness_page_instead_of_publishing(
    client: Any, admin_user: Any, late_year: Any, unit: Any
) -> None:
    client.force_login(admin_user)
    html = client.get("/kota/", {"periode": "2025"}).content.decode()
    assert 'href="/kota/terbitkan/?periode=2025&amp;metode=' in html
    assert 'action="/kota/terbitkan/"' not in html


def test_leadership_cannot_see_the_readiness_page(client: Any, leader: Any, late_year: Any) -> None:
    client.force_login(leader)
    assert client.get("/kota/terbitkan/", {"periode": "2025"}).status_code == 403
