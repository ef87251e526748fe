"""Accounts in bulk from a spreadsheet: row-by-row Indonesian messages, all or nothing, audit-logged."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sumberdaya.accounts.models import AuditEvent, User

URL = "/kota/impor-akun/"
HEADER = "nama_pengguna;nama_depan;nama_belakang;surel;whatsapp;peran;unit"


def upload(client: Any, text: str, name: str = "akun.csv") -> str:
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")
    reply = client.post(URL, {"file": file})
    assert reply.status_code == 200
    return str(reply.content.decode())


def test_a_good_file_creates_every_account_with_a_password_shown_once(
    client: Any, admin_user: Any, unit: Any, other_unit: Any
) -> None:
    client.force_login(admin_user)
    html = upload(client, "\n".join([
        HEADER,
        "op-mawar;Siti;Aminah;siti@mawar.example;0812-3456-7890;operator;kelurahan-mawar",
        "op-dua;Budi;;;;operator;kelurahan-mawar puskesmas-cempaka",
        "sekda;Pak;Sekda;;;pimpinan;",
    ]))
    assert "3 akun dibuat" in html and "Kata sandi awal hanya ditampilkan sekali" in html
    siti = User.objects.get(username="op-mawar")
    assert (siti.phone, siti.email, siti.role) == ("6281234567890", "siti@mawar.example", "operator")
    assert list(siti.units.all()) == [unit]
    assert set(User.objects.get(username="op-dua").units.values_list("code", flat=True)) == {
        "kelurahan-mawar", "puskesmas-cempaka"
    }
    assert User.objects.get(username="sekda").role == "leadership"
    start = html.index("<td>op-mawar</td>")
    password = html[start:].split("<code>", 1)[1].split("</code>", 1)[0]
    assert siti.check_password(password)
    assert AuditEvent.objects.filter(action="user.create").count() == 3


def test_one_bad_row_creates_nothing_and_every_problem_is_listed_by_row(
    client: Any, admin_user: Any, unit: Any, operator: Any
) -> None:
    client.force_login(admin_user)
    html = upload(client, "\n".join([
        HEADER,
        "baru-satu;Satu;;;;operator;kelurahan-mawar",
        f"{operator.username};Dua;;;;operator;kelurahan-mawar",
        "baru satu;Tiga;;bukan-surel;0812;raja;",
        "baru-satu;Empat;;;;operator;unit-tidak-ada",
    ]))
    assert "3 baris perlu diperbaiki; belum ada akun yang dibuat" in html
    assert f"Baris 3 ({operator.username}): nama pengguna {operator.username} sudah dipakai." in html
    assert "Baris 4 (baru satu): nama pengguna hanya boleh huruf" in html
    assert "alamat surel bukan-surel tidak sah" in html and "Nomor HP/WhatsApp terlalu pendek" in html
    assert "peran raja tidak dikenal" in html
    assert "Baris 5 (baru-satu): nama pengguna sama dengan baris 2; kode unit tidak dikenal: unit-tidak-ada." in html
    assert not User.objects.filter(username__startswith="baru").exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_an_xlsx_with_english_headings_is_read_too(client: Any, admin_user: Any, unit: Any) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["username", "first_name", "email", "phone", "role", "units"])
    sheet.append(["op-xlsx", "Rina", "rina@example.go.id", 81234567890, "operator", "kelurahan-mawar"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(admin_user)
    file = SimpleUploadedFile("akun.xlsx", out.getvalue())
    html = client.post(URL, {"file": file}).content.decode()
    assert "1 akun dibuat" in html
    assert User.objects.get(username="op-xlsx").phone == "6281234567890"


def test_a_file_without_the_username_column_or_too_many_rows_is_refused(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    assert "Kolom nama_pengguna (username) tidak ada" in upload(client, "nama;surel\nSiti;s@x.id")
    rows = "\n".join(f"u{i};;;;;pimpinan;" for i in range(501))
    assert "Terlalu banyak baris (paling banyak 500 akun sekali unggah)" in upload(client, HEADER + "\n" + rows)
    assert User.objects.count() == 1


def test_only_the_city_admin_imports_accounts(client: Any, operator: Any, leader: Any) -> None:
    for user in (operator, leader):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_the_unit_picker_lists_checkboxes_under_a_search_box(client: Any, admin_user: Any, unit: Any) -> None:
    client.force_login(admin_user)
    html = client.get("/akun/pengguna/baru/").content.decode()
    assert "data-filter-list" in html and 'data-filter-input hidden' in html  # hidden until the script runs
    assert 'type="checkbox" name="units"' in html and unit.name in html
    assert "filter.js" in html


def test_the_account_form_normalises_the_whatsapp_number(client: Any, admin_user: Any, operator: Any, unit: Any) -> None:
    client.force_login(admin_user)
    reply = client.post(
        f"/akun/pengguna/{operator.pk}/",
        {"first_name": "Siti", "last_name": "", "email": "", "phone": "+62 812-3456-7890", "role": "operator",
         "units": [unit.pk], "is_active": "on"},
    )
    assert reply.status_code == 302
    operator.refresh_from_db()
    assert operator.phone == "6281234567890"
    bad = client.post(
        f"/akun/pengguna/{operator.pk}/",
        {"first_name": "Siti", "phone": "12345", "role": "operator", "units": [unit.pk], "is_active": "on"},
    )
    assert bad.status_code == 200 and "Nomor HP/WhatsApp" in bad.content.decode()
