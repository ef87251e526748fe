"""Registered kiosk tablets: the operator's page, the CLI, revoking, and answers a tablet kept offline."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from sumberdaya.citizen.views import kiosk_url
from sumberdaya.surveys import kiosks, lookups
from sumberdaya.surveys.models import KioskTablet, Response

pytestmark = pytest.mark.django_db

ANSWERS = {f"a{i}": str(1 + i % 4) for i in range(1, 10)}


@pytest.fixture(autouse=True)
def _fresh_lookups() -> None:
    lookups.forget()


def page_token(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match
    return match.group(1)


def token_issued_ago(client: Client, unit: Any, monkeypatch: Any, seconds: int) -> str:
    """A kiosk form token as the server issued it `seconds` ago (the signature's clock included)."""
    issued_at = time.time() - seconds
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: issued_at)
        return page_token(client, f"/s/{unit.code}/?kiosk=1")


def tablet_client(tablet: Any, **extra: Any) -> Client:
    client = Client(**extra)
    assert client.get(kiosk_url(tablet)).status_code == 302
    return client


def send(client: Client, unit: Any, token: str, **fields: Any) -> Any:
    data = {"token": token, "service": str(unit.services.first().pk), **ANSWERS, **fields}
    return client.post(f"/s/{unit.code}/kios-kirim/", data)


def test_an_operator_registers_a_tablet_and_sees_its_link_qr_and_answers(
    client: Client, unit: Any, period: Any, operator: Any
) -> None:
    client.force_login(operator)
    reply = client.post(f"/unit/{unit.code}/tablet/", {"label": "Loket 1"})
    assert reply.status_code == 302
    tablet = KioskTablet.objects.get()
    assert tablet.label == "Loket 1" and tablet.unit == unit and tablet.created_by == operator
    page = client.get(f"/unit/{unit.code}/tablet/").content.decode()
    assert f"http://127.0.0.1:8000/kios/{unit.code}/{tablet.key}/" in page
    assert "<svg" in page and "0 jawaban terkirim" in page and "belum ada jawaban" in page
    tablet_side = tablet_client(tablet)
    assert send(tablet_side, unit, page_token(tablet_side, f"/s/{unit.code}/?kiosk=1")).json()["result"] == "stored"
    page = client.get(f"/unit/{unit.code}/tablet/").content.decode()
    assert "1 jawaban terkirim" in page and "terakhir" in page


def test_a_blank_tablet_name_is_refused_with_a_message(client: Client, unit: Any, operator: Any) -> None:
    client.force_login(operator)
    reply = client.post(f"/unit/{unit.code}/tablet/", {"label": ""})
    assert reply.status_code == 400 and "Beri nama tablet" in reply.content.decode()
    assert not KioskTablet.objects.exists()


def test_another_units_operator_cannot_see_or_revoke_the_tablets(
    client: Client, unit: Any, tablet: Any, other_operator: Any
) -> None:
    client.force_login(other_operator)
    assert client.get(f"/unit/{unit.code}/tablet/").status_code == 404
    assert client.post(f"/unit/{unit.code}/tablet/{tablet.pk}/cabut/").status_code == 404
    tablet.refresh_from_db()
    assert tablet.active


def test_a_revoked_tablet_is_refused_everywhere(
    client: Client, unit: Any, period: Any, operator: Any, tablet: Any
) -> None:
    tablet_side = tablet_client(tablet)
    token = page_token(tablet_side, f"/s/{unit.code}/?kiosk=1")
    queued = page_token(tablet_side, f"/s/{unit.code}/?kiosk=1")
    client.force_login(operator)
    assert client.post(f"/unit/{unit.code}/tablet/{tablet.pk}/cabut/").status_code == 302
    tablet.refresh_from_db()
    assert not tablet.active and tablet.revoked_by == operator
    assert "dicabut" in client.get(f"/unit/{unit.code}/tablet/").content.decode()
    # The link no longer registers a tablet; the cookie no longer opens kiosk mode.
    assert Client().get(kiosk_url(tablet)).status_code == 404
    page = tablet_side.get(f"/s/{unit.code}/?kiosk=1").content.decode()
    assert "Kirim jawaban" in page and "kiosk.js" not in page
    # A form it opened before: refused as a kiosk answer, the answers kept on the page.
    reply = tablet_side.post(f"/s/{unit.code}/", {"token": token, "service": str(unit.services.first().pk), **ANSWERS})
    assert reply.status_code == 403 and "tidak terdaftar lagi" in reply.content.decode()
    assert reply.content.decode().count(" checked") == 10
    # An answer it kept offline: refused too.
    assert send(tablet_side, unit, queued).status_code == 403
    assert Response.objects.count() == 0


def test_a_queued_answer_is_stored_once_with_the_time_it_was_answered(
    unit: Any, period: Any, tablet: Any, monkeypatch: Any
) -> None:
    tablet_side = tablet_client(tablet)
    token = token_issued_ago(tablet_side, unit, monkeypatch, 40 * 60)
    now_ms = int(time.time() * 1000)
    # The tablet's clock runs 2 minutes fast: only the 30 minutes between answering and sending count.
    fields = {"answered_at": str(now_ms + 120_000 - 1_800_000), "sent_at": str(now_ms + 120_000)}
    first = send(tablet_side, unit, token, **fields)
    assert first.status_code == 200 and first.json()["result"] == "stored"
    assert first.json()["next"].startswith(f"/s/{unit.code}/terima-kasih/?kunjungan=")
    assert send(tablet_side, unit, token, **fields).json()["result"] == "already"
    response = Response.objects.get()
    assert response.channel == Response.Channel.KIOSK and response.client == tablet.client_key
    assert not response.flagged
    answered = timezone.now() - dt.timedelta(minutes=30)
    assert abs((response.submitted_at - answered).total_seconds()) < 30


def test_an_answered_time_before_the_form_existed_is_clamped_and_flagged(unit: Any, period: Any, tablet: Any) -> None:
    tablet_side = tablet_client(tablet)
    token = page_token(tablet_side, f"/s/{unit.code}/?kiosk=1")
    now_ms = int(time.time() * 1000)
    reply = send(tablet_side, unit, token, answered_at=str(now_ms - 86_400_000), sent_at=str(now_ms))
    assert reply.json()["result"] == "stored"
    response = Response.objects.get()
    assert abs((timezone.now() - response.submitted_at).total_seconds()) < 60
    assert response.flagged and response.flag_reason == kiosks.FLAG_CLOCK


def test_an_answer_waiting_for_hours_keeps_its_time_and_a_wrong_clock_is_flagged(
    unit: Any, period: Any, tablet: Any, settings: Any, monkeypatch: Any
) -> None:
    tablet_side = tablet_client(tablet)
    token = token_issued_ago(tablet_side, unit, monkeypatch, 3 * 3600)
    settings.SKM_FORM_MAX_AGE = 3600  # older than a phone's form may be, but a tablet's form lasts days
    device_now = int(time.time() * 1000) - 3_600_000  # the tablet's clock is an hour slow
    reply = send(tablet_side, unit, token, answered_at=str(device_now - 2 * 3_600_000), sent_at=str(device_now))
    assert reply.json()["result"] == "stored"
    response = Response.objects.get()
    answered = timezone.now() - dt.timedelta(hours=2)
    assert abs((response.submitted_at - answered).total_seconds()) < 60
    assert response.flagged and response.flag_reason.startswith("jam tablet tidak tepat (selisih 60 menit)")


def test_an_answer_from_outside_an_open_period_is_refused(unit: Any, period: Any, tablet: Any) -> None:
    tablet_side = tablet_client(tablet)
    token = page_token(tablet_side, f"/s/{unit.code}/?kiosk=1")
    period.input_deadline = timezone.localdate() - dt.timedelta(days=1)
    period.save()
    reply = send(tablet_side, unit, token)
    assert reply.status_code == 400 and reply.json()["result"] == "refused"
    assert "di luar periode" in reply.json()["message"]
    assert not Response.objects.exists()


def test_only_a_registered_tablet_gets_tokens_or_may_send_queued_answers(
    client: Client, unit: Any, period: Any, tablet: Any
) -> None:
    assert client.get(f"/s/{unit.code}/kios-token/").status_code == 403
    phone_token = page_token(client, f"/s/{unit.code}/?kiosk=1")
    assert send(client, unit, phone_token).status_code == 403
    tablet_side = tablet_client(tablet)
    batch = tablet_side.get(f"/s/{unit.code}/kios-token/").json()["tokens"]
    assert len(batch) == 20 and len(set(batch)) == 20
    # A phone's form token claims nothing even when posted from the tablet.
    assert send(tablet_side, unit, phone_token).json()["result"] == "refused"
    assert send(tablet_side, unit, batch[0]).json()["result"] == "stored"
    assert Response.objects.get().channel == Response.Channel.KIOSK


def test_two_tablets_behind_one_address_have_their_own_limits(
    unit: Any, period: Any, tablet: Any, settings: Any
) -> None:
    settings.SKM_KIOSK_RATE_LIMIT = (1, 600)
    second = kiosks.register(unit, "Loket 2")
    first_side, second_side = tablet_client(tablet), tablet_client(second)
    assert send(first_side, unit, page_token(first_side, f"/s/{unit.code}/?kiosk=1")).json()["result"] == "stored"
    assert send(second_side, unit, page_token(second_side, f"/s/{unit.code}/?kiosk=1")).json()["result"] == "stored"
    over = send(first_side, unit, page_token(first_side, f"/s/{unit.code}/?kiosk=1"))
    assert over.status_code == 429 and over.json()["result"] == "retry"
    assert Response.objects.filter(client=tablet.client_key).count() == 1


def test_the_kiosk_page_is_an_installable_app_with_its_own_worker(unit: Any, period: Any, tablet: Any) -> None:
    tablet_side = tablet_client(tablet)
    page = tablet_side.get(f"/s/{unit.code}/?kiosk=1").content.decode()
    assert f'rel="manifest" href="/s/{unit.code}/kios.webmanifest"' in page and "surveys/kiosk.js" in page
    manifest = tablet_side.get(f"/s/{unit.code}/kios.webmanifest").json()
    assert manifest["start_url"] == f"/s/{unit.code}/?kiosk=1" and manifest["display"] == "fullscreen"
    for icon in manifest["icons"]:
        assert tablet_side.get(icon["src"]).status_code == 200
    worker = tablet_side.get(f"/s/{unit.code}/kios-sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert f'"/s/{unit.code}/?kiosk=1"' in worker.content.decode()


def test_the_cli_adds_lists_and_revokes_tablets(unit: Any, period: Any) -> None:
    out = io.StringIO()
    call_command("kiosk", "add", unit.code, "--label", "Loket 1", stdout=out)
    tablet = KioskTablet.objects.get()
    assert out.getvalue() == f"http://127.0.0.1:8000/kios/{unit.code}/{tablet.key}/\n"
    out = io.StringIO()
    call_command("kiosk", "list", unit.code, stdout=out)
    assert out.getvalue().startswith(f"{tablet.pk}\t{unit.code}\tLoket 1\taktif\t0 jawaban")
    out = io.StringIO()
    call_command("kiosk", "revoke", str(tablet.pk), stdout=out)
    assert "dicabut" in out.getvalue()
    tablet.refresh_from_db()
    assert not tablet.active
    out = io.StringIO()
    call_command("kiosk", "list", stdout=out)
    assert "\tdicabut " in out.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("kiosk", "add", "tidak-ada", "--label", "X")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("kiosk", "revoke", "9999")
