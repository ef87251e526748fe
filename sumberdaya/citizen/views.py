"""The citizen's survey at /s/<unit-code>/, its thank-you page, short QR links, kiosk mode and posters.

Flow: GET issues a form with a signed one-time token (tokens.py); POST validates, applies the abuse rules
(abuse.py, counted in the cache) and stores one Response with one INSERT, then redirects to the next step
(`next_step_url`): the thank-you page, which offers the optional SPKP/SPAK survey (sumberdaya.perception)
for the same visit.

On the comment step the citizen may ask for a tracked complaint (keluhan/pujian/saran, optionally a contact
with the consent box ticked): then the response, the complaint and its contact are stored in one
transaction (`store_with_complaint`) and the thank-you page shows the tracking code. Not on a kiosk tablet
(a shared device), and never for a honeypot hit. A submission without it stays one INSERT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache as once
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import re_accepts_gzip as ACCEPTS_GZIP
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sumberdaya.city.publication import published_index as city_published_index
from sumberdaya.city.tasks import poster_sheet_file
from sumberdaya.complaints import handling as complaint_handling
from sumberdaya.complaints.models import CODE_LENGTH, Complaint
from sumberdaya.core import gzipped
from sumberdaya.core.observability import survey_refused, survey_stored
from sumberdaya.core.retry import retry_when_unreachable
from sumberdaya.perception.survey import continue_url
from sumberdaya.reports.building import file_response
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.scoring import Band, band_for
from sumberdaya.surveys import abuse, invitations, kiosks, posters, tokens
from sumberdaya.surveys.forms import COMMENT_MAX, SurveyForm
from sumberdaya.surveys.lookups import survey_state, unit_and_services
from sumberdaya.surveys.models import Invitation, KioskTablet, Period, Response
from sumberdaya.units.models import Service, Unit

LANGUAGES = ("id", "en")
KIOSK_IDLE_SECONDS = 60
KIOSK_THANKS_SECONDS = 10
KIOSK_TOKEN_BATCH = 20


# --- helpers -------------------------------------------------------------------------------------------


def survey_language(request: HttpRequest) -> str:
    """Indonesian unless the person chose English (?lang=en, the form's lang field, or the site cookie)."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "id")
    lang = request.POST.get("lang") or request.GET.get("lang") or cookie
    lang = lang if lang in LANGUAGES else "id"
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    return lang


def active_unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, active=True).first()


def survey_url(unit: Unit, lang: str = "id", kiosk: bool = False) -> str:
    params = {k: v for k, v in (("lang", lang if lang != "id" else ""), ("kiosk", "1" if kiosk else "")) if v}
    url = reverse("surveys:survey", args=[unit.code])
    return f"{url}?{urlencode(params)}" if params else url


def next_step_url(unit: Unit, response: Response, lang: str, kiosk: bool, complaint: Complaint | None = None) -> str:
    """Where a person goes after the SKM questions: the thank-you page, which carries the visit so the
    optional SPKP/SPAK survey can continue the same visit (sumberdaya.perception), and the tracking code
    of the complaint filed with it, if any."""
    params = {"kunjungan": str(response.visit)}
    if complaint is not None:
        params["aduan"] = complaint.code
    if lang != "id":
        params["lang"] = lang
    if kiosk:
        params["kiosk"] = "1"
    return f"{reverse('surveys:thanks', args=[unit.code])}?{urlencode(params)}"


def parse_visit(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return None


@dataclass(frozen=True)
class PublishedIndex:
    period: Period
    ikm: Fraction
    band: Band


def published_index(unit: Unit) -> PublishedIndex | None:
    """The index shown on the thank-you page: the unit's IKM in the city's latest publication
    (sumberdaya.city.publication), only if the unit shows its index to respondents.

    The published figure, not a live computation: it is the number the city stands behind, and it does
    not move while late responses arrive. Change what the thank-you page shows here, and only here.
    """
    if not unit.publishes_index:
        return None
    published = city_published_index(unit)
    if published is None:
        return None
    ikm, _letter, period = published
    return PublishedIndex(period, ikm, band_for(ikm))


def _questions(form: SurveyForm) -> list[dict[str, Any]]:
    """The nine questions with translated wording and labels, the chosen value and any error."""
    questions = []
    for element in ELEMENTS:
        chosen = str(form[element.column].value() or "") if form.is_bound else ""
        questions.append(
            {
                "number": element.u,
                "name": element.column,
                "title": _(element.name),
                "question": _(element.question),
                "options": [(str(v), _(label), chosen == str(v)) for v, label in enumerate(element.labels, 1)],
                "errors": form.errors.get(element.column) if form.is_bound else None,
            }
        )
    return questions


def _error_summary(form: SurveyForm) -> list[tuple[str, str]]:
    """(anchor, message) in page order, for the list at the top that links to each problem."""
    if not form.is_bound:
        return []
    order = [
        "service",
        *[e.column for e in ELEMENTS],
        "sex",
        "age",
        "education",
        "occupation",
        "occupation_other",
        "comment_kind",
        "comment",
        "track",
        "phone",
        "email",
        "consent",
    ]
    summary = []
    for name in order:
        for message in form.errors.get(name, []):
            label = (
                _("Pertanyaan %(n)s") % {"n": name[1:]}
                if name.startswith("a") and name[1:].isdigit()
                else str(form.fields[name].label)
            )
            summary.append((f"f-{name}", f"{label}: {message}"))
    return summary


def survey_context(
    unit: Unit,
    services: list[Service],
    form: SurveyForm,
    *,
    lang: str,
    kiosk: bool,
    token: str,
    notice: str | Promise = "",
) -> dict[str, Any]:
    return {
        "unit": unit,
        "form": form,
        "services": services,
        "chosen_service": str(form["service"].value() or "") if form.is_bound else "",
        "questions": _questions(form),
        "errors": _error_summary(form),
        "token": token,
        "lang": lang,
        "kiosk": kiosk,
        "notice": notice,
        "comment_max": COMMENT_MAX,
        "honeypot": abuse.HONEYPOT_FIELD,
        "reset_url": survey_url(unit, lang, kiosk) if kiosk else "",
        "idle_seconds": KIOSK_IDLE_SECONDS,
        "other_lang_url": survey_url(unit, "en" if lang == "id" else "id", kiosk),
        # The offline layer (manifest, service worker, kiosk.js) loads only on a registered tablet.
        "kiosk_app": kiosk,
    }


def render_survey(
    request: HttpRequest,
    unit: Unit,
    services: list[Service],
    form: SurveyForm,
    *,
    lang: str,
    kiosk: bool,
    token: str,
    notice: str | Promise = "",
    status: int = 200,
) -> HttpResponse:
    context = survey_context(unit, services, form, lang=lang, kiosk=kiosk, token=token, notice=notice)
    return render(request, "surveys/survey.html", context, status=status)


TOKEN_SLOT = "@@skm-token@@"  # noqa: S105 (a placeholder, not a secret)
CSRF_SLOT = "@@skm-csrf@@"


BLANK_PAGE_SECONDS = 3600


@once
def _page_release() -> str:
    """A fingerprint of what renders the survey page (its templates and translations), so servers running
    two versions during an upgrade never serve each other's cached page."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "templates").rglob("*.html"), *(root / "locale").rglob("*.mo")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class BlankPage:
    """The empty form of a unit as cached: its text split at the per-visit slots, and those parts compressed
    once (`core.gzipped`)."""

    shown: str  # everything the page shows (templates' release, unit, services, language, kiosk)
    parts: tuple[str, ...]  # the page between the slots
    slots: tuple[str, ...]  # TOKEN_SLOT or CSRF_SLOT, one between each two parts
    compressed: tuple[bytes, ...]

    def text(self, values: dict[str, str]) -> str:
        pieces = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            pieces += [values[slot], part]
        return "".join(pieces)

    def gzipped(self, values: dict[str, str], text: str) -> bytes:
        return gzipped.join(self.compressed, [values[slot].encode() for slot in self.slots], text.encode())


_SLOTS = re.compile(f"({re.escape(TOKEN_SLOT)}|{re.escape(CSRF_SLOT)})")


def blank_page_key(code: str, lang: str, kiosk: bool) -> str:
    return f"skm:survey:page:{code[:120]}:{lang}:{int(kiosk)}"


def _blank_page(
    unit_key: tuple[Any, ...],
    service_key: tuple[tuple[int, str], ...],
    lang: str,
    kiosk: bool,
    cached: Any = None,
) -> BlankPage:
    """The empty form of a unit, rendered once for all server processes (shared cache) with slots for the
    per-visit tokens.

    Every visit gets the same page but for the one-time token and the CSRF token; rendering the 36 radio
    buttons through the template engine per request was most of the survey's CPU time. The entry (keyed
    by unit code, language and kiosk, read with the unit: `survey_state(also=…)`) holds everything the page
    shows, and counts only while that is still what it shows, so an edited unit or service list renders
    afresh. `cached`: the entry already read (None: read it here).
    """
    shown = repr((_page_release(), unit_key, service_key, lang, kiosk))
    key = blank_page_key(unit_key[1], lang, kiosk)
    if cached is None:
        cached = cache.get(key)
    # Kept as a plain tuple, which any version of this module can read back during an upgrade.
    if isinstance(cached, tuple) and len(cached) == 4 and cached[0] == shown:
        return BlankPage(*cached)
    unit = Unit(pk=unit_key[0], code=unit_key[1], name=unit_key[2])
    services = [Service(pk=pk, name=name) for pk, name in service_key]
    with translation.override(lang):
        context = survey_context(
            unit, services, SurveyForm(services=services), lang=lang, kiosk=kiosk, token=TOKEN_SLOT
        )
        context["csrf_token"] = CSRF_SLOT
        text = render_to_string("surveys/survey.html", context)
    pieces = _SLOTS.split(text)
    parts, slots = tuple(pieces[0::2]), tuple(pieces[1::2])
    page = BlankPage(shown, parts, slots, tuple(gzipped.compress_parts([p.encode() for p in parts])))
    cache.set(key, (page.shown, page.parts, page.slots, page.compressed), BLANK_PAGE_SECONDS)
    return page


def render_blank_survey(
    request: HttpRequest,
    unit: Unit,
    services: list[Service],
    *,
    lang: str,
    kiosk: bool,
    invitation: str = "",
    cached: Any = None,
) -> HttpResponse:
    """The empty form; `kiosk` only for a registered tablet (the caller checked); `invitation` a slip's code.
    `cached`: the page's cache entry, read with the unit."""
    page = _blank_page(
        (unit.pk, unit.code, unit.name), tuple((s.pk, s.name) for s in services), lang, kiosk, cached
    )
    values = {
        TOKEN_SLOT: tokens.issue(unit.code, kiosk, kiosk_device=kiosk, invitation=invitation),
        CSRF_SLOT: get_token(request),
    }
    text = page.text(values)
    if not ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
        return HttpResponse(text)
    # Compressed here from the parts compressed once; GZipMiddleware leaves an encoded response alone.
    response = HttpResponse(page.gzipped(values, text))
    response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def render_not_found(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "surveys/not_found.html", {"lang": lang}, status=404)


# --- the survey ----------------------------------------------------------------------------------------


@never_cache  # every visit needs its own one-time token
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    lang = survey_language(request)
    if request.method != "POST":
        return _survey(request, code, lang)
    try:
        return _survey(request, code, lang)
    except DATABASE_UNAVAILABLE:
        # Still unreachable after the retries. Nothing was stored (the transaction never committed) and the
        # one-time token is still unused, so sending the same form again is safe: keep every answer on the
        # page for that one tap.
        return render_unsaved(request, code, lang)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
UNSAVED_NOTICE = _lazy(
    "Jawaban Anda belum tersimpan: server sedang sibuk sebentar. Semua jawaban masih ada di halaman ini; "
    "tekan Kirim sekali lagi dalam beberapa saat."
)


def render_unsaved(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    """The survey as it was posted, with "belum tersimpan" on top (503); styled even when nothing is known."""
    try:
        unit, services = unit_and_services(code)  # usually still cached in this process
    except DATABASE_UNAVAILABLE:
        unit, services = None, []
    if unit is None:
        # No unit to draw the questions with: keep the posted answers as hidden fields behind one button.
        posted = request.POST.lists()
        fields = [(key, value) for key, values in posted if key != "csrfmiddlewaretoken" for value in values]
        context = {"lang": lang, "fields": fields, "action": request.path, "notice": UNSAVED_NOTICE}
        response = render(request, "surveys/unsaved.html", context, status=503)
    else:
        form = SurveyForm(request.POST, services=services)
        form.is_valid()
        response = render_survey(
            request,
            unit,
            services,
            form,
            lang=lang,
            kiosk=request.POST.get("kiosk") == "1",
            token=request.POST.get("token", ""),
            notice=UNSAVED_NOTICE,
            status=503,
        )
    response["Retry-After"] = "10"
    return response


@retry_when_unreachable()  # a database or Redis restart: wait for it (the token makes a second run harmless)
def _survey(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    # A plain GET also reads its cached blank page in the same round trip.
    plain = request.method != "POST" and not request.GET
    page_key = blank_page_key(code, lang, False) if plain else None
    (unit, services), (is_open, next_period), cached = survey_state(code, timezone.localdate(), also=page_key)
    if unit is None:
        return render_not_found(request, lang)
    if not is_open:
        return render(request, "surveys/closed.html", {"unit": unit, "lang": lang, "next_period": next_period})
    if request.method != "POST":
        kiosk = request.GET.get("kiosk") == "1" and kiosks.is_kiosk_device(request, unit)
        if "undangan" in request.GET:
            return open_slip(request, unit, services, lang=lang, kiosk=kiosk)
        return render_blank_survey(request, unit, services, lang=lang, kiosk=kiosk, cached=cached)
    return submit(request, unit, services, lang)


def _slip_services(invitation: Invitation, services: list[Service]) -> list[Service]:
    """A slip issued for one service opens the form for that service only."""
    return [s for s in services if s.pk == invitation.service_id] or services


def render_slip_used(request: HttpRequest, unit: Unit, lang: str) -> HttpResponse:
    return render(request, "surveys/invitation_used.html", {"unit": unit, "lang": lang}, status=409)


def open_slip(request: HttpRequest, unit: Unit, services: list[Service], *, lang: str, kiosk: bool) -> HttpResponse:
    invitation = invitations.open_invitation(request.GET.get("undangan", ""))
    if invitation is None or invitation.unit_id != unit.pk:
        return render(request, "surveys/invitation_unknown.html", {"unit": unit, "lang": lang}, status=404)
    if invitation.response_id is not None:
        return render_slip_used(request, unit, lang)
    return render_blank_survey(
        request, unit, _slip_services(invitation, services), lang=lang, kiosk=kiosk, invitation=invitation.code
    )


@require_safe
def invitation(request: HttpRequest, code: str) -> HttpResponse:
    """/u/<CODE>: the short link an invitation slip's QR carries."""
    lang = survey_language(request)
    found = invitations.open_invitation(code)
    if found is None or not found.unit.active:
        return render(request, "surveys/invitation_unknown.html", {"lang": lang}, status=404)
    return HttpResponseRedirect(f"{reverse('surveys:survey', args=[found.unit.code])}?undangan={found.code}")


TABLET_REVOKED = _lazy(
    "Tablet ini tidak terdaftar lagi sebagai kios unit. Jawaban Anda masih ada di bawah: tekan Kirim untuk "
    "mengirimnya sebagai survei biasa, atau minta petugas mendaftarkan tablet ini lagi."
)


def submit(request: HttpRequest, unit: Unit, services: list[Service], lang: str) -> HttpResponse:
    form = SurveyForm(request.POST, services=services)
    kiosk_hint = request.POST.get("kiosk") == "1" and kiosks.is_kiosk_device(request, unit)
    raw_token = request.POST.get("token", "")
    token = tokens.check(raw_token, unit.code)
    tablet = kiosks.tablet_of(request, unit) if not isinstance(token, tokens.TokenProblem) and token.kiosk else None
    if not isinstance(token, tokens.TokenProblem) and token.kiosk and tablet is None and not tokens.used(token):
        # Revoked (or the cookie is gone): the kiosk's channel and limits end with the registration.
        token = tokens.TokenProblem(TABLET_REVOKED, 403, "tablet_revoked")
        kiosk_hint = False
    if isinstance(token, tokens.TokenProblem):
        survey_refused(token.reason, unit.code)
        form.is_valid()
        return render_survey(
            request,
            unit,
            services,
            form,
            lang=lang,
            kiosk=kiosk_hint,
            token=tokens.issue(unit.code, kiosk_hint, kiosk_device=kiosk_hint),
            notice=token.notice,
            status=token.status,
        )
    if token.invitation:
        slip = invitations.open_invitation(token.invitation)
        if slip is not None and slip.response_id is not None and not tokens.used(token):
            return render_slip_used(request, unit, lang)
        if slip is not None:
            services = _slip_services(slip, services)
            form = SurveyForm(request.POST, services=services)
    # A token already used means this form was stored: a double tap, a refresh, a retry. (On the happy
    # path the unique token column decides, in store(), saving a query per submission.)
    if not form.is_valid():
        if tokens.used(token):
            survey_refused("already_stored", unit.code)
            return render_already(request, unit, lang, token)
        survey_refused("answers_incomplete", unit.code)
        return render_survey(request, unit, services, form, lang=lang, kiosk=token.kiosk, token=raw_token)
    client = tablet.client_key if tablet else abuse.client_id(request)
    # A tracked complaint only from a person's own device, never from a honeypot hit.
    wants_complaint = form.tracked() and not token.kiosk and not form.honeypot_filled()
    complaint = None
    try:
        # The rate limit is counted with the burst rules, in the same round trip to the cache.
        if wants_complaint:
            response, complaint = store_with_complaint(form, unit, token, client)
        else:
            response = store(form, unit, token, client, limited=True)
    except abuse.OverLimit:
        if tokens.used(token):
            survey_refused("already_stored", unit.code)
            return render_already(request, unit, lang, token)
        survey_refused("rate_limited", unit.code)
        return render_survey(
            request,
            unit,
            services,
            form,
            lang=lang,
            kiosk=token.kiosk,
            token=raw_token,
            notice=abuse.OVER_LIMIT_NOTICE,
            status=429,
        )
    if response is None:  # the same form arrived twice at the same moment: the other one was stored
        abuse.give_back_submission(client, token.kiosk_device)
        survey_refused("already_stored", unit.code)
        return render_already(request, unit, lang, token)
    survey_stored(response.instrument, response.channel, unit.code)
    return HttpResponseRedirect(next_step_url(unit, response, lang, token.kiosk, complaint))


def store_with_complaint(
    form: SurveyForm, unit: Unit, token: tokens.FormToken, client: str
) -> tuple[Response | None, Complaint | None]:
    """The response, the complaint made of its comment and the contact (with consent), all or nothing.

    (None, None) when the token was already used: the other form stored the response and its complaint.
    """
    data = form.cleaned_data
    with transaction.atomic():
        response = store(form, unit, token, client, limited=True)  # a savepoint inside this transaction
        if response is None:
            return None, None
        complaint = complaint_handling.file_complaint(
            unit=unit,
            kind=response.comment_kind,
            text=response.comment,
            client=client,
            service=next((s for s in form.services if s.pk == response.service_id), None),
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            consent=bool(data.get("consent")),
            response=response,
        )
    return response, complaint


def render_already(request: HttpRequest, unit: Unit, lang: str, token: tokens.FormToken) -> HttpResponse:
    """The thank-you page for a form stored before (a double tap, a retry), with its complaint's code if any."""
    complaint = None
    if not token.kiosk:
        complaint = Complaint.objects.filter(response__visit=token.visit, response__unit=unit).first()
    return render_thanks(request, unit, lang, token.kiosk, already=True, complaint=complaint)


def store(
    form: SurveyForm,
    unit: Unit,
    token: tokens.FormToken,
    client: str,
    *,
    answered_at: dt.datetime | None = None,
    flags: Sequence[str] = (),
    limited: bool = False,
) -> Response | None:
    """Save one response (one INSERT, in a transaction only with a slip or a honeypot hit); None when the token
    was already used.

    `answered_at`: when the citizen answered (a tablet's queued answer), else now; `flags` are added to
    the burst rules' flags (a tablet's clock skew). `limited`: count it against the client's rate limit
    first (`abuse.OverLimit` when over it, nothing stored).
    """
    now = answered_at or timezone.now()
    data = form.cleaned_data
    answers = form.answers()
    response = Response(
        instrument=Response.Instrument.SKM,
        unit=unit,
        service_id=data.get("service"),
        submitted_at=now,
        channel=Response.Channel.KIOSK if token.kiosk else Response.Channel.ONLINE,
        visit=token.visit,
        token=token.token,
        client=client,
        sex=data.get("sex") or "",
        age=data.get("age"),
        education=data.get("education") or "",
        occupation=data.get("occupation") or "",
        occupation_other=(data.get("occupation_other") or "").strip() if data.get("occupation") == "Lainnya" else "",
        comment=(data.get("comment") or "").strip(),
        comment_kind=data.get("comment_kind") or "",
    )
    for element, value in zip(ELEMENTS, answers, strict=True):
        setattr(response, element.column, value)
    honeypot = form.honeypot_filled()
    try:
        if token.invitation or honeypot or connection.in_atomic_block:
            # The slip's claim (or the honeypot's audit event) commits with the response, or neither does;
            # inside a caller's transaction (tests) the savepoint keeps a duplicate token from breaking it.
            with transaction.atomic():
                abuse.save_checked(
                    response, honeypot=honeypot, kiosk_device=token.kiosk_device, extra_flags=flags, limited=limited
                )
                if token.invitation and not invitations.claim(token.invitation, response):
                    raise SlipAlreadyUsed  # another form of the same slip won the race: store nothing
        else:
            # The usual case: one round trip, the INSERT alone in autocommit (the tally triggers run inside it).
            abuse.save_checked(
                response, honeypot=False, kiosk_device=token.kiosk_device, extra_flags=flags, limited=limited
            )
    except SlipAlreadyUsed:
        return None
    except IntegrityError:
        if tokens.used(token):
            return None
        raise
    return response


class SlipAlreadyUsed(Exception):
    """Rolls back a response whose invitation slip was claimed by another form meanwhile."""


def render_thanks(
    request: HttpRequest,
    unit: Unit,
    lang: str,
    kiosk: bool,
    already: bool = False,
    visit: uuid.UUID | None = None,
    complaint: Complaint | None = None,
) -> HttpResponse:
    # The optional perception survey (SPKP/SPAK) continues the visit just completed, when it is open.
    perception = continue_url(unit, visit, kiosk) if visit else None
    context = {
        "unit": unit,
        "lang": lang,
        "kiosk": kiosk,
        "already": already,
        "published": published_index(unit),
        "again_url": survey_url(unit, lang, kiosk),
        "reset_url": survey_url(unit, lang, kiosk) if kiosk else "",
        "idle_seconds": KIOSK_IDLE_SECONDS,
        # A kiosk waits longer when the person may go on to the perception survey.
        "refresh_seconds": KIOSK_IDLE_SECONDS if perception else KIOSK_THANKS_SECONDS,
        "perception_url": perception,
        # The complaint filed on the comment step (its tracking code), or else the offer to make the comment a
        # tracked complaint (sumberdaya.complaints); neither on a shared kiosk tablet.
        "complaint": complaint,
        "complaint_url": "" if kiosk or complaint is not None else complaint_url(unit, visit),
    }
    return render(request, "surveys/thanks.html", context)


def complaint_url(unit: Unit, visit: uuid.UUID | None) -> str:
    url = reverse("surveys:complaint", args=[unit.code])
    return f"{url}?{urlencode({'kunjungan': str(visit)})}" if visit else url


@never_cache
@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    lang = survey_language(request)
    unit = active_unit(code)
    if unit is None:
        return render_not_found(request, lang)
    kiosk = request.GET.get("kiosk") == "1"
    visit = parse_visit(request.GET.get("kunjungan"))
    complaint = None if kiosk else complaint_of_visit(unit, visit, request.GET.get("aduan", ""))
    return render_thanks(request, unit, lang, kiosk, visit=visit, complaint=complaint)


def complaint_of_visit(unit: Unit, visit: uuid.UUID | None, code: str) -> Complaint | None:
    """The complaint filed with this visit's survey, named by its code in the address (one query, only then)."""
    code = code.strip().upper()
    if visit is None or len(code) != CODE_LENGTH or not code.isalnum():
        return None
    return Complaint.objects.filter(code=code, response__visit=visit, response__unit=unit).first()


# --- short links and kiosk -----------------------------------------------------------------------------


def short_link(request: HttpRequest, number: int) -> HttpResponse:
    """/k/<number>: the short, printable link a QR poster carries (the unit's id)."""
    unit = Unit.objects.filter(pk=number, active=True).first()
    if unit is None:
        return render_not_found(request, survey_language(request))
    return HttpResponseRedirect(reverse("surveys:survey", args=[unit.code]))


def kiosk_url(tablet: KioskTablet) -> str:
    """The link an operator opens once on the counter's tablet."""
    return kiosks.path(tablet)


def kiosk(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """/kios/<code>/<key>/: remembers this tablet (a signed cookie), then opens the survey in kiosk mode.

    Only a registered tablet gets kiosk mode, the channel "kiosk" and the kiosk's abuse rules (its own
    rate limit, no same-device flag): /s/<code>/?kiosk=1 on a phone is the ordinary survey.
    """
    unit = active_unit(code)
    tablet = kiosks.find(unit, key) if unit is not None else None
    if unit is None or tablet is None:
        return render_not_found(request, survey_language(request))
    response = HttpResponseRedirect(survey_url(unit, kiosk=True))
    kiosks.remember(response, request, tablet)
    return response


def _kiosk_reply(result: str, message: str | Promise = "", status: int = 200, **extra: Any) -> JsonResponse:
    return JsonResponse({"result": result, "message": str(message), **extra}, status=status)


@never_cache
@require_safe
def kiosk_tokens(request: HttpRequest, code: str) -> HttpResponse:
    """A batch of one-time form tokens, so a tablet can start new questionnaires while offline."""
    unit = active_unit(code)
    if unit is None or not kiosks.is_kiosk_device(request, unit):
        return _kiosk_reply("refused", kiosks.NOT_A_TABLET, 403)
    batch = [tokens.issue(unit.code, True, kiosk_device=True) for _i in range(KIOSK_TOKEN_BATCH)]
    return JsonResponse({"tokens": batch, "issued": int(timezone.now().timestamp() * 1000)})


@never_cache
@require_POST
def kiosk_send(request: HttpRequest, code: str) -> HttpResponse:
    """A questionnaire a tablet kept while offline (kiosk.js), as JSON: stored, already, refused or retry.

    The one-time token makes a resend store nothing twice; the answered time comes from the tablet, in
    the bounds of kiosks.answered_time(), and must fall in a period still open for input.
    """
    lang = survey_language(request)
    unit, services = unit_and_services(code)
    if unit is None:
        return _kiosk_reply("refused", _("Unit tidak ditemukan."), 404)
    tablet = kiosks.tablet_of(request, unit)
    if tablet is None:
        return _kiosk_reply("refused", kiosks.NOT_A_TABLET, 403)
    token = tokens.check(request.POST.get("token", ""), unit.code)
    if isinstance(token, tokens.TokenProblem) or not token.kiosk:
        return _kiosk_reply("refused", _("Formulir tidak dikenali atau sudah kedaluwarsa."), 400)
    if tokens.used(token):
        return _kiosk_reply("already")
    form = SurveyForm(request.POST, services=services)
    if not form.is_valid():
        return _kiosk_reply("refused", _("Jawaban belum lengkap."), 400, errors=list(form.errors))
    now = timezone.now()
    answered, flags = kiosks.answered_time(request.POST, token, now)
    if not kiosks.period_allows(answered, now):
        return _kiosk_reply("refused", kiosks.OUTSIDE_PERIOD, 400)
    if not abuse.take_submission(tablet.client_key, True):
        return _kiosk_reply("retry", abuse.OVER_LIMIT_NOTICE, 429)
    response = store(form, unit, token, tablet.client_key, answered_at=answered, flags=flags)
    if response is None:
        abuse.give_back_submission(tablet.client_key, True)
        return _kiosk_reply("already")
    return _kiosk_reply("stored", next=next_step_url(unit, response, lang, True))


@require_safe
def kiosk_manifest(request: HttpRequest, code: str) -> HttpResponse:
    """The web app manifest that makes the kiosk installable (full screen, starting at the kiosk form)."""
    unit = active_unit(code)
    if unit is None:
        return render_not_found(request, survey_language(request))
    return JsonResponse(kiosks.manifest(unit), content_type="application/manifest+json")


@require_safe
def kiosk_worker(request: HttpRequest, code: str) -> HttpResponse:
    """The kiosk's service worker, served under /s/<code>/ so its scope is the unit's survey."""
    unit = active_unit(code)
    if unit is None:
        return render_not_found(request, survey_language(request))
    response = render(
        request,
        "surveys/kiosk-sw.js",
        {"page_url": survey_url(unit, kiosk=True), "version": kiosks.worker_version()},
        content_type="text/javascript",
    )
    response["Cache-Control"] = "no-cache"  # a new worker reaches tablets on their next check
    return response


# --- posters (signed-in staff) -------------------------------------------------------------------------


def _viewable_unit(request: HttpRequest, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not request.user.can_view_unit(unit):  # type: ignore[union-attr]
        raise Http404(_("Unit tidak ditemukan."))
    return unit


@login_required
def poster_pdf(request: HttpRequest, code: str) -> HttpResponse:
    unit = _viewable_unit(request, code)
    response = HttpResponse(posters.poster_pdf([unit]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{unit.code}.pdf"'
    return response


@login_required
def poster_png(request: HttpRequest, code: str) -> HttpResponse:
    unit = _viewable_unit(request, code)
    response = HttpResponse(posters.poster_png(unit), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="poster-skm-{unit.code}.png"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def poster_sheet(request: HttpRequest) -> HttpResponse:
    """Every active unit's poster in one PDF, for the city admin to print: built by the worker, reused while
    the units and the public address stay the same; the page shows progress until the file downloads."""
    if not request.user.is_city_admin:  # type: ignore[union-attr]
        raise PermissionDenied
    built = poster_sheet_file(retry=request.method == "POST")
    if request.method == "POST":  # "Buat ulang" after a failure
        return HttpResponseRedirect(request.path)
    return file_response(
        request, built, "poster-skm-semua-unit.pdf", "application/pdf", _("Poster QR semua unit (PDF)")
    )
