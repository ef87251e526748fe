"""The audit log page: every change by a signed-in user, readable by the city admin only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts.audit import record

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_reads_who_did_what_with_before_and_after(admin_user, operator, unit):
    record(operator, "response.exclude", unit, before={"status": "valid"}, after={"status": "excluded"})
    text = signed_in(admin_user).get(reverse("accounts:audit")).content.decode()
    assert "operator-mawar" in text and "response.exclude" in text and "excluded" in text


def test_the_log_filters_by_unit_action_and_user(admin_user, operator, unit, other_unit):
    record(operator, "response.exclude", unit)
    record(operator, "comment.follow_up", other_unit)
    page = signed_in(admin_user).get(reverse("accounts:audit") + f"?unit={unit.pk}")
    assert [e.action for e in page.context["page"]] == ["response.exclude"]
    page = signed_in(admin_user).get(reverse("accounts:audit") + "?tindakan=comment.")
    assert [e.action for e in page.context["page"]] == ["comment.follow_up"]
    page = signed_in(admin_user).get(reverse("accounts:audit") + "?pengguna=admin-kota")
    assert list(page.context["page"]) == []


def test_user_text_in_the_log_is_escaped(admin_user, operator, unit):
    record(operator, "comment.follow_up", unit, after={"note": "<script>alert(1)</script>"})
    text = signed_in(admin_user).get(reverse("accounts:audit")).content.decode()
    assert "<script>alert(1)" not in text


def test_operators_and_leadership_may_not_read_the_log(operator, leader):
    assert signed_in(operator).get(reverse("accounts:audit")).status_code == 403
    assert signed_in(leader).get(reverse("accounts:audit")).status_code == 403
