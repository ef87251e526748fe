"""The citizen's tracked complaints: /aduan/<unit-code>/ to file one, /aduan/lacak/<code>/ to follow it.

No account, no JavaScript needed. The contact (phone or e-mail) is kept only with the consent box ticked
(complaints.forms.ComplaintForm refuses a contact without it and keeps what was typed). Submissions share the
survey's limiter (surveys.abuse.take_submission) under their own key. The tracking page shows the status
and the unit's replies, never the complaint's text or contact. Every look-up of a code (tracking page,
confirmation page, the look-up form) counts against `SKM_LOOKUP_RATE_LIMIT` per client address
(surveys.abuse.take_slot, on Redis in production), so codes cannot be enumerated: over it, a 429 page.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sumberdaya.citizen.views import render_not_found, survey_language
from sumberdaya.complaints import handling
from sumberdaya.complaints.forms import ComplaintForm
from sumberdaya.complaints.models import CODE_LENGTH, Complaint
from sumberdaya.surveys import abuse
from sumberdaya.surveys.lookups import unit_and_services
from sumberdaya.surveys.models import Response
from sumberdaya.units.models import Unit

# A survey comment can become a tracked complaint on the thank-you page for this long after answering.
FROM_SURVEY_WINDOW = dt.timedelta(hours=2)


def _survey_response(unit: Unit, visit: uuid.UUID | None) -> tuple[Response | None, Complaint | None]:
    """The response just given in this visit, when it is recent, and the complaint already made of it, if any
    (filed on the survey's comment step, or here before): one complaint per response."""
    if visit is None:
        return None, None
    response = Response.objects.filter(
        visit=visit,
        unit=unit,
        instrument=Response.Instrument.SKM,
        submitted_at__gte=timezone.now() - FROM_SURVEY_WINDOW,
    ).first()
    if response is None:
        return None, None
    return response, Complaint.objects.filter(response=response).first()


def _parse_visit(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def file(request: HttpRequest, code: str) -> HttpResponse:
    lang = survey_language(request)
    unit, services = unit_and_services(code)
    if unit is None:
        return render_not_found(request, lang)
    notice = ""
    status = 200
    existing: Complaint | None = None
    if request.method == "POST":
        form = ComplaintForm(request.POST, services=services)
        if form.is_valid() and not form.honeypot_filled():
            client = abuse.client_id(request)
            data = form.cleaned_data
            response, existing = _survey_response(unit, data.get("visit"))
            if existing is not None:  # this visit's comment is a complaint already: the same form sent again
                return HttpResponseRedirect(reverse("surveys:complaint_sent", args=[existing.code]))
            if abuse.take_submission(f"aduan:{client}", False):
                complaint = handling.file_complaint(
                    unit=unit,
                    kind=data["kind"],
                    text=data["text"],
                    client=client,
                    service=next((s for s in services if s.pk == data.get("service")), None),
                    phone=data.get("phone") or "",
                    email=data.get("email") or "",
                    consent=bool(data.get("consent")),
                    response=response,
                )
                return HttpResponseRedirect(reverse("surveys:complaint_sent", args=[complaint.code]))
            notice, status = str(abuse.OVER_LIMIT_NOTICE), 429
        elif form.is_valid():
            notice, status = _("Formulir tidak dapat dikirim."), 400
        else:
            status = 400
    else:
        initial: dict[str, object] = {}
        response, existing = _survey_response(unit, _parse_visit(request.GET.get("kunjungan")))
        if existing is not None:
            # Filed already (on the survey's comment step): show its code; the form is for another complaint.
            response = None
        if response is not None and response.comment:
            initial = {"text": response.comment, "kind": response.comment_kind or "", "visit": response.visit}
            if response.service_id:
                initial["service"] = response.service_id
        form = ComplaintForm(initial=initial, services=services)
    context = {
        "unit": unit,
        "form": form,
        "lang": lang,
        "notice": notice,
        "existing": existing,
        "honeypot": abuse.HONEYPOT_FIELD,
        "response_days": handling.Clock().policy.response_days,
    }
    return render(request, "complaints/public_form.html", context, status=status)


def lookup_allowed(request: HttpRequest) -> bool:
    """Count one look-up of a tracking code for this client address; False when over SKM_LOOKUP_RATE_LIMIT."""
    limit, seconds = settings.SKM_LOOKUP_RATE_LIMIT
    window = int(time.time()) // seconds
    return abuse.take_slot(f"skm:rate:lacak:{abuse.client_id(request)}:{window}", limit, seconds)


def render_too_many(request: HttpRequest, lang: str) -> HttpResponse:
    _limit, seconds = settings.SKM_LOOKUP_RATE_LIMIT
    wait = seconds - int(time.time()) % seconds  # until the window ends
    context = {"lang": lang, "minutes": max(1, -(-wait // 60))}
    response = render(request, "complaints/public_limited.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _cleaned(code: str) -> str:
    return "".join(c for c in code.upper() if c.isascii() and c.isalnum())


def _find(code: str) -> Complaint | None:
    cleaned = _cleaned(code)
    if len(cleaned) != CODE_LENGTH:
        return None
    return Complaint.objects.select_related("unit", "filed_at_unit").filter(code=cleaned).first()


@never_cache
@require_safe
def sent(request: HttpRequest, code: str) -> HttpResponse:
    lang = survey_language(request)
    if not lookup_allowed(request):
        return render_too_many(request, lang)
    complaint = _find(code)
    if complaint is None:
        return render(request, "complaints/public_unknown.html", {"lang": lang}, status=404)
    return render(
        request, "complaints/public_sent.html", {"complaint": complaint, "lang": lang, "unit": complaint.filed_at_unit}
    )


@never_cache
@require_safe
def track(request: HttpRequest, code: str) -> HttpResponse:
    lang = survey_language(request)
    if not lookup_allowed(request):
        return render_too_many(request, lang)
    complaint = _find(code)
    if complaint is None:
        return render(request, "complaints/public_unknown.html", {"lang": lang, "code": code[:20]}, status=404)
    clock = handling.Clock()
    context = {
        "complaint": complaint,
        "unit": complaint.filed_at_unit,
        "handling_unit": complaint.unit,
        "replies": list(complaint.public_replies()),
        "forwarded": complaint.unit_id != complaint.filed_at_unit_id,
        "due": clock.due(complaint),
        "lang": lang,
    }
    return render(request, "complaints/public_track.html", context)


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    """/aduan/lacak/?kode=…: the form on the home page and the confirmation page."""
    lang = survey_language(request)
    code = request.GET.get("kode", "").strip()[:20]
    if code:
        cleaned = _cleaned(code)
        if len(cleaned) == CODE_LENGTH:  # the tracking page looks it up (and counts the look-up)
            return HttpResponseRedirect(reverse("surveys:complaint_track", args=[cleaned]))
        return render(request, "complaints/public_unknown.html", {"lang": lang, "code": code}, status=404)
    return render(request, "complaints/public_lookup.html", {"lang": lang})


@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    """/aduan/ (from the home page): pick the unit, then its complaint form (a plain GET form, no script)."""
    lang = survey_language(request)
    chosen = request.GET.get("unit", "")[:120]
    if chosen and Unit.objects.filter(code=chosen, active=True).exists():
        return HttpResponseRedirect(reverse("surveys:complaint", args=[chosen]))
    units = Unit.objects.filter(active=True).order_by("order", "name").only("code", "name")
    return render(request, "complaints/public_choose.html", {"lang": lang, "units": units})
