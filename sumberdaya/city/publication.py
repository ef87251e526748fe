"""Publishing a period's results: a frozen snapshot for /hasil/, open data and the API.

The snapshot holds plain numbers (no comments, no respondent data: SKM.md §7), built from
`period_results`, so the public figures equal the recap's at publication time and do not drift when late
data arrives. Publishing again replaces the live snapshot; withdrawing hides it. Both are audit-logged.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record
from sumberdaya.city.models import Publication
from sumberdaya.city.results import IMPORTED, SYSTEM, PeriodResults, display, period_results, row_dict
from sumberdaya.results.dashboard import index_interval
from sumberdaya.results.recap import valid_responses
from sumberdaya.skm.aggregate import Aggregate, Method
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import Weight, band_for
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit


def confidence_intervals(results: PeriodResults) -> dict[int, tuple[float, float]]:
    """95 % interval of each system-scored unit's IKM (the dashboard's own computation, so both agree)."""
    responses = valid_responses(results.period)
    intervals = {}
    for row in results.rows:
        if row.source != SYSTEM:
            continue
        interval = index_interval(responses.filter(unit=row.unit), results.weight)
        if interval is not None:
            intervals[row.unit.pk] = (interval.low, interval.high)
    return intervals


def _aggregate_dict(value: Aggregate) -> dict[str, Any]:
    ikm = value.value
    return {
        "ikm": display(ikm),
        "mutu": value.band.letter if value.band else None,
        "units": value.units,
    }


def build_snapshot(results: PeriodResults) -> dict[str, Any]:
    period = results.period
    intervals = confidence_intervals(results)
    units = []
    for row in results.rows:
        data = row_dict(row)
        data["kind"] = row.unit.get_kind_display()
        data["imported"] = row.source == IMPORTED
        interval = intervals.get(row.unit.pk) if row.has_result and row.source != IMPORTED else None
        data["ci"] = None if interval is None else [round(interval[0], 2), round(interval[1], 2)]
        data["rtl_status"] = row.followup.status
        data["elements"] = [
            {
                "key": element.key.upper(),
                "name": element.name,
                "score": display(value) if row.has_result else None,
                "mutu": None if value is None or not row.has_result else band_for(value).letter,
            }
            for element, value in zip(ELEMENTS, row.elements, strict=True)
        ]
        units.append(data)
    return {
        "period": {
            "slug": period.slug,
            "name": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "weight": results.weight.value,
        "weight_label": results.weight.label,
        "method": results.method.value,
        "method_label": results.method.label,
        "city": _aggregate_dict(results.city),
        "groups": [{"name": g.name, **_aggregate_dict(g.aggregate)} for g in results.groups],
        "band_counts": {letter: n for letter, _kinerja, n in results.band_counts()},
        "units": units,
    }


@transaction.atomic
def publish(period: Period, user: Any, weight: Weight | None = None, method: Method | None = None) -> Publication:
    # The period's row lock serialises publications of one period; the partial unique constraint
    # (one live publication per period) is the database's guarantee behind it.
    Period.objects.select_for_update().filter(pk=period.pk).first()
    results = period_results(period, weight, method)
    previous = live_publication(period)
    if previous is not None:
        previous.withdrawn_at = timezone.now()
        previous.withdrawn_by = user
        previous.save(update_fields=["withdrawn_at", "withdrawn_by"])
    with translation.override("id"):  # the frozen texts (dates, labels) are the city's language
        snapshot = build_snapshot(results)
    publication = Publication.objects.create(
        period=period,
        published_by=user,
        method=results.method.value,
        weight=results.weight.value,
        snapshot=snapshot,
    )
    record(
        user,
        "period.publish",
        publication,
        before={"publication": previous.pk} if previous else None,
        after={
            "period": period.slug,
            "method": publication.method,
            "weight": publication.weight,
            "city_ikm": publication.snapshot["city"]["ikm"],
        },
    )
    return publication


class AlreadyWithdrawn(ValueError):
    """Someone else withdrew (or replaced) this publication first."""


@transaction.atomic
def withdraw(publication: Publication, user: Any) -> None:
    Period.objects.select_for_update().filter(pk=publication.period_id).first()
    current = Publication.objects.filter(pk=publication.pk).values_list("withdrawn_at", flat=True).first()
    if current is not None:
        raise AlreadyWithdrawn(_("Publikasi ini sudah ditarik atau diganti oleh admin lain."))
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = user
    publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(user, "period.unpublish", publication, before={"live": True}, after={"live": False})


def live_publication(period: Period) -> Publication | None:
    return Publication.objects.filter(period=period, withdrawn_at__isnull=True).order_by("-published_at").first()


def live_publications() -> list[Publication]:
    """The live publication of each published period, newest period first."""
    pubs = Publication.objects.filter(withdrawn_at__isnull=True).select_related("period").order_by("-published_at")
    seen: set[int] = set()
    result = []
    for pub in pubs:
        if pub.period_id not in seen:
            seen.add(pub.period_id)
            result.append(pub)
    return sorted(result, key=lambda p: (p.period.end, p.period.start), reverse=True)


def latest_publication() -> Publication | None:
    pubs = live_publications()
    return pubs[0] if pubs else None


def unit_entry(publication: Publication, unit_code: str) -> dict[str, Any] | None:
    return next((u for u in publication.snapshot["units"] if u["code"] == unit_code), None)


def published_index(unit: Unit) -> tuple[Fraction, str, Period] | None:
    """The unit's latest published IKM, letter and period (for the survey's thank-you page), or None."""
    for publication in live_publications():
        entry = unit_entry(publication, unit.code)
        if entry and entry["ikm"] is not None:
            return Fraction(str(entry["ikm"])), entry["mutu"], publication.period
    return None
