"""On a phone: SKM, then SPKP and SPAK in the same visit; the three indices update."""

from __future__ import annotations

from typing import Any

import pytest

from sumberdaya.perception.recap import unit_perception
from sumberdaya.results.service import unit_result
from sumberdaya.surveys.models import Response


def tap(page: Any, name: str, value: str) -> None:
    page.locator(f"label:has(input[name='{name}'][value='{value}'])").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_answers_skm_spkp_and_spak_in_one_visit(
    live_server: Any, phone: Any, screenshot: Any, unit: Any, period: Any, operator: Any, login: Any
) -> None:
    assert unit_result(unit, period).ikm is None
    phone.goto(f"{live_server.url}/s/{unit.code}/")
    services = phone.locator("input[name=service]")
    if services.count():
        tap(phone, "service", services.first.get_attribute("value"))
    for i in range(1, 10):
        tap(phone, f"a{i}", "4")
    phone.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    skm = Response.objects.get(instrument="skm")

    # The SKM thank-you page offers the perception survey for the same visit.
    phone.get_by_role("link", name="Lanjut ke survei persepsi").click()
    phone.wait_for_load_state()
    assert f"kunjungan={skm.visit}" in phone.url
    screenshot(phone, "perception/01-survey-phone")
    assert phone.locator("fieldset").count() == 14
    for i in range(1, 9):
        tap(phone, f"spkp_{i}", "3")
    for i in range(1, 6):
        tap(phone, f"spak_{i}", "4")
    tap(phone, "control", "tidak")
    phone.locator("button[type=submit]").click()
    phone.wait_for_load_state()
    assert "Terima kasih" in phone.content()
    screenshot(phone, "perception/02-thanks-phone")

    visit = set(Response.objects.filter(visit=skm.visit).values_list("instrument", flat=True))
    assert visit == {"skm", "spkp", "spak"}
    assert unit_result(unit, period).ikm is not None
    assert unit_perception(unit, period, "spkp").score.index == 75
    assert unit_perception(unit, period, "spak").score.index == 100

    login(phone, operator.username)
    phone.goto(f"{live_server.url}/zi/unit/{unit.code}/?periode={period.slug}")
    assert phone.get_by_test_id("spkp-index").inner_text() == "75,00"
    assert phone.get_by_test_id("spak-index").inner_text() == "100,00"
    assert phone.get_by_test_id("steered-share").inner_text() == "0,0 %"
    screenshot(phone, "perception/03-unit-indices-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leadership_sees_the_city_list_with_the_steered_share(
    live_server: Any,
    page: Any,
    screenshot: Any,
    unit: Any,
    other_unit: Any,
    period: Any,
    leader: Any,
    login: Any,
    make_responses: Any,
) -> None:
    make_responses(unit, [[4, 4, 3, 3, 4, 4, 3, 4]] * 31, instrument="spkp")
    make_responses(unit, [[4] * 5] * 30, instrument="spak", control=False)
    make_responses(other_unit, [[3] * 5] * 3, instrument="spak", control=True)
    login(page, leader.username)
    page.goto(f"{live_server.url}/zi/kota/?periode={period.slug}")
    assert page.get_by_role("link", name=unit.name).is_visible()
    assert "100,0 %" in page.content()  # all of Puskesmas Cempaka's SPAK respondents were steered
    screenshot(page, "perception/04-city")
    page.get_by_role("link", name=unit.name).click()
    assert page.get_by_test_id("spkp-index").inner_text() == "90,63"
    screenshot(page, "perception/05-unit")
