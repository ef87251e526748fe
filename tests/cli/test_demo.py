"""`sumberdaya demo`: the data `make run` serves, deterministic and loaded once."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from sumberdaya.accounts.models import User
from sumberdaya.results.recap import city_recap
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

    recap = city_recap(year_2024)
    reporting = [u for u in recap.units if u.respondents]
    assert len(recap.units) - len(reporting) >= 1  # some units did not report in 2024
    assert all(40 <= u.respondents <= 400 for u in reporting)
    bands = Counter(u.score.band.letter for u in reporting if u.score.band)
    assert bands["B"] > len(reporting) / 2 and bands["A"] > 0 and bands["C"] > 0
    pengaduan = [u.score.element("pengaduan").score for u in reporting]
    biaya = [u.score.element("biaya").score for u in reporting]
    assert sum(b for b in biaya if b) > sum(p for p in pengaduan if p)

    # The demo operator's counter this year: people served, invitations, some answered (the funnel).
    from sumberdaya.surveys.funnel import unit_funnel

    this_year = Period.objects.get(slug=str(timezone.localdate().year))
    mawar = unit_funnel(Unit.objects.get(code="kelurahan-mawar"), this_year)
    assert mawar.served and mawar.invitations_issued == 40 and (mawar.invitations_answered or 0) <= 14

    operator = User.objects.get(username="operator")
    assert sorted(operator.units.values_list("code", flat=True)) == ["kelurahan-mawar", "puskesmas-cempaka"]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("sumberdaya-admin")
    assert User.objects.get(username="pimpinan").role == "leadership"

    again = io.StringIO()
    call_command("demo", stdout=again)
    assert "sudah ada" in again.getvalue()
    assert Response.objects.count() == total
