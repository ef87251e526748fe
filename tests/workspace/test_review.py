"""Response review: list, flags, exclusion with a reason and re-inclusion; answers never change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.results.service import unit_result
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_answers_channel_and_flags(unit, period, operator, make_responses):
    make_responses(unit, [[4] * 9], flagged=True, flag_reason="Banyak isian identik dalam 5 menit")
    make_responses(unit, [[1, 2, 3, 4, 1, 2, 3, 4, 1]], channel="paper")
    page = signed_in(operator).get(reverse("workspace:review", args=[unit.code]))
    text = page.content.decode()
    assert page.status_code == 200 and "Banyak isian identik" in text and "Kuesioner kertas" in text
    flagged = signed_in(operator).get(reverse("workspace:review", args=[unit.code]) + "?tanda=1")
    assert flagged.context["page"].paginator.count == 1


def test_excluding_needs_a_reason_and_changes_only_the_status(unit, period, operator, make_responses):
    (response,) = make_responses(unit, [[1] * 9])
    client = signed_in(operator)
    url = reverse("workspace:exclude", args=[unit.code, response.pk])
    client.post(url, {"reason": ""})
    assert Response.objects.get().status == "valid"
    client.post(url, {"reason": "Diisi petugas sendiri"})
    stored = Response.objects.get()
    assert stored.status == "excluded" and stored.excluded_reason == "Diisi petugas sendiri"
    assert stored.excluded_by == operator and stored.answers == [1] * 9
    assert unit_result(unit, period).respondents == 0
    event = AuditEvent.objects.get(action="response.exclude")
    assert event.before["status"] == "valid" and event.after["status"] == "excluded"


def test_an_excluded_response_can_be_counted_again(unit, period, operator, make_responses):
    (response,) = make_responses(unit, [[2] * 9], status="excluded", excluded_reason="uji")
    signed_in(operator).post(reverse("workspace:include", args=[unit.code, response.pk]))
    assert Response.objects.get().status == "valid" and unit_result(unit, period).respondents == 1
    assert AuditEvent.objects.filter(action="response.include").exists()


def test_a_response_of_another_unit_is_not_found(unit, other_unit, period, operator, make_responses):
    (foreign,) = make_responses(other_unit, [[2] * 9])
    page = signed_in(operator).post(reverse("workspace:exclude", args=[unit.code, foreign.pk]), {"reason": "bukan unit"})
    assert page.status_code == 404 and Response.objects.get().status == "valid"


def test_leadership_reads_the_list_but_cannot_exclude(unit, period, leader, make_responses):
    (response,) = make_responses(unit, [[2] * 9])
    page = signed_in(leader).get(reverse("workspace:review", args=[unit.code]))
    assert page.status_code == 200 and "Keluarkan" not in page.content.decode()
    refused = signed_in(leader).post(reverse("workspace:exclude", args=[unit.code, response.pk]), {"reason": "coba"})
    assert refused.status_code == 403 and Response.objects.get().status == "valid"


def test_there_is_no_way_to_edit_or_delete_answers(unit, period, admin_user, make_responses):
    (response,) = make_responses(unit, [[2] * 9])
    client = signed_in(admin_user)
    for name in ("exclude", "include"):
        client.post(reverse(f"workspace:{name}", args=[unit.code, response.pk]), {"reason": "alasan uji", "a1": "4"})
    assert Response.objects.get().answers == [2] * 9
