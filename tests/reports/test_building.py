"""Reports built in the background: the page answers at once, the worker builds, a built file is reused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from sumberdaya.reports.models import GeneratedFile

pytestmark = pytest.mark.django_db
# The worker takes an exclusive transaction of its own (SQLite: BEGIN EXCLUSIVE): these tests commit.
worker = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())


@worker
def test_the_city_report_page_queues_the_file_shows_progress_and_serves_it_when_built(
    client: Any, city: Any, admin_user: Any, queue: None
) -> None:
    client.force_login(admin_user)
    url = f"/kota/laporan/{city.slug}.pdf"
    first = client.get(url)
    assert first.status_code == 200 and "text/html" in first["Content-Type"]
    html = first.content.decode()
    assert "Berkas sedang disiapkan di latar belakang" in html and '<meta http-equiv="refresh" content="2">' in html
    assert client.get(url).status_code == 200 and GeneratedFile.objects.count() == 1  # asked twice, queued once
    _work()
    built = GeneratedFile.objects.get()
    assert built.status == GeneratedFile.Status.READY and built.progress == 100 and built.seconds is not None
    ready = client.get(url)
    assert ready.status_code == 200 and ready.content[:4] == b"%PDF"
    assert "laporan-skm-kota" in ready["Content-Disposition"]


def test_a_built_file_is_reused_until_the_data_or_the_narrative_changes(
    client: Any, city: Any, admin_user: Any, unit: Any, make_responses: Any
) -> None:
    from sumberdaya.city.models import ReportNarrative
    from sumberdaya.surveys.models import Response

    client.force_login(admin_user)
    url = f"/kota/laporan/{city.slug}.xlsx"
    assert client.get(url).content[:2] == b"PK"
    assert client.get(url).content[:2] == b"PK" and GeneratedFile.objects.count() == 1  # reused
    narrative = ReportNarrative.objects.get(period=city)
    narrative.conclusion = "Catatan baru."
    narrative.save()
    assert client.get(url).content[:2] == b"PK" and GeneratedFile.objects.count() == 1  # rebuilt, old one gone
    first = GeneratedFile.objects.get().fingerprint
    Response.objects.filter(unit=unit).update(status=Response.Status.EXCLUDED)
    client.get(url)
    assert GeneratedFile.objects.get().fingerprint != first


@worker
def test_a_failed_build_says_so_and_can_be_asked_again(
    client: Any, city: Any, admin_user: Any, queue: None, monkeypatch: Any
) -> None:
    import sumberdaya.city.report as report

    def broken(*_args: Any, **_kwargs: Any) -> bytes:
        raise RuntimeError("disk penuh")

    client.force_login(admin_user)
    url = f"/kota/laporan/{city.slug}.docx"
    client.get(url)
    monkeypatch.setattr(report, "render_city_report", broken)
    _work()
    page = client.get(url)
    assert GeneratedFile.objects.get().status == GeneratedFile.Status.FAILED  # shown, not silently queued again
    assert "Berkas gagal dibuat." in page.content.decode() and "disk penuh" in page.content.decode()
    monkeypatch.undo()
    assert client.post(url).status_code == 302
    _work()
    assert client.get(url).content[:2] == b"PK"


@worker
def test_the_unit_report_is_built_by_the_worker_too(
    client: Any, demo: Any, period: Any, operator: Any, queue: None
) -> None:
    from django.urls import reverse

    client.force_login(operator)
    url = reverse("reports:download", args=[demo.code, period.slug, "docx"])
    assert "Berkas sedang disiapkan" in client.get(url).content.decode()
    _work()
    response = client.get(url)
    assert (
        response.content[:2] == b"PK"
        and f"laporan-skm-{demo.code}-{period.slug}.docx" in response["Content-Disposition"]
    )
