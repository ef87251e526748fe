"""Which source counts: the system-only view, the admin's choice of an imported result, older snapshots."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.city.snapshot import LEGACY_FLAG, read_snapshot
from sumberdaya.results.models import ImportedResult
from sumberdaya.results.service import IMPORTED, SYSTEM, period_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(unit: Any, other_unit: Any, period: Any, make_responses: Any) -> Any:
    """Mawar answered in the system (all 4s: 99,90) and also sent a paper result (79,92); Cempaka only sent one."""
    make_responses(
        unit, [[4] * 9] * 3, when=dt.datetime(period.start.year, 2, 3, 10, tzinfo=timezone.get_current_timezone())
    )
    for target in (unit, other_unit):
        ImportedResult.objects.create(
            unit=target,
            period=period,
            ikm=Decimal("79.92"),
            mutu="B",
            respondents=100,
            method="Kertas",
            **{f"u{i}": Decimal(80) for i in range(1, 10)},
        )
    return period


def _recap(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("recap", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_recap_reports_every_source_and_source_system_leaves_imports_out(both: Any) -> None:
    data = _recap("--period", both.slug)
    units = {u["code"]: u for u in data["units"]}
    assert data["source"] is None
    assert units["kelurahan-mawar"]["source"] == SYSTEM and units["kelurahan-mawar"]["ikm"] == pytest.approx(99.9)
    cempaka = units["puskesmas-cempaka"]
    assert cempaka["source"] == IMPORTED and cempaka["flags"] == [] and cempaka["stated_mutu"] == "B"
    assert data["city"]["units"] == 2
    system = _recap("--period", both.slug, "--source", "system")
    units = {u["code"]: u for u in system["units"]}
    assert system["source"] == SYSTEM and system["city"]["units"] == 1
    assert units["puskesmas-cempaka"]["source"] is None and units["puskesmas-cempaka"]["ikm"] is None
    assert "stated_ikm" not in units["kelurahan-mawar"]


def test_the_admin_may_count_the_imported_result_instead_and_it_is_logged(both: Any, admin_user: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("city:recap") + f"?periode={both.slug}")
    assert page.status_code == 200 and "Ada juga hasil impor" in page.content.decode()
    response = client.post(
        reverse("city:prefer_imported"), {"periode": both.slug, "unit": "kelurahan-mawar", "pakai": "impor"}
    )
    assert response.status_code == 302
    row = period_results(both).row_for("kelurahan-mawar")
    assert row is not None and row.source == IMPORTED and row.other is not None and row.other.ikm is not None
    event = AuditEvent.objects.get(action="imported_result.prefer")
    assert (event.before, event.after) == ({"preferred": False}, {"preferred": True})
    assert event.object_type == "results.ImportedResult"
    client.post(reverse("city:prefer_imported"), {"periode": both.slug, "unit": "kelurahan-mawar", "pakai": "sistem"})
    assert period_results(both).row_for("kelurahan-mawar").source == SYSTEM  # type: ignore[union-attr]


def test_only_a_city_admin_may_choose_the_source(both: Any, operator: Any, leader: Any) -> None:
    for user in (operator, leader):
        client = Client()
        client.force_login(user)
        data = {"periode": both.slug, "unit": "kelurahan-mawar", "pakai": "impor"}
        assert client.post(reverse("city:prefer_imported"), data).status_code == 403
    assert not ImportedResult.objects.filter(preferred=True).exists()
    assert Client().post(reverse("city:prefer_imported"), {"periode": both.slug}).status_code == 302  # to sign in


def test_an_unknown_unit_or_period_gives_not_found(both: Any, admin_user: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    assert client.post(reverse("city:prefer_imported"), {"periode": both.slug, "unit": "tidak-ada"}).status_code == 404
    assert (
        client.post(reverse("city:prefer_imported"), {"periode": "1999", "unit": "kelurahan-mawar"}).status_code == 404
    )


def test_a_version_one_snapshot_is_read_with_its_flag_kept() -> None:
    legacy = {
        "period": {"slug": "2024", "name": "Tahun 2024", "start": "2024-01-01", "end": "2024-12-31"},
        "weight": "0.111",
        "weight_label": "0,111",
        "method": "mean",
        "method_label": "Rata-rata IKM unit",
        "city": {"ikm": 80.0, "mutu": "B", "units": 1},
        "groups": [{"name": "UPTD", "ikm": 80.0, "mutu": "B", "units": 1}],
        "band_counts": {"A": 0, "B": 1, "C": 0, "D": 0},
        "units": [
            {
                "code": "uptd-x",
                "name": "UPTD X",
                "group": "UPTD",
                "source": "imported",
                "window": "Tahun 2024",
                "channels": "Kertas",
                "respondents": 10,
                "u1": 80.0,
                "ikm": 80.0,
                "mutu": "B",
                "priorities": [],
                "flagged": True,
                "kind": "UPTD",
                "imported": True,
                "ci": None,
                "rtl_status": "Belum ada",
                "elements": [{"key": "U1", "name": "Persyaratan", "score": 80.0, "mutu": "B"}],
            }
        ],
    }
    snapshot = read_snapshot(legacy)
    unit = snapshot.unit("uptd-x")
    assert snapshot.version == 1 and unit is not None and unit.flags == [LEGACY_FLAG] and unit.flagged
    assert unit.as_json()["flagged"] is True and snapshot.city.ikm == 80.0
