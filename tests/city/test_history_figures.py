"""The city's published averages of past years: typed in or imported by the city admin, shown in every trend."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.city.history import PUBLISHED, city_trend, public_trend
from sumberdaya.city.models import PublishedFigure

pytestmark = pytest.mark.django_db

GOOD_CSV = "Tahun,Kelompok,IKM,Jumlah unit,Sumber\n2019,Kota,\"81,50\",120,Laporan SKM Kota 2019\n2019,Kelurahan,83.10,52,\n"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post("/kota/riwayat/", {"aksi": "impor", "file": SimpleUploadedFile(name, content)})


def test_the_admin_imports_a_csv_and_every_row_is_stored_with_an_audit_event(admin_user: Any) -> None:
    client = signed_in(admin_user)
    reply = upload(client, "angka.csv", GOOD_CSV.encode())
    assert reply.status_code == 302
    assert sorted(PublishedFigure.objects.values_list("year", "series", "ikm", "units")) == [
        (2019, "", Decimal("81.50"), 120),
        (2019, "Kelurahan", Decimal("83.10"), 52),
    ]
    page = client.get("/kota/riwayat/").content.decode()
    assert "2 angka terbit disimpan (2 baru, 0 diganti)." in page
    assert "81,50" in page and "Laporan SKM Kota 2019" in page
    event = AuditEvent.objects.get(action="published_figure.import")
    assert event.username == admin_user.username and event.after["file"] == "angka.csv"


def test_one_bad_row_saves_nothing_and_every_problem_is_named_by_row_in_indonesian(admin_user: Any) -> None:
    PublishedFigure.objects.create(year=2018, ikm=Decimal("80.00"))
    content = (
        "Tahun;Kelompok;IKM;Jumlah unit;Sumber\n"
        "2019;Kota;81,50;120;ok\n"  # row 2: fine, yet not stored because of the others
        "2020;Kecamatan Hantu;82;;\n"  # row 3: unknown group
        "dua ribu;Kota;120;0;\n"  # row 4: year, IKM and units wrong
        "2019;;80,00;;\n"  # row 5: the city's 2019 again
    )
    reply = upload(signed_in(admin_user), "angka.csv", content.encode())
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "3 baris perlu diperbaiki; tidak ada yang disimpan." in html
    assert "Baris 3: kelompok “Kecamatan Hantu” tidak dikenal" in html
    assert "Baris 4: tahun “dua ribu” bukan tahun (contoh: 2021); IKM harus antara 25 dan 100;" in html
    assert "jumlah unit harus antara 1 dan 10.000" in html
    assert "Baris 5: tahun 2019 Kota sudah ada di baris 2" in html
    assert list(PublishedFigure.objects.values_list("year", flat=True)) == [2018]  # nothing half-saved
    assert not AuditEvent.objects.filter(action="published_figure.import").exists()


def test_an_xlsx_from_the_downloaded_template_imports_and_replaces_a_year_already_there(admin_user: Any) -> None:
    PublishedFigure.objects.create(year=2022, ikm=Decimal("70.00"), source="salah ketik")
    client = signed_in(admin_user)
    template = client.get("/kota/riwayat/templat.xlsx")
    assert template.status_code == 200 and "templat-angka-terbit-skm.xlsx" in template["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Tahun", "Kelompok", "IKM", "Jumlah unit", "Sumber"]
    reply = upload(client, "templat.xlsx", template.content)
    assert reply.status_code == 302
    city_2022 = PublishedFigure.objects.get(year=2022, series="")
    assert city_2022.ikm == Decimal("82.15") and city_2022.source == "Laporan SKM Kota 2022"
    assert PublishedFigure.objects.count() == 3
    assert "3 angka terbit disimpan (2 baru, 1 diganti)." in client.get("/kota/riwayat/").content.decode()


def test_the_csv_template_has_the_indonesian_headings(admin_user: Any) -> None:
    reply = signed_in(admin_user).get("/kota/riwayat/templat.csv")
    assert reply.status_code == 200
    assert reply.content.decode("utf-8-sig").splitlines()[0] == "Tahun,Kelompok,IKM,Jumlah unit,Sumber"
    assert signed_in(admin_user).get("/kota/riwayat/templat.pdf").status_code == 404


def test_a_file_without_the_columns_or_too_large_is_refused_with_a_message(admin_user: Any, settings: Any) -> None:
    client = signed_in(admin_user)
    reply = upload(client, "angka.csv", b"year,ikm\n2019,80\n")
    assert reply.status_code == 200
    assert "Kolom wajib tidak ada: Tahun, Kelompok. Baris pertama harus berisi: Tahun," in reply.content.decode()
    big = upload(client, "angka.csv", b"Tahun,Kelompok,IKM\n" + b"2019,Kota,80\n" * 100_000)
    assert "Berkas terlalu besar (maks. 1 MB)." in big.content.decode()
    book = Workbook()
    book.worksheets[0].append(["Tahun", "Kelompok", "IKM"])
    buffer = io.BytesIO()
    book.save(buffer)
    empty = upload(client, "kosong.xlsx", buffer.getvalue())
    assert "Berkas tidak berisi baris data." in empty.content.decode()
    assert PublishedFigure.objects.count() == 0


def test_the_admin_types_in_edits_and_deletes_one_figure(admin_user: Any) -> None:
    client = signed_in(admin_user)
    reply = client.post("/kota/riwayat/", {"year": 2021, "series": "Puskesmas", "ikm": "84.20", "units": 26})
    assert reply.status_code == 302
    figure = PublishedFigure.objects.get()
    assert (figure.year, figure.series, figure.ikm, figure.units) == (2021, "Puskesmas", Decimal("84.20"), 26)
    twice = client.post("/kota/riwayat/", {"year": 2021, "series": "Puskesmas", "ikm": "80"})
    assert twice.status_code == 200
    assert "Angka 2021 untuk Puskesmas sudah ada" in twice.content.decode()
    out_of_range = client.post("/kota/riwayat/", {"year": 2020, "series": "", "ikm": "101"})
    assert "IKM harus antara 25 dan 100." in out_of_range.content.decode()
    edited = client.post(f"/kota/riwayat/?ubah={figure.pk}", {"year": 2021, "series": "Puskesmas", "ikm": "84.25"})
    assert edited.status_code == 302 and PublishedFigure.objects.get().ikm == Decimal("84.25")
    assert client.post(f"/kota/riwayat/{figure.pk}/hapus/").status_code == 302
    assert not PublishedFigure.objects.exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["published_figure.change", "published_figure.change", "published_figure.delete"]


def test_only_the_city_admin_may_manage_published_figures(operator: Any, leader: Any, admin_user: Any) -> None:
    for user in (operator, leader):
        assert signed_in(user).get("/kota/riwayat/").status_code == 403
        assert upload(signed_in(user), "angka.csv", GOOD_CSV.encode()).status_code == 403
    assert not PublishedFigure.objects.exists()
    assert signed_in(admin_user).get("/kota/riwayat/").status_code == 200


def test_the_city_recap_trend_shows_published_years_marked(admin_user: Any, period: Any, period_2024: Any) -> None:
    PublishedFigure.objects.create(year=2019, ikm=Decimal("81.50"), units=120)
    PublishedFigure.objects.create(year=2019, series="Kelurahan", ikm=Decimal("83.10"), units=52)
    points = city_trend(period)
    assert [(p.period.start.year, p.series, p.source) for p in points if p.source == PUBLISHED] == [
        (2019, "Kota", PUBLISHED),
        (2019, "Kelurahan", PUBLISHED),
    ]
    html = signed_in(admin_user).get(f"/kota/?periode={period.slug}").content.decode()
    assert "Tahun 2019" in html and "81,50<span" in html and "83,10<span" in html
    assert "angka terbit: rata-rata yang diterbitkan kota" in html


def test_the_public_trend_joins_published_results_and_past_figures(
    admin_user: Any, period: Any, unit: Any, make_responses: Any
) -> None:
    from sumberdaya.city.publication import publish

    PublishedFigure.objects.create(year=2019, ikm=Decimal("81.50"), units=120)
    PublishedFigure.objects.create(year=2019, series="Kelurahan", ikm=Decimal("83.10"), units=52)
    make_responses(unit, [[4] * 9] * 5)
    publication = publish(period, admin_user)
    points = public_trend(period)
    assert [(p.period.start.year, p.source) for p in points] == [(2019, PUBLISHED), (period.start.year, None)]
    html = Client().get(f"/hasil/{period.slug}/").content.decode()
    assert "Tren IKM kota" in html and "81,50†" in html and "83,10" not in html  # the city only
    assert publication.period == period
