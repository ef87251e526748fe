"""The city admin manages accounts: create, assign units, deactivate, reset a password; all logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.argon2
def test_the_admin_creates_an_operator_with_units(admin_user, unit):
    page = signed_in(admin_user).post(reverse("accounts:user_create"), {
        "username": "operator-baru", "first_name": "Siti", "role": "operator", "units": [unit.pk],
        "password": "sandi-awal-yang-kuat-1",
    })
    assert page.status_code == 302
    user = User.objects.get(username="operator-baru")
    assert list(user.units.all()) == [unit] and user.check_password("sandi-awal-yang-kuat-1")
    assert user.password.startswith("argon2") and not user.is_staff
    event = AuditEvent.objects.get(action="user.create")
    assert event.after["units"] == [unit.pk] and "password" not in event.after


def test_an_operator_needs_a_unit(admin_user):
    page = signed_in(admin_user).post(reverse("accounts:user_create"), {
        "username": "tanpa-unit", "role": "operator", "password": "sandi-awal-yang-kuat-1",
    })
    assert page.status_code == 200 and "paling sedikit satu unit" in page.content.decode()
    assert not User.objects.filter(username="tanpa-unit").exists()


def test_the_admin_reassigns_units_and_the_change_is_logged(admin_user, operator, unit, other_unit):
    page = signed_in(admin_user).post(reverse("accounts:user_edit", args=[operator.pk]), {
        "role": "operator", "units": [other_unit.pk], "is_active": "on",
    })
    assert page.status_code == 302
    assert list(operator.units.all()) == [other_unit]
    event = AuditEvent.objects.get(action="user.change")
    assert event.before["units"] == [unit.pk] and event.after["units"] == [other_unit.pk]


def test_the_admin_deactivates_and_reactivates_an_account(admin_user, operator):
    client = signed_in(admin_user)
    client.post(reverse("accounts:user_toggle_active", args=[operator.pk]))
    operator.refresh_from_db()
    assert not operator.is_active
    client.post(reverse("accounts:user_toggle_active", args=[operator.pk]))
    operator.refresh_from_db()
    assert operator.is_active
    assert [e.action for e in AuditEvent.objects.order_by("at", "pk")] == ["user.deactivate", "user.activate"]


def test_the_admin_cannot_deactivate_themself(admin_user):
    signed_in(admin_user).post(reverse("accounts:user_toggle_active", args=[admin_user.pk]))
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_admin_resets_a_password(admin_user, operator):
    page = signed_in(admin_user).post(reverse("accounts:user_password", args=[operator.pk]),
                                      {"password": "sandi-baru-yang-kuat-2"})
    assert page.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("sandi-baru-yang-kuat-2")
    assert AuditEvent.objects.filter(action="user.password_reset").exists()


def test_only_the_admin_manages_accounts(operator, leader, unit):
    for user in (operator, leader):
        client = signed_in(user)
        assert client.get(reverse("accounts:users")).status_code == 403
        page = client.post(reverse("accounts:user_create"), {
            "username": "penyusup", "role": "admin", "password": "sandi-awal-yang-kuat-1",
        })
        assert page.status_code == 403
    assert not User.objects.filter(username="penyusup").exists()


def test_the_user_list_filters_by_role(admin_user, operator, leader):
    page = signed_in(admin_user).get(reverse("accounts:users") + "?peran=leadership")
    assert [u.username for u in page.context["page"]] == ["pimpinan"]


def test_create_admin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "sandi-admin-yang-kuat-9")
    call_command("create_admin", "admin-pertama", password_from_env="ADMIN_PASSWORD")
    user = User.objects.get(username="admin-pertama")
    assert user.is_city_admin and user.is_superuser and user.check_password("sandi-admin-yang-kuat-9")


def test_create_admin_refuses_a_weak_or_missing_password(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_admin", "admin-pertama", password_from_env="ADMIN_PASSWORD")
    monkeypatch.delenv("ADMIN_PASSWORD")
    with pytest.raises(CommandError):
        call_command("create_admin", "admin-pertama", password_from_env="ADMIN_PASSWORD")
    assert not User.objects.exists()


def test_create_admin_prompts_when_no_variable_is_given(monkeypatch):
    answers = iter(["sandi-admin-yang-kuat-9", "sandi-admin-yang-kuat-9"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_admin", "admin-kedua")
    assert User.objects.get(username="admin-kedua").role == "admin"


def test_the_admin_cannot_demote_themself(admin_user):
    page = signed_in(admin_user).post(reverse("accounts:user_edit", args=[admin_user.pk]), {
        "role": "leadership", "is_active": "on",
    })
    assert page.status_code == 200 and "peran admin" in page.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"
