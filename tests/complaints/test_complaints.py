"""Tracked complaints (issue 15): filing with consent-only contact, tracking, handling, scoping, retention."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.complaints import handling
from sumberdaya.complaints.calendar import WorkingCalendar
from sumberdaya.complaints.models import Complaint, ComplaintContact, Policy

TEXT = "Antre lama sekali, petugas main HP. Hubungi saya di 0812-3456-7890"


def file(client: Client, unit: Any, **fields: str) -> Any:
    data = {"kind": "keluhan", "text": TEXT, **fields}
    return client.post(f"/aduan/{unit.code}/", data)


@pytest.mark.django_db
def test_a_complaint_with_consent_keeps_the_contact_apart_and_shows_a_tracking_code(unit: Any) -> None:
    client = Client()
    answer = file(client, unit, phone="0812 3456 7890", email="warga@contoh.id", consent="on")
    complaint = Complaint.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/aduan/terkirim/{complaint.code}/"
    assert complaint.status == "diterima" and complaint.unit == unit and complaint.text == TEXT
    contact = ComplaintContact.objects.get(complaint=complaint)
    assert (contact.phone, contact.email) == ("081234567890", "warga@contoh.id")
    sent = client.get(answer["Location"])
    assert complaint.code in sent.content.decode()
    assert f"/aduan/lacak/{complaint.code}/" in sent.content.decode()


@pytest.mark.django_db
def test_a_contact_without_consent_is_refused_and_never_stored(unit: Any) -> None:
    answer = file(Client(), unit, phone="081234567890")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Centang persetujuan" in page
    assert "081234567890" in page  # what was typed is kept on the page
    assert not Complaint.objects.exists() and not ComplaintContact.objects.exists()


@pytest.mark.django_db
def test_consent_without_a_contact_stores_no_contact_row(unit: Any) -> None:
    assert file(Client(), unit, consent="on").status_code == 302
    assert Complaint.objects.count() == 1
    assert not ComplaintContact.objects.exists()


@pytest.mark.django_db
def test_the_tracking_page_shows_status_and_reply_but_never_the_text_or_contact(unit: Any, operator: Any) -> None:
    file(Client(), unit, phone="081234567890", email="warga@contoh.id", consent="on")
    complaint = Complaint.objects.get()
    handling.reply(complaint, operator, "Loket ketiga dibuka mulai Senin. Terima kasih.")
    page = Client().get(f"/aduan/lacak/{complaint.code.lower()}/").content.decode()
    assert "Diproses" in page
    assert "Loket ketiga dibuka mulai Senin" in page
    for secret in ("Antre lama sekali", "main HP", "0812", "081234567890", "warga@contoh.id"):
        assert secret not in page


@pytest.mark.django_db
def test_an_unknown_tracking_code_answers_404_with_the_lookup_form(unit: Any) -> None:
    answer = Client().get("/aduan/lacak/ZZZZZZZZ/")
    assert answer.status_code == 404
    assert "Kode lacak tidak ditemukan" in answer.content.decode()


@pytest.mark.django_db
def test_filing_is_rate_limited_like_the_survey(unit: Any, settings: Any) -> None:
    settings.SKM_RATE_LIMIT = (2, 600)
    client = Client()
    assert file(client, unit).status_code == 302
    assert file(client, unit).status_code == 302
    refused = file(client, unit)
    assert refused.status_code == 429
    assert TEXT in refused.content.decode()  # nothing typed is lost
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_overlong_text_is_refused_with_a_clear_message(unit: Any) -> None:
    answer = Client().post(f"/aduan/{unit.code}/", {"kind": "saran", "text": "x" * 2001})
    assert answer.status_code == 400
    assert "Paling banyak 2000 karakter" in answer.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_the_complaint_page_of_an_unknown_unit_is_404() -> None:
    assert Client().get("/aduan/tidak-ada/").status_code == 404


def _complaint(unit: Any, **fields: Any) -> Complaint:
    complaint = handling.file_complaint(unit=unit, kind="keluhan", text=TEXT, client="x", **fields)
    return complaint


@pytest.mark.django_db
def test_the_handling_unit_replies_forwards_and_closes_and_each_step_is_logged(
    unit: Any, other_unit: Any, operator: Any, other_operator: Any
) -> None:
    complaint = _complaint(unit)
    client = Client()
    client.force_login(operator)
    assert (
        client.post(f"/unit/{unit.code}/aduan/{complaint.pk}/tanggapi/", {"reply": "Sedang kami cek."}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == "diproses" and complaint.first_response_at is not None
    client.post(
        f"/unit/{unit.code}/aduan/{complaint.pk}/alihkan/",
        {"to_unit": other_unit.code, "note": "Ini wewenang puskesmas"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "dialihkan" and complaint.unit == other_unit
    # The first unit no longer handles it (it sees it read-only, tests/complaints/test_forwarding.py); the second does.
    first = client.get(f"/unit/{unit.code}/aduan/{complaint.pk}/")
    assert first.status_code == 200 and "Kirim tanggapan" not in first.content.decode()
    other = Client()
    other.force_login(other_operator)
    page = other.get(f"/unit/{other_unit.code}/aduan/{complaint.pk}/")
    assert page.status_code == 200 and "Ini wewenang puskesmas" in page.content.decode()
    other.post(
        f"/unit/{other_unit.code}/aduan/{complaint.pk}/tanggapi/", {"reply": "Selesai, terima kasih.", "close": "on"}
    )
    complaint.refresh_from_db()
    assert complaint.status == "selesai" and complaint.closed_at is not None
    actions = list(AuditEvent.objects.filter(object_type="complaints.Complaint").values_list("action", flat=True))
    assert sorted(actions) == ["complaint.close", "complaint.forward", "complaint.reply"]


@pytest.mark.django_db
def test_another_units_operator_can_neither_see_nor_act_on_a_complaint(
    unit: Any, other_unit: Any, other_operator: Any, period: Any
) -> None:
    complaint = _complaint(unit, phone="081234567890", consent=True)
    client = Client()
    client.force_login(other_operator)
    own_inbox = client.get(f"/unit/{other_unit.code}/komentar/")
    assert own_inbox.status_code == 200 and complaint.code not in own_inbox.content.decode()
    assert client.get(f"/unit/{unit.code}/komentar/").status_code == 404
    assert client.get(f"/unit/{unit.code}/aduan/{complaint.pk}/").status_code == 404
    assert client.get(f"/unit/{other_unit.code}/aduan/{complaint.pk}/").status_code == 404
    for action in ("tanggapi", "alihkan", "tampilkan", "label"):
        assert client.post(f"/unit/{other_unit.code}/aduan/{complaint.pk}/{action}/", {"reply": "x"}).status_code == 404
        assert client.post(f"/unit/{unit.code}/aduan/{complaint.pk}/{action}/", {"reply": "x"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == "diterima" and not complaint.steps.exists()


@pytest.mark.django_db
def test_the_contact_is_shown_only_to_the_handling_units_operator_after_a_logged_click(
    unit: Any, operator: Any, admin_user: Any
) -> None:
    complaint = _complaint(unit, phone="081234567890", consent=True)
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get(f"/unit/{unit.code}/aduan/{complaint.pk}/").content.decode()
    assert "Kontak hanya terlihat oleh operator unit" in page and "081234567890" not in page
    assert admin.post(f"/unit/{unit.code}/aduan/{complaint.pk}/tampilkan/", {"what": "contact"}).status_code == 403
    client = Client()
    client.force_login(operator)
    before = client.get(f"/unit/{unit.code}/aduan/{complaint.pk}/").content.decode()
    assert "081234567890" not in before and "Tampilkan kontak" in before
    client.post(f"/unit/{unit.code}/aduan/{complaint.pk}/tampilkan/", {"what": "contact"})
    after = client.get(f"/unit/{unit.code}/aduan/{complaint.pk}/").content.decode()
    assert "081234567890" in after
    assert AuditEvent.objects.filter(action="complaint.contact_view", user=operator).count() == 1


@pytest.mark.django_db
def test_the_contact_is_erased_after_the_retention_time(unit: Any, operator: Any) -> None:
    Policy.objects.create(pk=1, retention_days=30)
    kept = _complaint(unit, phone="081234567890", consent=True)
    old = _complaint(unit, email="warga@contoh.id", consent=True)
    handling.close(old, operator, "Selesai")
    handling.close(kept, operator, "Selesai")
    Complaint.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    Complaint.objects.filter(pk=kept.pk).update(closed_at=timezone.now() - dt.timedelta(days=29))
    out = StringIO()
    call_command("complaints", "--erase-expired", stdout=out)
    assert "1 kontak dihapus" in out.getvalue()
    assert list(ComplaintContact.objects.values_list("complaint_id", flat=True)) == [kept.pk]
    old.refresh_from_db()
    assert old.contact_erased_at is not None and old.text == TEXT  # the text and replies stay


@pytest.mark.django_db
def test_open_complaints_keep_their_contact_however_old(unit: Any) -> None:
    complaint = _complaint(unit, phone="081234567890", consent=True)
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert handling.erase_expired() == 0
    assert ComplaintContact.objects.count() == 1


def test_the_deadline_counts_working_days_and_skips_national_and_city_holidays() -> None:
    calendar = WorkingCalendar()
    # Friday 14 Aug 2026; Monday 17 Aug is Independence Day: 18, 19, 20, 21, 24 August.
    assert calendar.add_working_days(dt.date(2026, 8, 14), 5) == dt.date(2026, 8, 24)
    city = WorkingCalendar(extra=frozenset({dt.date(2026, 8, 18)}))
    # 19, 20, 21, 24 and, past the Prophet's Birthday on 25 August, 26 August.
    assert city.add_working_days(dt.date(2026, 8, 14), 5) == dt.date(2026, 8, 26)
    removed = WorkingCalendar(removed=frozenset({dt.date(2026, 8, 17)}))
    assert removed.add_working_days(dt.date(2026, 8, 14), 5) == dt.date(2026, 8, 21)


@pytest.mark.django_db
def test_the_cli_lists_a_units_complaints_as_json_with_overdue(unit: Any, other_unit: Any, operator: Any) -> None:
    late = _complaint(unit)
    Complaint.objects.filter(pk=late.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    answered = _complaint(unit)
    handling.reply(answered, operator, "Sudah kami tangani.")
    _complaint(other_unit)
    out = StringIO()
    call_command("complaints", "--unit", unit.code, "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["code"] for r in rows] == [late.code, answered.code]
    first, second = rows
    assert {"code", "status", "created_at", "first_response_at", "overdue"} <= set(first)
    assert first["overdue"] is True and first["first_response_at"] is None and first["status"] == "diterima"
    assert second["overdue"] is False and second["first_response_at"] is not None
    assert "text" not in first and TEXT not in out.getvalue()


@pytest.mark.django_db
def test_the_inbox_lists_open_complaints_by_age_with_the_deadline(unit: Any, operator: Any, period: Any) -> None:
    older = _complaint(unit)
    Complaint.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    newer = _complaint(unit)
    client = Client()
    client.force_login(operator)
    page = client.get(f"/unit/{unit.code}/komentar/").content.decode()
    assert page.index(older.code) < page.index(newer.code)
    assert "terlambat" in page and "20 hari" in page
