"""The survey in a real browser on a 360×740 phone: complete it, fix a missing answer, keyboard, kiosk."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from sumberdaya.citizen.views import kiosk_url
from sumberdaya.city.publication import publish
from sumberdaya.results.service import period_results
from sumberdaya.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_all(page: Any, skip: int | None = None) -> None:
    for number in range(1, 10):
        if number != skip:
            page.locator(f"#f-a{number} label.opt").nth((number + 1) % 4).click()


def test_a_citizen_completes_the_survey_on_a_phone(
    live_server: Any,
    phone: Any,
    unit: Any,
    period: Any,
    period_2024: Any,
    make_responses: Any,
    admin_user: Any,
    screenshot: Any,
) -> None:
    # Last year's results, shown on the thank-you page.
    make_responses(unit, [[4] * 9] * 20 + [[3] * 9] * 12, when=dt.datetime(2024, 6, 1, 10, tzinfo=dt.UTC))
    publish(period_2024, admin_user)
    phone.goto(f"{live_server.url}/s/{unit.code}/")
    screenshot(phone, "survey/01-start")
    phone.get_by_label("Surat pengantar nikah").check()
    answer_all(phone)
    assert phone.locator("#progress b").inner_text() == "9"
    phone.locator("#f-sex label.opt", has_text="Perempuan").click()
    phone.fill("#i-age", "41")
    phone.select_option("#i-education", "SMA")
    phone.locator("#f-comment_kind label.opt", has_text="Saran").click()
    phone.fill("#i-comment", "Tolong tambah kursi di ruang tunggu.")
    screenshot(phone, "survey/02-filled")
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_url(re.compile(rf"/s/{unit.code}/terima-kasih/\?kunjungan="))
    assert "Terima kasih!" in phone.content()
    screenshot(phone, "survey/03-thanks")
    assert phone.get_by_role("link", name="Lanjut ke survei persepsi").is_visible()
    assert "Tahun 2024" in phone.locator(".pub").inner_text()
    response = Response.objects.get(service__isnull=False)
    assert response.service.name == "Surat pengantar nikah" and response.sex == "P"
    assert [r.respondents for r in period_results(period).rows if r.unit == unit] == [1]  # this year's
    # The page fits the phone: nothing wider than the screen.
    phone.go_back()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_missing_answer_is_shown_with_the_other_answers_kept(
    live_server: Any, phone: Any, unit: Any, period: Any, screenshot: Any
) -> None:
    phone.goto(f"{live_server.url}/s/{unit.code}/")
    phone.get_by_label("Surat keterangan domisili").check()
    answer_all(phone, skip=4)
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_selector("#errors")
    screenshot(phone, "survey/04-missing-answer")
    assert "Pertanyaan ini belum dijawab" in phone.locator("#f-a4").inner_text()
    assert phone.locator("input[type=radio]:checked").count() == 9
    assert not Response.objects.exists()
    phone.locator("#errors a").first.click()
    phone.locator("#f-a4 label.opt").nth(3).click()
    phone.get_by_role("button", name="Kirim jawaban").click()
    phone.wait_for_url(re.compile(r"/terima-kasih/"))
    assert Response.objects.get().a4 == 4


def test_the_survey_can_be_completed_with_the_keyboard_only(
    live_server: Any, page: Any, other_unit: Any, period: Any, screenshot: Any
) -> None:
    page.goto(f"{live_server.url}/s/{other_unit.code}/?lang=en")
    page.keyboard.press("Tab")  # skip link is not needed: the language link, then the first question
    for _ in range(9):
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.type") != "radio":
            page.keyboard.press("Tab")
        page.keyboard.press("Space")
    screenshot(page, "survey/05-keyboard-en")
    assert page.locator("input[type=radio]:checked").count() == 9
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/terima-kasih/\?kunjungan=.*lang=en"))
    assert "Thank you!" in page.content()
    assert Response.objects.get().answers == [1] * 9


def test_the_kiosk_returns_to_the_start_after_a_minute_idle(
    live_server: Any, page: Any, unit: Any, period: Any, screenshot: Any, tablet: Any
) -> None:
    page.clock.install()
    page.goto(f"{live_server.url}{kiosk_url(tablet)}")
    screenshot(page, "survey/06-kiosk")
    page.get_by_label("Surat pengantar nikah").check()
    page.clock.run_for(59_000)
    assert page.locator("input[type=radio]:checked").count() == 1
    page.clock.run_for(2_000)
    page.wait_for_function("document.querySelectorAll('input[type=radio]:checked').length === 0")
    assert page.url.endswith(f"/s/{unit.code}/?kiosk=1")
