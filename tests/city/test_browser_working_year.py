"""End to end, the city's working year: the admin filters late units, reminds them by e-mail (caught by a
local SMTP server) and WhatsApp, works through the review queue, and publishes after the readiness check.
Screenshots at 1366 and 360 px of every page touched."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from sumberdaya.city.models import Publication, Reminder
from sumberdaya.reports.models import UnitReport

WIDE = {"width": 1366, "height": 900}


def no_horizontal_overflow(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_chases_late_units_reviews_and_publishes(
    live_server: Any, browser: Any, phone: Any, login: Any, screenshot: Any, admin_user: Any,
    late_year: Any, unit: Any, other_unit: Any, operator: Any, make_responses: Any, smtp_server: Any,
) -> None:
    # Mawar has 5 of its 80 answers (late for data) and a report waiting for review; Cempaka has neither.
    from sumberdaya.surveys.models import UnitPeriod

    UnitPeriod.objects.create(unit=unit, period=late_year, population=100)
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 3]] * 5, when=dt.datetime(2025, 5, 5, 10, tzinfo=ZoneInfo("Asia/Makassar")))
    from sumberdaya.reports.submission import report_for, submit

    submit(report_for(unit, late_year), operator)
    page = browser.new_context(viewport=WIDE, locale="id-ID").new_page()
    try:
        login(page, admin_user.username)
        login(phone, admin_user.username)

        # 1. Monitoring: the late units, filtered through their count card.
        page.goto(f"{live_server.url}/kota/pemantauan/?periode=2025")
        screenshot(page, "working-year/01-monitoring-1366")
        page.click("#monitor-counts a:has-text('terlambat laporan')")
        page.wait_for_url("**tampil=laporan**")
        assert page.locator("#monitor-table tbody tr").count() == 1
        assert page.locator("tr[data-unit=puskesmas-cempaka] [data-late=report]").count() == 1
        assert page.locator("input[name=unit][value=puskesmas-cempaka]").is_checked()  # late ones preselected
        page.goto(f"{live_server.url}/kota/pemantauan/?periode=2025&tampil=terlambat")
        assert page.locator("#monitor-table tbody tr").count() == 2
        page.check("input[name=unit][value=kelurahan-mawar]")
        screenshot(page, "working-year/02-monitoring-late-1366")
        phone.goto(f"{live_server.url}/kota/pemantauan/?periode=2025&tampil=terlambat")
        screenshot(phone, "working-year/02-monitoring-late-360")

        # 2. Reminders by e-mail: one message per unit, caught by the SMTP server.
        page.click("button:has-text('Kirim surel pengingat')")
        page.wait_for_selector("text=Surel pengingat dikirim ke 2 unit.")
        assert sorted(tuple(e.rcpt_tos) for e in smtp_server.envelopes) == [
            ("op@cempaka.example",), ("siti@mawar.example",)
        ]
        assert page.locator("#reminders-sent tbody tr").count() == 2
        screenshot(page, "working-year/03-reminders-sent-1366")

        # 3. WhatsApp: click-to-chat links with the number normalised and the text filled in.
        page.check("input[name=unit][value=kelurahan-mawar]")
        page.check("input[name=unit][value=puskesmas-cempaka]")
        page.click("button:has-text('Siapkan pesan WhatsApp')")
        page.wait_for_selector("#whatsapp-links")
        links = page.locator("#whatsapp-links a[href^='https://wa.me/']")
        assert links.count() == 1  # Cempaka's operator has no number: said so instead
        assert page.locator("text=Operator belum punya nomor WhatsApp").count() == 1
        href = urlparse(links.first.get_attribute("href"))
        assert href.path == "/6281234567890"
        assert "Batas laporan SKM Tahun 2025" not in parse_qs(href.query)["text"][0]  # Mawar's report is in
        assert "Yth. operator SKM Kelurahan Mawar" in parse_qs(href.query)["text"][0]
        assert "responden baru 5 dari target 80" in parse_qs(href.query)["text"][0]
        screenshot(page, "working-year/04-whatsapp-1366")
        assert Reminder.objects.count() == 4

        # 4. The review queue: waiting first, filtered through the count card, then accepted.
        page.goto(f"{live_server.url}/laporan/?periode=2025")
        screenshot(page, "working-year/05-queue-1366")
        page.click("#queue-counts a:has-text('menunggu tinjauan')")
        page.wait_for_url("**status=submitted**")
        assert page.locator("#report-list tbody tr").count() == 1
        phone.goto(f"{live_server.url}/laporan/?periode=2025")
        screenshot(phone, "working-year/05-queue-360")
        page.get_by_role("link", name="Tinjau", exact=True).click()
        assert page.locator("[data-testid=early-warning]").count() == 0  # 2025 has ended
        screenshot(page, "working-year/06-review-1366")
        page.get_by_role("button", name="Terima").click()
        page.wait_for_selector("text=Laporan diterima.")
        assert UnitReport.objects.get(unit=unit).status == "accepted"

        # 5. Publishing: the readiness summary, then the explicit confirmation.
        page.goto(f"{live_server.url}/kota/?periode=2025")
        assert page.locator("#late-summary").count() == 1
        screenshot(page, "working-year/07-recap-1366")
        phone.goto(f"{live_server.url}/kota/?periode=2025")
        screenshot(phone, "working-year/07-recap-360")
        page.click("text=Terbitkan hasil")
        page.wait_for_selector("#readiness")
        assert "1 dari 2" in page.locator("tr[data-check=reports]").inner_text()
        assert "Puskesmas Cempaka" in page.locator("#readiness").inner_text()
        screenshot(page, "working-year/08-readiness-1366")
        phone.goto(page.url)
        screenshot(phone, "working-year/08-readiness-360")
        assert not Publication.objects.exists()
        page.check("input[name=confirm]")
        page.click("text=Terbitkan sekarang")
        page.wait_for_selector("text=diterbitkan di halaman publik")
        assert Publication.objects.filter(period=late_year, withdrawn_at=None).count() == 1

        # The phone pages the admin used fit 360 px.
        for path in ("/kota/pemantauan/?periode=2025", "/laporan/?periode=2025", "/kota/terbitkan/?periode=2025",
                     "/kota/impor-akun/", "/akun/pengguna/baru/"):
            phone.goto(f"{live_server.url}{path}")
            assert no_horizontal_overflow(phone), path
        screenshot(phone, "working-year/09-new-account-360")
        phone.goto(f"{live_server.url}/kota/impor-akun/")
        screenshot(phone, "working-year/10-accounts-import-360")
        page.goto(f"{live_server.url}/akun/pengguna/baru/")
        page.fill("[data-filter-input]", "cempaka")
        assert page.locator("label:has-text('Kelurahan Mawar')").is_hidden()
        assert page.locator("label:has-text('Puskesmas Cempaka')").is_visible()
        screenshot(page, "working-year/09-new-account-filtered-1366")
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_operator_sees_the_late_marker_on_their_dashboard(
    live_server: Any, phone: Any, login: Any, screenshot: Any, operator: Any, late_year: Any, unit: Any
) -> None:
    login(phone, operator.username)
    phone.goto(f"{live_server.url}/dasbor/unit/{unit.code}/?periode=2025")
    assert phone.locator("[data-testid=late-note] [data-late=data]").count() == 1
    assert phone.locator("[data-testid=late-note] [data-late=report]").count() == 1
    screenshot(phone, "working-year/11-operator-dashboard-late-360")
    assert no_horizontal_overflow(phone)
