"""Review of integrity flags: the unit sees its reasons and explains; the city sees the panel and decides."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.results.service import unit_result
from sumberdaya.surveys.models import IntegrityFlag, IntegrityReview, Response

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flagged(unit: Any, period: Any, make_responses: Any) -> list[Response]:
    make_responses(unit, [[3] * 9, [2, 3, 3, 3, 3, 3, 3, 3, 3]] * 5)
    rows = make_responses(unit, [[4] * 9] * 4, flagged=True, flag_reason="Kuesioner identik beruntun")
    for row in rows:
        IntegrityFlag.objects.create(response=row, rule="identical_run", detail="4 dari 4 kuesioner identik")
    return rows


def test_the_unit_sees_its_flags_with_the_reason_and_explains_one(
    unit: Any, period: Any, operator: Any, flagged: list[Response]
) -> None:
    client = signed_in(operator)
    page = client.get(reverse("workspace:integrity", args=[unit.code]))
    text = page.content.decode()
    assert page.status_code == 200 and "4 dari 4 kuesioner identik" in text and "menunggu" in text
    url = reverse("workspace:integrity_explain", args=[unit.code, flagged[0].pk])
    client.post(url, {"explanation": "Satu rombongan warga mengisi bersama", "periode": period.slug})
    assert IntegrityReview.objects.get(response=flagged[0]).explanation == "Satu rombongan warga mengisi bersama"
    assert AuditEvent.objects.filter(action="response.integrity_explain").count() == 1
    assert flagged[0].__class__.objects.get(pk=flagged[0].pk).status == "valid"  # explaining decides nothing


def test_another_units_operator_can_neither_see_nor_explain(
    unit: Any, period: Any, other_operator: Any, flagged: list[Response]
) -> None:
    client = signed_in(other_operator)
    assert client.get(reverse("workspace:integrity", args=[unit.code])).status_code in (403, 404)
    url = reverse("workspace:integrity_explain", args=[unit.code, flagged[0].pk])
    assert client.post(url, {"explanation": "bukan unit saya"}).status_code in (403, 404)
    assert not IntegrityReview.objects.exists()


def test_the_city_panel_shows_share_reasons_and_both_indices(
    unit: Any, period: Any, admin_user: Any, flagged: list[Response]
) -> None:
    page = signed_in(admin_user).get(reverse("city:integrity"))
    text = page.content.decode()
    result = unit_result(unit, period)
    assert page.status_code == 200 and unit.name in text
    assert "Kuesioner identik beruntun dalam waktu singkat (4)" in text
    assert "28,6 %" in text  # 4 of 14
    assert result.flagged_responses == 4 and result.ikm_unflagged < result.ikm


def test_the_city_decides_and_each_decision_is_logged(
    unit: Any, period: Any, admin_user: Any, leader: Any, flagged: list[Response]
) -> None:
    url = reverse("city:integrity_decide", args=[unit.code])
    refused = signed_in(leader).post(url, {"periode": period.slug, "keputusan": "exclude", "semua": "1"})
    assert refused.status_code == 403
    client = signed_in(admin_user)
    client.post(url, {"periode": period.slug, "keputusan": "keep", "respons": flagged[0].pk})
    client.post(url, {"periode": period.slug, "keputusan": "exclude", "semua": "1"})
    statuses = dict(Response.objects.filter(pk__in=[r.pk for r in flagged]).values_list("pk", "status"))
    assert statuses[flagged[0].pk] == "valid" and [statuses[r.pk] for r in flagged[1:]] == ["excluded"] * 3
    assert AuditEvent.objects.filter(action="response.integrity_decide").count() == 4
    result = unit_result(unit, period)
    assert result.flagged_responses == 0 and result.respondents == 11
    page = signed_in(admin_user).get(reverse("city:integrity_unit", args=[unit.code]))
    assert page.status_code == 200 and "Tetap dihitung" in page.content.decode()


def test_the_publication_and_the_city_report_say_how_many_were_flagged_and_excluded(
    unit: Any, period: Any, admin_user: Any, flagged: list[Response]
) -> None:
    from sumberdaya.city.publication import publish
    from sumberdaya.city.report import city_report_data, generated_sentences
    from sumberdaya.city.snapshot import read_snapshot
    from sumberdaya.surveys import integrity

    integrity.decide(flagged[0], admin_user, "exclude")
    snapshot = read_snapshot(publish(period, admin_user).snapshot)
    assert snapshot.integrity == {"flagged": 4, "pending": 3, "kept": 0, "excluded": 1}
    page = Client().get(reverse("public:period", args=[period.slug]))
    assert "menandai 4 respons; 1 dikeluarkan" in page.content.decode()
    sentence = generated_sentences(city_report_data(period))["units"]
    assert "Pemeriksaan integritas menandai 4 respons: 1 dikeluarkan" in sentence


def test_a_response_flagged_at_submission_is_listed_and_can_be_decided(
    unit: Any, period: Any, admin_user: Any, make_responses: Any
) -> None:
    (burst,) = make_responses(unit, [[4] * 9], flagged=True, flag_reason="jawaban identik beruntun")
    client = signed_in(admin_user)
    page = client.get(reverse("city:integrity_unit", args=[unit.code]))
    assert "jawaban identik beruntun" in page.content.decode()
    url = reverse("city:integrity_decide", args=[unit.code])
    client.post(url, {"periode": period.slug, "keputusan": "keep", "respons": burst.pk})
    burst.refresh_from_db()
    assert not burst.flagged and burst.status == "valid"
