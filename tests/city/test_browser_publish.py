"""End to end: the admin imports a results file, publishes the period, and a citizen sees the unit on /hasil/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.city.helpers import KNOWN_MISTAKES


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_imports_publishes_and_a_visitor_sees_the_unit(
    live_server: Any, page: Any, phone: Any, login: Any, screenshot: Any, admin_user: Any, unit: Any, other_unit: Any
) -> None:
    login(page, admin_user.username)
    page.goto(f"{live_server.url}/kota/impor/")
    page.set_input_files(
        "input[name=file]", files=[{"name": "hasil.csv", "mimeType": "text/csv", "buffer": KNOWN_MISTAKES.encode()}]
    )
    page.click("text=Periksa berkas")
    page.wait_for_selector("text=Pemeriksaan impor")
    assert page.locator("text=Mutu A tidak sesuai dengan IKM 79,92 (seharusnya B).").count() == 1
    screenshot(page, "city/01-import-check")
    page.click("text=Simpan hasil")  # flagged rows not confirmed: only the two good rows
    page.wait_for_selector("text=2 hasil disimpan.")

    page.goto(f"{live_server.url}/kota/?periode=2023")
    assert page.locator("h2", has_text="Kelurahan – rata-rata IKM 79,92").count() == 1
    screenshot(page, "city/02-recap")
    page.click("text=Terbitkan hasil")
    page.wait_for_selector("#readiness")  # the readiness summary first, then an explicit confirmation
    page.check("input[name=confirm]")
    page.click("text=Terbitkan sekarang")
    page.wait_for_selector("text=diterbitkan di halaman publik")

    phone.goto(f"{live_server.url}/hasil/")
    assert phone.locator("h1", has_text="Tahun 2023").count() == 1
    phone.click("text=Kelurahan Mawar")
    phone.wait_for_selector("h1:has-text('Kelurahan Mawar')")
    assert phone.locator(".big", has_text="79,92").count() == 1
    assert phone.locator("text=hasil impor").count() >= 1
    screenshot(phone, "city/03-public-unit-phone")
    phone.goto(f"{live_server.url}/hasil/")
    screenshot(phone, "city/04-public-overview-phone")
