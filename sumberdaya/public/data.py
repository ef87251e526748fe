"""What the public may see: only live publications' frozen snapshots, never comments or respondents' data."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from sumberdaya.city.models import Publication
from sumberdaya.city.publication import latest_publication, live_publication, live_publications, published
from sumberdaya.city.snapshot import PublishedUnit
from sumberdaya.core.charts import Chart, element_chart
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Period

OPEN_DATA_COLUMNS = (
    "period",
    "code",
    "name",
    "group",
    "source",
    "flags",
    "stated_ikm",
    "stated_mutu",
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


def unit_for(publication: Publication, code: str) -> PublishedUnit:
    entry = published(publication).unit(code)
    if entry is None or entry.ikm is None:
        raise Http404("Unit ini tidak memiliki hasil terbit pada periode ini.")
    return entry


def published_periods() -> list[Publication]:
    return live_publications()


def unit_chart(entry: PublishedUnit, compact: bool = False) -> Chart | None:
    """The elements bar chart from the published element values (the same chart as staff pages); `compact`
    for a phone (U1..U9, no legend: the table under it has the names and letters)."""
    values = [(e.element, e.score) for e in entry.elements]
    if any(v is None for _e, v in values) or not entry.respondents:
        return None
    return element_chart(values, width=230, compact=True) if compact else element_chart(values, width=460)


def open_data_rows(publication: Publication) -> list[dict[str, Any]]:
    """The published recap as flat rows (units with a result), for CSV and JSON downloads.

    `flags` is a space-separated list of machine codes in CSV and a list in JSON (see `open_data_csv_row`).
    """
    rows = []
    for unit in published(publication).with_result:
        data = unit.as_json()
        ci: list[float | None] = list(unit.ci) if unit.ci else [None, None]
        row = {key: data.get(key) for key in OPEN_DATA_COLUMNS}
        row.update(period=publication.period.slug, ci_low=ci[0], ci_high=ci[1], priorities=" ".join(unit.priorities))
        rows.append(row)
    return rows


def open_data_csv_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "flags": " ".join(row["flags"])}
