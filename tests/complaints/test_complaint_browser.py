"""Issue 15, done when: on a phone a citizen files a complaint with consent, opens the tracking page, the
operator replies, the tracking page shows the reply; an overdue complaint appears in the city's monitoring.
Also from the survey's own comment step, on a phone (360 px) and a desktop (1366 px)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.complaints import handling
from sumberdaya.complaints.models import Complaint, ComplaintContact
from sumberdaya.surveys.models import Response
from tests.conftest import SCREENSHOTS
from tests.surveys.test_survey_browser import answer_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_files_a_complaint_on_a_phone_and_sees_the_operators_reply(
    live_server: Any, phone: Any, page: Any, unit: Any, operator: Any, period: Any, login: Any, screenshot: Any
) -> None:
    phone.goto(f"{live_server.url}/aduan/{unit.code}/")
    screenshot(phone, "complaints/01-form")
    phone.locator("#f-kind label.opt", has_text="Keluhan").click()
    phone.fill("#i-text", "Antri lama bgt, loket 2 tutup dari jam 10. Petugas ga ramah.")
    phone.fill("#i-phone", "0812 3456 7890")
    # A contact without consent is refused, and what was typed stays.
    phone.get_by_role("button", name="Kirim").click()
    assert "Centang persetujuan" in phone.content()
    assert phone.input_value("#i-phone") == "0812 3456 7890"
    assert not Complaint.objects.exists()
    screenshot(phone, "complaints/02-consent-missing")
    phone.locator("#f-consent label.opt").click()
    phone.get_by_role("button", name="Kirim").click()
    phone.wait_for_url(re.compile(r"/aduan/terkirim/[A-Z0-9]{8}/$"))
    code = phone.get_by_test_id("tracking-code").inner_text()
    screenshot(phone, "complaints/03-sent")
    complaint = Complaint.objects.get(code=code)
    assert ComplaintContact.objects.get(complaint=complaint).phone == "081234567890"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="Lihat status dan tanggapan").click()
    phone.wait_for_url(re.compile(rf"/aduan/lacak/{code}/$"))
    assert phone.get_by_test_id("complaint-status").inner_text() == "Diterima"
    assert "Antri lama" not in phone.content() and "0812" not in phone.content()
    screenshot(phone, "complaints/04-tracking-received")

    # The operator answers from the unit's inbox.
    login(page, operator.username)
    page.goto(f"{live_server.url}/unit/{unit.code}/komentar/")
    screenshot(page, "complaints/05-inbox")
    page.get_by_role("link", name=code).click()
    assert "0812" not in page.get_by_test_id("contact").inner_text()
    page.get_by_role("button", name="Tampilkan kontak (dicatat di log audit)").click()
    assert "081234567890" in page.get_by_test_id("contact-value").inner_text()
    page.fill("#i-reply", "Mohon maaf. Mulai Senin loket 2 buka sampai jam 14 dan petugas sudah kami tegur.")
    page.get_by_role("button", name="Kirim tanggapan").click()
    assert "Tanggapan untuk aduan" in page.content()
    screenshot(page, "complaints/06-replied")

    phone.reload()
    assert phone.get_by_test_id("complaint-status").inner_text() == "Diproses"
    assert "loket 2 buka sampai jam 14" in phone.get_by_test_id("reply").inner_text()
    assert "Antri lama" not in phone.content() and "0812" not in phone.content()
    screenshot(phone, "complaints/07-tracking-replied")


def test_an_overdue_complaint_appears_in_the_city_monitoring(
    live_server: Any, page: Any, unit: Any, admin_user: Any, period: Any, login: Any, screenshot: Any
) -> None:
    complaint = handling.file_complaint(unit=unit, kind="keluhan", text="Berkas saya hilang", client="x")
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(days=21))
    login(page, admin_user.username)
    page.goto(f"{live_server.url}/kota/pemantauan/")
    section = page.get_by_test_id("overdue-complaints")
    assert complaint.code in section.inner_text() and "Kelurahan Mawar" in section.inner_text()
    assert "Berkas saya hilang" not in page.content()
    section.scroll_into_view_if_needed()
    screenshot(page, "complaints/08-monitoring")
    page.goto(f"{live_server.url}/kota/aduan/")
    assert "1 terlambat ditanggapi" in page.content()
    screenshot(page, "complaints/09-city")


def _comment_step_shot(page: Any, name: str, start: str = "#f-comment_kind") -> None:
    """The survey's comment step as the screen shows it (the viewport, scrolled to `start`)."""
    heading = page.locator(start)
    heading.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -48)")  # below the sticky progress bar
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def _fill_survey_with_a_tracked_complaint(page: Any, service: str) -> None:
    page.get_by_label(service).check()
    answer_all(page)
    page.locator("#f-comment_kind label.opt", has_text="Keluhan").click()
    page.fill("#i-comment", "Antri lama bgt, loket 2 tutup dari jam 10. Petugas ga ramah.")
    page.locator("#f-track label.opt").first.click()
    page.fill("#i-phone", "0812 3456 7890")


def test_a_citizen_files_a_complaint_with_consent_from_the_survey_comment_step_on_a_phone(
    live_server: Any, phone: Any, unit: Any, period: Any, screenshot: Any
) -> None:
    phone.goto(f"{live_server.url}/s/{unit.code}/")
    _fill_survey_with_a_tracked_complaint(phone, "Surat pengantar nikah")
    _comment_step_shot(phone, "complaints/10-survey-comment-step-360")
    # A contact without the consent box: refused with a message, the whole survey still filled in.
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_selector("#errors")
    assert "Centang persetujuan agar kami boleh menyimpan kontak Anda" in phone.locator("#errors").inner_text()
    assert phone.locator("input[type=radio][name^=a]:checked").count() == 9
    assert phone.input_value("#i-phone") == "0812 3456 7890"
    assert "Antri lama bgt" in phone.input_value("#i-comment")
    assert phone.locator("input[name=track]").is_checked()
    assert not Response.objects.exists() and not Complaint.objects.exists()
    screenshot(phone, "complaints/11-survey-consent-missing-360-whole")
    phone.locator("#errors a", has_text="Centang persetujuan").click()
    assert phone.evaluate("location.hash") == "#f-consent"
    _comment_step_shot(phone, "complaints/11-survey-consent-missing-360", start="#f-track")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("#f-consent label.opt").click()
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_url(re.compile(rf"/s/{unit.code}/terima-kasih/\?kunjungan=.*aduan=[A-Z0-9]{{8}}"))
    code = phone.get_by_test_id("tracking-code").inner_text()
    screenshot(phone, "complaints/12-survey-thanks-360")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    complaint = Complaint.objects.get(code=code)
    assert complaint.response == Response.objects.get() and complaint.kind == "keluhan"
    assert ComplaintContact.objects.get(complaint=complaint).phone == "081234567890"
    assert phone.get_by_test_id("complaint-link").count() == 0  # not offered a second time
    phone.get_by_role("link", name="Lihat status dan tanggapan").click()
    phone.wait_for_url(re.compile(rf"/aduan/lacak/{code}/$"))
    assert phone.get_by_test_id("complaint-status").inner_text() == "Diterima"
    assert "Antri lama" not in phone.content() and "0812" not in phone.content()


def test_the_survey_comment_step_and_its_thank_you_page_on_a_desktop(
    live_server: Any, browser: Any, unit: Any, period: Any, screenshot: Any
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    desk = context.new_page()
    try:
        desk.goto(f"{live_server.url}/s/{unit.code}/")
        _fill_survey_with_a_tracked_complaint(desk, "Surat pengantar nikah")
        desk.locator("#f-consent label.opt").click()
        _comment_step_shot(desk, "complaints/13-survey-comment-step-1366")
        desk.get_by_role("button", name="Kirim jawaban").click()
        desk.wait_for_url(re.compile(r"/terima-kasih/\?kunjungan=.*aduan="))
        screenshot(desk, "complaints/14-survey-thanks-1366")
        assert desk.get_by_test_id("tracking-code").inner_text() == Complaint.objects.get().code
    finally:
        context.close()
