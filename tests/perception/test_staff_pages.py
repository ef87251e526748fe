"""Staff pages: a unit's ZI indices, the city list, Excel exports, and the city admin's setting per period."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.perception.models import PerceptionSetting

pytestmark = pytest.mark.django_db

SPKP_ROWS = [[4, 4, 3, 3, 4, 4, 3, 4], [3, 3, 3, 2, 4, 3, 3, 3], [4, 3, 2, 3, 4, 4, 4, 3]]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def data(unit: Any, period: Any, make_responses: Any) -> None:
    make_responses(unit, SPKP_ROWS, instrument="spkp")
    make_responses(unit, [[4] * 5, [4] * 5, [3] * 5], instrument="spak", control=False)
    make_responses(unit, [[1] * 5], instrument="spak", control=True)


def test_the_unit_page_shows_means_index_formula_and_the_steered_share(
    unit: Any, period: Any, operator: Any, data: None
) -> None:
    page = signed_in(operator).get(f"/zi/unit/{unit.code}/?periode={period.slug}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "83,33" in html and "3,333" in html  # SPKP hand-checked example
    assert "25,0 %" in html  # one of four SPAK respondents said someone steered them
    assert "tidak dihitung dalam indeks SPAK" in html
    assert "rata-rata ÷ skala × 100" in html
    assert "&lt; 30 responden" in html
    assert "Sangat Baik" not in html and 'class="badge' not in html  # no invented categories


def test_staff_of_another_unit_get_not_found(unit: Any, period: Any, other_operator: Any) -> None:
    assert signed_in(other_operator).get(f"/zi/unit/{unit.code}/").status_code == 404
    assert signed_in(other_operator).get(f"/zi/unit/{unit.code}/excel/").status_code == 404


def test_leadership_and_admin_see_any_unit(unit: Any, period: Any, leader: Any, admin_user: Any) -> None:
    assert signed_in(leader).get(f"/zi/unit/{unit.code}/").status_code == 200
    assert signed_in(admin_user).get(f"/zi/unit/{unit.code}/").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, unit: Any, period: Any) -> None:
    assert client.get(f"/zi/unit/{unit.code}/").status_code == 302
    assert client.get("/zi/kota/").status_code == 302


def test_an_unknown_period_is_not_found(unit: Any, period: Any, operator: Any) -> None:
    assert signed_in(operator).get(f"/zi/unit/{unit.code}/?periode=1999").status_code == 404


def test_the_city_page_lists_every_unit_for_leadership(
    unit: Any, other_unit: Any, period: Any, leader: Any, data: None
) -> None:
    html = signed_in(leader).get(f"/zi/kota/?periode={period.slug}").content.decode()
    assert unit.name in html and other_unit.name in html
    assert "83,33" in html and "25,0 %" in html


def test_operators_may_not_open_the_city_page(operator: Any, period: Any) -> None:
    assert signed_in(operator).get("/zi/kota/").status_code == 403
    assert signed_in(operator).get("/zi/kota/excel/").status_code == 403


def test_the_unit_excel_has_the_hand_checked_numbers(unit: Any, period: Any, operator: Any, data: None) -> None:
    response = signed_in(operator).get(f"/zi/unit/{unit.code}/excel/?periode={period.slug}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 83.33 in values and 3.333 in values and 25.0 in values


def test_the_city_excel_neutralises_formula_like_unit_names(
    unit: Any, period: Any, admin_user: Any, data: None
) -> None:
    unit.name = '=HYPERLINK("http://x")'
    unit.save()
    response = signed_in(admin_user).get(f"/zi/kota/excel/?periode={period.slug}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["SPKP", "SPAK"]
    cells = [row[1] for row in book["SPKP"].iter_rows()]
    hostile = next(cell for cell in cells if cell.value == '=HYPERLINK("http://x")')
    assert hostile.data_type == "s" and hostile.quotePrefix  # shown as typed, never run
    assert all(cell.data_type != "f" for cell in cells)


def test_the_admin_sets_the_scales_and_the_change_is_audited(admin_user: Any, period: Any, data: None) -> None:
    client = signed_in(admin_user)
    page = client.get(f"/zi/pengaturan/?periode={period.slug}")
    assert "SPKP 3 respons (skala 1–4)" in page.content.decode()
    sent = client.post(
        f"/zi/pengaturan/?periode={period.slug}",
        {"enabled": "on", "spkp_scale": "6", "spak_scale": "4", "exclude_steered": ""},
    )
    assert sent.status_code == 302
    setting = PerceptionSetting.objects.get(period=period)
    assert (setting.spkp_scale, setting.spak_scale, setting.exclude_steered) == (6, 4, False)
    event = AuditEvent.objects.get(action="perception.setting")
    assert event.before is None and event.after["spkp_scale"] == 6


def test_an_unknown_scale_is_refused_in_indonesian(admin_user: Any, period: Any) -> None:
    page = signed_in(admin_user).post(f"/zi/pengaturan/?periode={period.slug}", {"spkp_scale": "5", "spak_scale": "4"})
    assert page.status_code == 200 and "Skala tidak dikenal: pilih 1–4 atau 1–6." in page.content.decode()
    assert not PerceptionSetting.objects.exists()


def test_leadership_and_operators_may_not_change_the_setting(leader: Any, operator: Any, period: Any) -> None:
    for user in (leader, operator):
        client = signed_in(user)
        assert client.get("/zi/pengaturan/").status_code == 403
        assert client.post("/zi/pengaturan/", {"spkp_scale": "6", "spak_scale": "6"}).status_code == 403
    assert not PerceptionSetting.objects.exists()
