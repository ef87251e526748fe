"""Re-importing: the same file is refused for a unit unless the operator confirms after seeing the earlier
import; a repeated POST of one upload (lost connection, second tap) never imports twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from sumberdaya.surveys.models import ImportRecord, Response
from tests.concurrency import run_at_once
from tests.workspace.test_import import HEADER, csv_file, google_forms_rows, mapping_fields, signed_in


def _upload(client: Client, unit: Any) -> Any:
    return client.post(reverse("workspace:import", args=[unit.code]), {"file": csv_file(HEADER, google_forms_rows())})


def _import(client: Client, unit: Any, preview: Any, **extra: str) -> Any:
    data = {"token": preview.context["token"], "action": "import", **mapping_fields(preview), **extra}
    return client.post(reverse("workspace:import", args=[unit.code]), data)


@pytest.mark.django_db
def test_the_same_file_again_is_refused_until_the_operator_confirms(unit: Any, operator: Any) -> None:
    client = signed_in(operator)
    first = _import(client, unit, _upload(client, unit))
    assert first.status_code == 302 and Response.objects.count() == 3
    record = ImportRecord.objects.get()
    assert record.unit == unit and record.rows == 3 and len(record.sha256) == 64 and record.source == "web"

    again = _upload(client, unit)
    page = again.content.decode()
    assert again.status_code == 200 and 'data-testid="import-duplicate"' in page
    assert "Survei SKM (Jawaban).csv, diimpor" in page and f"oleh {operator.username} (3 respons)" in page
    refused = _import(client, unit, again)
    assert refused.status_code == 409 and "berkas yang sama persis sudah diimpor" in refused.content.decode()
    assert Response.objects.count() == 3

    confirmed = _import(client, unit, again, allow_duplicate="1")
    assert confirmed.status_code == 302 and Response.objects.count() == 6
    assert ImportRecord.objects.filter(duplicate_confirmed=True).count() == 1


@pytest.mark.django_db
def test_the_same_file_for_another_unit_is_not_a_duplicate(unit: Any, other_unit: Any, operator: Any) -> None:
    operator.units.add(other_unit)
    client = signed_in(operator)
    header = [h for h in HEADER if h != "Jenis layanan"]  # the units have different services
    rows = [[cell for i, cell in enumerate(row) if i != 1] for row in google_forms_rows()]
    url = reverse("workspace:import", args=[unit.code])
    preview = client.post(url, {"file": csv_file(header, rows)})
    assert _import(client, unit, preview).status_code == 302
    other = client.post(reverse("workspace:import", args=[other_unit.code]), {"file": csv_file(header, rows)})
    assert other.status_code == 200 and other.context["result"].ok and other.context["earlier"] == []
    assert 'data-testid="import-duplicate"' not in other.content.decode()
    assert _import(client, other_unit, other).status_code == 302
    assert Response.objects.filter(unit=other_unit).count() == 3


@pytest.mark.django_db
def test_a_second_post_of_the_same_upload_shows_the_first_result_and_stores_nothing(
    unit: Any, operator: Any, period: Any
) -> None:
    client = signed_in(operator)
    preview = _upload(client, unit)
    _import(client, unit, preview)
    # The browser lost the answer and sends the form again (even with the duplicate box ticked).
    repeat = client.post(
        reverse("workspace:import", args=[unit.code]),
        {"token": preview.context["token"], "action": "import", "allow_duplicate": "1", **mapping_fields(preview)},
        follow=True,
    )
    assert repeat.status_code == 200 and "sudah diimpor" in repeat.content.decode()
    assert "tidak diimpor dua kali" in repeat.content.decode()
    assert Response.objects.count() == 3 and ImportRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_upload_import_once(unit: Any, operator: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need PostgreSQL; the sequential repeat is tested on both")
    client = signed_in(operator)
    preview = _upload(client, unit)
    data = {"token": preview.context["token"], "action": "import", **mapping_fields(preview)}
    statuses: list[int] = []

    def post() -> None:
        statuses.append(client.post(reverse("workspace:import", args=[unit.code]), data).status_code)

    assert run_at_once(post, post) == []
    assert statuses == [302, 302]
    assert Response.objects.count() == 3 and ImportRecord.objects.count() == 1


@pytest.mark.django_db
def test_the_cli_refuses_a_file_already_imported_unless_allowed(tmp_path: Path, unit: Any) -> None:
    import io

    path = tmp_path / "data.csv"
    path.write_text(
        "unit,submitted_at,u1,u2,u3,u4,u5,u6,u7,u8,u9\n" f"{unit.code},2024-05-01,4,4,4,4,4,4,4,4,4\n",
        encoding="utf-8",
    )
    call_command("import_responses", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Response.objects.count() == 1 and ImportRecord.objects.get().source == "cli"
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_responses", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert f"{unit.code}: data.csv, diimpor" in err.getvalue() and "--allow-duplicate" in err.getvalue()
    assert Response.objects.count() == 1
    out = io.StringIO()
    call_command("import_responses", str(path), "--allow-duplicate", stdout=out, stderr=io.StringIO())
    assert "1 kuesioner disimpan" in out.getvalue() and Response.objects.count() == 2
