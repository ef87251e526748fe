"""Each survey page weighs at most 50 KB transferred (HTML + CSS + JS, gzip), with no external requests."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from django.test import Client

from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import BANDS
from sumberdaya.surveys.translations import BAND_TEXTS, ELEMENT_TEXTS

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024


def transferred(client: Client, url: str) -> tuple[int, str]:
    """Bytes on the wire for the page and every stylesheet/script/image it references (gzip-compressed)."""
    page = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code in (200, 404)
    html = gzip.decompress(page.content).decode() if page.get("Content-Encoding") == "gzip" else page.content.decode()
    total = len(page.content)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets, "the page should reference its stylesheet"
    for asset in assets:
        reply = client.get(asset, HTTP_ACCEPT_ENCODING="gzip")
        assert reply.status_code == 200, asset
        body = b"".join(reply.streaming_content) if reply.streaming else reply.content  # type: ignore[attr-defined]
        total += len(body) if reply.get("Content-Encoding") == "gzip" else len(gzip.compress(body))
    return total, html


@pytest.mark.parametrize("suffix", ["", "?lang=en", "?kiosk=1"])
def test_the_survey_page_weighs_at_most_50_kb(client: Client, unit: Any, period: Any, suffix: str) -> None:
    total, html = transferred(client, f"/s/{unit.code}/{suffix}")
    assert total <= BUDGET, f"{total} bytes"
    # No external request: every URL in the page is on this site.
    assert not re.search(r'(?:href|src|action)="(?:https?:)?//', html)


def test_the_thank_you_and_not_found_pages_are_light_too(client: Client, unit: Any, period: Any) -> None:
    assert transferred(client, f"/s/{unit.code}/terima-kasih/")[0] <= BUDGET
    assert transferred(client, "/s/tidak-ada/")[0] <= BUDGET


def test_every_question_label_and_band_is_listed_for_translation() -> None:
    texts = set(ELEMENT_TEXTS)
    for element in ELEMENTS:
        assert {element.name, element.question, *element.labels} <= texts
    assert [band.kinerja for band in BANDS] == BAND_TEXTS


def test_the_offline_layer_loads_only_on_a_registered_tablet(client: Client, unit: Any, period: Any, tablet: Any) -> None:
    from sumberdaya.citizen.views import kiosk_url

    phone_total, phone = transferred(client, f"/s/{unit.code}/?kiosk=1")
    assert "Kirim jawaban" in phone and "kiosk.js" not in phone and "manifest" not in phone
    client.get(kiosk_url(tablet))
    kiosk_total, kiosk = transferred(client, f"/s/{unit.code}/?kiosk=1")
    assert "surveys/kiosk.js" in kiosk and kiosk_total <= BUDGET
    assert kiosk_total > phone_total  # the tablet pays for its offline layer, the phone does not
