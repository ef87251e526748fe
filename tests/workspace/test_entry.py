"""Paper and interview entry: digits 1–4, who entered it, the questionnaire's date, the next blank form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**overrides: Any) -> dict[str, Any]:
    data = {"submitted_on": timezone.localdate().isoformat(), "channel": "paper", "sex": "P", "age": "34",
            "education": "SMA", "occupation": "Swasta", "comment": "", "comment_kind": "", "service": ""}
    data.update({f"u{i}": "4" for i in range(1, 10)})
    data.update(overrides)
    return data


def test_a_paper_questionnaire_is_stored_with_who_entered_it(unit, operator):
    service = unit.services.first()
    url = reverse("workspace:entry", args=[unit.code])
    page = signed_in(operator).post(url, form(u3="2", u9="", service=str(service.pk)), follow=True)
    response = Response.objects.get()
    assert response.answers == [4, 4, 2, 4, 4, 4, 4, 4, None]
    assert response.entered_by == operator and response.channel == "paper" and response.service == service
    assert response.unit == unit and response.sex == "P" and response.age == 34
    assert "Hari ini Anda sudah mengentri 1 kuesioner" in page.content.decode()
    assert AuditEvent.objects.filter(action="response.enter", object_id=str(response.pk)).exists()


def test_after_saving_a_blank_form_keeps_the_date_and_method(unit, operator):
    day = timezone.localdate() - dt.timedelta(days=3)
    page = signed_in(operator).post(
        reverse("workspace:entry", args=[unit.code]), form(submitted_on=day.isoformat(), channel="interview"),
        follow=True,
    )
    entry = page.context["form"]
    assert entry.initial["submitted_on"] == day and entry.initial["channel"] == "interview"
    assert not entry.is_bound
    stored = Response.objects.get()
    assert timezone.localtime(stored.submitted_at).date() == day and stored.channel == "interview"


def test_an_answer_outside_1_to_4_is_refused_and_nothing_is_lost(unit, operator):
    page = signed_in(operator).post(reverse("workspace:entry", args=[unit.code]), form(u2="5", comment="Antre lama",
                                                                                       comment_kind="keluhan"))
    assert page.status_code == 200 and "Isi 1, 2, 3 atau 4." in page.content.decode()
    assert "Antre lama" in page.content.decode()
    assert not Response.objects.exists()


def test_a_questionnaire_without_any_answer_is_refused(unit, operator):
    page = signed_in(operator).post(reverse("workspace:entry", args=[unit.code]),
                                    form(**{f"u{i}": "" for i in range(1, 10)}))
    assert "paling sedikit satu jawaban" in page.content.decode()
    assert not Response.objects.exists()


def test_a_future_date_is_refused(unit, operator):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = signed_in(operator).post(reverse("workspace:entry", args=[unit.code]),
                                    form(submitted_on=tomorrow.isoformat()))
    assert "masa depan" in page.content.decode() and not Response.objects.exists()


def test_another_units_service_cannot_be_chosen(unit, other_unit, operator):
    foreign = other_unit.services.first()
    page = signed_in(operator).post(reverse("workspace:entry", args=[unit.code]), form(service=str(foreign.pk)))
    assert page.status_code == 200 and not Response.objects.exists()


def test_the_form_is_made_for_the_keyboard(unit, operator):
    text = signed_in(operator).get(reverse("workspace:entry", args=[unit.code])).content.decode()
    assert text.count('inputmode="numeric" maxlength="1"') == 9
    assert "autofocus" in text and "workspace/entry.js" in text


def test_leadership_and_other_operators_cannot_enter(unit, leader, other_operator):
    url = reverse("workspace:entry", args=[unit.code])
    assert signed_in(leader).post(url, form()).status_code == 403
    assert signed_in(other_operator).post(url, form()).status_code == 404
    assert not Response.objects.exists()
