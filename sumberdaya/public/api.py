"""Read-only open-data API, /api/v1/: units, periods and published results, described by /api/v1/openapi.json.

Plain Django JSON views. Results come only from live publications (frozen snapshots); errors are JSON with an
Indonesian message. No comments or respondent-level data ever leave through here (SKM.md §7).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from sumberdaya.city.models import Publication
from sumberdaya.city.publication import live_publications, published, unit_entry
from sumberdaya.city.snapshot import PublishedUnit
from sumberdaya.public.data import publication_for
from sumberdaya.public.openapi import OPENAPI
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.periods import calendar_order
from sumberdaya.units.models import Unit

UNIT_RESULT_KEYS = (
    "code",
    "name",
    "kind",
    "group",
    "source",
    "imported",
    "flagged",
    "flags",
    "stated_ikm",
    "stated_mutu",
    "window",
    "channels",
    "respondents",
    *(element.key for element in ELEMENTS),  # u1..u9
    "ikm",
    "mutu",
    "ci",
    "priorities",
    "rtl_status",
    "elements",
)


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response["Cache-Control"] = "public, max-age=60"  # a withdrawal reaches caches within a minute
    return response


def error(status: int, message: str) -> JsonResponse:
    return _json({"error": {"status": status, "message": message}}, status=status)


def api_view(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; a missing object becomes a JSON 404 instead of the HTML page."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return _json(view(request, *args, **kwargs))
        except Http404 as exc:
            return error(404, str(exc) or "Data tidak ditemukan.")

    return wrapper


@api_view
def index(request: HttpRequest) -> dict[str, Any]:
    """/api/v1/: what is here (each path of the OpenAPI document with its summary) and where it is described."""
    endpoints = [
        {"path": path, "summary": operation.get("summary", "")}
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
        if method == "get"
    ]
    return {
        "name": OPENAPI["info"]["title"],
        "version": OPENAPI["info"]["version"],
        "openapi": request.build_absolute_uri(reverse("public:openapi")),
        "endpoints": endpoints,
    }


def _unit(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "group": unit.group, "active": unit.active}


def _unit_result(entry: PublishedUnit) -> dict[str, Any]:
    data = entry.as_json()
    return {key: data.get(key) for key in UNIT_RESULT_KEYS}


def _publication_meta(publication: Publication) -> dict[str, Any]:
    s = published(publication)
    return {
        "period": s.period,
        "published_at": publication.published_at.isoformat(),
        "weight": s.weight,
        "method": s.method,
        "method_label": s.method_label,
    }


@api_view
def units(request: HttpRequest) -> dict[str, Any]:
    return {"units": [_unit(u) for u in Unit.objects.filter(active=True).order_by("order", "name")]}


@api_view
def unit_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        raise Http404(f"Unit '{code}' tidak ditemukan.")
    results = []
    for publication in live_publications():
        entry = unit_entry(publication, unit.code)
        if entry and entry.ikm is not None:
            results.append(
                {
                    "period": publication.period.slug,
                    "ikm": entry.ikm,
                    "mutu": entry.mutu,
                    "respondents": entry.respondents,
                    "source": entry.source,
                    "flags": entry.flags,
                }
            )
    return {"unit": _unit(unit), "results": results}


@api_view
def periods(request: HttpRequest) -> dict[str, Any]:
    published = {p.period_id: p for p in live_publications()}
    rows = []
    for period in calendar_order():
        publication = published.get(period.pk)
        rows.append(
            {
                "slug": period.slug,
                "name": period.name,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "published": publication is not None,
                "published_at": publication.published_at.isoformat() if publication else None,
            }
        )
    return {"periods": rows}


@api_view
def results(request: HttpRequest, period: str) -> dict[str, Any]:
    publication = publication_for(period)
    s = published(publication)
    data = s.to_json()
    return {
        **_publication_meta(publication),
        "city": data["city"],
        "groups": data["groups"],
        "units": [_unit_result(u) for u in s.with_result],
    }


@api_view
def unit_result(request: HttpRequest, period: str, code: str) -> dict[str, Any]:
    publication = publication_for(period)
    entry = unit_entry(publication, code)
    if entry is None or entry.ikm is None:
        raise Http404(f"Unit '{code}' tidak memiliki hasil terbit pada periode ini.")
    return {**_publication_meta(publication), "unit": _unit_result(entry)}


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    return _json(OPENAPI)
