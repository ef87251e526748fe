"""The citizen's SPKP + SPAK page at /zi/s/<unit>/: one visit with the SKM, tokens, errors, abuse rules."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sumberdaya.citizen.views import kiosk_url
from sumberdaya.perception.models import PerceptionSetting
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits() -> None:
    cache.clear()


def url(unit: Any, query: str = "") -> str:
    return f"/zi/s/{unit.code}/{query}"


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def answers(scale_spkp: int = 4, scale_spak: int = 4, control: str = "tidak") -> dict[str, str]:
    data = {f"spkp_{i}": str(min(i % 4 + 1, scale_spkp)) for i in range(1, 9)}
    data.update({f"spak_{i}": str(scale_spak) for i in range(1, 6)})
    data["control"] = control
    return data


def start(client: Client, unit: Any, query: str = "") -> str:
    page = client.get(url(unit, query))
    assert page.status_code == 200
    return token_of(page.content.decode())


def test_the_page_asks_every_statement_and_the_control_question_in_indonesian(
    client: Client, unit: Any, period: Any
) -> None:
    page = client.get(url(unit))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<fieldset") == 8 + 5 + 1
    assert "Survei Persepsi Kualitas Pelayanan" in html and "Survei Persepsi Anti Korupsi" in html
    assert "pungutan liar" in html and "mengarahkan Anda" in html
    assert html.count('type="radio"') == 13 * 4 + 2
    assert "Sangat setuju" in html
    assert len(page.content) <= 50_000


def test_a_six_point_scale_chosen_by_the_city_shows_six_options(client: Client, unit: Any, period: Any) -> None:
    PerceptionSetting.objects.create(period=period, spkp_scale=6, spak_scale=6)
    html = client.get(url(unit)).content.decode()
    assert html.count('type="radio"') == 13 * 6 + 2
    assert "Sangat tidak setuju" in html


def test_sending_stores_one_spkp_and_one_spak_response_of_the_same_visit(
    client: Client, unit: Any, period: Any
) -> None:
    token = start(client, unit)
    sent = client.post(url(unit), {"token": token, **answers(control="ya")})
    assert sent.status_code == 302 and sent["Location"] == f"/zi/s/{unit.code}/terima-kasih/"
    spkp = Response.objects.get(instrument="spkp")
    spak = Response.objects.get(instrument="spak")
    assert spkp.visit == spak.visit and spkp.visit is not None
    assert spkp.answers[:8] == [2, 3, 4, 1, 2, 3, 4, 1] and spkp.a9 is None
    assert spak.answers[:5] == [4] * 5 and spak.control is True and spkp.control is None
    assert spkp.scale == spak.scale == 4
    assert spkp.channel == "online" and spkp.client and spkp.token != spak.token
    assert "Terima kasih" in client.get(sent["Location"]).content.decode()


def test_a_visit_link_from_a_fresh_skm_response_continues_that_visit_in_kiosk_mode(
    client: Client, unit: Any, period: Any, make_responses: Any, tablet: Any
) -> None:
    client.get(kiosk_url(tablet))
    visit = uuid.uuid4()
    make_responses(unit, [[4] * 9], visit=visit, channel="kiosk")
    token = start(client, unit, f"?kunjungan={visit}&kiosk=1")
    sent = client.post(url(unit), {"token": token, **answers()})
    assert sent["Location"].endswith("?kiosk=1")
    assert set(Response.objects.filter(visit=visit).values_list("instrument", flat=True)) == {"skm", "spkp", "spak"}
    assert set(Response.objects.filter(visit=visit, instrument="spak").values_list("channel", flat=True)) == {"kiosk"}
    thanks = client.get(sent["Location"]).content.decode()
    assert 'http-equiv="refresh"' in thanks and f"/s/{unit.code}/?kiosk=1" in thanks


@pytest.mark.parametrize("kind", ["unknown", "other_unit", "already_used", "garbage"])
def test_a_visit_link_that_does_not_fit_starts_a_fresh_visit(
    client: Client, unit: Any, other_unit: Any, period: Any, make_responses: Any, kind: str
) -> None:
    visit = uuid.uuid4()
    if kind == "other_unit":
        make_responses(other_unit, [[4] * 9], visit=visit)
    if kind == "already_used":
        make_responses(unit, [[4] * 9], visit=visit)
        make_responses(unit, [[4] * 8], visit=visit, instrument="spkp")
    raw = "not-a-uuid" if kind == "garbage" else str(visit)
    token = start(client, unit, f"?kunjungan={raw}")
    client.post(url(unit), {"token": token, **answers()})
    assert Response.objects.get(instrument="spak").visit != visit


def test_sending_the_same_form_twice_stores_it_once(client: Client, unit: Any, period: Any) -> None:
    token = start(client, unit)
    client.post(url(unit), {"token": token, **answers()})
    again = client.post(url(unit), {"token": token, **answers()})
    assert again.status_code == 200 and "sudah tersimpan sebelumnya" in again.content.decode()
    assert Response.objects.count() == 2


def test_a_missing_answer_is_named_and_the_other_answers_are_kept(client: Client, unit: Any, period: Any) -> None:
    token = start(client, unit)
    data = answers()
    del data["spak_4"]
    del data["control"]
    page = client.post(url(unit), {"token": token, **data})
    html = page.content.decode()
    assert page.status_code == 200 and Response.objects.count() == 0
    assert "Ada 2 isian yang perlu diperbaiki" in html
    assert 'href="#f-spak_4">SPAK · pernyataan 4: Pernyataan ini belum dijawab' in html
    assert html.index('href="#f-spak_4"') < html.index('href="#f-control">Pertanyaan kontrol: ')
    assert 'name="spkp_1" value="2" checked' in html


def test_an_answer_outside_the_scale_is_refused(client: Client, unit: Any, period: Any) -> None:
    token = start(client, unit)
    page = client.post(url(unit), {"token": token, **answers(), "spak_1": "6"})
    assert "pilih salah satu dari 4 jawaban" in page.content.decode()
    assert Response.objects.count() == 0


def test_a_forged_token_is_refused_with_the_answers_kept(client: Client, unit: Any, period: Any) -> None:
    page = client.post(url(unit), {"token": "forged", **answers()})
    assert page.status_code == 400 and "Formulir tidak dikenali" in page.content.decode()
    assert 'name="spkp_2" value="3" checked' in page.content.decode()
    assert Response.objects.count() == 0


def test_a_filled_honeypot_is_stored_but_excluded_and_flagged(client: Client, unit: Any, period: Any) -> None:
    token = start(client, unit)
    client.post(url(unit), {"token": token, **answers(), "website": "http://spam"})
    assert set(Response.objects.values_list("status", "flagged")) == {("excluded", True)}


def test_over_the_rate_limit_the_answers_are_kept(client: Client, unit: Any, period: Any, settings: Any) -> None:
    settings.SKM_RATE_LIMIT = (1, 600)
    client.post(url(unit), {"token": start(client, unit), **answers()})
    page = client.post(url(unit), {"token": start(client, unit), **answers()})
    assert page.status_code == 429 and "Terlalu banyak kiriman" in page.content.decode()
    assert Response.objects.count() == 2


def test_identical_answers_in_a_row_are_flagged_not_dropped(client: Client, unit: Any, period: Any) -> None:
    for _ in range(5):
        client.post(url(unit), {"token": start(client, unit, "?kiosk=1"), **answers()})
    spak = list(Response.objects.filter(instrument="spak").order_by("id"))
    assert len(spak) == 5 and [r.flagged for r in spak] == [False] * 4 + [True]


def test_the_page_says_closed_when_the_city_disabled_the_survey(client: Client, unit: Any, period: Any) -> None:
    PerceptionSetting.objects.create(period=period, enabled=False)
    page = client.get(url(unit))
    assert "tidak dibuka" in page.content.decode() and 'name="token"' not in page.content.decode()


def test_the_page_says_closed_without_an_open_period(client: Client, unit: Any, period_2024: Any) -> None:
    assert "tidak dibuka" in client.get(url(unit)).content.decode()


def test_an_unknown_unit_is_not_found(client: Client, period: Any) -> None:
    assert client.get("/zi/s/tidak-ada/").status_code == 404


def test_the_skm_thank_you_link_carries_the_visit_and_kiosk_mode(unit: Any, period: Any) -> None:
    from sumberdaya.perception.survey import continue_url

    visit = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert continue_url(unit, visit, kiosk=True) == f"/zi/s/{unit.code}/?kunjungan={visit}&kiosk=1"
    assert continue_url(unit, None) == f"/zi/s/{unit.code}/"
    PerceptionSetting.objects.create(period=period, enabled=False)
    assert continue_url(unit, visit) is None


def test_in_kiosk_mode_the_person_can_skip_back_to_the_start(client: Client, unit: Any, period: Any) -> None:
    html = client.get(url(unit, "?kiosk=1")).content.decode()
    assert f'data-reset="/s/{unit.code}/?kiosk=1"' in html and "Lewati" in html


def test_the_six_point_page_stays_small(client: Client, unit: Any, period: Any) -> None:
    PerceptionSetting.objects.create(period=period, spkp_scale=6, spak_scale=6)
    assert len(client.get(url(unit, "?kiosk=1")).content) <= 50_000


def test_the_year_setting_governs_a_quarter_open_on_the_same_day(unit: Any, period: Any) -> None:
    from django.utils import timezone

    from sumberdaya.perception.survey import open_setting
    from sumberdaya.surveys.models import Period

    today = timezone.localdate()
    quarter = Period.objects.create(slug=f"{today.year}-TW9", name="Triwulan", start=today, end=today)
    PerceptionSetting.objects.create(period=quarter, spkp_scale=4)
    PerceptionSetting.objects.create(period=period, spkp_scale=6)
    setting = open_setting(today)
    assert setting is not None and setting.period == period and setting.spkp_scale == 6
