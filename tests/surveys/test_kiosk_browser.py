"""The kiosk tablet in a real browser: registered by the operator, answered offline, sent once online."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.surveys import kiosks
from sumberdaya.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "JSON.parse(localStorage.getItem('skm-kiosk:{code}:queue') || '[]').length"
POOL = "JSON.parse(localStorage.getItem('skm-kiosk:{code}:tokens') || '[]').length"


def answer(page: Any, service: str, level: int) -> None:
    page.get_by_label(service).check()
    for number in range(1, 10):
        page.locator(f"#f-a{number} label.opt").nth(level - 1).click()



def _wait_until(page: Any, expression: str, timeout: int = 10_000) -> None:
    """Poll a JavaScript condition through `evaluate` (CDP), not `wait_for_function`, which needs eval and so
    is refused by the page's Content-Security-Policy (script-src 'self'), as it should be."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} ms: {expression}")
        page.wait_for_timeout(100)

def test_a_tablet_registered_by_the_operator_keeps_answers_offline_and_sends_each_once(
    live_server: Any,
    browser: Any,
    page: Any,
    unit: Any,
    period: Any,
    operator: Any,
    login: Any,
    screenshot: Any,
    settings: Any,
    monkeypatch: Any,
) -> None:
    settings.SKM_PUBLIC_BASE_URL = live_server.url
    login(page, operator.username)
    page.goto(f"{live_server.url}/unit/{unit.code}/tablet/")
    page.fill("input[name=label]", "Loket 1")
    page.get_by_role("button", name="Daftarkan tablet").click()
    page.wait_for_selector("[data-testid=tablet-link]")
    assert page.locator(".tablets svg").count() == 1
    link = page.locator("[data-testid=tablet-link]").inner_text()
    assert link.startswith(f"{live_server.url}/kios/{unit.code}/")
    screenshot(page, "kiosk/01-operator-registers")

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    tablet = context.new_page()
    tablet.goto(link)
    assert tablet.url == f"{live_server.url}/s/{unit.code}/?kiosk=1"
    _wait_until(tablet, "navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    _wait_until(tablet, f"{POOL.format(code=unit.code)} >= 10")

    # This unit's kiosk answers only: whatever another test left committed (or a browser of an earlier test
    # still sends to the shared live server) is not this tablet's.
    mine = Response.objects.filter(unit=unit, channel=Response.Channel.KIOSK)
    earlier = set(mine.values_list("pk", flat=True))
    # Offline on both ends. Chromium's offline emulation and request routing do not reliably cover a page
    # that a service worker controls (an answer slipped through both in CI), so while the tablet is offline
    # the server's sending endpoint also fails the way an unreachable server does (an error page, not a
    # JSON verdict): kiosk.js must keep the answer and retry later either way.
    outage = {"on": True}
    tablet_of = kiosks.tablet_of

    def unreachable(request: Any, unit: Any) -> Any:
        if outage["on"]:
            raise ConnectionError("the tablet is offline")
        return tablet_of(request, unit)

    monkeypatch.setattr(kiosks, "tablet_of", unreachable)
    send = f"**/s/{unit.code}/kios-kirim/"
    context.route(send, lambda route: route.abort("internetdisconnected"))
    context.set_offline(True)
    answered = []
    for service, level in (("Surat keterangan domisili", 4), ("Surat pengantar nikah", 2)):
        answer(tablet, service, level)
        answered.append(timezone.now())
        tablet.get_by_role("button", name="Kirim jawaban").click()
        tablet.wait_for_selector("text=tersimpan di tablet ini")
        # The next person gets an empty form after the thank-you message.
        _wait_until(tablet, "document.querySelectorAll('input[type=radio]:checked').length === 0")
    assert tablet.locator("[data-testid=kiosk-waiting]").inner_text() == "2"
    screenshot(tablet, "kiosk/02-offline-two-waiting-1366")
    tablet.set_viewport_size({"width": 360, "height": 740})
    screenshot(tablet, "kiosk/03-offline-two-waiting-360")

    tablet.reload()  # the service worker serves the page without connection; the queue survives
    assert "Kirim jawaban" in tablet.content()
    tablet.wait_for_selector("[data-testid=kiosk-waiting]:visible")
    assert tablet.locator("[data-testid=kiosk-waiting]").inner_text() == "2"
    assert tablet.evaluate(QUEUE.format(code=unit.code)) == 2
    assert set(mine.values_list("pk", flat=True)) == earlier  # nothing arrived while offline

    back_online = timezone.now()
    outage["on"] = False
    context.unroute(send)
    context.set_offline(False)
    _wait_until(tablet, f"{QUEUE.format(code=unit.code)} === 0", timeout=20_000)
    tablet.wait_for_selector("[data-testid=kiosk-waiting]", state="hidden")
    responses = list(mine.exclude(pk__in=earlier).order_by("submitted_at"))
    assert len(responses) == 2
    assert {r.channel for r in responses} == {Response.Channel.KIOSK}
    assert [r.service.name for r in responses] == ["Surat keterangan domisili", "Surat pengantar nikah"]
    assert [r.a1 for r in responses] == [4, 2]
    for response, when in zip(responses, answered, strict=True):
        # Stored with the time it was answered (to the second), not the time it arrived.
        assert abs((response.submitted_at - when).total_seconds()) < 3
        assert response.submitted_at < back_online and not response.flagged
    # A reload online sends nothing twice.
    tablet.reload()
    tablet.wait_for_timeout(500)
    assert mine.exclude(pk__in=earlier).count() == 2

    page.goto(f"{live_server.url}/unit/{unit.code}/tablet/")
    assert "2 jawaban terkirim" in page.content()
    page.get_by_role("button", name="Cabut tablet ini").click()
    assert re.search("dicabut", page.content())
    context.close()
