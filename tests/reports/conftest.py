"""A demo unit with a year of varied responses, a population, and follow-up plans this year and last."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

FORMULA = '=HYPERLINK("http://jahat.example","klik")'
NASTY = '<script>alert("x")</script> =HYPERLINK("http://jahat.example","klik") ' + "Sangat" * 40


@pytest.fixture
def demo(unit: Any, period: Any, period_2024: Any, make_responses: Any, operator: Any) -> Any:
    from sumberdaya.followup.models import PlanItem
    from sumberdaya.surveys.models import Period, Response, UnitPeriod

    year = period.start.year
    last_year = Period.objects.create(
        slug=str(year - 1), name=f"Tahun {year - 1}", start=dt.date(year - 1, 1, 1), end=dt.date(year - 1, 12, 31)
    )
    services = list(unit.services.all())
    rng = random.Random(7)
    tz = timezone.get_current_timezone()
    first = dt.datetime(year, 2, 3, 9, 30, tzinfo=tz)
    sexes, educations = ["L", "P", ""], ["SMA", "S1/D4", "SMP", ""]
    for i in range(60):
        row = [rng.choice([2, 3, 3, 4, 4]) for _ in range(9)]
        if i % 11 == 0:
            row[8] = None  # a blank answer leaves the element's denominator
        make_responses(
            unit,
            [row],
            when=first + dt.timedelta(days=i),
            service=services[i % 2],
            channel=["online", "paper"][i % 2],
            sex=sexes[i % 3],
            age=18 + i,
            education=educations[i % 4],
            occupation="Swasta",
            comment=NASTY if i == 5 else (FORMULA if i == 6 else ("Antre lama" if i % 7 == 0 else "")),
            comment_kind="keluhan" if i % 7 == 0 or i == 5 else "",
        )
    # An excluded one and one from last year must not count.
    make_responses(unit, [[1] * 9], when=first, status=Response.Status.EXCLUDED)
    make_responses(unit, [[2, 3, 3, 2, 3, 3, 3, 2, 2]] * 20, when=dt.datetime(year - 1, 5, 5, 10, tzinfo=tz))
    make_responses(unit, [[2, 2, 3, 2, 3, 3, 2, 2, 2]] * 10, when=dt.datetime(2024, 5, 5, 10, tzinfo=tz))
    UnitPeriod.objects.create(unit=unit, period=period, population=120)
    PlanItem.objects.create(
        unit=unit,
        period=last_year,
        element="waktu",
        problem="Antrean panjang",
        action="Menambah loket",
        quarter="TW II",
        responsible="Sekretaris",
        status="selesai",
        realisation=NASTY,
    )
    PlanItem.objects.create(
        unit=unit,
        period=period,
        element="sarana",
        problem=NASTY,
        action="Perbaikan ruang tunggu " + NASTY,
        due_date=dt.date(year, 9, 30),
        quarter="TW III",
        responsible=NASTY[:200],
        created_by=operator,
    )
    return unit


@pytest.fixture
def city(unit: Any, other_unit: Any, period: Any, period_2024: Any, make_responses: Any) -> Any:
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3, 3, 2, 4, 3, 3, 4, 3, 3]] * 4, when=when)
    make_responses(unit, [[3] * 9], when=when + dt.timedelta(days=60), channel="paper")
    from sumberdaya.city.models import ReportNarrative
    from sumberdaya.results.models import ImportedResult

    ImportedResult.objects.create(
        unit=other_unit,
        period=period,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=50,
        method=FORMULA,
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    ImportedResult.objects.create(  # history for the trend
        unit=unit,
        period=period_2024,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=90,
        method="Kertas",
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    ReportNarrative.objects.create(period=period, background="Latar belakang khusus kota <b>uji</b>.")
    return period


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """Report downloads build their file at once here; tests/reports/test_building.py runs the real queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
