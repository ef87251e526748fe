"""Plain functions behind the RTL pages: the priority elements (chosen, proposed) and which comments to show."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from sumberdaya.complaints.handling import tagged_with
from sumberdaya.complaints.masking import mask
from sumberdaya.followup.models import MAX_PRIORITIES, Evidence, PlanItem, Priority
from sumberdaya.results.service import unit_result
from sumberdaya.results.tallies import valid_responses
from sumberdaya.skm.elements import ELEMENTS, Element
from sumberdaya.surveys.models import Period, Response
from sumberdaya.units.models import Unit

COMMENT_LIMIT = 30


def chosen_priorities(units: Iterable[Unit], period: Period) -> dict[int, list[Element]]:
    """The elements each unit chose as its priorities for the period, by unit id (one query; absent: none chosen)."""
    ids = [u.pk for u in units]
    return {p.unit_id: p.element_objs for p in Priority.objects.filter(period=period, unit_id__in=ids)}


def priority_choices(unit: Unit, period: Period) -> tuple[list[tuple[str, str]], list[str]]:
    """Every element with its score for the choice, lowest first, and the proposal (the lowest ones)."""
    from django.utils.translation import gettext

    from sumberdaya.skm.numbers import format_number

    figures = unit_result(unit, period).figures
    if figures is None or figures.ikm is None:
        return [(e.code, f"U{e.u} {gettext(e.name)}") for e in ELEMENTS], []
    ranked = sorted(figures.elements, key=lambda v: (v.score is None, v.score or 0, v.element.u))
    choices = [
        (v.element.code, f"U{v.element.u} {gettext(v.element.name)} ({format_number(v.score)})") for v in ranked
    ]
    return choices, [v.element.code for v in figures.priorities(3)][:MAX_PRIORITIES]


def citizen_comments(unit: Unit, period: Period, element: str = "") -> list[Response]:
    """Comments of the period for the RTL form, personal data masked (`shown_comment`): those the tagger
    (or a staff correction) puts on the element first (`tagged`), then those that rated it low (1–2)."""
    responses = valid_responses(period).filter(unit=unit).exclude(comment="")
    column = next((e.column for e in ELEMENTS if e.code == element), None)
    if column:
        tagged_ids = set(tagged_with(responses, element))
        tagged = list(responses.filter(pk__in=tagged_ids).order_by("-submitted_at")[:COMMENT_LIMIT])
        low = list(
            responses.filter(Q(**{f"{column}__lte": 2})).exclude(pk__in=tagged_ids).order_by("-submitted_at")[
                : max(COMMENT_LIMIT - len(tagged), 0)
            ]
        )
        chosen = tagged + low
        rest = responses.exclude(pk__in=[r.pk for r in chosen]).order_by("-submitted_at")
        found = chosen + list(rest[: max(COMMENT_LIMIT - len(chosen), 0)])
    else:
        tagged_ids = set()
        found = list(responses.order_by("-submitted_at")[:COMMENT_LIMIT])
    for response in found:
        response.tagged = response.pk in tagged_ids  # type: ignore[attr-defined]
        response.shown_comment = mask(response.comment)  # type: ignore[attr-defined]
    return found


PUBLIC_ACTIONS_LIMIT = 20
PUBLIC_PHOTO_TYPES = ("image/jpeg", "image/png")


def published_actions(unit: Unit) -> list[PlanItem]:
    """The unit's RTL items it chose to publish ("Anda berkata, kami bertindak"), newest period first, each
    with `public_photos`: the photos (JPEG/PNG, never a PDF) it marked public."""
    items = list(
        PlanItem.objects.filter(unit=unit, published=True)
        .select_related("period")
        .order_by("-period__start", "order", "pk")[:PUBLIC_ACTIONS_LIMIT]
    )
    photos: dict[int, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(item__in=items, public=True, content_type__in=PUBLIC_PHOTO_TYPES):
        photos.setdefault(evidence.item_id, []).append(evidence)
    for item in items:
        item.public_photos = photos.get(item.pk, [])  # type: ignore[attr-defined]
    return items


def public_photo(pk: int) -> Evidence | None:
    """A photo the public may see: marked public, of a published item, an image."""
    return (
        Evidence.objects.filter(pk=pk, public=True, item__published=True, content_type__in=PUBLIC_PHOTO_TYPES)
        .select_related("item")
        .first()
    )
