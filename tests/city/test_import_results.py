"""Importing external and historical results: each row checked, flagged with reasons, stored only when allowed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.city.importing import ERROR, FLAGGED, OK, ImportFileError, check_rows, read_rows, store
from sumberdaya.results.models import ImportBatch, ImportedResult
from sumberdaya.surveys.models import Period
from tests.city.helpers import GOOD, HEADER, KNOWN_MISTAKES

pytestmark = pytest.mark.django_db


def _check(text: str, name: str = "hasil.csv") -> list[Any]:
    return check_rows(read_rows(text.encode(), name))


def _dry_run_json(path: Path) -> tuple[list[dict[str, Any]], int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_results", str(path), "--dry-run", "--format", "json", stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return json.loads(out.getvalue()), code


def test_it_flags_exactly_the_inconsistent_rows_of_a_file_with_known_mistakes(
    unit: Any, other_unit: Any, tmp_path: Path
) -> None:
    path = tmp_path / "hasil.csv"
    path.write_text(KNOWN_MISTAKES, encoding="utf-8")
    report, code = _dry_run_json(path)
    assert [(r["row"], r["status"]) for r in report] == [
        (2, "ok"),
        (3, "flagged"),
        (4, "flagged"),
        (5, "flagged"),
        (6, "error"),
        (7, "ok"),
    ]
    by_row = {r["row"]: r for r in report}
    assert set(report[0]) == {"row", "unit", "status", "problems"}
    assert by_row[2]["problems"] == [] and by_row[7]["problems"] == []
    assert "IKM 85,00 tidak sama dengan IKM dari nilai unsur 79,92" in by_row[3]["problems"][0]
    assert by_row[4]["problems"] == ["Mutu A tidak sesuai dengan IKM 79,92 (seharusnya B)."]
    assert "U9 = 120,00" in by_row[5]["problems"][0]
    assert by_row[6]["problems"] == ["Unit 'kelurahan-tidak-ada' tidak dikenal."]
    assert code == 1  # an error row makes the command fail
    assert not ImportedResult.objects.exists()  # a dry run stores nothing
    assert not Period.objects.filter(slug__in=["2021", "2022", "2023"]).exists()


def test_it_exits_zero_when_no_row_is_an_error(unit: Any, tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    report, code = _dry_run_json(path)
    assert code == 0 and report == [{"row": 2, "unit": "kelurahan-mawar", "status": "ok", "problems": []}]


def test_the_ikm_check_uses_the_configured_weight(unit: Any, settings: Any) -> None:
    # 80 × 9 × 1/9 = 80,00 exactly; with 0,111 the same elements give 79,92.
    row = "kelurahan-mawar,2023,80,80,80,80,80,80,80,80,80,80.00,B,120,Kertas"
    assert _check(f"{HEADER}\n{row}")[0].status == FLAGGED
    settings.SKM_WEIGHT = "exact"
    assert _check(f"{HEADER}\n{row}")[0].status == OK


def test_it_accepts_an_ikm_within_the_tolerance_and_rejects_just_outside(unit: Any) -> None:
    def status(ikm: str) -> str:
        return _check(f"{HEADER}\nkelurahan-mawar,2023,80,80,80,80,80,80,80,80,80,{ikm},B,120,Kertas")[0].status

    assert status("79.93") == OK  # 0,01 away
    assert status('"79,91"') == OK  # Indonesian decimal comma, quoted in a comma-separated file
    assert status("79.94") == FLAGGED


def test_it_flags_zero_respondents_and_errors_on_non_numbers_and_bad_periods(unit: Any) -> None:
    rows = [
        "kelurahan-mawar,2023,80,80,80,80,80,80,80,80,80,79.92,B,0,Kertas",
        "kelurahan-mawar,2023-Q9,80,80,80,80,80,80,80,80,80,79.92,B,10,Kertas",
        "kelurahan-mawar,2020,80,delapan,80,80,80,80,80,80,80,79.92,B,10,Kertas",
    ]
    checks = _check("\n".join([HEADER, *rows]))
    assert [c.status for c in checks] == [FLAGGED, ERROR, ERROR]
    assert checks[0].problems == ["Jumlah responden harus lebih dari 0."]
    assert "Kode periode '2023-Q9' tidak dikenal" in checks[1].problems[0]
    assert checks[2].problems == ["U2: 'delapan' bukan angka."]


def test_a_unit_and_period_twice_in_one_file_is_an_error(unit: Any) -> None:
    checks = _check(f"{HEADER}\n{GOOD}\n{GOOD}")
    assert [c.status for c in checks] == [OK, ERROR]
    assert checks[1].problems == ["Unit dan periode yang sama sudah ada di baris 2."]


def test_it_reads_units_by_name_semicolon_csv_and_xlsx(unit: Any) -> None:
    from openpyxl import Workbook

    semicolon = "unit;period;u1;u2;u3;u4;u5;u6;u7;u8;u9;ikm;mutu;respondents;method\n"
    semicolon += "Kelurahan Mawar;2023;80;80;80;80;80;80;80;80;80;79,92;B;120;Kertas\n"
    assert [(c.unit, c.status) for c in _check(semicolon)] == [("kelurahan-mawar", OK)]

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(HEADER.split(","))
    sheet.append(["kelurahan-mawar", 2023, *[80] * 9, 79.92, "B", 120, "Kertas"])
    buffer = io.BytesIO()
    book.save(buffer)
    checks = check_rows(read_rows(buffer.getvalue(), "hasil.xlsx"))
    assert [(c.row, c.status, c.period) for c in checks] == [(2, OK, "2023")]


def test_it_refuses_a_file_without_the_required_columns() -> None:
    with pytest.raises(ImportFileError, match="Kolom wajib tidak ada: u9, ikm"):
        list(read_rows(b"unit,period,u1,u2,u3,u4,u5,u6,u7,u8\n", "hasil.csv"))
    with pytest.raises(ImportFileError, match="Format berkas"):
        list(read_rows(b"x", "hasil.pdf"))


def test_storing_keeps_ok_rows_creates_periods_and_skips_flagged_rows_unless_confirmed(
    unit: Any, other_unit: Any, admin_user: Any
) -> None:
    checks = _check(KNOWN_MISTAKES)
    summary = store(checks, admin_user, confirm_flagged=False)
    assert summary.stored == 2 and summary.skipped_flagged == 3 and summary.errors == 1
    assert summary.created_periods == ["2023"]
    stored = ImportedResult.objects.get(unit=unit, period__slug="2023")
    assert str(stored.ikm) == "79.92" and stored.mutu == "B" and stored.respondents == 120 and not stored.flagged
    assert AuditEvent.objects.filter(action="imported_result.import").count() == 2
    assert AuditEvent.objects.filter(action="period.create").count() == 1

    summary = store(_check(KNOWN_MISTAKES), admin_user, confirm_flagged=True)
    assert summary.stored == 5 and summary.errors == 1
    flagged = ImportedResult.objects.get(unit=other_unit, period__slug="2022")
    assert flagged.flagged and flagged.mutu == "A"  # kept as sent, with the reason
    assert flagged.problems == ["Mutu A tidak sesuai dengan IKM 79,92 (seharusnya B)."]
    assert ImportedResult.objects.count() == 5  # re-importing replaced, did not duplicate


def test_the_command_stores_and_says_which_periods_it_created(unit: Any, other_unit: Any, tmp_path: Path) -> None:
    path = tmp_path / "hasil.csv"
    path.write_text(KNOWN_MISTAKES, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_results", str(path), "--confirm-flagged", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert "Periode dibuat: 2021, 2022, 2023." in err.getvalue()
    assert "baris 6: kelurahan-tidak-ada" in out.getvalue()
    assert ImportedResult.objects.count() == 5


def test_an_admin_uploads_checks_and_confirms_in_the_browser(
    client: Any, unit: Any, other_unit: Any, admin_user: Any
) -> None:
    client.force_login(admin_user)
    upload = io.BytesIO(KNOWN_MISTAKES.encode())
    upload.name = "hasil.csv"
    response = client.post("/kota/impor/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/kota/impor/{batch.pk}/"
    page = client.get(response.url).content.decode()
    assert "Mutu A tidak sesuai dengan IKM 79,92 (seharusnya B)." in page
    assert "Unit &#x27;kelurahan-tidak-ada&#x27; tidak dikenal." in page
    assert not ImportedResult.objects.exists()  # checking stores nothing

    client.post(f"/kota/impor/{batch.pk}/", {"confirm_flagged": "1"})
    assert ImportedResult.objects.count() == 5
    batch.refresh_from_db()
    assert batch.stored_at is not None
    client.post(f"/kota/impor/{batch.pk}/", {"confirm_flagged": "1"})  # a second submit stores nothing twice
    assert AuditEvent.objects.filter(action="imported_result.import").count() == 5


def test_only_the_city_admin_may_import(client: Any, operator: Any, leader: Any) -> None:
    for user in (operator, leader):
        client.force_login(user)
        assert client.get("/kota/impor/").status_code == 403
    client.logout()
    assert client.get("/kota/impor/").status_code == 302  # to the login page


def test_a_bad_upload_is_explained_and_nothing_is_created(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    upload = io.BytesIO(b"nama,nilai\nx,1\n")
    upload.name = "hasil.csv"
    response = client.post("/kota/impor/", {"file": upload})
    assert response.status_code == 200
    assert "Kolom wajib tidak ada" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_example_file_passes_the_check(client: Any, admin_user: Any, unit: Any, other_unit: Any) -> None:
    client.force_login(admin_user)
    example = client.get("/kota/impor/contoh.csv").content
    checks = check_rows(read_rows(example, "contoh.csv"))
    assert [c.status for c in checks] == [OK, OK]
