"""The city recap page, monitoring, publication and the report narrative (staff side)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.city.models import Publication, ReportNarrative
from sumberdaya.city.publication import live_publication, published_index
from sumberdaya.followup.models import PlanItem
from sumberdaya.reports.models import UnitReport
from sumberdaya.results.models import ImportedResult
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys.models import UnitPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(unit: Any, other_unit: Any, period: Any, make_responses: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 4 + [[3, 3, 2, 4, 3, 3, 4, 3, 3]], when=when)
    make_responses(unit, [[3] * 9], when=when + dt.timedelta(days=30), channel="paper")
    return period


def _recap_json(period: Any) -> dict[str, Any]:
    out = io.StringIO()
    call_command("recap", "--period", period.slug, stdout=out)
    return json.loads(out.getvalue())


def test_the_recap_page_shows_the_numbers_of_the_recap_command(
    client: Any, admin_user: Any, data: Any, unit: Any
) -> None:
    client.force_login(admin_user)
    page = client.get(f"/kota/?periode={data.slug}").content.decode()
    recap = _recap_json(data)
    mawar = next(u for u in recap["units"] if u["code"] == unit.code)
    assert format_number(Decimal(str(mawar["ikm"]))) in page
    for key in ("u1", "u5", "u9"):
        assert f">{format_number(Decimal(str(mawar[key])))}<" in page
    assert f"{format_number(Decimal(str(recap['city']['mean_ikm'])))}" in page
    assert "Kelurahan – rata-rata IKM" in page
    assert "Rata-rata IKM unit" in page  # the page says how averages are taken
    assert "Puskesmas Cempaka" in page  # listed among units without results
    assert "Daring, Kuesioner kertas" in page


def test_the_admin_may_choose_the_pooled_mean(client: Any, admin_user: Any, data: Any) -> None:
    client.force_login(admin_user)
    page = client.get(f"/kota/?periode={data.slug}&metode=pooled&bobot=exact").content.decode()
    assert "Gabungan seluruh responden" in page and "1/9 (eksak)" in page


def test_who_may_see_the_recap_and_who_may_change_things(
    client: Any, data: Any, operator: Any, leader: Any, admin_user: Any
) -> None:
    assert client.get("/kota/").status_code == 302  # anonymous: to the login page
    client.force_login(operator)
    assert client.get("/kota/").status_code == 403
    assert client.get("/kota/pemantauan/").status_code == 403
    client.force_login(leader)
    page = client.get(f"/kota/?periode={data.slug}")
    assert page.status_code == 200 and "Terbitkan hasil" not in page.content.decode()
    assert client.post("/kota/terbitkan/", {"periode": data.slug}).status_code == 403
    assert client.get(f"/kota/narasi/{data.slug}/").status_code == 403
    assert client.get("/kota/?periode=tidak-ada").status_code == 404
    assert not Publication.objects.exists()


def test_publishing_freezes_the_numbers_and_is_audited(
    client: Any, admin_user: Any, data: Any, unit: Any, make_responses: Any
) -> None:
    client.force_login(admin_user)
    response = client.post("/kota/terbitkan/", {"periode": data.slug, "metode": "mean", "bobot": "0.111", "confirm": "1"})
    assert response.status_code == 302
    publication = live_publication(data)
    assert publication is not None and publication.published_by == admin_user
    frozen = publication.snapshot["city"]["ikm"]
    assert frozen == float(format_number(Decimal(str(_recap_json(data)["city"]["mean_ikm"]))).replace(",", "."))
    assert AuditEvent.objects.filter(action="period.publish", username=admin_user.username).exists()
    # Late data changes the live recap but not what was published.
    make_responses(unit, [[1] * 9] * 5, when=timezone.now().replace(month=3, day=20))
    publication.refresh_from_db()
    assert publication.snapshot["city"]["ikm"] == frozen
    index = published_index(unit)
    assert index is not None and float(index[0]) == frozen and index[1] == "B" and index[2] == data

    client.post(f"/kota/terbitkan/{publication.pk}/tarik/")
    assert live_publication(data) is None and published_index(unit) is None
    assert AuditEvent.objects.filter(action="period.unpublish").exists()


def test_monitoring_lists_units_to_remind_and_exports_them(
    client: Any, admin_user: Any, data: Any, unit: Any, other_unit: Any
) -> None:
    UnitPeriod.objects.create(unit=unit, period=data, population=1000)  # target 278, achieved 6
    client.force_login(admin_user)
    page = client.get(f"/kota/pemantauan/?periode={data.slug}").content.decode()
    assert "Di bawah target sampel (6 dari 278)" in page
    assert "Belum ada respons" in page
    export = client.get(f"/kota/pemantauan/?periode={data.slug}&format=csv")
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "puskesmas-cempaka" in text and "Belum ada respons" in text and "kelurahan-mawar" in text


def test_monitoring_shows_late_and_missing_reports(
    client: Any, admin_user: Any, data: Any, unit: Any, other_unit: Any, operator: Any
) -> None:
    data.report_deadline = timezone.localdate() - dt.timedelta(days=1)
    data.save()
    UnitReport.objects.create(
        unit=unit,
        period=data,
        status="submitted",
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
        late=True,
    )
    client.force_login(admin_user)
    page = client.get(f"/kota/pemantauan/?periode={data.slug}").content.decode()
    # Mawar's report is in (submitted after the deadline: marked so), Cempaka's is missing: late.
    assert "diajukan terlambat" in page and "Terlambat laporan (belum diajukan)" in page
    assert page.count('data-late="report"') == 1


def test_the_recap_shows_the_rtl_and_previous_realisation(
    client: Any, admin_user: Any, data: Any, unit: Any, period_2024: Any
) -> None:
    from sumberdaya.surveys.models import Period

    last_year = Period.objects.create(
        slug=str(data.start.year - 1),
        name="Tahun lalu",
        start=data.start.replace(year=data.start.year - 1),
        end=data.end.replace(year=data.start.year - 1),
    )
    common = {"unit": unit, "problem": "Antrian panjang", "responsible": "Lurah"}
    PlanItem.objects.create(period=data, element="pengaduan", action="Kotak saran digital", **common)
    PlanItem.objects.create(period=last_year, element="waktu", action="Tambah loket", status="selesai", **common)
    PlanItem.objects.create(period=last_year, element="biaya", action="Papan tarif", status="sedang", **common)
    client.force_login(admin_user)
    page = client.get(f"/kota/?periode={data.slug}").content.decode()
    assert "U9: Kotak saran digital" in page
    assert "2 kegiatan: 1 sedang dilaksanakan, 1 selesai" in page


def test_the_narrative_starts_from_the_standard_text_and_changes_are_audited(
    client: Any, admin_user: Any, data: Any
) -> None:
    client.force_login(admin_user)
    page = client.get(f"/kota/narasi/{data.slug}/").content.decode()
    assert "Undang-Undang Nomor 25 Tahun 2009" in page
    fields = {
        "background": "Latar <b>baru</b>",
        "legal_basis": "UU 25/2009",
        "purpose": "Tujuan",
        "location": "Lokasi",
        "schedule": "Jadwal",
        "conclusion": "",
    }
    assert client.post(f"/kota/narasi/{data.slug}/", fields).status_code == 302
    assert ReportNarrative.objects.get(period=data).background == "Latar <b>baru</b>"
    assert AuditEvent.objects.filter(action="city_narrative.change").exists()


def test_imported_results_are_marked_on_the_recap(client: Any, admin_user: Any, data: Any, other_unit: Any) -> None:
    ImportedResult.objects.create(
        unit=other_unit,
        period=data,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=50,
        method="Pihak ketiga",
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    client.force_login(admin_user)
    page = client.get(f"/kota/?periode={data.slug}").content.decode()
    assert ">impor</span>" in page and "Pihak ketiga" in page


def test_the_trend_chart_draws_one_line_per_group_over_the_years(
    client: Any, admin_user: Any, data: Any, unit: Any, period_2024: Any
) -> None:
    ImportedResult.objects.create(
        unit=unit,
        period=period_2024,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=50,
        method="Kertas",
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    client.force_login(admin_user)
    page = client.get(f"/kota/?periode={data.slug}").content.decode()
    assert 'aria-label="Kota Tahun 2024: 79,92; Kelurahan Tahun 2024: 79,92; Kota Tahun' in page


def test_monitoring_can_show_only_the_units_to_remind(
    client: Any, admin_user: Any, data: Any, unit: Any, other_unit: Any
) -> None:
    client.force_login(admin_user)
    page = client.get(f"/kota/pemantauan/?periode={data.slug}&perlu=1").content.decode()
    assert "Puskesmas Cempaka" in page and "Kelurahan Mawar" not in page  # Mawar has no target set: fine
