"""`sumberdaya demo`: the data `make run` serves, deterministic and loaded once."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from sumberdaya.accounts.models import AuditEvent, User
from sumberdaya.results.service import period_results
from sumberdaya.surveys.demo import reset_demo
from sumberdaya.surveys.models import Period, Response, UnitPeriod
from sumberdaya.units.models import Unit


@pytest.mark.django_db
def test_demo_loads_units_periods_accounts_and_realistic_responses_once() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Data demo dimuat" in out.getvalue()
    assert "operator / sumberdaya-operator" in out.getvalue()

    assert Unit.objects.count() == 156
    per_unit = Counter(dict(Unit.objects.annotate(n=Count("services")).values_list("code", "n")))
    assert min(per_unit.values()) >= 2 and max(per_unit.values()) <= 5
    assert Period.objects.filter(slug__in=["2024", "2025", "2026"]).count() >= 2
    year_2024 = Period.objects.get(slug="2024")
    assert (year_2024.input_deadline, year_2024.report_deadline) == (dt.date(2025, 1, 14), dt.date(2025, 1, 30))

    total = Response.objects.count()
    assert 50_000 <= total <= 80_000
    assert UnitPeriod.objects.filter(period=year_2024, population__gt=0).count() == 156
    channels = Counter(Response.objects.values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == "online" and set(channels) == {"online", "paper", "kiosk", "interview"}
    commented = Response.objects.exclude(comment="").count()
    assert 0.10 < commented / total < 0.20
    assert Response.objects.filter(a9__isnull=True).exists()  # some blanks

    recap = period_results(year_2024)
    reporting = [u for u in recap.rows if u.respondents]
    assert len(recap.rows) - len(reporting) >= 1  # some units did not report in 2024
    assert all(40 <= u.respondents <= 400 for u in reporting)
    bands = Counter(u.band.letter for u in reporting if u.band)
    assert bands["B"] > len(reporting) / 2 and bands["A"] > 0 and bands["C"] > 0
    pengaduan = [u.figures.element("pengaduan").score for u in reporting]
    biaya = [u.figures.element("biaya").score for u in reporting]
    assert sum(b for b in biaya if b) > sum(p for p in pengaduan if p)

    # The demo operator's counter this year: people served, invitations, some answered (the funnel).
    from sumberdaya.surveys.funnel import unit_funnel

    this_year = Period.objects.get(slug=str(timezone.localdate().year))
    mawar = unit_funnel(Unit.objects.get(code="kelurahan-mawar"), this_year)
    assert mawar.served and mawar.invitations_issued == 40 and (mawar.invitations_answered or 0) <= 14

    # The working year: report submissions in every state for the last full year, past years published.
    from sumberdaya.city.publication import live_publication
    from sumberdaya.reports.models import UnitReport

    states = Counter(UnitReport.objects.filter(period__slug="2025").values_list("status", flat=True))
    assert set(states) == {"draft", "submitted", "accepted", "returned"}
    assert UnitReport.objects.get(unit__code="kelurahan-mawar", period__slug="2025").review_note
    assert UnitReport.objects.filter(late=True).exists() and UnitReport.objects.filter(late=False).exists()
    assert live_publication(Period.objects.get(slug="2025")) is not None
    assert live_publication(Period.objects.get(slug="2024")) is not None

    operator = User.objects.get(username="operator")
    assert sorted(operator.units.values_list("code", flat=True)) == ["kelurahan-mawar", "puskesmas-cempaka"]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("sumberdaya-admin")
    assert User.objects.get(username="pimpinan").role == "leadership"

    again = io.StringIO()
    call_command("demo", stdout=again)
    assert "sudah ada" in again.getvalue()
    assert Response.objects.count() == total

    # Every demo answer is marked, so a demo-only database may be reset (and the reset is audited).
    assert not Response.objects.filter(demo=False).exists()
    reset = io.StringIO()
    call_command("demo", "--reset", stdout=reset)
    assert f"{total} kuesioner demo" in reset.getvalue() and "Data demo dimuat" in reset.getvalue()
    assert Response.objects.count() == total  # deterministic: the same data again
    assert AuditEvent.objects.filter(action="demo.reset").count() == 1


@pytest.mark.django_db
def test_reset_refuses_a_database_that_holds_citizens_answers(unit: Any, make_responses: Any) -> None:
    make_responses(unit, [[4] * 9] * 3)  # real answers
    make_responses(unit, [[3] * 9] * 2, demo=True)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("demo", "--reset", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert "berisi 3 kuesioner yang bukan data demo" in err.getvalue() and "tidak ada yang dihapus" in err.getvalue()
    assert Response.objects.count() == 5 and Response.objects.filter(demo=False).count() == 3
    assert not AuditEvent.objects.filter(action="demo.reset").exists()


@pytest.mark.django_db
def test_reset_removes_only_demo_data_and_writes_it_to_the_audit_log(unit: Any, make_responses: Any) -> None:
    make_responses(unit, [[3] * 9] * 4, demo=True)
    User.objects.create_user("operator", password="x-x-x-x-x-1")
    removed = reset_demo()
    assert removed["responses"] == 4 and removed["accounts"] == 1
    assert not Response.objects.exists() and Unit.objects.filter(pk=unit.pk).exists()
    event = AuditEvent.objects.get(action="demo.reset")
    assert event.after["responses"] == 4

