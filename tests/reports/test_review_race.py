"""Two admins reviewing one unit report: the second is told what the first decided, nothing is overwritten."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from sumberdaya.accounts.models import User
from sumberdaya.reports.models import UnitReport
from sumberdaya.reports.submission import SubmissionError, report_for, review, submit
from tests.concurrency import run_at_once


@pytest.fixture
def second_admin(db: Any) -> Any:
    return User.objects.create_user("admin2", password="kata-sandi-uji-123", role=User.Role.ADMIN, first_name="Sari")


@pytest.mark.django_db
def test_a_review_on_a_stale_page_is_refused_with_the_first_decision(
    demo: Any, period: Any, operator: Any, admin_user: Any, second_admin: Any
) -> None:
    submitted = submit(report_for(demo, period), operator, early_confirmed=True)
    seen_by_second = UnitReport.objects.get(pk=submitted.pk)  # both admins loaded the submitted report
    review(submitted, admin_user, accept=True, note="", early_confirmed=True)
    first = admin_user.get_full_name() or admin_user.username
    with pytest.raises(SubmissionError, match=f"sudah diterima oleh {first} pada .*keputusan Anda tidak disimpan"):
        review(seen_by_second, second_admin, accept=False, note="Perbaiki RTL")
    final = UnitReport.objects.get(pk=submitted.pk)
    assert final.status == UnitReport.Status.ACCEPTED and final.reviewed_by == admin_user and final.review_note == ""


@pytest.mark.django_db
def test_the_second_admin_sees_the_message_on_the_page(
    client: Any, demo: Any, period: Any, operator: Any, admin_user: Any, second_admin: Any
) -> None:
    submit(report_for(demo, period), operator, early_confirmed=True)
    url = reverse("reports:review", args=[demo.code, period.slug])
    client.force_login(admin_user)
    first = client.post(url, {"decision": "return", "note": "Lengkapi RTL"}, follow=True)
    assert "Laporan dikembalikan ke unit." in first.content.decode()
    client.force_login(second_admin)
    second = client.post(url, {"decision": "accept", "note": "", "early": "1"}, follow=True).content.decode()
    assert "Laporan diterima." not in second
    assert "Laporan ini sudah dikembalikan oleh" in second and "keputusan Anda tidak disimpan" in second
    assert UnitReport.objects.get(unit=demo, period=period).status == UnitReport.Status.RETURNED


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_reviews_store_one_decision_and_refuse_the_other(
    demo: Any, period: Any, operator: Any, admin_user: Any, second_admin: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; the stale-page test covers SQLite")
    report = submit(report_for(demo, period), operator, early_confirmed=True)
    outcomes: dict[str, str] = {}

    def attempt(user: Any, accept: bool) -> Any:
        stale = UnitReport.objects.get(pk=report.pk)

        def decide() -> None:
            try:
                review(stale, user, accept=accept, note="" if accept else "Perbaiki", early_confirmed=True)
                outcomes[user.username] = "stored"
            except SubmissionError as error:
                outcomes[user.username] = str(error)

        return decide

    assert run_at_once(attempt(admin_user, True), attempt(second_admin, False)) == []
    assert sorted(outcomes.values()).count("stored") == 1
    refused = next(text for text in outcomes.values() if text != "stored")
    assert "keputusan Anda tidak disimpan" in refused
    final = UnitReport.objects.get(pk=report.pk)
    winner = next(name for name, text in outcomes.items() if text == "stored")
    assert final.reviewed_by.username == winner
    assert final.status == (UnitReport.Status.ACCEPTED if winner == admin_user.username else UnitReport.Status.RETURNED)
