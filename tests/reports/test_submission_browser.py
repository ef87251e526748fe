"""In a browser: an operator plans an RTL and submits the report; the city admin returns it, then accepts it."""

from __future__ import annotations

from typing import Any

import pytest

from sumberdaya.reports.models import UnitReport


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_operator_plans_and_submits_and_the_city_returns_then_accepts(
    live_server: Any,
    browser: Any,
    page: Any,
    login: Any,
    screenshot: Any,
    unit: Any,
    period: Any,
    operator: Any,
    admin_user: Any,
    make_responses: Any,
) -> None:
    make_responses(unit, [[4, 4, 3, 4, 4, 4, 4, 2, 3]] * 6, comment="Kursi ruang tunggu rusak")
    make_responses(unit, [[3, 4, 3, 4, 4, 4, 4, 3, 3]] * 4)

    login(page, operator.username)
    page.goto(f"{live_server.url}/rtl/{unit.code}/?periode={period.slug}")
    screenshot(page, "reports/01-rtl-proposed")
    # The three lowest elements are ticked as the proposal; the operator keeps them.
    assert page.locator("input[name=elements][value=sarana]").is_checked()
    page.get_by_role("button", name="Simpan unsur prioritas").click()
    assert page.get_by_text("Unsur prioritas perbaikan disimpan.").is_visible()
    screenshot(page, "reports/01b-priorities-chosen")
    page.get_by_role("link", name="Buat RTL").first.click()
    assert page.locator("select[name=element]").input_value() == "sarana"
    assert page.get_by_text("Kursi ruang tunggu rusak").first.is_visible()
    page.fill("textarea[name=problem]", "Kursi ruang tunggu rusak")
    page.fill("textarea[name=action]", "Mengganti 20 kursi ruang tunggu")
    page.select_option("select[name=quarter]", "TW II")
    page.fill("input[name=responsible]", "Kasi Umum")
    screenshot(page, "reports/02-rtl-form")
    page.get_by_role("button", name="Simpan RTL").click()
    assert page.get_by_text("Mengganti 20 kursi ruang tunggu").is_visible()
    screenshot(page, "reports/03-rtl-list")

    page.get_by_role("link", name=f"Laporan SKM {unit.name}").click()
    page.get_by_role("link", name="Ubah narasi laporan").click()
    assert "Undang-Undang Nomor 25 Tahun 2009" in page.locator("textarea[name=background]").input_value()
    page.fill("textarea[name=team]", "Ketua: Sekretaris Lurah; anggota: dua staf pelayanan.")
    screenshot(page, "reports/04a-narrative")
    page.get_by_role("button", name="Simpan narasi").click()
    assert page.get_by_text("Narasi laporan disimpan.").is_visible()
    # The current year has not ended: the page warns, and submitting needs the confirmation.
    page.get_by_role("button", name="Ajukan laporan").click()
    assert page.get_by_text("Periode Tahun", exact=False).first.is_visible()
    assert UnitReport.objects.get(unit=unit).status == "draft"
    page.get_by_label("Saya tetap mengajukan laporan sebelum periode berakhir.").check()
    page.get_by_role("button", name="Ajukan laporan").click()
    assert page.get_by_text("Laporan diajukan ke admin kota.").is_visible()
    screenshot(page, "reports/04-submitted")

    city = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    try:
        city.goto(f"{live_server.url}/akun/masuk/")
        city.fill("input[name=username]", admin_user.username)
        city.fill("input[name=password]", "kata-sandi-uji-123")
        city.click("button[type=submit]")
        city.goto(f"{live_server.url}/laporan/?periode={period.slug}")
        screenshot(city, "reports/05-city-list")
        city.get_by_role("link", name="Tinjau", exact=True).click()
        city.fill("textarea[name=note]", "Tambahkan RTL untuk unsur waktu penyelesaian.")
        city.get_by_role("button", name="Kembalikan").click()
        assert city.get_by_text("Laporan dikembalikan ke unit.").is_visible()
        assert UnitReport.objects.get(unit=unit).status == "returned"

        page.reload()
        assert page.get_by_text("Tambahkan RTL untuk unsur waktu penyelesaian.").first.is_visible()
        screenshot(page, "reports/06-returned")
        page.get_by_label("Saya tetap mengajukan laporan sebelum periode berakhir.").check()
        page.get_by_role("button", name="Ajukan ulang laporan").click()
        assert page.get_by_text("Laporan diajukan ke admin kota.").is_visible()

        city.reload()
        city.get_by_label("Saya tetap menerima laporan sebelum periode berakhir.").check()
        city.get_by_role("button", name="Terima").click()
        assert city.get_by_text("Laporan diterima.").is_visible()
        screenshot(city, "reports/07-accepted")
    finally:
        city.context.close()
    report = UnitReport.objects.get(unit=unit)
    assert (report.status, report.submissions) == ("accepted", 2)
