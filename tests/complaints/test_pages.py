"""Where complaints and tags show up: city monitoring and recap per unit, the unit dashboard, the RTL form,
the public unit page ("Anda berkata, kami bertindak"), the thank-you page and the home page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.city.publication import publish
from sumberdaya.complaints import handling
from sumberdaya.complaints.models import Complaint, Policy
from sumberdaya.followup.models import Evidence, PlanItem

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRET = "Petugas loket minta uang rokok, saya 0812-3456-7890"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _file(unit: Any, days_ago: int = 0) -> Complaint:
    complaint = handling.file_complaint(unit=unit, kind="keluhan", text=SECRET, client="x")
    if days_ago:
        Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
        complaint.refresh_from_db()
    return complaint


def test_an_overdue_complaint_appears_in_city_monitoring_without_its_text(
    unit: Any, other_unit: Any, admin_user: Any, period: Any
) -> None:
    late = _file(unit, days_ago=20)
    fresh = _file(other_unit)
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("city:monitoring")).content.decode()
    assert "Aduan warga yang terlambat ditanggapi (1)" in page
    assert f'data-testid="overdue-{late.code}"' in page and "Kelurahan Mawar" in page
    assert fresh.code not in page
    assert "uang rokok" not in page


def test_the_city_sees_open_overdue_and_median_first_response_per_unit(
    unit: Any, other_unit: Any, admin_user: Any, operator: Any
) -> None:
    _file(unit, days_ago=20)
    for days in (3, 1):
        answered = _file(unit)
        Complaint.objects.filter(pk=answered.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days), first_response_at=timezone.now()
        )
    summaries = {s.unit.code: s for s in handling.unit_summaries([unit, other_unit])}
    mawar = summaries[unit.code]
    assert (mawar.open, mawar.overdue, mawar.answered) == (3, 1, 2)
    assert mawar.median_response_days is not None and mawar.median_response_days > 0
    assert summaries[other_unit.code].open == 0 and summaries[other_unit.code].median_response_days is None
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("city:complaints")).content.decode()
    assert "3 aduan terbuka, 1 terlambat ditanggapi." in page
    assert f'data-testid="unit-{unit.code}"' in page and f'data-testid="unit-{other_unit.code}"' not in page


def test_the_city_admin_sets_the_deadline_and_holidays_and_bad_dates_are_refused(admin_user: Any, leader: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    bad = client.post(
        reverse("city:complaints"),
        {"response_days": "3", "retention_days": "60", "extra_holidays": "24-12-2026", "removed_holidays": ""},
    )
    assert bad.status_code == 400 and "tidak dikenali" in bad.content.decode()
    assert Policy.current().response_days == 5
    client.post(
        reverse("city:complaints"),
        {"response_days": "3", "retention_days": "60", "extra_holidays": "2026-12-24\n2026-12-24", "removed_holidays": ""},
    )
    policy = Policy.current()
    assert (policy.response_days, policy.retention_days, policy.extra_holidays) == (3, 60, ["2026-12-24"])
    reader = Client()
    reader.force_login(leader)
    assert reader.get(reverse("city:complaints")).status_code == 200
    assert reader.post(reverse("city:complaints"), {"response_days": "9", "retention_days": "1"}).status_code == 403
    assert Policy.current().response_days == 3


def test_an_operator_cannot_open_the_city_complaints_page(operator: Any) -> None:
    client = Client()
    client.force_login(operator)
    assert client.get(reverse("city:complaints")).status_code == 403


def test_the_unit_dashboard_counts_comments_per_element_beside_the_scores(
    unit: Any, operator: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4] * 9] * 3, comment="antri lama bgt")
    make_responses(unit, [[4] * 9], comment="petugas ga ramah")
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("dashboards:unit", args=[unit.code]) + f"?periode={period.slug}").content.decode()
    assert 'data-testid="comments-waktu"' in page
    waktu = page.split('data-testid="comments-waktu">', 1)[1].split("</td>", 1)[0]
    perilaku = page.split('data-testid="comments-perilaku">', 1)[1].split("</td>", 1)[0]
    biaya = page.split('data-testid="comments-biaya">', 1)[1].split("</td>", 1)[0]
    assert ">3</a>" in waktu and ">1</a>" in perilaku and biaya.strip() == "0"
    assert "unsur=waktu" in waktu
    inbox = client.get(reverse("workspace:comments", args=[unit.code]) + f"?periode={period.slug}&unsur=waktu")
    assert inbox.content.decode().count("antri lama bgt") == 3 and "ga ramah" not in inbox.content.decode()


def test_the_rtl_form_proposes_the_comments_tagged_with_the_element_first(
    unit: Any, operator: Any, period: Any, make_responses: Any
) -> None:
    when = timezone.now() - dt.timedelta(hours=1)
    make_responses(unit, [[4] * 9], when=when, comment="Toilet kotor, hubungi 081234567890")
    make_responses(unit, [[4] * 9], comment="Pelayanan ramah sekali")
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("followup:add", args=[unit.code, period.slug]) + "?unsur=sarana").content.decode()
    assert page.index("Toilet kotor") < page.index("Pelayanan ramah sekali")
    assert 'data-testid="tagged"' in page and page.count('data-testid="tagged"') == 1
    assert "081234567890" not in page


def test_the_public_unit_page_lists_published_actions_and_public_photos_only(
    unit: Any, operator: Any, admin_user: Any, period: Any, make_responses: Any
) -> None:
    make_responses(unit, [[4] * 9] * 3)
    publish(period, admin_user)
    shown = PlanItem.objects.create(
        unit=unit, period=period, element="sarana", problem="Panas", action="Pasang dua kipas angin",
        quarter="TW II", responsible="Kasi Umum", status="selesai", realisation="Kipas terpasang 2 Mei",
        published=True,
    )
    PlanItem.objects.create(
        unit=unit, period=period, element="waktu", problem="Lama", action="Rencana rahasia internal",
        quarter="TW II", responsible="Kasi Umum",
    )
    client = Client()
    client.force_login(operator)
    client.post(reverse("followup:upload", args=[shown.pk]), {"file": SimpleUploadedFile("a.png", PNG)})
    client.post(reverse("followup:upload", args=[shown.pk]), {"file": SimpleUploadedFile("b.png", PNG)})
    public_photo, private_photo = Evidence.objects.order_by("pk")
    client.post(reverse("followup:evidence_public", args=[public_photo.pk]), {"public": "1"})
    complaint = _file(unit)
    handling.reply(complaint, operator, "Terima kasih, petugas sudah kami tegur.", publish=True)
    page = Client().get(f"/hasil/{period.slug}/{unit.code}/").content.decode()
    assert "Anda berkata, kami bertindak" in page
    assert "Pasang dua kipas angin" in page and "Kipas terpasang 2 Mei" in page
    assert "Rencana rahasia internal" not in page
    assert reverse("public:action_photo", args=[public_photo.pk]) in page
    assert reverse("public:action_photo", args=[private_photo.pk]) not in page
    assert "Terima kasih, petugas sudah kami tegur." in page
    assert "uang rokok" not in page and "0812" not in page
    assert Client().get(reverse("public:action_photo", args=[public_photo.pk])).status_code == 200
    assert Client().get(reverse("public:action_photo", args=[private_photo.pk])).status_code == 404


def test_the_thank_you_page_turns_the_survey_comment_into_a_tracked_complaint(
    unit: Any, period: Any, make_responses: Any
) -> None:
    import uuid

    visit = uuid.uuid4()
    (response,) = make_responses(unit, [[4] * 9], comment="Antre lama sekali", comment_kind="keluhan", visit=visit)
    client = Client()
    thanks = client.get(reverse("surveys:thanks", args=[unit.code]) + f"?kunjungan={visit}").content.decode()
    assert f"/aduan/{unit.code}/?kunjungan={visit}" in thanks
    form = client.get(f"/aduan/{unit.code}/?kunjungan={visit}").content.decode()
    assert "Antre lama sekali" in form
    client.post(f"/aduan/{unit.code}/", {"kind": "keluhan", "text": "Antre lama sekali", "visit": str(visit)})
    complaint = Complaint.objects.get()
    assert complaint.response == response
    # Counted once per element on the dashboard: the survey comment, not the complaint made of it.
    begin, end = period.bounds()
    assert handling.unit_comment_counts(unit, begin, end)["waktu"] == 1


def test_the_home_page_and_the_poster_lead_to_the_complaint_pages(unit: Any, admin_user: Any) -> None:
    home = Client().get("/").content.decode()
    assert reverse("surveys:complaint_choose") in home and reverse("surveys:complaint_lookup") in home
    chooser = Client().get(reverse("surveys:complaint_choose"))
    assert "Kelurahan Mawar" in chooser.content.decode()
    assert Client().get(reverse("surveys:complaint_choose") + f"?unit={unit.code}")["Location"] == f"/aduan/{unit.code}/"
    from sumberdaya.surveys.posters import complaint_url

    assert complaint_url(unit).endswith(f"/aduan/{unit.code}/")
