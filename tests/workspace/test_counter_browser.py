"""The counter pages an operator uses (kiosk tablets, invitation slips, people served, the funnel on the
dashboard) at a phone's 360 px and a desktop's 1366 px: they show their content and fit the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.surveys import funnel, invitations, kiosks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "tablets": ("/unit/{code}/tablet/", "Loket 1"),
    "slips": ("/unit/{code}/undangan/", "Cetak undangan"),
    "served": ("/unit/{code}/dilayani/", "Impor dari sistem antrean"),
    "dashboard": ("/dasbor/unit/{code}/", "Tingkat respons"),
}


@pytest.mark.parametrize("width", [360, 1366])
def test_the_counter_pages_fit_a_phone_and_a_desktop(
    live_server: Any, browser: Any, unit: Any, period: Any, operator: Any, login: Any, screenshot: Any,
    make_responses: Any, width: int,
) -> None:
    kiosks.register(unit, "Loket 1", operator)
    funnel.set_served(unit, timezone.localdate(), 120)
    slips = invitations.issue(unit, 4)
    (response,) = make_responses(unit, [[4] * 9])
    invitations.claim(slips[0].code, response)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    login(page, operator.username)
    page.wait_for_load_state()
    for name, (path, text) in PAGES.items():
        page.goto(live_server.url + path.format(code=unit.code))
        assert text in page.content(), name
        screenshot(page, f"counter/{name}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    context.close()
