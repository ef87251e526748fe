"""Sign-in with argon2, lockout after repeated failures, logout and password change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.accounts import lockout
from sumberdaya.accounts.models import AuditEvent, LoginAttempt

pytestmark = pytest.mark.django_db
PASSWORD = "kata-sandi-uji-123"


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_operator_signs_in_and_lands_on_their_unit(operator, unit, period):
    client = Client()
    page = sign_in(client, "operator-mawar", PASSWORD)
    assert page.status_code == 302
    assert client.get(page["Location"], follow=True).request["PATH_INFO"] == reverse("dashboards:unit", args=[unit.code])


def test_passwords_are_hashed_with_argon2(operator):
    assert operator.password.startswith("argon2")


def test_a_wrong_password_says_so_in_indonesian(operator):
    page = sign_in(Client(), "operator-mawar", "salah-sekali")
    assert page.status_code == 200 and "Nama pengguna atau kata sandi salah." in page.content.decode()


def test_five_failures_lock_the_username_even_with_the_right_password(operator):
    client = Client()
    for _ in range(lockout.MAX_PER_USERNAME):
        sign_in(client, "operator-mawar", "salah-sekali")
    page = sign_in(client, "operator-mawar", PASSWORD, ip="10.0.0.2")
    assert page.status_code == 200 and "dikunci selama 15 menit" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_fifteen_minutes(operator):
    for _ in range(lockout.MAX_PER_USERNAME):
        sign_in(Client(), "operator-mawar", "salah-sekali")
    LoginAttempt.objects.update(at=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(Client(), "operator-mawar", PASSWORD).status_code == 302


def test_the_username_lock_ignores_case(operator):
    for _ in range(lockout.MAX_PER_USERNAME):
        sign_in(Client(), "OPERATOR-mawar", "salah-sekali")
    assert lockout.is_locked("operator-mawar")


def test_one_client_guessing_many_usernames_is_throttled_but_a_right_password_still_signs_in(operator):
    for i in range(lockout.MAX_PER_CLIENT):
        sign_in(Client(), f"tebakan-{i}", "salah-sekali", ip="10.9.9.9")
    assert lockout.is_throttled("10.9.9.9")
    guess = sign_in(Client(), "tebakan-lagi", "salah-sekali", ip="10.9.9.9")
    assert guess.status_code == 200 and "Terlalu banyak percobaan masuk yang gagal dari jaringan ini" in guess.content.decode()
    client = Client()
    assert sign_in(client, "operator-mawar", PASSWORD, ip="10.9.9.9").status_code == 302
    assert "_auth_user_id" in client.session


def test_a_successful_sign_in_forgets_earlier_failures(operator):
    for _ in range(lockout.MAX_PER_USERNAME - 1):
        sign_in(Client(), "operator-mawar", "salah-sekali")
    assert sign_in(Client(), "operator-mawar", PASSWORD).status_code == 302
    assert not LoginAttempt.objects.filter(username="operator-mawar").exists()


def test_a_deactivated_account_cannot_sign_in(operator):
    operator.is_active = False
    operator.save()
    assert sign_in(Client(), "operator-mawar", PASSWORD).status_code == 200


def test_logout_needs_a_post_and_ends_the_session(operator):
    client = Client()
    client.force_login(operator)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_changes_their_password_and_it_is_logged(operator):
    client = Client()
    client.force_login(operator)
    page = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "kata-sandi-baru-456", "new_password2": "kata-sandi-baru-456",
    })
    assert page.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("kata-sandi-baru-456")
    assert AuditEvent.objects.filter(action="user.password_change", user=operator).exists()


def test_a_weak_new_password_is_refused(operator):
    client = Client()
    client.force_login(operator)
    page = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345",
    })
    assert page.status_code == 200
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)
