"""Browser: an operator downloads the unit's responses from the review list, on a phone and on a desktop.
Screenshots go to var/screenshots/exports/."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["phone", "page"])
def test_an_operator_downloads_the_units_responses_from_the_review_list(
    screen: str, request: pytest.FixtureRequest, live_server: Any, login: Any, screenshot: Any,
    unit: Any, period: Any, operator: Any, make_responses: Any, tmp_path: Path,
) -> None:
    browser_page = request.getfixturevalue(screen)
    when = timezone.make_aware(dt.datetime(period.start.year, 2, 1, 9))
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2], [2] * 9, [3] * 9], when=when, comment="Antre lama")
    login(browser_page, operator.username)
    browser_page.wait_for_url("**/dasbor/**")
    browser_page.goto(f"{live_server.url}/unit/{unit.code}/respons/?periode={period.slug}")
    link = browser_page.get_by_test_id("export-csv")
    assert link.is_visible() and browser_page.get_by_test_id("export-xlsx").is_visible()
    screenshot(browser_page, f"exports/01-review-{screen}")
    with browser_page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"respons-{unit.code}-{period.slug}.csv"
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:3] == ["No", "Kode unit", "Unit"] and len(rows) == 4 and rows[1][-1] == "Antre lama"
