"""One source of results: every surface tells the same city IKM, group means, category counts and letters.

The data mixes what a real city has: system responses for two units, and imported results for three
others: a row whose letter is wrong, a row whose IKM does not follow from its elements, and a unit that
sent two quarters instead of the year. After publishing, the recap command, the city dashboard, /kota/,
the publication, /hasil/, the open data, the API and the city report in PDF, Word and Excel must agree,
and no surface may show a letter that is not the band of the IKM beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sumberdaya.city.models import Publication
from sumberdaya.city.publication import published
from sumberdaya.city.report import render_city_report
from sumberdaya.results.models import ImportedResult
from sumberdaya.results.service import period_results
from sumberdaya.skm.numbers import format_number
from sumberdaya.skm.scoring import band_for
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

pytestmark = pytest.mark.django_db


def _imported(unit: Unit, period: Period, values: list[str], ikm: str, mutu: str, respondents: int) -> None:
    ImportedResult.objects.create(
        unit=unit,
        period=period,
        ikm=Decimal(ikm),
        mutu=mutu,
        respondents=respondents,
        method="Kertas",
        flagged=True,
        **{f"u{i}": Decimal(v) for i, v in enumerate(values, start=1)},
    )


@pytest.fixture
def city(unit: Any, other_unit: Any, period_2024: Any, make_responses: Any) -> Period:
    """2024: Mawar and Cempaka answered in the system; three UPTD sent their results."""
    when = dt.datetime(2024, 5, 6, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3] * 9] * 4, when=when)
    make_responses(other_unit, [[3, 3, 2, 3, 3, 3, 3, 3, 3]] * 5, when=when)
    wrong_letter = Unit.objects.create(code="uptd-a", name="UPTD Huruf Salah", kind="uptd", order=120)
    wrong_ikm = Unit.objects.create(code="uptd-b", name="UPTD Sampah Basirih", kind="uptd", order=121)
    quarters = Unit.objects.create(code="uptd-c", name="UPTD Triwulan", kind="uptd", order=122)
    # Elements 80 give 79,92 (B); the unit wrote "A".
    _imported(wrong_letter, period_2024, ["80"] * 9, "79.92", "A", 120)
    # Elements 80 give 79,92; the unit stated 86,84 (also B) — the counted IKM is 79,92.
    _imported(wrong_ikm, period_2024, ["80"] * 9, "86.84", "B", 200)
    tw1 = Period.objects.create(
        slug="2024-TW1", name="Triwulan I 2024", start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31)
    )
    tw2 = Period.objects.create(
        slug="2024-TW2", name="Triwulan II 2024", start=dt.date(2024, 4, 1), end=dt.date(2024, 6, 30)
    )
    ImportedResult.objects.create(
        unit=quarters,
        period=tw1,
        ikm=Decimal("79.92"),
        mutu="B",
        respondents=100,
        method="Kertas",
        **{f"u{i}": Decimal(80) for i in range(1, 10)},
    )
    ImportedResult.objects.create(
        unit=quarters,
        period=tw2,
        ikm=Decimal("89.91"),
        mutu="A",
        respondents=300,
        method="Kertas",
        **{f"u{i}": Decimal(90) for i in range(1, 10)},
    )
    return period_2024


def _admin(admin_user: Any) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "kota.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _shown(value: Any) -> str:
    return format_number(None if value is None else Fraction(str(value)))


def test_the_results_follow_the_rules_for_imported_rows(city: Period) -> None:
    results = period_results(city)
    by_code = {r.unit.code: r for r in results.rows}
    assert by_code["uptd-a"].letter == "B" and "letter_mismatch" in by_code["uptd-a"].flags
    assert by_code["uptd-b"].ikm == Fraction("79.92") and by_code["uptd-b"].stated_ikm == Fraction("86.84")
    assert "ikm_mismatch" in by_code["uptd-b"].flags
    rolled = by_code["uptd-c"]
    # Pooled over respondents: (80×100 + 90×300) / 400 = 87,5 per element → 87,5 × 0,999 = 87,4125 (B);
    # a mean of the two quarters' IKMs would give 84,915.
    assert rolled.source == "imported" and [p.slug for p in rolled.rolled_up] == ["2024-TW1", "2024-TW2"]
    assert rolled.ikm == Fraction("87.4125") and rolled.respondents == 400 and rolled.letter == "B"


def test_every_surface_tells_the_same_city_ikm_group_means_and_category_counts(
    city: Period, admin_user: Any, tmp_path: Path
) -> None:
    client = _admin(admin_user)
    assert client.post(reverse("city:publish"), {"periode": city.slug, "confirm": "1"}).status_code == 302
    publication = Publication.objects.get(period=city, withdrawn_at__isnull=True)

    results = period_results(city)
    city_ikm = _shown(results.city.value)
    groups = {g.name: _shown(g.aggregate.value) for g in results.groups if g.aggregate.value is not None}
    counts = {letter: n for letter, _k, n in results.band_counts()}
    # Mawar 79,92 (B), Cempaka 72,15 (C), the three UPTD 79,92, 79,92 and 87,4125 (B).
    assert results.city.units == 5 and counts == {"A": 0, "B": 4, "C": 1, "D": 0}
    assert results.city.value == (Fraction("79.92") * 3 + Fraction("72.15") + Fraction("87.4125")) / 5

    # sumberdaya recap --format json
    out = io.StringIO()
    call_command("recap", "--period", city.slug, stdout=out)
    recap = json.loads(out.getvalue())
    assert _shown(recap["city"]["mean_ikm"]) == city_ikm and recap["city"]["units"] == 5
    assert {g["name"]: _shown(g["mean_ikm"]) for g in recap["groups"] if g["mean_ikm"] is not None} == groups
    recap_counts = {letter: sum(1 for u in recap["units"] if u["mutu"] == letter) for letter in counts}
    assert recap_counts == counts

    # The city dashboard and the recap page /kota/
    dash = client.get(reverse("dashboards:city") + f"?periode={city.slug}")
    assert dash.status_code == 200 and _shown(dash.context["d"].city_ikm) == city_ikm
    assert city_ikm in dash.content.decode()
    page = client.get(reverse("city:recap") + f"?periode={city.slug}")
    assert page.status_code == 200
    r = page.context["r"]
    assert _shown(r.city.value) == city_ikm and {letter: n for letter, _k, n in r.band_counts()} == counts
    assert {g.name: _shown(g.aggregate.value) for g in r.groups if g.aggregate.value is not None} == groups

    # The publication, /hasil/, open data and the API
    snapshot = published(publication)
    assert _shown(snapshot.city.ikm) == city_ikm and snapshot.band_counts == counts
    assert {g.name: _shown(g.ikm) for g in snapshot.groups if g.ikm is not None} == groups
    public = Client().get(reverse("public:period", args=[city.slug]))
    assert public.status_code == 200 and city_ikm in public.content.decode()
    open_json = json.loads(Client().get(reverse("public:recap_json", args=[city.slug])).content)
    assert _shown(open_json["city"]["ikm"]) == city_ikm
    assert {g["name"]: _shown(g["ikm"]) for g in open_json["groups"] if g["ikm"] is not None} == groups
    assert {letter: sum(1 for u in open_json["units"] if u["mutu"] == letter) for letter in counts} == counts
    api = json.loads(Client().get(reverse("public:api_results", args=[city.slug])).content)
    assert _shown(api["city"]["ikm"]) == city_ikm
    assert {g["name"]: _shown(g["ikm"]) for g in api["groups"] if g["ikm"] is not None} == groups
    assert {letter: sum(1 for u in api["units"] if u["mutu"] == letter) for letter in counts} == counts

    # The city report, all three formats
    text = _pdf_text(render_city_report(city, "pdf"), tmp_path)
    assert f"adalah {city_ikm}" in " ".join(text.split())
    for name, value in groups.items():
        assert f"{name} – rata-rata IKM {value}" in text
    from docx import Document

    document = Document(io.BytesIO(render_city_report(city, "docx")))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert f"adalah {city_ikm} dengan mutu" in paragraphs
    for name, value in groups.items():
        assert f"{name} – rata-rata IKM {value}" in paragraphs
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_city_report(city, "xlsx")))
    # BAB III's tables: the count per category, and the city's row of the group means
    chapter = [[c.value for c in row] for row in book["BAB III"].iter_rows()]
    kinds = {k for _l, k, _n in results.band_counts()}
    assert {row[0]: row[2] for row in chapter if row[1] in kinds} == counts
    assert _shown(next(row[2] for row in chapter if row[0] == settings.SKM_CITY_NAME)) == city_ikm
    sheet = book["Rekap"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(min_row=2)]
    means = {r["Kelompok"]: _shown(r["IKM"]) for r in rows if str(r["Unit"]).startswith("Rata-rata")}
    assert means.pop("Kota") == city_ikm and means == groups


def test_a_unit_with_only_an_imported_result_shows_the_same_ikm_everywhere(
    city: Period, admin_user: Any, tmp_path: Path
) -> None:
    client = _admin(admin_user)
    client.post(reverse("city:publish"), {"periode": city.slug, "confirm": "1"})
    expected = format_number(Fraction("87.4125"))  # the rolled-up quarters of uptd-c
    dashboard = client.get(reverse("dashboards:unit", args=["uptd-c"]) + f"?periode={city.slug}")
    assert dashboard.status_code == 200 and dashboard.context["d"].result.source == "imported"
    html = dashboard.content.decode()
    assert f'data-testid="ikm">{expected} <span class="badge B">B</span>' in html
    assert "Triwulan I 2024 + Triwulan II 2024" in html
    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data

    unit = Unit.objects.get(code="uptd-c")
    report = _pdf_text(render(report_data(unit, city), "pdf"), tmp_path)
    ikm_line = next(line for line in report.splitlines() if "NILAI IKM UNIT PELAYANAN" in line)
    assert expected in ikm_line and "400 responden" in report
    public = Client().get(reverse("public:unit", args=[city.slug, "uptd-c"]))
    assert public.status_code == 200 and public.context["u"].ikm == float(Decimal("87.41"))
    assert expected in public.content.decode()


def test_no_surface_shows_a_letter_that_is_not_the_band_of_its_ikm(city: Period, admin_user: Any) -> None:
    client = _admin(admin_user)
    client.post(reverse("city:publish"), {"periode": city.slug, "confirm": "1"})

    def check(pairs: list[tuple[Any, Any]]) -> None:
        shown = [(ikm, letter) for ikm, letter in pairs if ikm is not None]
        assert shown, "the surface showed no result at all"
        for ikm, letter in shown:
            assert letter == band_for(Fraction(str(ikm))).letter, (ikm, letter)

    out = io.StringIO()
    call_command("recap", "--period", city.slug, stdout=out)
    recap = json.loads(out.getvalue())
    check([(u["ikm"], u["mutu"]) for u in recap["units"]])
    out = io.StringIO()
    call_command("recap", "--period", city.slug, "--format", "csv", stdout=out)
    check(
        [
            (row["ikm"] or None, row["mutu"])
            for row in csv.DictReader(io.StringIO(out.getvalue()))
            if row["level"] == "unit"
        ]
    )
    dash = client.get(reverse("dashboards:city") + f"?periode={city.slug}").context["d"]
    check([(row.ikm, row.letter) for row in dash.rows] + [(dash.city_ikm, dash.city_letter)])
    r = client.get(reverse("city:recap") + f"?periode={city.slug}").context["r"]
    check(
        [(row.ikm, row.letter) for row in r.rows]
        + [(g.aggregate.value, g.aggregate.band.letter if g.aggregate.band else None) for g in r.groups]
    )
    snapshot = published(Publication.objects.get(period=city, withdrawn_at__isnull=True))
    check(
        [(u.ikm, u.mutu) for u in snapshot.units]
        + [(g.ikm, g.mutu) for g in snapshot.groups]
        + [(snapshot.city.ikm, snapshot.city.mutu)]
    )
    check([(e.score, e.mutu) for u in snapshot.units for e in u.elements])
    data = json.loads(Client().get(reverse("public:recap_json", args=[city.slug])).content)
    check([(u["ikm"], u["mutu"]) for u in data["units"]])
    rows = list(
        csv.DictReader(io.StringIO(Client().get(reverse("public:recap_csv", args=[city.slug])).content.decode()))
    )
    check([(row["ikm"], row["mutu"]) for row in rows])
    assert {row["code"]: row["flags"] for row in rows}["uptd-a"] == "letter_mismatch"
    api = json.loads(Client().get(reverse("public:api_results", args=[city.slug])).content)
    check([(u["ikm"], u["mutu"]) for u in api["units"]])
    for code in ("uptd-a", "uptd-b", "uptd-c", "kelurahan-mawar"):
        unit = json.loads(Client().get(reverse("public:api_unit_result", args=[city.slug, code])).content)["unit"]
        check([(unit["ikm"], unit["mutu"])])
        page = client.get(reverse("dashboards:unit", args=[code]) + f"?periode={city.slug}").context["d"]
        check(
            [(page.result.ikm, page.result.letter)]
            + [(e.score, e.band.letter if e.band else None) for e in page.elements]
        )
        check([(p.value, p.letter) for p in page.trend])
