"""Submitting a unit report: frozen numbers, the city's accept/return, late marking, permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent
from sumberdaya.reports.models import UnitReport
from sumberdaya.reports.unit import live_differs, report_data
from sumberdaya.results.service import unit_result
from sumberdaya.skm.numbers import format_number

pytestmark = pytest.mark.django_db
# The demo period is the current year, which has not ended: submitting and accepting need the confirmation.
EARLY = {"early": "1"}


def unit_url(unit: Any, period: Any) -> str:
    return f"{reverse('reports:unit', args=[unit.code])}?periode={period.slug}"


def action_url(name: str, unit: Any, period: Any) -> str:
    return reverse(f"reports:{name}", args=[unit.code, period.slug])


def test_submitting_freezes_the_numbers_and_later_data_shows_as_a_difference(
    client: Any, demo: Any, period: Any, operator: Any, admin_user: Any, make_responses: Any
) -> None:
    frozen_ikm = unit_result(demo, period).ikm
    client.force_login(operator)
    client.post(action_url("submit", demo, period), EARLY)
    report = UnitReport.objects.get(unit=demo, period=period)
    assert report.status == "submitted" and report.snapshot["tally"]["respondents"] == 60
    assert not live_differs(report)

    make_responses(demo, [[1] * 9] * 5, when=timezone.now().replace(month=5, day=1))  # late paper entries
    assert unit_result(demo, period).ikm != frozen_ikm
    data = report_data(demo, period)
    assert data.frozen and data.ikm == frozen_ikm and data.tally.respondents == 60
    assert live_differs(report)

    client.force_login(admin_user)
    page = client.get(unit_url(demo, period)).content.decode()
    assert "Nilai terkini berbeda" in page
    listing = client.get(reverse("reports:index") + f"?periode={period.slug}").content.decode()
    assert "nilai terkini berbeda" in listing
    assert format_number(frozen_ikm) in page and format_number(unit_result(demo, period).ikm) in page


def test_the_city_returns_with_a_note_then_accepts_the_resubmission(
    client: Any, demo: Any, period: Any, operator: Any, admin_user: Any
) -> None:
    client.force_login(operator)
    client.post(action_url("submit", demo, period), EARLY)
    client.force_login(admin_user)
    response = client.post(action_url("review", demo, period), {"decision": "return", "note": ""}, follow=True)
    assert "Tuliskan catatan" in response.content.decode()
    assert UnitReport.objects.get(unit=demo).status == "submitted"
    client.post(action_url("review", demo, period), {"decision": "return", "note": "Lengkapi <b>RTL</b> unsur U8"})
    report = UnitReport.objects.get(unit=demo)
    assert report.status == "returned"

    client.force_login(operator)
    page = client.get(unit_url(demo, period)).content.decode()
    assert "Lengkapi &lt;b&gt;RTL&lt;/b&gt; unsur U8" in page
    assert "Ajukan ulang laporan" in page
    client.post(action_url("submit", demo, period), EARLY)
    client.force_login(admin_user)
    client.post(action_url("review", demo, period), {"decision": "accept", "note": "", **EARLY})
    report.refresh_from_db()
    assert (report.status, report.submissions) == ("accepted", 2)
    actions = list(AuditEvent.objects.filter(object_type="reports.UnitReport").values_list("action", flat=True))
    assert sorted(actions) == sorted(["report.submit", "report.return", "report.submit", "report.accept"])


def test_a_submission_after_the_deadline_is_marked_late_in_the_city_list(
    client: Any, demo: Any, period: Any, operator: Any, admin_user: Any
) -> None:
    period.report_deadline = timezone.localdate() - dt.timedelta(days=1)
    period.save()
    client.force_login(operator)
    client.post(action_url("submit", demo, period), EARLY)
    assert UnitReport.objects.get(unit=demo).late
    client.force_login(admin_user)
    page = client.get(reverse("reports:index") + f"?periode={period.slug}").content.decode()
    assert "Terlambat" in page and demo.name in page


def test_a_submitted_report_cannot_be_submitted_again_or_its_narrative_changed(
    client: Any, demo: Any, period: Any, operator: Any
) -> None:
    client.force_login(operator)
    client.post(action_url("submit", demo, period), EARLY)
    response = client.post(action_url("submit", demo, period), EARLY, follow=True)
    assert "sudah diajukan" in response.content.decode()
    assert UnitReport.objects.get(unit=demo).submissions == 1
    response = client.post(action_url("narrative", demo, period), {"background": "baru"}, follow=True)
    assert "tidak dapat diubah" in response.content.decode()


def test_the_operator_edits_the_narrative_and_it_appears_escaped_in_the_report(
    client: Any, demo: Any, period: Any, operator: Any
) -> None:
    client.force_login(operator)
    form = client.get(action_url("narrative", demo, period))
    assert "Undang-Undang Nomor 25 Tahun 2009" in form.content.decode()
    fields = {name: form.context["form"].initial[name] for name in form.context["form"].fields}
    fields["team"] = "Ketua: Budi <img src=x onerror=alert(1)>"
    client.post(action_url("narrative", demo, period), fields)
    report = UnitReport.objects.get(unit=demo)
    assert report.team.startswith("Ketua: Budi") and report.background == ""  # unchanged default stays blank
    assert report_data(demo, period).narrative["team"] == fields["team"]
    assert AuditEvent.objects.filter(action="report.narrative").exists()


@pytest.mark.parametrize("name", ["unit", "narrative", "submit", "download"])
def test_an_operator_of_another_unit_gets_404(
    client: Any, demo: Any, period: Any, other_operator: Any, name: str
) -> None:
    client.force_login(other_operator)
    if name == "unit":
        response = client.get(unit_url(demo, period))
    elif name == "download":
        response = client.get(reverse("reports:download", args=[demo.code, period.slug, "pdf"]))
    else:
        response = client.post(action_url(name, demo, period))
    assert response.status_code == 404


def test_leadership_reads_but_cannot_submit_or_review(client: Any, demo: Any, period: Any, leader: Any) -> None:
    client.force_login(leader)
    assert client.get(unit_url(demo, period)).status_code == 200
    assert client.get(reverse("reports:download", args=[demo.code, period.slug, "xlsx"])).status_code == 200
    assert client.post(action_url("submit", demo, period)).status_code == 403
    assert client.post(action_url("review", demo, period), {"decision": "accept"}).status_code == 403
    assert not UnitReport.objects.filter(unit=demo, status="submitted").exists()


def test_an_operator_cannot_accept_their_own_report(client: Any, demo: Any, period: Any, operator: Any) -> None:
    client.force_login(operator)
    client.post(action_url("submit", demo, period), EARLY)
    assert client.post(action_url("review", demo, period), {"decision": "accept"}).status_code == 403
    assert UnitReport.objects.get(unit=demo).status == "submitted"


def test_downloads_come_with_a_file_name_and_type(client: Any, demo: Any, period: Any, operator: Any) -> None:
    client.force_login(operator)
    response = client.get(reverse("reports:download", args=[demo.code, period.slug, "docx"]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert f"laporan-skm-{demo.code}-{period.slug}.docx" in response["Content-Disposition"]
    assert client.get(reverse("reports:download", args=[demo.code, period.slug, "exe"])).status_code == 404


def test_the_report_list_shows_each_units_status_to_the_city(
    client: Any, unit: Any, other_unit: Any, period: Any, admin_user: Any, operator: Any
) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("reports:index")).content.decode()
    assert unit.name in page and other_unit.name in page and "Belum diajukan" in page
    client.force_login(operator)
    page = client.get(reverse("reports:index")).content.decode()
    assert unit.name in page and other_unit.name not in page


def test_anonymous_visitors_are_sent_to_sign_in(client: Any, unit: Any, period: Any) -> None:
    response = client.get(unit_url(unit, period))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_submitting_before_the_period_ends_needs_the_confirmation(
    client: Any, demo: Any, period: Any, operator: Any
) -> None:
    client.force_login(operator)
    page = client.get(unit_url(demo, period)).content.decode()
    assert 'data-testid="early-warning"' in page and "Saya tetap mengajukan laporan" in page
    refused = client.post(action_url("submit", demo, period), follow=True).content.decode()
    assert "belum berakhir" in refused and "Centang konfirmasi" in refused
    assert UnitReport.objects.get(unit=demo).status == "draft"
    client.post(action_url("submit", demo, period), EARLY)
    assert UnitReport.objects.get(unit=demo).status == "submitted"


def test_accepting_before_the_period_ends_needs_the_confirmation_but_returning_does_not(
    client: Any, demo: Any, period: Any, operator: Any, admin_user: Any
) -> None:
    client.force_login(operator)
    client.post(action_url("submit", demo, period), EARLY)
    client.force_login(admin_user)
    refused = client.post(action_url("review", demo, period), {"decision": "accept", "note": ""}, follow=True)
    assert "Centang konfirmasi" in refused.content.decode()
    assert UnitReport.objects.get(unit=demo).status == "submitted"
    client.post(action_url("review", demo, period), {"decision": "return", "note": "Lengkapi RTL"})
    assert UnitReport.objects.get(unit=demo).status == "returned"


def test_the_refuse_setting_allows_no_early_report_even_confirmed(
    client: Any, demo: Any, period: Any, operator: Any, settings: Any
) -> None:
    settings.SKM_EARLY_REPORTS = "refuse"
    client.force_login(operator)
    page = client.get(unit_url(demo, period)).content.decode()
    assert "laporan baru dapat diajukan dan diterima sesudah periode berakhir" in page
    refused = client.post(action_url("submit", demo, period), EARLY, follow=True).content.decode()
    assert "baru dapat diajukan dan diterima sesudahnya" in refused
    assert UnitReport.objects.get(unit=demo).status == "draft"


def test_a_report_for_an_ended_period_is_submitted_without_confirmation(
    client: Any, demo: Any, period_2024: Any, operator: Any
) -> None:
    client.force_login(operator)
    page = client.get(unit_url(demo, period_2024)).content.decode()
    assert "Ajukan laporan" in page and 'data-testid="early-warning"' not in page
    client.post(action_url("submit", demo, period_2024))
    assert UnitReport.objects.get(unit=demo, period=period_2024).status == "submitted"
