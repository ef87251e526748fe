"""The error pages and the survey's "belum tersimpan" as a citizen sees them on a phone and on a desktop."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_404_and_500_pages_are_styled_on_a_phone_and_a_desktop(
    live_server: Any, phone: Any, page: Any, screenshot: Any, settings: Any
) -> None:
    settings.ROOT_URLCONF = "tests.core.error_urls"
    for name, browser_page in (("360", phone), ("1366", page)):
        browser_page.set_viewport_size({"width": int(name), "height": 800})
        response = browser_page.goto(f"{live_server.url}/tidak-ada/")
        assert response.status == 404
        assert browser_page.locator("h1").inner_text() == "Halaman tidak ditemukan"
        assert browser_page.locator(".topbar").is_visible()  # the app's own layout, styled
        screenshot(browser_page, f"errors/404-{name}")
        response = browser_page.goto(f"{live_server.url}/uji/basis-data-mati/")
        assert response.status == 503
        assert "Layanan sedang sibuk" in browser_page.locator("h1").inner_text()
        screenshot(browser_page, f"errors/503-{name}")


def test_a_failed_submission_keeps_every_answer_on_the_phone(
    live_server: Any, phone: Any, screenshot: Any, unit: Any, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.utils import OperationalError

    from sumberdaya.citizen import views
    from sumberdaya.surveys.models import Response

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(views, "store", down)
    phone.goto(f"{live_server.url}/s/{unit.code}/")
    phone.locator("input[name=service]").first.check()
    for i in range(1, 10):
        phone.locator(f"input[name=a{i}][value='3']").check()
    phone.click("button.send")
    assert "belum tersimpan" in phone.locator(".notice").inner_text()
    assert phone.locator("input[type=radio]:checked").count() == 10
    screenshot(phone, "errors/survey-belum-tersimpan-360")
    monkeypatch.undo()
    phone.click("button.send")  # one tap, the same answers
    phone.wait_for_url("**/terima-kasih/**")
    assert Response.objects.filter(unit=unit).count() == 1
