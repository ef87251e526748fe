"""What the public may see: only live publications' frozen snapshots, never comments or respondents' data."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import Http404

from sumberdaya.city.models import Publication
from sumberdaya.city.publication import latest_publication, live_publication, live_publications, unit_entry
from sumberdaya.city.results import imported_score
from sumberdaya.core.charts import Chart, element_chart
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import Weight
from sumberdaya.surveys.models import Period

OPEN_DATA_COLUMNS = (
    "period",
    "code",
    "name",
    "group",
    "source",
    "window",
    "channels",
    "respondents",
    *(element.key for element in ELEMENTS),  # u1..u9
    "ikm",
    "mutu",
    "ci_low",
    "ci_high",
    "priorities",
    "rtl_status",
)


def publication_for(period_slug: str | None) -> Publication:
    """The live publication of a period (the latest one without a slug); 404 when not published."""
    if period_slug is None:
        publication = latest_publication()
    else:
        period = Period.objects.filter(slug=period_slug).first()
        publication = live_publication(period) if period else None
    if publication is None:
        raise Http404("Hasil periode ini belum diterbitkan.")
    return publication


def unit_for(publication: Publication, code: str) -> dict[str, Any]:
    entry = unit_entry(publication, code)
    if entry is None or entry["ikm"] is None:
        raise Http404("Unit ini tidak memiliki hasil terbit pada periode ini.")
    return entry


def published_periods() -> list[Publication]:
    return live_publications()


def unit_chart(publication: Publication, entry: dict[str, Any]) -> Chart | None:
    """The elements bar chart from the snapshot's element scores (same chart as staff pages)."""
    values = [e["score"] for e in entry["elements"]]
    if any(v is None for v in values) or not entry["respondents"]:
        return None
    score = imported_score(
        [Decimal(str(v)) for v in values],
        entry["respondents"],
        Weight(publication.weight),
        Fraction(str(entry["ikm"])),
    )
    return element_chart(score, width=460)


def open_data_rows(publication: Publication) -> list[dict[str, Any]]:
    """The published recap as flat rows (units with a result), for CSV and JSON downloads."""
    rows = []
    for unit in publication.snapshot["units"]:
        if unit["ikm"] is None:
            continue
        ci = unit.get("ci") or [None, None]
        row = {key: unit.get(key) for key in OPEN_DATA_COLUMNS}
        row.update(
            period=publication.period.slug,
            ci_low=ci[0],
            ci_high=ci[1],
            priorities=" ".join(unit.get("priorities", [])),
        )
        rows.append(row)
    return rows
