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


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """The sheet's task runs at once (the queue itself is tested below with the database backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_city_admin_gets_one_pdf_with_every_active_unit(
    admin_user: Any, unit: Any, other_unit: Any, immediate_tasks: None
) -> None:
    reply = signed_in(admin_user).get("/s/poster-semua-unit.pdf")
    assert reply.status_code == 200
    assert reply.content.startswith(b"%PDF")
    assert "poster-skm-semua-unit.pdf" in reply["Content-Disposition"]
    text = pdf_text(reply.content)
    assert text.count("Survei Kepuasan Masyarakat") == 2
    assert "Kelurahan Mawar" in text and "Puskesmas Cempaka" in text
    assert f"/k/{other_unit.pk}" in text


def test_the_sheet_is_queued_not_built_in_the_request_and_the_page_shows_progress(
    admin_user: Any, unit: Any, settings: Any
) -> None:
    from sumberdaya.reports.models import GeneratedFile

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
    client = signed_in(admin_user)
    first = client.get("/s/poster-semua-unit.pdf")
    assert first.status_code == 200 and "text/html" in first["Content-Type"]
    html = first.content.decode()
    assert "Berkas sedang disiapkan di latar belakang" in html and "Poster QR semua unit" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert client.get("/s/poster-semua-unit.pdf").status_code == 200
    queued = GeneratedFile.objects.get()  # asked twice, queued once
    assert queued.kind == "posters" and queued.period is None and queued.status == GeneratedFile.Status.QUEUED


def test_a_built_sheet_is_reused_until_a_unit_or_the_public_address_changes(
    admin_user: Any, unit: Any, other_unit: Any, settings: Any, immediate_tasks: None
) -> None:
    from sumberdaya.reports.models import GeneratedFile

    client = signed_in(admin_user)
    assert client.get("/s/poster-semua-unit.pdf").content.startswith(b"%PDF")
    built = GeneratedFile.objects.get()
    assert client.get("/s/poster-semua-unit.pdf").content.startswith(b"%PDF")
    assert GeneratedFile.objects.get().pk == built.pk  # reused, not rebuilt

    unit.name = "Kelurahan Mawar Baru"
    unit.save()
    renamed = client.get("/s/poster-semua-unit.pdf")
    assert "Kelurahan Mawar Baru" in pdf_text(renamed.content)
    assert GeneratedFile.objects.get().pk != built.pk  # rebuilt, the old one gone

    other_unit.active = False
    other_unit.save()
    fewer = pdf_text(client.get("/s/poster-semua-unit.pdf").content)
    assert "Puskesmas Cempaka" not in fewer and "Kelurahan Mawar Baru" in fewer

    settings.SKM_PUBLIC_BASE_URL = "https://skm.banjarmasinkota.go.id"
    moved = pdf_text(client.get("/s/poster-semua-unit.pdf").content)
    assert f"skm.banjarmasinkota.go.id/k/{unit.pk}" in moved
    assert GeneratedFile.objects.count() == 1


def test_the_sheet_is_in_indonesian_for_an_admin_reading_in_english(
    admin_user: Any, unit: Any, immediate_tasks: None
) -> None:
    client = signed_in(admin_user)
    client.cookies["django_language"] = "en"
    text = pdf_text(client.get("/s/poster-semua-unit.pdf?lang=en").content)
    assert "Buka kamera ponsel" in text and "Kelurahan Mawar" in text


def test_the_city_recap_offers_the_sheet_to_the_city_admin(admin_user: Any, period: Any) -> None:
    reply = signed_in(admin_user).get(f"/kota/?periode={period.slug}")
    assert reply.status_code == 200
    assert 'href="/s/poster-semua-unit.pdf"' in reply.content.decode()


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


def test_the_png_poster_prints_the_unit_complaint_address_as_the_pdf_does(
    operator: Any, unit: Any, monkeypatch: Any
) -> None:
    from PIL import ImageDraw

    drawn: list[str] = []
    original = ImageDraw.ImageDraw.text

    def record(self: Any, xy: Any, text: Any, *args: Any, **kwargs: Any) -> Any:
        drawn.append(str(text))
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", record)
    reply = signed_in(operator).get(f"/s/{unit.code}/poster.png")
    assert reply.status_code == 200 and Image.open(io.BytesIO(reply.content)).size == (1240, 1754)
    assert any(text.endswith(f"/aduan/{unit.code}/") for text in drawn), drawn
    assert unit.name in " ".join(drawn)
