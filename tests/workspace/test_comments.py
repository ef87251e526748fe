"""Comments inbox: citizens' keluhan / pujian / saran, filterable, each markable as followed up with a note."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.workspace.models import CommentFollowUp

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def comments(unit, period, make_responses) -> list[Any]:
    return [
        *make_responses(unit, [[2] * 9], comment="Antrean lama sekali", comment_kind="keluhan"),
        *make_responses(unit, [[4] * 9], comment="Petugas ramah <b>sekali</b>", comment_kind="pujian"),
        *make_responses(unit, [[3] * 9], comment=""),
    ]


def test_the_inbox_lists_only_responses_with_a_comment(unit, operator, comments):
    page = signed_in(operator).get(reverse("workspace:comments", args=[unit.code]))
    assert page.context["page"].paginator.count == 2
    assert "Petugas ramah &lt;b&gt;sekali&lt;/b&gt;" in page.content.decode()


def test_the_inbox_filters_by_kind_and_follow_up(unit, operator, comments):
    client = signed_in(operator)
    keluhan = client.get(reverse("workspace:comments", args=[unit.code]) + "?jenis=keluhan").context["page"]
    assert [r.comment for r in keluhan] == ["Antrean lama sekali"]
    client.post(reverse("workspace:follow_up", args=[unit.code, comments[0].pk]), {"note": "Loket ditambah"})
    open_ones = client.get(reverse("workspace:comments", args=[unit.code]) + "?tindak=belum").context["page"]
    assert [r.pk for r in open_ones] == [comments[1].pk]


def test_a_follow_up_note_is_stored_logged_and_can_be_updated(unit, operator, comments):
    client = signed_in(operator)
    url = reverse("workspace:follow_up", args=[unit.code, comments[0].pk])
    client.post(url, {"note": "Loket ditambah"})
    client.post(url, {"note": "Loket ditambah dua"})
    follow_up = CommentFollowUp.objects.get()
    assert follow_up.note == "Loket ditambah dua" and follow_up.by == operator
    events = list(AuditEvent.objects.filter(action="comment.follow_up").order_by("at", "pk"))
    assert events[1].before == {"note": "Loket ditambah"} and events[1].after == {"note": "Loket ditambah dua"}


def test_an_empty_note_is_refused(unit, operator, comments):
    signed_in(operator).post(reverse("workspace:follow_up", args=[unit.code, comments[0].pk]), {"note": ""})
    assert not CommentFollowUp.objects.exists()


def test_leadership_reads_but_cannot_follow_up(unit, leader, comments):
    client = signed_in(leader)
    assert client.get(reverse("workspace:comments", args=[unit.code])).status_code == 200
    page = client.post(reverse("workspace:follow_up", args=[unit.code, comments[0].pk]), {"note": "x"})
    assert page.status_code == 403 and not CommentFollowUp.objects.exists()


def test_another_units_operator_cannot_read_the_comments(unit, other_operator, comments):
    assert signed_in(other_operator).get(reverse("workspace:comments", args=[unit.code])).status_code == 404
