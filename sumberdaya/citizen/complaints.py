"""The citizen's tracked complaints: /aduan/<unit-code>/ to file one, /aduan/lacak/<code>/ to follow it.

No account, no JavaScript needed. The contact (phone or e-mail) is kept only with the consent box ticked
(complaints.forms.ComplaintForm refuses a contact without it and keeps what was typed). Submissions share the
survey's limiter (surveys.abuse.take_submission) under their own key. The tracking page shows the status
and the unit's replies, never the complaint's text or contact.
"""

from __future__ import annotations

import datetime as dt
import uuid

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


def _survey_response(unit: Unit, visit: uuid.UUID | None) -> Response | None:
    """The response just given in this visit, when it is recent and not yet a complaint."""
    if visit is None:
        return None
    response = Response.objects.filter(
        visit=visit,
        unit=unit,
        instrument=Response.Instrument.SKM,
        submitted_at__gte=timezone.now() - FROM_SURVEY_WINDOW,
    ).first()
    if response is None or Complaint.objects.filter(response=response).exists():
        return None
    return response


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
    if request.method == "POST":
        form = ComplaintForm(request.POST, services=services)
        if form.is_valid() and not form.honeypot_filled():
            client = abuse.client_id(request)
            if abuse.take_submission(f"aduan:{client}", False):
                data = form.cleaned_data
                complaint = handling.file_complaint(
                    unit=unit,
                    kind=data["kind"],
                    text=data["text"],
                    client=client,
                    service=next((s for s in services if s.pk == data.get("service")), None),
                    phone=data.get("phone") or "",
                    email=data.get("email") or "",
                    consent=bool(data.get("consent")),
                    response=_survey_response(unit, data.get("visit")),
                )
                return HttpResponseRedirect(reverse("surveys:complaint_sent", args=[complaint.code]))
            notice, status = str(abuse.OVER_LIMIT_NOTICE), 429
        elif form.is_valid():
            notice, status = _("Formulir tidak dapat dikirim."), 400
        else:
            status = 400
    else:
        initial: dict[str, object] = {}
        response = _survey_response(unit, _parse_visit(request.GET.get("kunjungan")))
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
        "honeypot": abuse.HONEYPOT_FIELD,
        "response_days": handling.Clock().policy.response_days,
    }
    return render(request, "complaints/public_form.html", context, status=status)


def _find(code: str) -> Complaint | None:
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    if len(cleaned) != CODE_LENGTH:
        return None
    return Complaint.objects.select_related("unit", "filed_at_unit").filter(code=cleaned).first()


@never_cache
@require_safe
def sent(request: HttpRequest, code: str) -> HttpResponse:
    lang = survey_language(request)
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
        complaint = _find(code)
        if complaint is not None:
            return HttpResponseRedirect(reverse("surveys:complaint_track", args=[complaint.code]))
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
