"""A forwarded complaint (issue 15): the receiving unit acts on it; the forwarding unit keeps seeing it
read-only (status, where it went, the replies) but can no longer act; a third unit sees nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sumberdaya.accounts.models import User
from sumberdaya.complaints import handling
from sumberdaya.complaints.models import Complaint, ComplaintStep, TagCorrection
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db

TEXT = "Berkas KTP saya tertahan, hubungi 0812-3456-7890"


@pytest.fixture
def forwarded(unit: Any, other_unit: Any, operator: Any, other_operator: Any) -> Complaint:
    """Filed at `unit` with a contact, forwarded to `other_unit`, which replied (published)."""
    complaint = handling.file_complaint(
        unit=unit, kind="keluhan", text=TEXT, client="x", phone="081234567890", consent=True
    )
    handling.forward(complaint, operator, other_unit, "Ini wewenang puskesmas", acting_unit=unit)
    handling.reply(complaint, other_operator, "Berkas Anda sudah kami temukan.", publish=True, acting_unit=other_unit)
    complaint.refresh_from_db()
    return complaint


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_forwarding_unit_still_sees_status_destination_and_replies_read_only(
    forwarded: Complaint, unit: Any, operator: Any, period: Any
) -> None:
    client = _client(operator)
    inbox = client.get(f"/unit/{unit.code}/komentar/")
    assert inbox.status_code == 200
    page = inbox.content.decode()
    section = page[page.index('data-testid="forwarded-complaints"') :]
    assert f'data-testid="forwarded-row-{forwarded.code}"' in section
    assert "Diproses" in section and "Puskesmas Cempaka" in section
    # Not among the complaints it handles.
    handled = page[page.index('data-testid="open-complaints"') : page.index('data-testid="forwarded-complaints"')]
    assert forwarded.code not in handled

    detail = client.get(f"/unit/{unit.code}/aduan/{forwarded.pk}/")
    assert detail.status_code == 200
    shown = detail.content.decode()
    assert 'data-testid="forwarded-notice"' in shown and "Puskesmas Cempaka" in shown
    assert "Diproses" in shown and "Berkas Anda sudah kami temukan." in shown and "Ini wewenang puskesmas" in shown
    # Read-only: no reply, forward, reveal or tag form; the text stays masked and the contact hidden.
    for action in ("tanggapi", "alihkan", "tampilkan", "label"):
        assert f"/aduan/{forwarded.pk}/{action}/" not in shown
    assert "0812-3456-7890" not in shown and "081234567890" not in shown
    assert "Berkas KTP saya tertahan" in shown


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("tanggapi", {"reply": "Kami tanggapi juga."}),
        ("tanggapi", {"reply": "", "close": "on"}),
        ("alihkan", {"to_unit": "kelurahan-mawar", "note": "Kembali"}),
        ("tampilkan", {"what": "contact"}),
        ("tampilkan", {"what": "text"}),
        ("label", {"elements": ["waktu"], "kind": "saran"}),
    ],
)
def test_the_forwarding_unit_can_no_longer_reply_close_forward_reveal_or_tag(
    forwarded: Complaint, unit: Any, operator: Any, action: str, data: dict[str, Any]
) -> None:
    steps = list(forwarded.steps.values_list("pk", flat=True))
    client = _client(operator)
    answer = client.post(f"/unit/{unit.code}/aduan/{forwarded.pk}/{action}/", data, follow=True)
    assert answer.status_code == 200
    assert "sudah dialihkan ke Puskesmas Cempaka: hanya unit itu yang dapat menanganinya" in answer.content.decode()
    forwarded.refresh_from_db()
    assert forwarded.status == "diproses" and forwarded.unit.code == "puskesmas-cempaka"
    assert list(forwarded.steps.values_list("pk", flat=True)) == steps
    assert not TagCorrection.objects.exists()
    assert "081234567890" not in answer.content.decode()


def test_a_reply_from_a_page_opened_before_the_forward_is_refused_under_the_lock(
    unit: Any, other_unit: Any, operator: Any
) -> None:
    complaint = handling.file_complaint(unit=unit, kind="keluhan", text=TEXT, client="x")
    stale = Complaint.objects.get(pk=complaint.pk)  # read before the forward, as an open page was
    handling.forward(complaint, operator, other_unit, "Bukan wewenang kami", acting_unit=unit)
    with pytest.raises(handling.NotActionable):
        handling.reply(stale, operator, "Terlambat", acting_unit=unit)
    with pytest.raises(handling.NotActionable):
        handling.close(stale, operator, acting_unit=unit)
    assert list(ComplaintStep.objects.values_list("kind", flat=True)) == ["alihkan"]


def test_the_receiving_unit_acts_and_the_forwarding_unit_sees_it_done(
    forwarded: Complaint, unit: Any, other_unit: Any, operator: Any, other_operator: Any
) -> None:
    other = _client(other_operator)
    page = other.get(f"/unit/{other_unit.code}/aduan/{forwarded.pk}/").content.decode()
    assert "Kirim tanggapan" in page and 'data-testid="forwarded-notice"' not in page
    answer = other.post(f"/unit/{other_unit.code}/aduan/{forwarded.pk}/tanggapi/", {"reply": "Selesai.", "close": "on"})
    assert answer.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == "selesai"
    seen = _client(operator).get(f"/unit/{unit.code}/aduan/{forwarded.pk}/").content.decode()
    assert "Selesai" in seen and "Selesai." in seen


def test_a_third_unit_sees_nothing_of_a_forwarded_complaint(forwarded: Complaint, period: Any) -> None:
    third = Unit.objects.create(code="kecamatan-melati", name="Kecamatan Melati", kind="kecamatan", order=90)
    user = User.objects.create_user(username="operator-melati", password="kata-sandi-uji-123", role="operator")
    user.units.set([third])
    client = _client(user)
    inbox = client.get(f"/unit/{third.code}/komentar/")
    assert inbox.status_code == 200 and "Komentar warga" in inbox.content.decode()
    assert forwarded.code not in inbox.content.decode()
    assert client.get(f"/unit/{third.code}/aduan/{forwarded.pk}/").status_code == 404
    for code in ("kelurahan-mawar", "puskesmas-cempaka"):
        assert client.get(f"/unit/{code}/aduan/{forwarded.pk}/").status_code == 404
    for action in ("tanggapi", "alihkan", "tampilkan", "label"):
        assert client.post(f"/unit/{third.code}/aduan/{forwarded.pk}/{action}/", {"reply": "x"}).status_code == 404
    forwarded.refresh_from_db()
    assert forwarded.status == "diproses" and forwarded.steps.count() == 2
