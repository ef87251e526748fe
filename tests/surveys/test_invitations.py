"""One-time invitation slips: issue (page and CLI, PDF and CSV), answer once, a second use refused, verified."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sumberdaya.surveys import invitations, lookups
from sumberdaya.surveys.models import Invitation, Response

pytestmark = pytest.mark.django_db

ANSWERS = {f"a{i}": str(1 + i % 4) for i in range(1, 10)}


@pytest.fixture(autouse=True)
def _fresh_lookups() -> None:
    lookups.forget()


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def pdf_info(content: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()


def open_slip(client: Client, invitation: Invitation) -> Any:
    reply = client.get(f"/u/{invitation.code}")
    assert reply.status_code == 302
    return client.get(reply["Location"])


def token_of(page: Any) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match
    return match.group(1)


def test_a_slip_is_answered_once_and_its_response_is_verified(client: Client, unit: Any, period: Any) -> None:
    (slip,) = invitations.issue(unit, 1)
    page = open_slip(client, slip)
    assert page.status_code == 200 and "Kirim jawaban" in page.content.decode()
    service = unit.services.first()
    sent = client.post(f"/s/{unit.code}/", {"token": token_of(page), "service": str(service.pk), **ANSWERS})
    assert sent.status_code == 302
    slip.refresh_from_db()
    response = Response.objects.get()
    assert slip.response == response and slip.used_at is not None
    assert response.invitation == slip
    # A second use: told politely, nothing stored.
    again = open_slip(Client(), slip)
    assert again.status_code == 409 and "Undangan ini sudah dipakai" in again.content.decode()
    assert Response.objects.count() == 1


def test_two_forms_of_one_slip_store_only_the_first(client: Client, unit: Any, period: Any) -> None:
    (slip,) = invitations.issue(unit, 1)
    first, second = token_of(open_slip(client, slip)), token_of(open_slip(Client(REMOTE_ADDR="10.0.0.9"), slip))
    data = {"service": str(unit.services.first().pk), **ANSWERS}
    assert client.post(f"/s/{unit.code}/", {"token": first, **data}).status_code == 302
    late = Client(REMOTE_ADDR="10.0.0.9").post(f"/s/{unit.code}/", {"token": second, **data})
    assert late.status_code == 409 and "sudah dipakai" in late.content.decode()
    assert Response.objects.count() == 1


def test_the_claim_refuses_a_slip_already_claimed(unit: Any, period: Any, make_responses: Any) -> None:
    (slip,) = invitations.issue(unit, 1)
    first, second = make_responses(unit, [[4] * 9, [3] * 9])
    assert invitations.claim(slip.code, first) is True
    assert invitations.claim(slip.code, second) is False
    slip.refresh_from_db()
    assert slip.response_id == first.pk


def test_a_slip_for_one_service_opens_the_form_for_that_service(client: Client, unit: Any, period: Any) -> None:
    service = unit.services.last()
    (slip,) = invitations.issue(unit, 1, service)
    page = open_slip(client, slip)
    html = page.content.decode()
    assert f"<strong>{service.name}</strong>" in html and 'name="service"' not in html
    assert client.post(f"/s/{unit.code}/", {"token": token_of(page), **ANSWERS}).status_code == 302
    assert Response.objects.get().service == service


def test_an_unknown_or_other_units_code_is_refused_politely(
    client: Client, unit: Any, other_unit: Any, period: Any
) -> None:
    reply = client.get("/u/ABCD2345")
    assert reply.status_code == 404 and "Undangan tidak ditemukan" in reply.content.decode()
    (slip,) = invitations.issue(other_unit, 1)
    assert client.get(f"/s/{unit.code}/?undangan={slip.code}").status_code == 404
    # Typed with a dash and in lower case, the code still opens its slip.
    assert client.get(f"/u/{slip.code[:4].lower()}-{slip.code[4:]}")["Location"].endswith(f"?undangan={slip.code}")


def test_an_operator_prints_a_sheet_or_a_list_and_another_unit_cannot(
    client: Client, unit: Any, period: Any, operator: Any, other_operator: Any
) -> None:
    client.force_login(operator)
    page = client.get(f"/unit/{unit.code}/undangan/")
    assert page.status_code == 200 and "0 undangan dicetak, 0 sudah dijawab" in page.content.decode()
    pdf = client.post(f"/unit/{unit.code}/undangan/", {"count": "9", "output": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert re.search(r"Pages:\s+2\n", pdf_info(pdf.content))  # 9 slips, 8 a page
    issued = list(Invitation.objects.filter(unit=unit))
    assert len(issued) == 9
    for slip in issued:
        # (pdftotext reads the letter-spaced code with a space in it)
        assert invitations.display_code(slip.code) in text.replace(" ", "")
        assert f"127.0.0.1:8000/u/{slip.code}" in text
    assert "hanya berlaku sekali" in text and "Kelurahan Mawar" in text
    listing = client.post(
        f"/unit/{unit.code}/undangan/", {"count": "3", "output": "csv", "service": str(unit.services.first().pk)}
    )
    rows = list(csv.reader(io.StringIO(listing.content.decode())))
    assert rows[0] == ["code", "url"] and len(rows) == 4
    assert all(re.fullmatch(r"http://127\.0\.0\.1:8000/u/[A-Z2-9]{8}", url) for _code, url in rows[1:])
    assert Invitation.objects.filter(unit=unit, service=unit.services.first()).count() == 3
    bad = client.post(f"/unit/{unit.code}/undangan/", {"count": "0", "output": "pdf"})
    assert bad.status_code == 400 and "Paling sedikit 1 undangan" in bad.content.decode()
    client.force_login(other_operator)
    assert client.post(f"/unit/{unit.code}/undangan/", {"count": "3", "output": "csv"}).status_code == 404
    assert Invitation.objects.count() == 12


def test_the_cli_writes_a_pdf_sheet_or_a_csv_list(unit: Any, tmp_path: Path) -> None:
    service = unit.services.first()
    out = io.StringIO()
    call_command("invitations", "issue", unit.code, "--count", "12", "--output", str(tmp_path / "u.pdf"), stdout=out)
    assert "12 undangan" in out.getvalue()
    assert re.search(r"Pages:\s+2\n", pdf_info((tmp_path / "u.pdf").read_bytes()))
    call_command(
        "invitations", "issue", unit.code, "--count", "2", "--service", str(service.pk),
        "--output", str(tmp_path / "u.csv"), stdout=io.StringIO(),
    )
    rows = list(csv.reader((tmp_path / "u.csv").open()))
    assert rows[0] == ["code", "url"] and len(rows) == 3
    assert {i.service for i in Invitation.objects.filter(code__in=[r[0] for r in rows[1:]])} == {service}
    with pytest.raises(CommandError, match=r"\.pdf"):
        call_command("invitations", "issue", unit.code, "--count", "2", "--output", str(tmp_path / "u.xlsx"))
    with pytest.raises(CommandError, match="bukan layanan"):
        call_command("invitations", "issue", unit.code, "--count", "2", "--service", "9999", "--output", str(tmp_path / "v.csv"))
    with pytest.raises(CommandError, match="1 sampai"):
        call_command("invitations", "issue", unit.code, "--count", "0", "--output", str(tmp_path / "w.csv"))
    assert Invitation.objects.count() == 14


def test_the_review_list_marks_verified_responses(client: Client, unit: Any, period: Any, operator: Any) -> None:
    (slip,) = invitations.issue(unit, 1)
    page = open_slip(client, slip)
    client.post(f"/s/{unit.code}/", {"token": token_of(page), "service": str(unit.services.first().pk), **ANSWERS})
    Client(REMOTE_ADDR="10.0.0.2").post(
        f"/s/{unit.code}/",
        {"token": token_of(Client().get(f"/s/{unit.code}/")), "service": str(unit.services.first().pk), **ANSWERS},
    )
    assert Response.objects.count() == 2
    client.force_login(operator)
    html = client.get(f"/unit/{unit.code}/respons/").content.decode()
    assert html.count('data-testid="response-') == 2 and html.count(">terverifikasi<") == 1
