"""Publishing a period's results: a frozen snapshot for /hasil/, open data and the API.

The snapshot (`city.snapshot`: typed and versioned) holds plain numbers (no comments, no respondent
data: SKM.md §7), built from `results.service.period_results`, so the public figures equal the recap's
at publication time and do not drift when late data arrives. Publishing again replaces the live
snapshot; withdrawing hides it. Both are audit-logged.
"""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record
from sumberdaya.city.followup_summary import FollowupSummary, followup_for
from sumberdaya.city.models import Publication
from sumberdaya.city.snapshot import (
    SNAPSHOT_VERSION,
    PublishedAggregate,
    PublishedElement,
    PublishedResults,
    PublishedUnit,
    read_snapshot,
)
from sumberdaya.results.service import PeriodResults, UnitResult, display, period_results
from sumberdaya.skm.aggregate import Aggregate, Method
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import Weight, band_for
from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit


def _aggregate(name: str, value: Aggregate) -> PublishedAggregate:
    return PublishedAggregate(display(value.value), value.band.letter if value.band else None, value.units, name)


def _unit(row: UnitResult, followup: FollowupSummary) -> PublishedUnit:
    shown = row.has_result
    interval = row.interval if shown else None
    return PublishedUnit(
        code=row.unit.code,
        name=row.unit.name,
        kind=row.unit.get_kind_display(),
        group=row.group,
        source=row.source if shown else None,
        flags=list(row.flags),
        stated_ikm=display(row.stated_ikm),
        stated_mutu=row.stated_mutu,
        window=row.window,
        channels=row.channels,
        respondents=row.respondents,
        ikm=display(row.ikm) if shown else None,
        mutu=row.letter if shown else None,
        ci=None if interval is None else [round(interval.low, 2), round(interval.high, 2)],
        priorities=[e.key.upper() for e in row.priorities],
        rtl_status=followup.status,
        elements=[
            PublishedElement(
                element.key.upper(),
                element.name,
                display(value) if shown else None,
                band_for(value).letter if shown and value is not None else None,
            )
            for element, value in zip(ELEMENTS, row.elements, strict=True)
        ],
    )


def build_snapshot(results: PeriodResults, followups: dict[int, FollowupSummary]) -> PublishedResults:
    period = results.period
    return PublishedResults(
        version=SNAPSHOT_VERSION,
        period={
            "slug": period.slug,
            "name": period.name,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        weight=results.weight.value,
        weight_label=results.weight.label,
        method=results.method.value,
        method_label=results.method.label,
        city=_aggregate("", results.city),
        groups=[_aggregate(g.name, g.aggregate) for g in results.groups],
        band_counts={letter: n for letter, _kinerja, n in results.band_counts()},
        units=[_unit(row, followups.get(row.unit.pk, FollowupSummary())) for row in results.rows],
        integrity=asdict(integrity.counts(period)),
    )


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
        snapshot = build_snapshot(results, followup_for([row.unit for row in results.rows], period)).to_json()
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
            "city_ikm": published(publication).city.ikm,
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


def published(publication: Publication) -> PublishedResults:
    """A publication's figures, typed (`city.snapshot.read_snapshot`)."""
    return read_snapshot(publication.snapshot)


def unit_entry(publication: Publication, unit_code: str) -> PublishedUnit | None:
    return published(publication).unit(unit_code)


def published_index(unit: Unit) -> tuple[Fraction, str, Period] | None:
    """The unit's latest published IKM, letter and period (for the survey's thank-you page), or None."""
    for publication in live_publications():
        entry = unit_entry(publication, unit.code)
        if entry and entry.ikm is not None and entry.mutu:
            return Fraction(str(entry.ikm)), entry.mutu, publication.period
    return None
