"""QR posters: per unit for staff who may see the unit, the sheet of every unit for the city admin."""

from __future__ import annotations

import io
import subprocess
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from sumberdaya.surveys import posters

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_poster_links_to_the_short_url_on_the_public_host(unit: Any, settings: Any) -> None:
    settings.SKM_PUBLIC_BASE_URL = "https://skm.banjarmasinkota.go.id/"
    assert posters.short_url(unit) == f"https://skm.banjarmasinkota.go.id/k/{unit.pk}"
    assert posters.display_url(unit) == f"skm.banjarmasinkota.go.id/k/{unit.pk}"


def test_an_operator_downloads_the_pdf_poster_of_their_unit(operator: Any, unit: Any) -> None:
    reply = signed_in(operator).get(f"/s/{unit.code}/poster.pdf")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    text = pdf_text(reply.content)
    assert "Kelurahan Mawar" in text and f"127.0.0.1:8000/k/{unit.pk}" in text
    assert "Buka kamera ponsel" in text


def test_an_operator_downloads_the_png_poster_of_their_unit(operator: Any, unit: Any) -> None:
    reply = signed_in(operator).get(f"/s/{unit.code}/poster.png")
    assert reply.status_code == 200
    image = Image.open(io.BytesIO(reply.content))
    assert image.size == (1240, 1754)  # A4 at 150 dpi


def test_an_operator_cannot_get_the_poster_of_another_unit(operator: Any, other_unit: Any) -> None:
    assert signed_in(operator).get(f"/s/{other_unit.code}/poster.pdf").status_code == 404
    assert signed_in(operator).get(f"/s/{other_unit.code}/poster.png").status_code == 404


def test_posters_need_a_signed_in_user(client: Client, unit: Any) -> None:
    reply = client.get(f"/s/{unit.code}/poster.pdf")
    assert reply.status_code == 302 and "/akun/" in reply["Location"]


def test_the_city_admin_gets_one_pdf_with_every_active_unit(admin_user: Any, unit: Any, other_unit: Any) -> None:
    reply = signed_in(admin_user).get("/s/poster-semua-unit.pdf")
    assert reply.status_code == 200
    assert reply.content.startswith(b"%PDF")
    text = pdf_text(reply.content)
    assert text.count("Survei Kepuasan Masyarakat") == 2
    assert "Kelurahan Mawar" in text and "Puskesmas Cempaka" in text
    assert f"/k/{other_unit.pk}" in text


def test_an_operator_or_leader_may_not_get_the_sheet_of_every_unit(operator: Any, leader: Any) -> None:
    assert signed_in(operator).get("/s/poster-semua-unit.pdf").status_code == 403
    assert signed_in(leader).get("/s/poster-semua-unit.pdf").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "warned"),
    [("http://127.0.0.1:8000", True), ("http://localhost:8000", True), ("https://skm.banjarmasinkota.go.id", False)],
)
def test_poster_pages_warn_when_the_public_address_only_works_on_this_machine(
    settings: Any, unit: Any, period: Any, operator: Any, address: str, warned: bool
) -> None:
    from django.test import Client

    settings.SKM_PUBLIC_BASE_URL = address
    client = Client()
    client.force_login(operator)
    for url in (f"/dasbor/unit/{unit.code}/", f"/unit/{unit.code}/tablet/", f"/unit/{unit.code}/undangan/"):
        page = client.get(url)
        assert page.status_code == 200
        assert ('data-testid="local-address"' in page.content.decode()) is warned, url
        assert "Poster QR" in page.content.decode() or "tablet" in url or "undangan" in url
