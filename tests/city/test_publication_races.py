"""Two admins at once: one live publication per period (a database rule), withdraw hides it everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sumberdaya.city.models import Publication
from sumberdaya.city.publication import AlreadyWithdrawn, live_publication, publish, published_index, withdraw
from tests.concurrency import run_at_once


@pytest.fixture
def data(unit: Any, period: Any, make_responses: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 5, when=when)
    return period


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_publication_of_a_period(data: Any, admin_user: Any) -> None:
    first = publish(data, admin_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(period=data, method="mean", weight="official", snapshot=first.snapshot)
    # A withdrawn one beside the live one is fine: that is how a republication is kept in history.
    Publication.objects.create(
        period=data, method="mean", weight="official", snapshot=first.snapshot, withdrawn_at=timezone.now()
    )
    assert Publication.objects.filter(period=data, withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_publishing_again_replaces_the_live_publication(data: Any, admin_user: Any) -> None:
    first = publish(data, admin_user)
    second = publish(data, admin_user)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and live_publication(data) == second


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publications_leave_exactly_one_live(data: Any, admin_user: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads sharing one SQLite test database serialise anyway; the constraint test covers it")
    errors = run_at_once(*[lambda: publish(data, admin_user)] * 4)
    assert errors == []
    assert Publication.objects.filter(period=data).count() == 4
    assert Publication.objects.filter(period=data, withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_second_withdrawal_of_the_same_publication_is_told_what_happened(
    client: Any, data: Any, admin_user: Any
) -> None:
    publication = publish(data, admin_user)
    stale = Publication.objects.get(pk=publication.pk)  # what the second admin's page was built from
    withdraw(publication, admin_user)
    with pytest.raises(AlreadyWithdrawn):
        withdraw(stale, admin_user)
    client.force_login(admin_user)
    page = client.post(f"/kota/terbitkan/{publication.pk}/tarik/", follow=True).content.decode()
    assert "sudah ditarik atau diganti oleh admin lain" in page


@pytest.mark.django_db
def test_withdrawing_takes_the_period_off_every_public_surface(
    client: Any, data: Any, admin_user: Any, unit: Any
) -> None:
    unit.publishes_index = True
    unit.save()
    publish(data, admin_user)
    publication = publish(data, admin_user)  # a republication: the older one stays in history, withdrawn
    surfaces = [
        f"/hasil/{data.slug}/",
        f"/hasil/{data.slug}/{unit.code}/",
        f"/hasil/{data.slug}/rekap.csv",
        f"/hasil/{data.slug}/rekap.json",
        f"/api/v1/results/{data.slug}/",
        f"/api/v1/results/{data.slug}/{unit.code}/",
    ]
    for url in surfaces:
        assert client.get(url).status_code == 200, url
    assert published_index(unit) is not None
    assert data.slug in client.get("/hasil/").content.decode()

    withdraw(publication, admin_user)
    for url in surfaces:
        assert client.get(url).status_code == 404, url
    assert published_index(unit) is None
    periods = client.get("/api/v1/periods/").json()["periods"]
    assert [p["published"] for p in periods if p["slug"] == data.slug] == [False]
    assert client.get(f"/api/v1/units/{unit.code}/").json()["results"] == []
    overview = client.get("/hasil/")
    assert overview.status_code == 200 and "Belum ada hasil yang diterbitkan" in overview.content.decode()
