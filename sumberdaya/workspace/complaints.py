"""Tracked complaints in the unit's comments inbox: one complaint's page, reply, forward, close, reveal, tags.

Scoping: a complaint belongs to the unit handling it now (`Complaint.unit`), which alone acts on it (reply,
forward, close, reveal, tag; checked again under the row's lock in complaints.handling). A unit that
forwarded it keeps seeing it read-only (status, where it went, the replies; the text masked, no contact) in
its inbox's "dialihkan" list; any other unit's operator gets 404 for it (the unit in the address must be
theirs and the complaint must be that unit's, or forwarded by it). The contact is shown only to operators of
the handling unit, after a click that is logged; the text's phone numbers, e-mails and NIK are masked until
the user reveals them (logged too, remembered for the session).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sumberdaya.accounts.permissions import get_unit_for, staff_user
from sumberdaya.complaints import handling, masking
from sumberdaya.complaints.forms import ForwardForm, ReplyForm, TagForm
from sumberdaya.complaints.models import Complaint, TagCorrection
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Unit

REVEALED = "revealed_texts"
REVEALED_MAX = 100
ELEMENT_LABELS = {e.code: f"U{e.u}" for e in ELEMENTS}
ELEMENT_NAMES = {e.code: e.name for e in ELEMENTS}


def revealed(request: HttpRequest) -> set[str]:
    return set(request.session.get(REVEALED, []))


def _remember(request: HttpRequest, key: str) -> None:
    keys = [k for k in request.session.get(REVEALED, []) if k != key]
    request.session[REVEALED] = [*keys, key][-REVEALED_MAX:]


def handles(user: Any, complaint: Complaint) -> bool:
    """Operators of the handling unit: the only ones who see the contact."""
    return bool(user.is_active and not user.is_leadership and user.units.filter(pk=complaint.unit_id).exists())


def shown_text(text: str, is_revealed: bool) -> dict[str, Any]:
    return {
        "text": text if is_revealed else masking.mask(text),
        "has_personal_data": masking.has_personal_data(text),
        "revealed": is_revealed,
    }


def tag_view(text: str, correction: TagCorrection | None) -> dict[str, Any]:
    tags = handling.tags_of(text, correction)
    return {
        "elements": [(code, ELEMENT_LABELS[code], ELEMENT_NAMES[code]) for code in tags.elements],
        "codes": list(tags.elements),
        "kind": tags.kind,
        "corrected": tags.corrected,
    }


def open_complaints(unit: Unit) -> list[dict[str, Any]]:
    """The unit's open complaints, oldest first, with age and deadline (for the inbox)."""
    clock = handling.Clock()
    rows = Complaint.objects.filter(unit=unit, status__in=Complaint.OPEN).select_related("filed_at_unit")
    return [{"complaint": c, "timing": clock.timing(c)} for c in rows.order_by("created_at", "pk")]


FORWARDED_AWAY_SHOWN = 50


def forwarded_away(unit: Unit) -> list[Complaint]:
    """The complaints this unit forwarded that another unit handles now, newest first (read-only here)."""
    rows = handling.forwarded_by(unit).select_related("unit").order_by("-created_at", "-pk")
    return list(rows[:FORWARDED_AWAY_SHOWN])


def _viewable_complaint(request: HttpRequest, code: str, pk: int) -> tuple[Unit, Complaint]:
    """The complaint for its handling unit or a unit that forwarded it (read-only there); 404 for anyone else."""
    unit = get_unit_for(request, code)
    rows = Complaint.objects.select_related("unit", "filed_at_unit", "service")
    found = rows.filter(pk=pk, unit=unit).first() or handling.forwarded_by(unit).filter(pk=pk).first()
    if found is None:
        raise Http404
    return unit, found


def _acting(request: HttpRequest, code: str, pk: int) -> tuple[Unit, Complaint] | HttpResponse:
    """The complaint for an action by its handling unit; a unit that forwarded it is sent back to its read-only
    page with the reason (the page may have been open since before the forward); anyone else gets 404."""
    unit = get_unit_for(request, code, change=True)
    found = Complaint.objects.select_related("unit", "filed_at_unit", "service").filter(pk=pk, unit=unit).first()
    if found is not None:
        return unit, found
    moved = handling.forwarded_by(unit).select_related("unit").filter(pk=pk).first()
    if moved is None:
        raise Http404
    return _moved_away(request, unit, moved)


def _moved_away(request: HttpRequest, unit: Unit, complaint: Complaint) -> HttpResponse:
    if complaint.unit_id != unit.pk:
        messages.error(
            request,
            _("Aduan %(code)s sudah dialihkan ke %(unit)s: hanya unit itu yang dapat menanganinya.")
            % {"code": complaint.code, "unit": complaint.unit.name},
        )
    else:
        messages.error(request, _("Aduan ini sudah selesai."))
    return redirect(_detail_url(unit, complaint))


def _with_unit(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_related("unit").get(pk=complaint.pk)


def _detail_url(unit: Unit, complaint: Complaint) -> str:
    return reverse("workspace:complaint", args=[unit.code, complaint.pk])


@login_required
@require_safe
def complaint(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit, found = _viewable_complaint(request, code, pk)
    user = staff_user(request)
    key = f"c{found.pk}"
    here = found.unit_id == unit.pk  # False: this unit forwarded it, and sees it read-only
    may_see_contact = here and handles(user, found)
    context = {
        "unit": unit,
        "complaint": found,
        "handled_here": here,
        "timing": handling.Clock().timing(found),
        "shown": shown_text(found.text, here and key in revealed(request)),
        "contact": getattr(found, "contact", None) if may_see_contact else None,
        "contact_revealed": f"k{found.pk}" in revealed(request),
        "may_see_contact": may_see_contact,
        "steps": found.steps.select_related("from_unit", "to_unit", "by"),
        "tags": tag_view(found.text, TagCorrection.objects.filter(complaint=found).first()),
        "can_change": here and user.can_change_unit(unit) and found.is_open,
        "can_tag": here and user.can_change_unit(unit),
        "reply_form": ReplyForm(),
        "forward_form": ForwardForm(),
        "units": Unit.objects.filter(active=True).exclude(pk=unit.pk).only("code", "name"),
        "element_choices": [(e.code, f"U{e.u} {e.name}") for e in ELEMENTS],
        "kinds": Complaint.Kind.choices,
    }
    return render(request, "workspace/complaint.html", context)


@login_required
@require_POST
def reply(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    acting = _acting(request, code, pk)
    if isinstance(acting, HttpResponse):
        return acting
    unit, found = acting
    if not found.is_open:
        messages.error(request, _("Aduan ini sudah selesai."))
        return redirect(_detail_url(unit, found))
    form = ReplyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) + form.errors.get("reply", []):
            messages.error(request, str(error))
        return redirect(_detail_url(unit, found))
    data = form.cleaned_data
    try:
        handling.reply(
            found,
            request.user,
            data.get("reply") or "",
            publish=bool(data.get("publish")),
            close=bool(data.get("close")),
            acting_unit=unit,
        )
    except handling.NotActionable as moved:  # forwarded or closed by a colleague meanwhile
        return _moved_away(request, unit, _with_unit(moved.complaint))
    messages.success(
        request,
        _("Aduan %(code)s diselesaikan.") % {"code": found.code}
        if data.get("close")
        else _("Tanggapan untuk aduan %(code)s tersimpan.") % {"code": found.code},
    )
    return redirect(_detail_url(unit, found))


@login_required
@require_POST
def forward(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    acting = _acting(request, code, pk)
    if isinstance(acting, HttpResponse):
        return acting
    unit, found = acting
    form = ForwardForm(request.POST)
    if not found.is_open:
        messages.error(request, _("Aduan ini sudah selesai."))
        return redirect(_detail_url(unit, found))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_detail_url(unit, found))
    to_unit = form.cleaned_data["to_unit"]
    if to_unit.pk == unit.pk:
        messages.error(request, _("Pilih unit lain."))
        return redirect(_detail_url(unit, found))
    try:
        handling.forward(found, request.user, to_unit, form.cleaned_data["note"], acting_unit=unit)
    except handling.NotActionable as moved:
        return _moved_away(request, unit, _with_unit(moved.complaint))
    messages.success(request, _("Aduan %(code)s dialihkan ke %(unit)s.") % {"code": found.code, "unit": to_unit.name})
    return redirect(reverse("workspace:comments", args=[unit.code]))


@login_required
@require_POST
def reveal_complaint(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    # Revealing is a logged act of the unit's staff (or the city admin); leadership reads the masked text.
    acting = _acting(request, code, pk)
    if isinstance(acting, HttpResponse):
        return acting
    unit, found = acting
    what = request.POST.get("what", "text")
    if what == "contact":
        if not handles(staff_user(request), found):
            return HttpResponse(status=403)
        handling.show_contact(request.user, found)
        _remember(request, f"k{found.pk}")
    else:
        handling.reveal(request.user, found, unit)
        _remember(request, f"c{found.pk}")
    return redirect(_detail_url(unit, found))


@login_required
@require_POST
def reveal_comment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    response = get_object_or_404(Response.objects.exclude(comment=""), pk=pk, unit=unit)
    handling.reveal(request.user, response, unit)
    _remember(request, f"r{response.pk}")
    return redirect(_back(request, unit, response.pk))


def _back(request: HttpRequest, unit: Unit, pk: int) -> str:
    page = reverse("workspace:comments", args=[unit.code])
    back = request.POST.get("next", "")
    back = back if back.startswith(page) else page
    return f"{back.split('#')[0]}#komentar-{pk}"


@login_required
@require_POST
def tag_comment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    response = get_object_or_404(Response.objects.exclude(comment=""), pk=pk, unit=unit)
    form = TagForm(request.POST)
    if form.is_valid():
        handling.correct_tags(
            request.user, unit, form.cleaned_data["elements"], form.cleaned_data["kind"], response=response
        )
        messages.success(request, _("Label komentar dikoreksi."))
    else:
        messages.error(request, _("Label tidak dikenali."))
    return redirect(_back(request, unit, response.pk))


@login_required
@require_POST
def tag_complaint(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    acting = _acting(request, code, pk)
    if isinstance(acting, HttpResponse):
        return acting
    unit, found = acting
    form = TagForm(request.POST)
    if form.is_valid():
        handling.correct_tags(
            request.user, unit, form.cleaned_data["elements"], form.cleaned_data["kind"], complaint=found
        )
        messages.success(request, _("Label aduan dikoreksi."))
    else:
        messages.error(request, _("Label tidak dikenali."))
    return redirect(_detail_url(unit, found))


def comment_rows(request: HttpRequest, responses: list[Response]) -> list[dict[str, Any]]:
    """The inbox's comments with masked text and tags (corrections first)."""
    shown = revealed(request)
    corrections = {c.response_id: c for c in TagCorrection.objects.filter(response__in=[r.pk for r in responses])}
    return [
        {
            "r": r,
            "shown": shown_text(r.comment, f"r{r.pk}" in shown),
            "tags": tag_view(r.comment, corrections.get(r.pk)),
        }
        for r in responses
    ]
