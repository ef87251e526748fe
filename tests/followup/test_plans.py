"""Follow-up plans (RTL): proposals, items with status over time, evidence files checked and guarded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.followup.models import Evidence, PlanItem

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scored(unit: Any, period: Any, make_responses: Any) -> Any:
    # U8 sarana lowest, then U3 waktu, then U9 pengaduan.
    make_responses(unit, [[4, 4, 2, 4, 4, 4, 4, 1, 3]] * 3, comment="Ruang tunggu panas")
    make_responses(unit, [[4, 4, 3, 4, 4, 4, 4, 4, 3]] * 2, comment="Pelayanan cepat")
    return unit


@pytest.fixture
def item(scored: Any, period: Any, operator: Any) -> PlanItem:
    return PlanItem.objects.create(
        unit=scored,
        period=period,
        element="sarana",
        problem="Panas",
        action="Pasang kipas",
        quarter="TW II",
        responsible="Kasi Umum",
    )


def plan_url(unit: Any, period: Any) -> str:
    return f"{reverse('followup:plan', args=[unit.code])}?periode={period.slug}"


def test_the_plan_page_proposes_the_three_lowest_elements(client: Any, scored: Any, period: Any, operator: Any) -> None:
    client.force_login(operator)
    page = client.get(plan_url(scored, period))
    form = page.context["priority_form"]
    assert form["elements"].value() == ["sarana", "waktu", "pengaduan"]  # pre-ticked, not yet chosen
    labels = [label for _code, label in form.fields["elements"].choices]
    assert labels[0] == "U8 Sarana dan prasarana (55,00)" and len(labels) == 9  # every element, lowest first
    assert page.context["chosen"] == []


def test_the_unit_chooses_one_to_five_priorities_and_rtl_items_address_them(
    client: Any, scored: Any, period: Any, operator: Any
) -> None:
    from sumberdaya.followup.models import Priority

    client.force_login(operator)
    url = reverse("followup:priorities", args=[scored.code, period.slug])
    too_many = client.post(url, {"elements": ["sarana", "waktu", "pengaduan", "biaya", "produk", "persyaratan"]})
    assert too_many.status_code == 400 and "Pilih 1 sampai 5 unsur prioritas perbaikan." in too_many.content.decode()
    assert client.post(url, {}).status_code == 400
    assert not Priority.objects.exists()
    assert client.post(url, {"elements": ["pengaduan", "sarana"]}).status_code == 302
    chosen = Priority.objects.get(unit=scored, period=period)
    assert chosen.elements == ["sarana", "pengaduan"]  # in the order of the scores, lowest first
    assert AuditEvent.objects.filter(action="priority.choose").count() == 1
    page = client.get(plan_url(scored, period)).content.decode()
    assert "U8 Sarana dan prasarana" in page and "U9 Penanganan pengaduan, saran dan masukan" in page
    form = client.get(reverse("followup:add", args=[scored.code, period.slug])).context["form"]
    assert [c for c, _label in form.fields["element"].choices if c] == ["sarana", "pengaduan"]


def test_another_units_operator_cannot_choose_priorities(
    client: Any, scored: Any, other_unit: Any, period: Any
) -> None:
    from sumberdaya.accounts.models import User
    from sumberdaya.followup.models import Priority

    stranger = User.objects.create_user(username="op-cempaka", password="kata-sandi-uji-123", role="operator")
    stranger.units.add(other_unit)
    client.force_login(stranger)
    response = client.post(reverse("followup:priorities", args=[scored.code, period.slug]), {"elements": ["sarana"]})
    assert response.status_code in (403, 404) and not Priority.objects.exists()


def test_the_add_form_shows_the_comments_of_citizens_who_rated_the_element_low(
    client: Any, scored: Any, period: Any, operator: Any
) -> None:
    client.force_login(operator)
    response = client.get(reverse("followup:add", args=[scored.code, period.slug]) + "?unsur=sarana")
    comments = [r.comment for r in response.context["comments"]]
    assert comments[:3] == ["Ruang tunggu panas"] * 3 and "Pelayanan cepat" in comments


def test_an_operator_plans_an_item_and_it_is_logged(client: Any, scored: Any, period: Any, operator: Any) -> None:
    client.force_login(operator)
    url = reverse("followup:add", args=[scored.code, period.slug])
    data = {"element": "sarana", "problem": "Ruang panas", "action": "Pasang AC", "responsible": "Kasi Umum"}
    response = client.post(url, data)
    assert "Isi waktu pelaksanaan" in response.content.decode()  # neither quarter nor date
    response = client.post(url, {**data, "quarter": "TW III", "due_date": "2026-09-30"})
    assert response.status_code == 302
    item = PlanItem.objects.get()
    assert (item.unit, item.period, item.created_by, item.timing) == (
        scored,
        period,
        operator,
        "TW III / 30 September 2026",
    )
    assert AuditEvent.objects.filter(action="rtl.create", object_id=str(item.pk)).exists()


def test_progress_moves_the_status_and_keeps_a_realisation(client: Any, item: PlanItem, operator: Any) -> None:
    client.force_login(operator)
    url = reverse("followup:edit", args=[item.pk])
    client.post(url, {"part": "progress", "progress-status": "selesai", "progress-realisation": "Kipas terpasang"})
    item.refresh_from_db()
    assert (item.status, item.realisation) == ("selesai", "Kipas terpasang")
    event = AuditEvent.objects.get(action="rtl.progress")
    assert event.before["status"] == "belum" and event.after["status"] == "selesai"


def test_a_png_and_a_pdf_are_accepted_and_stored_under_random_names(
    client: Any, item: PlanItem, operator: Any, media: Path
) -> None:
    client.force_login(operator)
    url = reverse("followup:upload", args=[item.pk])
    client.post(url, {"file": SimpleUploadedFile("foto kipas.png", PNG, content_type="image/png")})
    client.post(url, {"file": SimpleUploadedFile("berita-acara.pdf", PDF, content_type="application/pdf")})
    files = list(Evidence.objects.order_by("pk"))
    assert [(e.original_name, e.content_type) for e in files] == [
        ("foto kipas.png", "image/png"),
        ("berita-acara.pdf", "application/pdf"),
    ]
    stored = Path(files[0].file.path)
    assert stored.parent == media / "rtl" and "kipas" not in stored.name and stored.suffix == ".png"
    response = client.get(reverse("followup:evidence", args=[files[0].pk]))
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.png", b"<html><script>alert(1)</script>", "Jenis berkas tidak diterima"),
        ("skrip.pdf", b"MZ\x90\x00 executable", "Jenis berkas tidak diterima"),
        ("besar.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_a_file_that_is_not_a_small_image_or_pdf_is_refused(
    client: Any, item: PlanItem, operator: Any, name: str, content: bytes, message: str
) -> None:
    client.force_login(operator)
    response = client.post(
        reverse("followup:upload", args=[item.pk]), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_served_only_to_people_who_may_see_the_unit(
    client: Any, item: PlanItem, operator: Any, other_operator: Any, leader: Any
) -> None:
    client.force_login(operator)
    client.post(reverse("followup:upload", args=[item.pk]), {"file": SimpleUploadedFile("a.png", PNG)})
    url = reverse("followup:evidence", args=[Evidence.objects.get().pk])
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_leadership_reads_the_plan_but_cannot_change_it(client: Any, item: PlanItem, leader: Any) -> None:
    client.force_login(leader)
    assert client.get(plan_url(item.unit, item.period)).status_code == 200
    assert client.get(reverse("followup:edit", args=[item.pk])).status_code == 200
    assert client.post(reverse("followup:edit", args=[item.pk]), {"part": "progress"}).status_code == 403
    assert client.post(reverse("followup:delete", args=[item.pk])).status_code == 403
    assert client.get(reverse("followup:add", args=[item.unit.code, item.period.slug])).status_code == 403
    upload = client.post(reverse("followup:upload", args=[item.pk]), {"file": SimpleUploadedFile("a.png", PNG)})
    assert upload.status_code == 403


def test_another_units_operator_gets_404_everywhere(client: Any, item: PlanItem, other_operator: Any) -> None:
    client.force_login(other_operator)
    assert client.get(plan_url(item.unit, item.period)).status_code == 404
    assert client.get(reverse("followup:edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("followup:delete", args=[item.pk])).status_code == 404
    assert PlanItem.objects.filter(pk=item.pk).exists()


def test_deleting_an_item_removes_its_files_and_is_logged(client: Any, item: PlanItem, operator: Any) -> None:
    client.force_login(operator)
    client.post(reverse("followup:upload", args=[item.pk]), {"file": SimpleUploadedFile("a.png", PNG)})
    path = Path(Evidence.objects.get().file.path)
    client.post(reverse("followup:delete", args=[item.pk]))
    assert not PlanItem.objects.exists() and not path.exists()
    assert AuditEvent.objects.filter(action="rtl.delete").exists()


def test_citizen_text_on_the_plan_page_is_escaped(client: Any, item: PlanItem, operator: Any) -> None:
    item.problem = "<script>alert(1)</script>"
    item.save()
    client.force_login(operator)
    page = client.get(plan_url(item.unit, item.period)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
