"""Public results (/hasil/) without login: only what the city has published, light pages without JavaScript."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from sumberdaya.city.publication import published
from sumberdaya.core.spreadsheet import safe_cell
from sumberdaya.public.data import (
    OPEN_DATA_COLUMNS,
    open_data_csv_row,
    open_data_rows,
    publication_for,
    published_periods,
    unit_chart,
    unit_for,
)

# Short: a withdrawn publication must leave browsers and proxies quickly (within a minute).
PUBLIC_CACHE = {"public": True, "max_age": 60}


@require_safe
@cache_control(**PUBLIC_CACHE)
def overview(request: HttpRequest, period: str | None = None) -> HttpResponse:
    publications = published_periods()
    if not publications and period is None:
        return render(request, "public/empty.html")
    publication = publication_for(period)
    snapshot = published(publication)
    query = request.GET.get("q", "").strip()[:100]
    units = snapshot.with_result
    if query:
        needle = query.lower()
        units = [u for u in units if needle in u.name.lower() or needle in u.group.lower()]
    context = {
        "publication": publication,
        "s": snapshot,
        "units": units,
        "query": query,
        "publications": publications,
    }
    return render(request, "public/overview.html", context)


@require_safe
@cache_control(**PUBLIC_CACHE)
def unit_page(request: HttpRequest, period: str, code: str) -> HttpResponse:
    publication = publication_for(period)
    entry = unit_for(publication, code)
    chart = unit_chart(entry)
    compact = unit_chart(entry, compact=True)
    by_key = {e.key: e for e in entry.elements}
    context = {
        "publication": publication,
        "s": published(publication),
        "u": entry,
        "chart_svg": chart.svg() if chart else "",
        "chart_svg_compact": compact.svg() if compact else "",
        "priorities": [by_key[key] for key in entry.priorities if key in by_key],  # lowest first
    }
    return render(request, "public/unit.html", context)


@require_safe
def recap_csv(request: HttpRequest, period: str) -> HttpResponse:
    publication = publication_for(period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rekap-skm-{publication.period.slug}.csv"'
    writer = csv.DictWriter(response, fieldnames=OPEN_DATA_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in open_data_rows(publication):
        cells = open_data_csv_row(row)
        writer.writerow({key: "" if value is None else safe_cell(value) for key, value in cells.items()})
    return response


@require_safe
def recap_json(request: HttpRequest, period: str) -> HttpResponse:
    publication = publication_for(period)
    snapshot = published(publication).to_json()
    data = {
        "period": snapshot["period"],
        "published_at": publication.published_at.isoformat(),
        "weight": snapshot["weight"],
        "method": snapshot["method"],
        "city": snapshot["city"],
        "groups": snapshot["groups"],
        "units": open_data_rows(publication),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="rekap-skm-{publication.period.slug}.json"'
    return response
