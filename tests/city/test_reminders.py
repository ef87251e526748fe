"""Reminders from monitoring: e-mail caught by a local SMTP server, WhatsApp links, the log, the lists."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.accounts.phone import normalise_phone
from sumberdaya.city.models import Reminder

URL = "/kota/pemantauan/"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0812-3456-7890", "6281234567890"), ("+62 812 3456 7890", "6281234567890"), ("62811234567", "62811234567"),
     ("812 3456 7890", "6281234567890"), ("", "")],
)
def test_phone_numbers_are_normalised_to_628(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["0812-abc", "+1 555 123 4567", "0812", "08123456789012345"])
def test_a_number_that_is_not_indonesian_is_refused_in_indonesian(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_phone(typed)
    assert "Nomor HP/WhatsApp" in str(error.value)


def test_monitoring_counts_and_marks_late_units(client: Any, admin_user: Any, late_year: Any, unit: Any) -> None:
    client.force_login(admin_user)
    page = client.get(URL, {"periode": "2025"}).content.decode()
    assert 'href="?periode=2025&amp;tampil=terlambat"><span class="big">2</span>' in page
    assert page.count('data-late="data"') == 2 and page.count('data-late="report"') == 2
    assert "Terlambat input data (belum ada respons)" in page


def test_the_admin_emails_the_chosen_units_and_each_is_logged(
    client: Any, admin_user: Any, late_year: Any, unit: Any, other_unit: Any, smtp_server: Any
) -> None:
    client.force_login(admin_user)
    reply = client.post(
        "/kota/pemantauan/pengingat/", {"periode": "2025", "unit": [unit.code], "saluran": "email"}, follow=True
    )
    assert "Surel pengingat dikirim ke 1 unit." in reply.content.decode()
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert smtp_server.envelopes[0].rcpt_tos == ["siti@mawar.example"]
    assert "Pengingat SKM Tahun 2025" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "Batas input data SKM Tahun 2025 (15-01-2026) sudah lewat" in body
    assert "Batas laporan SKM Tahun 2025 (31-01-2026) sudah lewat" in body
    reminder = Reminder.objects.get()
    assert (reminder.unit, reminder.channel, reminder.sent, reminder.late_data, reminder.late_report) == (
        unit, "email", True, True, True
    )
    event = AuditEvent.objects.get(action="reminder.email")
    assert event.unit == unit and event.after["recipients"] == "siti@mawar.example"
    page = client.get(URL, {"periode": "2025"}).content.decode()
    assert "siti@mawar.example" in page  # the log on the page


def test_a_unit_without_address_is_logged_as_not_sent_and_the_others_still_go(
    client: Any, admin_user: Any, late_year: Any, unit: Any, other_unit: Any, other_operator: Any, smtp_server: Any
) -> None:
    other_operator.email = ""
    other_operator.save()
    client.force_login(admin_user)
    reply = client.post(
        "/kota/pemantauan/pengingat/",
        {"periode": "2025", "unit": [unit.code, other_unit.code], "saluran": "email"},
        follow=True,
    ).content.decode()
    assert "Surel pengingat dikirim ke 1 unit." in reply
    assert "Tidak terkirim ke 1 unit: Puskesmas Cempaka (Operator unit ini belum punya alamat surel.)" in reply
    assert len(smtp_server.messages) == 1
    assert Reminder.objects.filter(sent=False, unit=other_unit).count() == 1


def test_whatsapp_links_carry_the_normalised_number_and_the_text(
    client: Any, admin_user: Any, late_year: Any, unit: Any, other_unit: Any
) -> None:
    client.force_login(admin_user)
    page = client.post(
        "/kota/pemantauan/pengingat/",
        {"periode": "2025", "unit": [unit.code, other_unit.code], "saluran": "whatsapp"},
    ).content.decode()
    assert "Operator belum punya nomor WhatsApp" in page  # Cempaka
    start = page.index('href="https://wa.me/')
    link = page[start + 6 : page.index('"', start + 6)].replace("&amp;", "&")
    parsed = urlparse(link)
    assert parsed.netloc == "wa.me" and parsed.path == "/6281234567890"
    text = parse_qs(parsed.query)["text"][0]
    assert text.startswith("Yth. operator SKM Kelurahan Mawar,")
    assert "/dasbor/unit/kelurahan-mawar/?periode=2025" in text
    assert Reminder.objects.filter(channel="whatsapp").count() == 2
    assert AuditEvent.objects.filter(action="reminder.whatsapp").count() == 2


def test_no_unit_chosen_sends_nothing_and_says_so(client: Any, admin_user: Any, late_year: Any, smtp_server: Any) -> None:
    client.force_login(admin_user)
    reply = client.post("/kota/pemantauan/pengingat/", {"periode": "2025", "saluran": "email"}, follow=True)
    assert "Pilih paling sedikit satu unit untuk diingatkan." in reply.content.decode()
    assert smtp_server.messages == [] and not Reminder.objects.exists()


def test_operators_and_leadership_cannot_send_reminders(
    client: Any, operator: Any, leader: Any, late_year: Any, unit: Any
) -> None:
    for user in (operator, leader):
        client.force_login(user)
        reply = client.post("/kota/pemantauan/pengingat/", {"periode": "2025", "unit": [unit.code], "saluran": "email"})
        assert reply.status_code == 403
    assert not Reminder.objects.exists()


def test_the_reminder_csv_is_semicolon_separated_with_bom_and_operator_contact(
    client: Any, admin_user: Any, late_year: Any, unit: Any, operator: Any
) -> None:
    operator.first_name = "=HYPERLINK(\"http://jahat.example\")"
    operator.save()
    client.force_login(admin_user)
    reply = client.get(URL, {"periode": "2025", "tampil": "terlambat", "format": "csv"})
    assert reply["Content-Disposition"] == 'attachment; filename="pengingat-skm-2025.csv"'
    raw = reply.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["kode", "unit"] and rows[0][-3:] == ["operator", "surel", "whatsapp"]
    mawar = next(r for r in rows if r[0] == "kelurahan-mawar")
    assert mawar[-2:] == ["siti@mawar.example", "6281234567890"]
    assert mawar[-3].startswith("'=HYPERLINK")  # formula-safe


def test_the_reminder_workbook_keeps_formulas_as_text(
    client: Any, admin_user: Any, late_year: Any, unit: Any, operator: Any
) -> None:
    operator.first_name = "=1+1"
    operator.save()
    client.force_login(admin_user)
    reply = client.get(URL, {"periode": "2025", "tampil": "terlambat", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(reply.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-3:] == ("operator", "surel", "whatsapp")
    mawar = next(r for r in rows if r[0] == "kelurahan-mawar")
    assert mawar[-1] == "6281234567890"
    cell = next(c for c in sheet[[r[0] for r in rows].index("kelurahan-mawar") + 1] if c.column == 10)
    assert cell.value.startswith("=1+1") and cell.data_type == "s" and cell.quotePrefix


def test_the_city_recap_counts_and_marks_late_units(client: Any, admin_user: Any, late_year: Any, unit: Any) -> None:
    client.force_login(admin_user)
    html = client.get("/kota/", {"periode": "2025"}).content.decode()
    summary = html[html.index('id="late-summary"') :].split("</section>", 1)[0]
    assert 'tampil=data">Terlambat input data</a>' in summary and '<td class="num">2</td>' in summary
    assert html.count('data-late="report"') == 2  # both units, listed among those without a result


def test_the_units_own_dashboard_and_report_page_say_it_is_late(
    client: Any, operator: Any, late_year: Any, unit: Any
) -> None:
    client.force_login(operator)
    for url in (f"/dasbor/unit/{unit.code}/", f"/laporan/unit/{unit.code}/"):
        html = client.get(url, {"periode": "2025"}).content.decode()
        assert 'data-testid="late-note"' in html, url
        assert "Batas input data 15 Januari 2026 sudah lewat dan belum ada respons." in html
        assert "Batas laporan 31 Januari 2026 sudah lewat dan laporan belum diajukan." in html


def test_a_unit_on_time_shows_no_late_note(client: Any, operator: Any, period: Any, unit: Any) -> None:
    client.force_login(operator)
    html = client.get(f"/dasbor/unit/{unit.code}/", {"periode": period.slug}).content.decode()
    assert unit.name in html and 'data-testid="late-note"' not in html


def test_the_dashboard_of_another_period_names_the_late_one(
    client: Any, operator: Any, late_year: Any, period: Any, unit: Any
) -> None:
    client.force_login(operator)
    html = client.get(f"/dasbor/unit/{unit.code}/", {"periode": period.slug}).content.decode()
    note = html[html.index('data-testid="late-elsewhere"') :].split("</div>", 1)[0]
    assert '<a href="?periode=2025">Tahun 2025</a> (input data, laporan)' in note


def test_a_smtp_server_that_cannot_be_reached_is_logged_per_unit(
    client: Any, admin_user: Any, late_year: Any, unit: Any, settings: Any
) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    client.force_login(admin_user)
    reply = client.post(
        "/kota/pemantauan/pengingat/", {"periode": "2025", "unit": [unit.code], "saluran": "email"}, follow=True
    ).content.decode()
    assert "Tidak terkirim ke 1 unit: Kelurahan Mawar (Surel gagal dikirim:" in reply
    reminder = Reminder.objects.get()
    assert not reminder.sent and reminder.error.startswith("Surel gagal dikirim")
