"""Public results (/hasil/) without login: only what the city has published, light pages without JavaScript."""

from __future__ import annotations

import csv
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from sumberdaya.city.history import PUBLISHED, public_trend
from sumberdaya.city.publication import published
from sumberdaya.complaints.handling import public_counts, published_replies
from sumberdaya.core.spreadsheet import safe_cell
from sumberdaya.followup.plans import public_photo, published_actions
from sumberdaya.public.data import (
    OPEN_DATA_COLUMNS,
    open_data_csv_row,
    open_data_rows,
    publication_for,
    published_periods,
    unit_chart,
    unit_for,
)
from sumberdaya.units.models import Unit

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
    points = public_trend(publication.period)
    context["trend"] = points
    context["trend_has_published"] = any(p.source == PUBLISHED for p in points)
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
        **you_said_we_did(entry.code),
    }
    return render(request, "public/unit.html", context)


def you_said_we_did(code: str) -> dict[str, Any]:
    """Live beside the frozen figures: the unit's published RTL actions with public photos, the count of
    complaints received and answered, and the replies it chose to publish (never a complaint's text)."""
    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        return {"actions": [], "complaint_counts": None, "published_replies": []}
    return {
        "actions": published_actions(unit),
        "complaint_counts": public_counts(unit),
        "published_replies": list(published_replies(unit)[:10]),
        "complaint_url": reverse("surveys:complaint", args=[unit.code]),
    }


@require_safe
@cache_control(**PUBLIC_CACHE)
def action_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of a published RTL action that its unit marked public (anything else: 404)."""
    photo = public_photo(pk)
    if photo is None:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


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
