"""Filing and handling complaints: one function per step, each in one transaction with its audit event.

Deadline (decision): the first response is due by the end of the `Policy.response_days`-th working day
after the day the complaint arrived (local date), counted on `calendar.WorkingCalendar`; forwarding does
not restart it (the citizen has waited since filing) and is not a response. A reply, or closing with a
reply, is the first response. `overdue`: still without a response after the due date; `answered_late`:
the first response came after it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from sumberdaya.accounts.audit import record
from sumberdaya.complaints import tagging
from sumberdaya.complaints.calendar import WorkingCalendar, parse_dates
from sumberdaya.complaints.models import Complaint, ComplaintContact, ComplaintStep, Policy, TagCorrection
from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Service, Unit


def working_calendar(policy: Policy | None = None) -> WorkingCalendar:
    policy = policy or Policy.current()
    return WorkingCalendar(parse_dates(policy.extra_holidays), parse_dates(policy.removed_holidays))


@dataclass(frozen=True)
class Timing:
    """A complaint's deadline as the inbox, the city and the CLI show it."""

    due: dt.date
    age_days: int  # calendar days since filing
    overdue: bool
    answered_late: bool
    response_working_days: int | None  # working days from filing to the first response


class Clock:
    """The calendar and policy read once for a list of complaints."""

    def __init__(self, policy: Policy | None = None, today: dt.date | None = None) -> None:
        self.policy = policy or Policy.current()
        self.calendar = working_calendar(self.policy)
        self.today = today or timezone.localdate()

    def due(self, complaint: Complaint) -> dt.date:
        return self.calendar.add_working_days(timezone.localdate(complaint.created_at), self.policy.response_days)

    def timing(self, complaint: Complaint) -> Timing:
        filed = timezone.localdate(complaint.created_at)
        due = self.due(complaint)
        first = timezone.localdate(complaint.first_response_at) if complaint.first_response_at else None
        return Timing(
            due=due,
            age_days=(self.today - filed).days,
            overdue=first is None and complaint.is_open and self.today > due,
            answered_late=first is not None and first > due,
            response_working_days=self.calendar.working_days_between(filed, first) if first else None,
        )


# --------------------------------------------------------------------------------------------- filing


def file_complaint(
    *,
    unit: Unit,
    kind: str,
    text: str,
    client: str,
    service: Service | None = None,
    phone: str = "",
    email: str = "",
    consent: bool = False,
    response: Response | None = None,
) -> Complaint:
    """Store a citizen's complaint; the contact only with consent (without it, it is dropped, never kept).

    One complaint per survey response: when `response` already has one (the same form sent twice at once),
    that one is returned and nothing is stored.
    """
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    complaint = Complaint.objects.create(
                        unit=unit,
                        filed_at_unit=unit,
                        service=service,
                        response=response,
                        kind=kind,
                        text=text.strip(),
                        client=client,
                    )
                break
            except IntegrityError:  # the random code was taken (draw again), or the response has its complaint
                existing = Complaint.objects.filter(response=response).first() if response is not None else None
                if existing is not None:
                    return existing
                continue
        else:  # pragma: no cover - 31^8 codes
            raise RuntimeError("no free tracking code")
        if consent and (phone or email):
            ComplaintContact.objects.create(
                complaint=complaint, phone=phone, email=email, consent_at=complaint.created_at
            )
    return complaint


# ------------------------------------------------------------------------------------------- handling


def _step_after(step: ComplaintStep) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "reply": step.reply,
        "publish": step.publish,
        "note": step.note,
        "to_unit": step.to_unit.code if step.to_unit else None,
    }


class NotActionable(Exception):
    """The complaint moved on while the page was open: forwarded to another unit, or closed."""

    def __init__(self, complaint: Complaint) -> None:
        super().__init__(complaint.code)
        self.complaint = complaint


def _locked(complaint: Complaint, acting_unit: Unit | None) -> Complaint:
    """The complaint's row, locked; NotActionable when it is closed or `acting_unit` no longer handles it
    (checked under the lock, so a forward and a reply of the same moment cannot both act)."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not locked.is_open or (acting_unit is not None and locked.unit_id != acting_unit.pk):
        raise NotActionable(locked)
    return locked


def reply(
    complaint: Complaint,
    user: Any,
    text: str,
    *,
    publish: bool = False,
    close: bool = False,
    acting_unit: Unit | None = None,
) -> ComplaintStep:
    """A public reply (shown on the tracking page); `close` also ends the handling (status selesai).

    `acting_unit`: the unit the user acts for (the inbox's); NotActionable unless it handles the complaint.
    """
    with transaction.atomic():
        complaint = _locked(complaint, acting_unit)
        now = timezone.now()
        before = {"status": complaint.status}
        step = ComplaintStep.objects.create(
            complaint=complaint,
            kind=ComplaintStep.Kind.CLOSE if close else ComplaintStep.Kind.REPLY,
            reply=text.strip(),
            publish=publish and bool(text.strip()),
            from_unit=complaint.unit,
            by=user,
            at=now,
        )
        if text.strip() and complaint.first_response_at is None:
            complaint.first_response_at = now
        if close:
            complaint.status = Complaint.Status.DONE
            complaint.closed_at = now
        elif complaint.status in (Complaint.Status.RECEIVED, Complaint.Status.FORWARDED):
            complaint.status = Complaint.Status.IN_PROGRESS
        complaint.save(update_fields=["first_response_at", "status", "closed_at"])
        record(
            user,
            "complaint.close" if close else "complaint.reply",
            complaint,
            before=before,
            after={"status": complaint.status, **_step_after(step)},
        )
    return step


def forward(
    complaint: Complaint, user: Any, to_unit: Unit, note: str, *, acting_unit: Unit | None = None
) -> ComplaintStep:
    """Hand the complaint to another unit with a note (internal); the new unit handles it from now on, the
    forwarding unit keeps seeing it read-only (`forwarded_by`)."""
    with transaction.atomic():
        complaint = _locked(complaint, acting_unit)
        before = {"status": complaint.status, "unit": complaint.unit.code}
        step = ComplaintStep.objects.create(
            complaint=complaint,
            kind=ComplaintStep.Kind.FORWARD,
            note=note.strip(),
            from_unit=complaint.unit,
            to_unit=to_unit,
            by=user,
        )
        complaint.unit = to_unit
        complaint.status = Complaint.Status.FORWARDED
        complaint.save(update_fields=["unit", "status"])
        record(
            user,
            "complaint.forward",
            complaint,
            unit=step.from_unit,
            before=before,
            after={"status": complaint.status, "unit": to_unit.code, **_step_after(step)},
        )
    return step


def close(
    complaint: Complaint, user: Any, text: str = "", *, publish: bool = False, acting_unit: Unit | None = None
) -> ComplaintStep:
    return reply(complaint, user, text, publish=publish, close=True, acting_unit=acting_unit)


def forwarded_by(unit: Unit) -> QuerySet[Complaint]:
    """Complaints `unit` forwarded that another unit handles now (the forwarding unit's read-only view)."""
    forwarded = ComplaintStep.objects.filter(complaint=OuterRef("pk"), kind=ComplaintStep.Kind.FORWARD, from_unit=unit)
    return Complaint.objects.filter(Exists(forwarded)).exclude(unit=unit)


def reveal(user: Any, obj: Complaint | Response, unit: Unit) -> None:
    """Log that `user` chose to see the unmasked text (phone numbers, e-mails, NIK) of a comment or complaint."""
    record(user, "personal_data.reveal", obj, unit=unit, after={"field": "text"})


def show_contact(user: Any, complaint: Complaint) -> None:
    record(user, "complaint.contact_view", complaint, after={"field": "contact"})


# ------------------------------------------------------------------------------------ personal data


def erase_expired(now: dt.datetime | None = None, policy: Policy | None = None) -> int:
    """Delete the contact of every complaint closed more than `retention_days` ago; returns how many."""
    now = now or timezone.now()
    policy = policy or Policy.current()
    limit = now - dt.timedelta(days=policy.retention_days)
    with transaction.atomic():
        expired = Complaint.objects.filter(
            status=Complaint.Status.DONE, closed_at__lte=limit, contact__isnull=False
        ).select_for_update()
        ids = list(expired.values_list("pk", flat=True))
        erased, _detail = ComplaintContact.objects.filter(complaint_id__in=ids).delete()
        Complaint.objects.filter(pk__in=ids).update(contact_erased_at=now)
        if ids:
            record(
                None,
                "complaint.contact_erase",
                None,
                object_type="complaints.Complaint",
                after={"count": len(ids), "retention_days": policy.retention_days},
            )
    return erased


# ----------------------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    open: int
    overdue: int
    median_response_days: float | None  # working days to the first response, of those answered
    answered: int


def unit_summaries(units: Iterable[Unit], clock: Clock | None = None) -> list[UnitSummary]:
    """Per unit: open complaints, overdue ones, median working days to the first response."""
    clock = clock or Clock()
    by_unit: dict[int, list[Complaint]] = {}
    for complaint in Complaint.objects.only("unit_id", "status", "created_at", "first_response_at"):
        by_unit.setdefault(complaint.unit_id, []).append(complaint)
    summaries = []
    for unit in units:
        rows = by_unit.get(unit.pk, [])
        timings = [clock.timing(c) for c in rows]
        response_days = [t.response_working_days for t in timings if t.response_working_days is not None]
        summaries.append(
            UnitSummary(
                unit=unit,
                open=sum(c.is_open for c in rows),
                overdue=sum(t.overdue for t in timings),
                median_response_days=float(statistics.median(response_days)) if response_days else None,
                answered=len(response_days),
            )
        )
    return summaries


def overdue_complaints(clock: Clock | None = None) -> list[tuple[Complaint, Timing]]:
    """Every open complaint without a response past its due date, oldest first (for city monitoring)."""
    clock = clock or Clock()
    candidates = Complaint.objects.filter(status__in=Complaint.OPEN, first_response_at__isnull=True).select_related(
        "unit"
    )
    found = [(c, clock.timing(c)) for c in candidates.order_by("created_at", "pk")]
    return [(c, t) for c, t in found if t.overdue]


def published_replies(unit: Unit) -> QuerySet[ComplaintStep]:
    """Replies the unit chose to publish on its public page (never the complaint's text or contact)."""
    return ComplaintStep.objects.filter(from_unit=unit, publish=True).exclude(reply="").order_by("-at")


def public_counts(unit: Unit) -> dict[str, int]:
    rows = Complaint.objects.filter(filed_at_unit=unit)
    return {
        "received": rows.count(),
        "done": rows.filter(status=Complaint.Status.DONE).count(),
    }


# -------------------------------------------------------------------------------------------- tagging


@dataclass(frozen=True)
class ShownTags:
    elements: tuple[str, ...]
    kind: str
    corrected: bool


def tags_of(text: str, correction: TagCorrection | None) -> ShownTags:
    if correction is not None:
        ordered = tuple(c for c in tagging.ELEMENT_CODES if c in correction.elements)
        return ShownTags(ordered, correction.kind, True)
    found = tagging.tag(text)
    return ShownTags(found.elements, found.kind, False)


def correct_tags(
    user: Any,
    unit: Unit,
    elements: list[str],
    kind: str,
    *,
    response: Response | None = None,
    complaint: Complaint | None = None,
) -> TagCorrection:
    elements = [c for c in tagging.ELEMENT_CODES if c in elements]
    target: dict[str, Any] = {"response": response} if response is not None else {"complaint": complaint}
    with transaction.atomic():
        existing = TagCorrection.objects.filter(**target).first()
        before = {"elements": existing.elements, "kind": existing.kind} if existing else None
        saved, _created = TagCorrection.objects.update_or_create(
            **target, defaults={"unit": unit, "elements": elements, "kind": kind, "by": user}
        )
        record(user, "comment.tag_correct", saved, unit=unit, before=before, after={"elements": elements, "kind": kind})
    return saved


def element_counts(texts_and_corrections: Iterable[tuple[str, TagCorrection | None]]) -> dict[str, int]:
    """How many comments speak of each element (a comment may count for several)."""
    counts = dict.fromkeys(tagging.ELEMENT_CODES, 0)
    for text, correction in texts_and_corrections:
        for code in tags_of(text, correction).elements:
            counts[code] += 1
    return counts


def unit_comment_counts(unit: Unit, begin: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Count per element of the unit's survey comments and complaints filed in [begin, end)."""
    corrections_r = {c.response_id: c for c in TagCorrection.objects.filter(unit=unit, response__isnull=False)}
    corrections_c = {c.complaint_id: c for c in TagCorrection.objects.filter(unit=unit, complaint__isnull=False)}
    comments = (
        Response.objects.filter(unit=unit, submitted_at__gte=begin, submitted_at__lt=end, status=Response.Status.VALID)
        .exclude(comment="")
        .values_list("pk", "comment")
    )
    complaints = Complaint.objects.filter(
        filed_at_unit=unit, created_at__gte=begin, created_at__lt=end, response__isnull=True
    ).values_list("pk", "text")
    pairs = [(text, corrections_r.get(pk)) for pk, text in comments]
    pairs += [(text, corrections_c.get(pk)) for pk, text in complaints]
    return element_counts(pairs)


def tagged_with(responses: QuerySet[Response], element: str) -> list[int]:
    """Ids of the comments among `responses` the tagger (or a staff correction) puts on `element`."""
    rows = list(responses.order_by().values_list("pk", "comment"))
    corrections = {c.response_id: c for c in TagCorrection.objects.filter(response__in=[pk for pk, _t in rows])}
    return [pk for pk, text in rows if element in tags_of(text, corrections.get(pk)).elements]
