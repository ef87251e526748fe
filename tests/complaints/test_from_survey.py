"""A tracked complaint filed on the survey's comment step (issue 15, item 1): consent-only contact, nothing
typed lost, response + complaint + contact in one transaction, one complaint per response, the survey's
ordinary submission untouched."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sumberdaya.complaints.models import Complaint, ComplaintContact
from sumberdaya.surveys import lookups
from sumberdaya.surveys.models import Response
from tests.surveys.test_survey import answers_data, form_token, survey_url

COMMENT = "Antri lama bgt, loket 2 tutup dari jam 10."


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()
    lookups.forget()


def send(client: Client, unit: Any, **extra: Any) -> Any:
    token = form_token(client, survey_url(unit))
    extra.setdefault("service", str(unit.services.first().pk))
    return client.post(survey_url(unit), answers_data(token, **extra))


TRACKED = {"comment": COMMENT, "comment_kind": "keluhan", "track": "on"}


@pytest.mark.django_db
def test_the_comment_step_offers_tracking_and_a_consented_contact_without_javascript(unit: Any, period: Any) -> None:
    page = Client().get(survey_url(unit)).content.decode()
    for name in ("track", "phone", "email", "consent"):
        assert f'name="{name}"' in page
    assert "Jadikan aduan yang bisa dilacak" in page and "Saya setuju nomor HP atau e-mail ini disimpan" in page
    assert "<script" not in page.split('id="f-track"')[1].split("</fieldset>")[0]


@pytest.mark.django_db
def test_a_tracked_comment_with_consent_becomes_a_complaint_shown_on_the_thank_you_page(
    unit: Any, period: Any
) -> None:
    client = Client()
    answer = send(client, unit, phone="0812 3456 7890", email="warga@contoh.id", consent="on", **TRACKED)
    assert answer.status_code == 302
    response = Response.objects.get()
    complaint = Complaint.objects.get()
    assert complaint.response == response and complaint.unit == unit and complaint.filed_at_unit == unit
    assert (complaint.kind, complaint.text, complaint.status) == ("keluhan", COMMENT, "diterima")
    assert complaint.service_id == response.service_id and complaint.client == response.client
    contact = ComplaintContact.objects.get(complaint=complaint)
    assert (contact.phone, contact.email) == ("081234567890", "warga@contoh.id")
    assert f"aduan={complaint.code}" in answer["Location"] and f"kunjungan={response.visit}" in answer["Location"]
    thanks = client.get(answer["Location"])
    page = thanks.content.decode()
    assert thanks.status_code == 200 and "Terima kasih!" in page
    assert f'data-testid="tracking-code">{complaint.code}<' in page
    assert f'href="/aduan/lacak/{complaint.code}/"' in page
    assert 'data-testid="complaint-link"' not in page  # no offer to file it a second time
    assert COMMENT not in page and "0812" not in page


@pytest.mark.django_db
def test_a_contact_without_consent_is_refused_and_the_whole_survey_stays_filled(unit: Any, period: Any) -> None:
    answer = send(
        Client(), unit, phone="0812 3456 7890", email="warga@contoh.id", age="41", sex="P", **TRACKED
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Centang persetujuan agar kami boleh menyimpan kontak Anda" in page
    assert 'href="#f-consent"' in page  # named in the summary at the top, linked to the box
    assert not Response.objects.exists() and not Complaint.objects.exists() and not ComplaintContact.objects.exists()
    # Nothing typed is lost: the answers, the profile, the comment, the choice to track and the contact.
    assert len(re.findall(r'type="radio" name="a\d" value="\d" checked', page)) == 9
    assert 'name="age" inputmode="numeric" min="10" max="120" value="41"' in page
    assert 'name="sex" value="P" checked' in page
    assert COMMENT in page and 'name="comment_kind" value="keluhan" checked' in page
    assert 'name="track" value="on" checked' in page
    assert 'value="0812 3456 7890"' in page and 'value="warga@contoh.id"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"track": "on", "comment_kind": "keluhan"}, "Tulis dulu keluhan, pujian, atau saran Anda."),
        ({"track": "on", "comment_kind": "saran", "comment": "ok"}, "Tulis paling sedikit 5 karakter."),
        ({"track": "on", "comment": COMMENT}, "Pilih jenisnya: keluhan, pujian, atau saran."),
        (
            {"comment": COMMENT, "comment_kind": "keluhan", "phone": "081234567890", "consent": "on"},
            "Kontak hanya dipakai untuk menjawab aduan yang dilacak",
        ),
        ({**TRACKED, "phone": "12345", "consent": "on"}, "Nomor HP tidak dikenali"),
        ({**TRACKED, "email": "bukan-email", "consent": "on"}, "Alamat e-mail tidak dikenali"),
    ],
)
def test_an_incomplete_tracked_comment_is_named_and_nothing_is_stored(
    unit: Any, period: Any, extra: dict[str, str], message: str
) -> None:
    answer = send(Client(), unit, **extra)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert len(re.findall(r'name="a\d" value="\d" checked', answer.content.decode())) == 9
    assert not Response.objects.exists() and not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_comment_not_marked_for_tracking_stays_a_plain_comment(unit: Any, period: Any) -> None:
    answer = send(Client(), unit, comment=COMMENT, comment_kind="keluhan", consent="on")
    assert answer.status_code == 302 and "aduan=" not in answer["Location"]
    assert Response.objects.get().comment == COMMENT
    assert not Complaint.objects.exists()


@pytest.mark.django_db(transaction=True)  # autocommit, as in production
def test_response_complaint_and_contact_commit_together_or_not_at_all(
    unit: Any, period: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ComplaintContact.objects, "create", broken)
    client = Client(raise_request_exception=False)
    answer = send(client, unit, phone="081234567890", consent="on", **TRACKED)
    assert answer.status_code == 500
    assert not Response.objects.exists() and not Complaint.objects.exists()
    monkeypatch.undo()
    answer = send(client, unit, phone="081234567890", consent="on", **TRACKED)
    assert answer.status_code == 302
    assert Response.objects.count() == Complaint.objects.count() == ComplaintContact.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_tracked_submission_is_one_transaction_of_three_inserts(unit: Any, period: Any) -> None:
    send(Client(), unit)  # fills the caches (unit, period, page)
    client = Client()
    token = form_token(client, survey_url(unit))
    data = answers_data(
        token, service=str(unit.services.first().pk), phone="081234567890", consent="on", **TRACKED
    )
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(survey_url(unit), data)
    assert answer.status_code == 302
    inserts = [q["sql"].split('"')[1] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert inserts == ["surveys_response", "complaints_complaint", "complaints_complaintcontact"]
    if connection.vendor == "postgresql":  # Django logs BEGIN/COMMIT only as savepoints on SQLite
        assert not any(q["sql"].startswith("SELECT") for q in queries.captured_queries)


@pytest.mark.django_db
def test_the_thank_you_page_path_files_no_second_complaint_for_the_same_response(unit: Any, period: Any) -> None:
    client = Client()
    answer = send(client, unit, **TRACKED)
    complaint = Complaint.objects.get()
    visit = Response.objects.get().visit
    # The complaint page opened with this visit says it is filed already, and does not carry the comment over.
    form = client.get(f"/aduan/{unit.code}/?kunjungan={visit}")
    page = form.content.decode()
    assert form.status_code == 200 and complaint.code in page and f"/aduan/lacak/{complaint.code}/" in page
    assert COMMENT not in page and f'value="{visit}"' not in page
    # A form still carrying the visit (opened before, sent again) leads to the complaint already filed.
    resent = client.post(f"/aduan/{unit.code}/", {"kind": "keluhan", "text": COMMENT, "visit": str(visit)})
    assert resent["Location"] == f"/aduan/terkirim/{complaint.code}/"
    assert Complaint.objects.count() == 1
    # The same survey form sent twice shows the thank-you page with the same code.
    again = client.post(survey_url(unit), answers_data(_token_of(answer), service=str(unit.services.first().pk), **TRACKED))
    assert again.status_code == 200 and complaint.code in again.content.decode()
    assert Response.objects.count() == 1 and Complaint.objects.count() == 1


def _token_of(answer: Any) -> str:
    token: str = answer.wsgi_request.POST["token"]
    return token


@pytest.mark.django_db
def test_one_complaint_per_response_is_kept_by_the_database(unit: Any, period: Any, make_responses: Any) -> None:
    from sumberdaya.complaints import handling

    (response,) = make_responses(unit, [[4] * 9], comment=COMMENT, comment_kind="keluhan", visit=uuid.uuid4())
    first = handling.file_complaint(unit=unit, kind="keluhan", text=COMMENT, client="x", response=response)
    second = handling.file_complaint(unit=unit, kind="keluhan", text=COMMENT, client="x", response=response)
    assert second.pk == first.pk and Complaint.objects.count() == 1


@pytest.mark.django_db
def test_a_kiosk_tablet_offers_no_tracking_and_files_no_complaint(unit: Any, period: Any, tablet: Any) -> None:
    from sumberdaya.citizen.views import kiosk_url

    client = Client()
    client.get(kiosk_url(tablet))
    page = client.get(survey_url(unit) + "?kiosk=1").content.decode()
    assert 'name="kiosk" value="1"' in page and 'name="track"' not in page
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token
    data = answers_data(token.group(1), service=str(unit.services.first().pk), kiosk="1", **TRACKED)
    answer = client.post(survey_url(unit), data)
    assert answer.status_code == 302 and "aduan=" not in answer["Location"]
    assert Response.objects.get().channel == "kiosk" and not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_honeypot_hit_files_no_complaint(unit: Any, period: Any) -> None:
    answer = send(Client(), unit, website="http://spam.example", phone="081234567890", consent="on", **TRACKED)
    assert answer.status_code == 302
    assert Response.objects.get().status == "excluded" and not Complaint.objects.exists()


@pytest.mark.django_db
def test_the_code_on_the_thank_you_page_needs_the_visit_it_was_filed_with(unit: Any, period: Any) -> None:
    client = Client()
    send(client, unit, **TRACKED)
    complaint = Complaint.objects.get()
    other_visit = uuid.uuid4()
    page = client.get(f"/s/{unit.code}/terima-kasih/?kunjungan={other_visit}&aduan={complaint.code}")
    assert page.status_code == 200 and "Terima kasih!" in page.content.decode()
    assert complaint.code not in page.content.decode()
