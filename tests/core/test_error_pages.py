"""Styled Indonesian error pages for staff and citizens; NUL bytes answered 400/404 on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from sumberdaya.core.views import server_error
from sumberdaya.surveys import lookups
from sumberdaya.surveys.models import Response

pytestmark = pytest.mark.django_db


def _styled(page: Any, status: int, heading: str) -> str:
    html = page.content.decode()
    assert page.status_code == status
    assert '<html lang="id">' in html and "sumberdaya/app.css" in html  # the app's own layout
    assert f"<h1>{heading}</h1>" in html
    assert "Server Error" not in html and "Not Found" not in html and "Forbidden" not in html
    return html


@pytest.mark.parametrize("who", ["public", "staff"])
def test_an_unknown_address_gets_the_styled_404(client: Client, admin_user: Any, who: str) -> None:
    if who == "staff":
        client.force_login(admin_user)
    html = _styled(client.get("/tidak-ada/"), 404, "Halaman tidak ditemukan")
    assert ("Keluar" in html) == (who == "staff")  # staff keep their menu


def test_a_forbidden_page_gets_the_styled_403(client: Client, operator: Any) -> None:
    client.force_login(operator)
    html = _styled(client.get("/kota/"), 403, "Akses ditolak")
    assert "hubungi admin kota" in html


def test_a_stale_form_gets_the_styled_403_instead_of_djangos_csrf_page(db: Any) -> None:
    html = _styled(Client(enforce_csrf_checks=True).post("/akun/masuk/", {}), 403, "Akses ditolak")
    assert "sudah kedaluwarsa" in html


@pytest.fixture
def failing(settings: Any) -> Client:
    settings.ROOT_URLCONF = "tests.core.error_urls"
    return Client(raise_request_exception=False)


def test_a_bug_gets_the_styled_500(failing: Client) -> None:
    html = _styled(failing.get("/uji/rusak/"), 500, "Maaf, terjadi kesalahan di server")
    assert "belum tersimpan" in html


def test_an_unreachable_database_gets_the_styled_503_with_retry_after(failing: Client) -> None:
    page = failing.get("/uji/basis-data-mati/")
    _styled(page, 503, "Layanan sedang sibuk atau dalam pemeliharaan")
    assert page["Retry-After"] == "30"


def test_the_500_page_needs_no_database() -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("the error page ran a query")

    request = RequestFactory().get("/")
    with connection.execute_wrapper(refuse):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            page = server_error(request)
    assert page.status_code == 500 and "Maaf, terjadi kesalahan di server" in page.content.decode()


NUL_PAGES = [
    "/api/v1/units/%00/",
    "/api/v1/results/%00/",
    "/api/v1/results/2024/%00/",
    "/api/v1/units/?q=%00",
    "/hasil/%00/",
    "/hasil/?periode=%00",
    "/s/%00/",
    "/s/kelurahan-mawar/?lang=%00",
    "/dasbor/?periode=%00",
    "/kota/?periode=%00",
    "/kota/pemantauan/?periode=%00",
    "/unit/kelurahan-mawar/respons/?periode=%00&status=%00",
    "/laporan/?periode=%00",
    "/akun/masuk/?next=%00",
]


@pytest.mark.parametrize("url", NUL_PAGES)
def test_a_nul_byte_in_the_address_is_refused_not_a_server_error(
    client: Client, admin_user: Any, unit: Any, period: Any, url: str
) -> None:
    client.force_login(admin_user)
    page = client.get(url)
    assert page.status_code in (400, 404), (url, page.status_code)
    if url.startswith("/api/"):
        assert page.json()["error"]["status"] == page.status_code  # the API's own error shape
    else:
        assert re.search(r"<h1>(Permintaan tidak sah|Halaman tidak ditemukan)</h1>", page.content.decode())


def test_a_page_without_nul_still_answers(client: Client, admin_user: Any, unit: Any, period: Any) -> None:
    client.force_login(admin_user)
    assert client.get(f"/kota/?periode={period.slug}").status_code == 200
    assert client.get("/api/v1/units/").status_code == 200


# --- the survey: a submission the database could not take keeps every answer for one more tap ----------

ANSWERS = [4, 3, 3, 4, 3, 4, 4, 3, 2]


def _survey_post(client: Client, unit: Any) -> dict[str, str]:
    page = client.get(f"/s/{unit.code}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token
    data = {"token": token.group(1), "service": str(unit.services.first().pk), "comment": "Antre lama"}
    data.update({f"a{i}": str(v) for i, v in enumerate(ANSWERS, 1)})
    return data


def test_a_submission_during_a_database_outage_says_belum_tersimpan_and_keeps_the_answers(
    client: Client, unit: Any, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.utils import OperationalError

    from sumberdaya.citizen import views

    data = _survey_post(client, unit)

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(views, "store", down)
    page = client.post(f"/s/{unit.code}/", data)
    html = page.content.decode()
    assert page.status_code == 503 and "belum tersimpan" in html
    assert html.count(" checked") == 10  # nine answers and the service, still chosen
    assert "Antre lama" in html and data["token"] in html  # the same one-time token: one tap sends it again
    assert not Response.objects.exists()

    monkeypatch.undo()
    again = client.post(f"/s/{unit.code}/", data)
    assert again.status_code == 302 and Response.objects.count() == 1
    assert client.post(f"/s/{unit.code}/", data).status_code == 200  # a third tap: already stored
    assert Response.objects.count() == 1


def test_when_even_the_unit_cannot_be_read_the_answers_wait_behind_one_button(
    client: Client, unit: Any, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.utils import OperationalError


    data = _survey_post(client, unit)
    lookups.forget()

    def down(code: str) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(lookups, "_unit_and_services", down)  # the query behind the cached lookups
    page = client.post(f"/s/{unit.code}/", data)
    html = page.content.decode()
    assert page.status_code == 503 and 'data-testid="unsaved"' in html and "belum tersimpan" in html
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    assert hidden["token"] == data["token"] and hidden["a9"] == "2" and hidden["comment"] == "Antre lama"

    monkeypatch.undo()
    resent = {k: v for k, v in hidden.items() if k != "csrfmiddlewaretoken"}
    assert client.post(f"/s/{unit.code}/", resent).status_code == 302
    assert Response.objects.count() == 1
