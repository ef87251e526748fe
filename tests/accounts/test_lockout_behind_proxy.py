"""The audit's probe (issue 12): behind nginx every request comes from 127.0.0.1; made-up usernames must not
lock the city's staff out, and the lockout sees the client's own address from X-Forwarded-For."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sumberdaya.accounts import lockout
from sumberdaya.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db
PASSWORD = "kata-sandi-uji-123"
NGINX = "127.0.0.1"


def sign_in(client: Client, username: str, password: str, forwarded: str | None) -> Any:
    headers = {"REMOTE_ADDR": NGINX}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **headers)


@pytest.mark.parametrize(
    "forwarded",
    [lambda i: f"203.0.113.{i + 1}", lambda i: "203.0.113.7", lambda i: None],
    ids=["differing-addresses", "one-address", "no-header"],
)
def test_twenty_made_up_usernames_through_the_proxy_do_not_lock_a_staff_account(
    operator: Any, settings: Any, forwarded: Any
) -> None:
    settings.SKM_TRUSTED_PROXY_COUNT = 1
    for i in range(20):
        page = sign_in(Client(), f"tidak-ada-{i}", "salah-sekali", forwarded(i))
        assert page.status_code == 200 and "_auth_user_id" not in page.client.session
    assert LoginAttempt.objects.count() == 20
    client = Client()
    page = sign_in(client, "operator-mawar", PASSWORD, "198.51.100.20")
    assert page.status_code == 302, page.content.decode()[:500]
    assert "_auth_user_id" in client.session
    # ...and from the very address that made the twenty guesses, too: the account itself is not locked.
    client = Client()
    assert sign_in(client, "operator-mawar", PASSWORD, forwarded(0)).status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_the_proxy_failures_are_recorded_with_the_clients_own_address(operator: Any, settings: Any) -> None:
    settings.SKM_TRUSTED_PROXY_COUNT = 1
    sign_in(Client(), "operator-mawar", "salah-sekali", "6.6.6.6, 203.0.113.9")
    assert list(LoginAttempt.objects.values_list("client", flat=True)) == ["203.0.113.9"]


def test_without_a_trusted_proxy_a_forged_header_is_ignored(operator: Any, settings: Any) -> None:
    settings.SKM_TRUSTED_PROXY_COUNT = 0
    sign_in(Client(), "operator-mawar", "salah-sekali", "203.0.113.9")
    assert list(LoginAttempt.objects.values_list("client", flat=True)) == [NGINX]


def test_an_account_guessed_at_five_times_is_locked_whatever_address_guesses(operator: Any, settings: Any) -> None:
    settings.SKM_TRUSTED_PROXY_COUNT = 1
    for i in range(lockout.MAX_PER_USERNAME):
        sign_in(Client(), "operator-mawar", "salah-sekali", f"203.0.113.{i + 1}")
    page = sign_in(Client(), "operator-mawar", PASSWORD, "198.51.100.20")
    assert page.status_code == 200 and "dikunci selama 15 menit" in page.content.decode()


def test_the_settings_pages_sign_in_through_the_login_with_its_lockout(operator: Any, admin_user: Any) -> None:
    reply = Client().post("/admin/login/?next=/admin/", {"username": "admin", "password": "salah-sekali"})
    assert reply.status_code == 302 and reply["Location"] == reverse("accounts:login") + "?next=/admin/"
    assert not LoginAttempt.objects.exists()  # nothing was checked there
    page = Client().get(reply["Location"])
    assert page.status_code == 200 and 'name="next" value="/admin/"' in page.content.decode()
