"""The read-only JSON API /api/v1/: published data only, JSON errors, and conformance to its OpenAPI document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sumberdaya.city.publication import publish
from sumberdaya.results.models import ImportedResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(unit: Any, other_unit: Any, period: Any, make_responses: Any, admin_user: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3] * 9] * 3, when=when, comment="rahasia warga")
    ImportedResult.objects.create(
        unit=other_unit,
        period=period,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=50,
        method="Kertas",
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    return publish(period, admin_user)


def test_units_and_periods_are_listed(client: Any, published: Any, period: Any, period_2024: Any) -> None:
    units = client.get("/api/v1/units/").json()["units"]
    assert {u["code"] for u in units} == {"kelurahan-mawar", "puskesmas-cempaka"}
    periods = {p["slug"]: p for p in client.get("/api/v1/periods/").json()["periods"]}
    assert periods[period.slug]["published"] is True and periods["2024"]["published"] is False
    detail = client.get("/api/v1/units/kelurahan-mawar/").json()
    assert detail["results"][0]["period"] == period.slug


def test_results_are_the_published_snapshot(client: Any, published: Any, period: Any) -> None:
    response = client.get(f"/api/v1/results/{period.slug}/")
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["city"] == published.snapshot["city"] and data["method"] == "mean" and data["weight"] == "0.111"
    by_code = {u["code"]: u for u in data["units"]}
    assert by_code["puskesmas-cempaka"]["source"] == "imported" and by_code["puskesmas-cempaka"]["imported"]
    unit = client.get(f"/api/v1/results/{period.slug}/kelurahan-mawar/").json()["unit"]
    assert unit["ikm"] == by_code["kelurahan-mawar"]["ikm"] and len(unit["elements"]) == 9
    assert "rahasia warga" not in response.content.decode()


def test_unknown_or_unpublished_gives_a_json_404_in_indonesian(client: Any, published: Any, period_2024: Any) -> None:
    for url in (
        "/api/v1/results/2024/",
        "/api/v1/results/1999/",
        "/api/v1/units/tidak-ada/",
        f"/api/v1/results/{published.period.slug}/tidak-ada/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json()["error"]["status"] == 404
    assert "belum diterbitkan" in client.get("/api/v1/results/2024/").json()["error"]["message"]
    assert client.post("/api/v1/units/").status_code == 405  # read-only


def test_the_openapi_document_is_valid_and_served(client: Any) -> None:
    import schemathesis

    from sumberdaya.public.openapi import OPENAPI

    schemathesis.openapi.from_dict(OPENAPI).validate()  # checks against the OpenAPI 3.1 meta-schema
    served = client.get("/api/v1/openapi.json").json()
    assert served["openapi"] == "3.1.0" and set(served["paths"]) == {
        "/api/v1/units/",
        "/api/v1/units/{code}/",
        "/api/v1/periods/",
        "/api/v1/results/{period}/",
        "/api/v1/results/{period}/{code}/",
    }


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Like Django's test client: keep the test's database connection (and transaction) open between requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_conforms_to_its_openapi_document_under_schemathesis(published: Any, keep_connection: None) -> None:
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    seen: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            # The gzip middleware would compress; ask for plain JSON as most API clients do.
            response = case.call(headers={"Accept-Encoding": "identity"})
            seen.append(response.status_code)
            assert response.status_code < 500
            case.validate_response(response)

        check()
    assert 200 in seen and 404 in seen


def test_the_api_root_lists_its_endpoints_and_links_the_openapi_document(client: Any) -> None:
    from sumberdaya.public.openapi import OPENAPI

    answer = client.get("/api/v1/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    data = answer.json()
    assert data["openapi"].endswith("/api/v1/openapi.json")
    assert [e["path"] for e in data["endpoints"]] == list(OPENAPI["paths"])
    assert all(e["summary"] for e in data["endpoints"])
    assert client.get(data["openapi"]).status_code == 200
