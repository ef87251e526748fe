"""Browser flows: an operator's morning (dashboard, paper entry, import with a bad row then fixed) and the
city admin's dashboard. Screenshots go to var/screenshots/workspace/."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Response, UnitPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["Timestamp", "Jenis layanan", *[f"{e.u}. {e.question}" for e in ELEMENTS], "Jenis Kelamin", "Usia",
          "Saran dan masukan"]


@pytest.fixture
def demo(unit, other_unit, period, period_2024, make_responses) -> None:
    """A unit with a season of answers shaped like the demo data (most B, pengaduan lowest), last year too."""
    rng = random.Random(7)
    services = list(unit.services.all())
    now = timezone.now()
    for year_ago, count, level in ((True, 60, 3.0), (False, 140, 3.3)):
        for i in range(count):
            answers = [max(1, min(4, round(rng.gauss(level + (0.5 if e.code == "biaya" else 0)
                                                     - (0.4 if e.code == "pengaduan" else 0), 0.6))))
                       for e in ELEMENTS]
            when = dt.datetime(2024, 6, 1, 9, tzinfo=dt.UTC) if year_ago else now - dt.timedelta(hours=i)
            make_responses(
                unit, [answers], when=when, service=rng.choice(services), sex=rng.choice("LP"),
                age=rng.randint(18, 70), education=rng.choice(["SMA", "S1/D4", "SMP"]),
                occupation=rng.choice(["Swasta", "Wirausaha", "PNS"]), channel=rng.choice(["online", "paper"]),
                comment="Antrean terlalu lama" if i % 25 == 0 else "", comment_kind="keluhan" if i % 25 == 0 else "",
            )
    make_responses(other_unit, [[3] * 9] * 12)
    UnitPeriod.objects.create(unit=unit, period=period, population=300)
    cache.clear()


def export(path: Path, bad: bool) -> Path:
    day = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [
        [f"{day} 09:15:02", "Surat keterangan domisili", *["Sangat sesuai", "Mudah", "Cepat", "Gratis", "Sesuai",
         "Kompeten", "Sopan dan ramah", "Baik", "Dikelola dengan baik"], "Perempuan", "31", "Pelayanan cepat"],
        [f"{day} 10:01:44", "Surat pengantar nikah", *["4", "4", "9" if bad else "4", *["4"] * 6], "Laki-laki", "45", ""],
        [f"{day} 11:30:00", "", *["3"] * 9, "", "", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_an_operator_reads_the_dashboard_enters_a_paper_form_and_imports_an_export(
    live_server: Any, page: Any, login: Any, screenshot: Any, demo: None, unit: Any, operator: Any, tmp_path: Path
) -> None:
    login(page, "operator-mawar")
    page.wait_for_url(f"**/dasbor/unit/{unit.code}/")
    assert page.get_by_test_id("ikm").is_visible()
    assert "prioritas perbaikan" in page.content()
    assert "dengan 95 % keyakinan; n = " in page.content()
    screenshot(page, "workspace/01-unit-dashboard")

    page.get_by_role("link", name="Entri kuesioner kertas").click()
    page.wait_for_url("**/entri/")
    page.keyboard.type("443344332")  # autofocus on U1; each digit moves to the next box
    assert page.locator("#after-answers").evaluate("el => el === document.activeElement")
    page.select_option("#after-answers", "P")
    page.fill("input[name=age]", "42")
    screenshot(page, "workspace/02-entry-filled")
    page.get_by_role("button", name="Simpan dan lanjut").click()
    page.wait_for_selector(".msg-success")
    assert "Hari ini Anda sudah mengentri 1 kuesioner" in page.content()
    assert page.input_value("input[name=u1]") == ""  # the next blank form
    stored = Response.objects.get(entered_by=operator)
    assert stored.answers == [4, 4, 3, 3, 4, 4, 3, 3, 2] and stored.channel == "paper" and stored.sex == "P"
    screenshot(page, "workspace/03-entry-saved")

    before = Response.objects.count()
    page.goto(f"{live_server.url}/unit/{unit.code}/impor/")
    screenshot(page, "workspace/04-import-upload")
    page.set_input_files("input[name=file]", str(export(tmp_path / "Survei SKM (Jawaban).csv", bad=True)))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_selector("[data-testid=import-errors]")
    assert "Baris 3" in page.content() and "nilai '9' tidak sah" in page.inner_text("[data-testid=import-errors]")
    assert page.locator("button[value=import]").count() == 0
    assert Response.objects.count() == before
    screenshot(page, "workspace/05-import-bad-row")

    page.goto(f"{live_server.url}/unit/{unit.code}/impor/")
    page.set_input_files("input[name=file]", str(export(tmp_path / "Survei SKM (Jawaban).csv", bad=False)))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_selector("[data-testid=import-ok]")
    screenshot(page, "workspace/06-import-preview")
    page.get_by_role("button", name="Impor 3 baris").click()
    page.wait_for_url("**/respons/")
    assert "3 respons dari Survei SKM (Jawaban).csv berhasil diimpor." in page.content()
    assert Response.objects.count() == before + 3
    screenshot(page, "workspace/07-review")

    page.goto(f"{live_server.url}/unit/{unit.code}/komentar/")
    screenshot(page, "workspace/08-comments")


def test_the_city_admin_sees_the_city_dashboard(
    live_server: Any, page: Any, login: Any, screenshot: Any, demo: None, unit: Any, admin_user: Any
) -> None:
    login(page, "admin-kota")
    page.wait_for_url("**/dasbor/kota/")  # the leadership brief; the table of every unit is one link away
    page.get_by_role("link", name="Tabel lengkap semua unit").click()
    assert page.get_by_test_id("count-ok").inner_text() == "0"
    assert page.get_by_test_id("count-below").inner_text() == "2"
    assert "Kelurahan Mawar" in page.content() and "Puskesmas Cempaka" in page.content()
    screenshot(page, "workspace/10-city-dashboard")
    page.select_option("select[name=jenis]", "puskesmas")
    page.get_by_role("button", name="Saring").click()
    assert "Kelurahan Mawar" not in page.inner_text("table")
    page.goto(f"{live_server.url}/akun/pengguna/")
    page.get_by_role("link", name="Buat akun", exact=True).click()
    page.fill("input[name=username]", "operator-melati")
    page.fill("input[name=first_name]", "Siti")
    page.select_option("select[name=role]", "operator")
    page.fill("[data-filter-input]", unit.name[:6])  # the unit picker: a search box over checkboxes
    page.get_by_label(unit.name).check()
    page.fill("input[name=password]", "sandi-awal-yang-kuat-1")
    screenshot(page, "workspace/11-user-create")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/akun/pengguna/")
    assert "operator-melati" in page.inner_text("table")
    screenshot(page, "workspace/12-users")
    page.goto(f"{live_server.url}/akun/audit/")
    assert "user.create" in page.inner_text("table")
    screenshot(page, "workspace/13-audit")


def test_leadership_sees_a_read_only_unit_dashboard_on_a_phone(
    live_server: Any, phone: Any, screenshot: Any, demo: None, unit: Any, leader: Any
) -> None:
    phone.goto(f"{live_server.url}/akun/masuk/")
    phone.fill("input[name=username]", "pimpinan")
    phone.fill("input[name=password]", "kata-sandi-uji-123")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/dasbor/kota/")
    phone.goto(f"{live_server.url}/dasbor/unit/{unit.code}/")
    assert phone.get_by_role("link", name="Entri kuesioner kertas").count() == 0
    screenshot(phone, "workspace/14-unit-dashboard-phone-leadership")
