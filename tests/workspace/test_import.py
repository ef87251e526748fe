"""Spreadsheet import in the browser: Google Forms export, column mapping remembered per unit, preview with
row errors in Indonesian, all or nothing, size and row limits."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Response
from sumberdaya.workspace import importer
from sumberdaya.workspace.models import ImportMapping

pytestmark = pytest.mark.django_db

HEADER = ["Timestamp", "Jenis layanan", *[f"{e.u}. {e.question}" for e in ELEMENTS], "Jenis Kelamin", "Usia",
          "Saran dan masukan"]


def google_forms_rows(bad_row: bool = False) -> list[list[str]]:
    day = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [
        [f"{day} 09:15:02", "Surat keterangan domisili", *["Sangat sesuai", "Mudah", "Cepat", "Gratis", "Sesuai",
         "Kompeten", "Sopan dan ramah", "Baik", "Dikelola dengan baik"], "Perempuan", "31", "Pelayanan cepat"],
        [f"{day} 10:01:44", "Surat pengantar nikah", *["4"] * 9, "Laki-laki", "45", ""],
        [f"{day} 11:30:00", "", *["3 - Sesuai"] * 9, "", "", ""],
    ]
    if bad_row:
        rows[1][4] = "7"
    return rows


def csv_file(header: list[str], rows: list[list[str]], name: str = "Survei SKM (Jawaban).csv") -> Any:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(header: list[str], rows: list[list[str]]) -> Any:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("jawaban.xlsx", out.getvalue())


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mapping_fields(page: Any) -> dict[str, str]:
    return {f"map_{field}": chosen for field, _label, chosen in page.context["fields"]}


def test_the_mapping_is_guessed_from_a_google_forms_header():
    guessed = importer.guess_mapping(HEADER)
    assert guessed["submitted_at"] == "Timestamp"
    assert guessed["service"] == "Jenis layanan"
    assert guessed["u1"] == HEADER[2] and guessed["u9"] == HEADER[10]
    assert guessed["sex"] == "Jenis Kelamin" and guessed["age"] == "Usia" and guessed["comment"] == "Saran dan masukan"
    assert guessed["unit"] == "" and guessed["education"] == ""


def test_short_u_headers_are_recognised():
    guessed = importer.guess_mapping(["Tanggal", "U1", "u2 Prosedur", "U3", "U4", "U5", "U6", "U7", "U8", "U9"])
    assert [guessed[e.key] for e in ELEMENTS][:2] == ["U1", "u2 Prosedur"] and guessed["submitted_at"] == "Tanggal"


def test_a_clean_google_forms_export_is_previewed_then_imported(unit, operator):
    client = signed_in(operator)
    url = reverse("workspace:import", args=[unit.code])
    preview = client.post(url, {"file": csv_file(HEADER, google_forms_rows())})
    assert preview.status_code == 200 and preview.context["result"].ok
    assert not Response.objects.exists()  # a preview stores nothing
    page = client.post(url, {"token": preview.context["token"], "action": "import", **mapping_fields(preview)})
    assert page.status_code == 302
    stored = list(Response.objects.order_by("submitted_at"))
    assert len(stored) == 3 and stored[0].answers == [4, 3, 3, 4, 3, 3, 3, 3, 4]
    assert stored[2].answers == [3] * 9 and stored[0].sex == "P" and stored[0].service.name.startswith("Surat")
    assert all(r.unit == unit and r.entered_by == operator and r.channel == "paper" for r in stored)
    assert ImportMapping.objects.get(unit=unit).mapping["submitted_at"] == "Timestamp"
    assert AuditEvent.objects.get(action="response.import").after["rows"] == 3


def test_a_bad_row_is_reported_in_indonesian_and_nothing_is_stored(unit, operator):
    client = signed_in(operator)
    url = reverse("workspace:import", args=[unit.code])
    preview = client.post(url, {"file": csv_file(HEADER, google_forms_rows(bad_row=True))})
    text = preview.content.decode()
    assert "Baris 3" in text and "nilai &#x27;7&#x27; tidak sah" in text
    forced = client.post(url, {"token": preview.context["token"], "action": "import", **mapping_fields(preview)})
    assert forced.status_code == 400 and not Response.objects.exists()


def test_the_mapping_can_be_changed_and_is_remembered_for_the_unit(unit, operator):
    header = [*HEADER[:-1], "Kolom bebas"]
    client = signed_in(operator)
    url = reverse("workspace:import", args=[unit.code])
    preview = client.post(url, {"file": xlsx_file(header, google_forms_rows())})
    fields = mapping_fields(preview)
    assert fields["map_comment"] == ""
    fields["map_comment"] = "Kolom bebas"
    again = client.post(url, {"token": preview.context["token"], "action": "preview", **fields})
    assert again.context["result"].ok
    client.post(url, {"token": preview.context["token"], "action": "import", **fields})
    assert Response.objects.filter(comment="Pelayanan cepat").count() == 1
    next_time = client.post(url, {"file": xlsx_file(header, google_forms_rows())})
    assert mapping_fields(next_time)["map_comment"] == "Kolom bebas"


def test_a_file_with_rows_of_another_unit_is_refused(unit, other_unit, operator):
    header = ["unit", "submitted_at", *[e.key for e in ELEMENTS]]
    rows = [[other_unit.code, "2024-05-01", *["4"] * 9]]
    preview = signed_in(operator).post(reverse("workspace:import", args=[unit.code]), {"file": csv_file(header, rows)})
    assert not preview.context["result"].ok and "tidak berwenang" in preview.content.decode()


def test_unsupported_and_oversized_files_are_refused(unit, operator, monkeypatch):
    client = signed_in(operator)
    url = reverse("workspace:import", args=[unit.code])
    page = client.post(url, {"file": SimpleUploadedFile("data.pdf", b"%PDF-1.4")})
    assert page.status_code == 400 and "tidak didukung" in page.content.decode()
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    page = client.post(url, {"file": csv_file(HEADER, google_forms_rows())})
    assert page.status_code == 400 and "terlalu besar" in page.content.decode()


def test_too_many_rows_are_refused(unit, operator, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    client = signed_in(operator)
    url = reverse("workspace:import", args=[unit.code])
    page = client.post(url, {"file": csv_file(HEADER, google_forms_rows())}, follow=True)
    assert "lebih dari 2 baris" in page.content.decode() and not Response.objects.exists()


def test_a_token_from_another_session_or_unit_is_useless(unit, other_unit, operator, other_operator):
    preview = signed_in(operator).post(reverse("workspace:import", args=[unit.code]),
                                       {"file": csv_file(HEADER, google_forms_rows())})
    token = preview.context["token"]
    page = signed_in(other_operator).post(reverse("workspace:import", args=[other_unit.code]),
                                          {"token": token, "action": "import", **mapping_fields(preview)})
    assert page.status_code == 302 and not Response.objects.exists()


def test_leadership_cannot_import(unit, leader):
    page = signed_in(leader).post(reverse("workspace:import", args=[unit.code]),
                                  {"file": csv_file(HEADER, google_forms_rows())})
    assert page.status_code == 403 and not Response.objects.exists()


def test_the_template_has_indonesian_headings_and_imports_as_it_is(unit, operator, period):
    from openpyxl import load_workbook

    client = signed_in(operator)
    download = client.get(reverse("workspace:import_template", args=[unit.code]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(download.content))
    sheet = book["Kuesioner"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["kode_unit", "tanggal", "jenis_layanan", "metode"] and "jenis_kelamin" in header
    assert "Petunjuk" in book.sheetnames
    url = reverse("workspace:import", args=[unit.code])
    preview = client.post(url, {"file": SimpleUploadedFile("contoh.xlsx", download.content)})
    assert preview.status_code == 200 and preview.context["result"].ok, preview.context["result"].problems()
    assert ("submitted_at", "tanggal") in [(f, chosen) for f, _label, chosen in preview.context["fields"]]
    client.post(url, {"token": preview.context["token"], "action": "import", **mapping_fields(preview)})
    stored = Response.objects.get()
    assert stored.unit == unit and stored.channel == "paper" and stored.sex == "P" and stored.age == 35
    assert stored.service is not None and stored.service.name == "Surat keterangan domisili"


def test_a_file_without_a_method_column_is_paper_unless_the_operator_chooses_otherwise(unit, operator):
    client = signed_in(operator)
    url = reverse("workspace:import", args=[unit.code])
    preview = client.post(url, {"file": csv_file(HEADER, google_forms_rows())})
    assert preview.context["default_channel"] == "paper"
    assert '<option value="paper" selected>' in preview.content.decode()
    client.post(url, {"token": preview.context["token"], "action": "import", "default_channel": "online",
                      **mapping_fields(preview)})
    assert set(Response.objects.values_list("channel", flat=True)) == {"online"}


def test_the_command_line_import_accepts_indonesian_headings(unit):
    from sumberdaya.surveys import importing

    header = ["kode_unit", "Tanggal", *importing.ANSWER_KEYS, "Jenis Kelamin", "saran"]
    result = importing.parse_responses(header, iter([[unit.code, "2026-03-02", *["4"] * 9, "L", "Bagus"]]))
    assert result.ok, result.problems()
    assert result.responses[0].sex == "L" and result.responses[0].comment == "Bagus"
