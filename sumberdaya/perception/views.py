"""Pages of the Zona Integritas perception surveys.

Citizens: /zi/s/<unit>/ (SPKP + SPAK on one page, optionally continuing an SKM visit) and its thank-you
page. Staff: a unit's indices, the city's list, their Excel exports, and the city admin's setting per
period. Views stay thin: the logic is in survey.py, recap.py and exports.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.permissions import all_units_required, get_unit_for, require_city_admin
from sumberdaya.perception import exports
from sumberdaya.perception.forms import CONTROL_CHOICES, PerceptionForm, SettingForm, field_name
from sumberdaya.perception.models import PerceptionSetting, setting_for
from sumberdaya.perception.recap import city_perception, perception_results, scale_counts, unit_perception
from sumberdaya.perception.survey import linked_visit, open_setting, store
from sumberdaya.skm.instruments import CONVERSION_FORMULA, INSTRUMENTS, MINIMUM_RESPONDENTS, SCALE_LABELS
from sumberdaya.surveys import abuse, kiosks, tokens
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import calendar_order, chosen_period
from sumberdaya.units.models import Unit

KIOSK_THANKS_SECONDS = 10
KIOSK_IDLE_SECONDS = 90  # longer than the SKM's 60: fourteen statements to read


# --- citizens ------------------------------------------------------------------------------------------


def _skm_url(unit: Unit, kiosk: bool) -> str:
    """The SKM form, where a kiosk returns for the next person."""
    url = reverse("surveys:survey", args=[unit.code])
    return f"{url}?{urlencode({'kiosk': '1'})}" if kiosk else url


def _sections(form: PerceptionForm) -> list[dict[str, Any]]:
    """Both instruments' statements with their options, the chosen value and any error."""
    sections = []
    for instrument in INSTRUMENTS.values():
        scale = form.scales[instrument.code]
        labels = SCALE_LABELS[scale]
        items = []
        for item in instrument.items:
            name = field_name(instrument, item)
            chosen = str(form[name].value() or "") if form.is_bound else ""
            items.append(
                {
                    "name": name,
                    "number": item.number,
                    "statement": item.statement,
                    "options": [(str(v), label, chosen == str(v)) for v, label in enumerate(labels, 1)],
                    "errors": form.errors.get(name) if form.is_bound else None,
                }
            )
        sections.append({"instrument": instrument, "scale": scale, "items": items})
    return sections


def _error_summary(form: PerceptionForm) -> list[tuple[str, str]]:
    """(anchor, message) in page order, each named, for the list at the top that links to each problem."""
    named = [
        (field_name(instrument, item), f"{instrument.name} · " + _("pernyataan %(n)d") % {"n": item.number})
        for instrument in INSTRUMENTS.values()
        for item in instrument.items
    ]
    named.append(("control", _("Pertanyaan kontrol")))
    return [(f"f-{name}", f"{label}: {message}") for name, label in named for message in form.errors.get(name, [])]


def _render_survey(
    request: HttpRequest,
    unit: Unit,
    form: PerceptionForm,
    *,
    kiosk: bool,
    token: str,
    notice: str | Promise = "",
    status: int = 200,
) -> HttpResponse:
    chosen_control = str(form["control"].value() or "") if form.is_bound else ""
    errors = _error_summary(form) if form.is_bound else []
    context = {
        "unit": unit,
        "sections": _sections(form),
        "control_question": INSTRUMENTS["spak"].control_question,
        "control_options": [(v, label, chosen_control == v) for v, label in CONTROL_CHOICES],
        "control_errors": form.errors.get("control") if form.is_bound else None,
        "errors": errors,
        "token": token,
        "kiosk": kiosk,
        "notice": notice,
        "honeypot": abuse.HONEYPOT_FIELD,
        "lang": "id",
        # Kiosk: the shared tablet returns to the SKM start when idle (the survey's script) or on "Lewati".
        "reset_url": _skm_url(unit, True) if kiosk else "",
        "idle_seconds": KIOSK_IDLE_SECONDS,
    }
    return render(request, "perception/survey.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        return render(request, "perception/closed.html", {"missing": True}, status=404)
    setting = open_setting(timezone.localdate())
    if setting is None:
        return render(request, "perception/closed.html", {"unit": unit})
    scales = {code: setting.scale_for(code) for code in INSTRUMENTS}
    if request.method != "POST":
        kiosk = request.GET.get("kiosk") == "1"
        visit = linked_visit(unit, request.GET.get("kunjungan"))
        return _render_survey(
            request,
            unit,
            PerceptionForm(scales=scales),
            kiosk=kiosk,
            token=tokens.issue(unit.code, kiosk, visit, kiosk_device=kiosk and kiosks.is_kiosk_device(request, unit)),
        )

    form = PerceptionForm(request.POST, scales=scales)
    kiosk_hint = request.POST.get("kiosk") == "1"
    raw_token = request.POST.get("token", "")
    token = tokens.check(raw_token, unit.code)
    if isinstance(token, tokens.TokenProblem):
        form.is_valid()
        return _render_survey(
            request,
            unit,
            form,
            kiosk=kiosk_hint,
            token=tokens.issue(
                unit.code, kiosk_hint, kiosk_device=kiosk_hint and kiosks.is_kiosk_device(request, unit)
            ),
            notice=token.notice,
            status=token.status,
        )
    if tokens.used(token):
        return _render_thanks(request, unit, token.kiosk, already=True)
    if not form.is_valid():
        return _render_survey(request, unit, form, kiosk=token.kiosk, token=raw_token)
    tablet = kiosks.tablet_of(request, unit) if token.kiosk else None
    if token.kiosk and tablet is None:  # the tablet was revoked: its channel and limits end with it
        return _render_survey(
            request, unit, form, kiosk=False, token=tokens.issue(unit.code), notice=kiosks.NOT_A_TABLET, status=403
        )
    client = tablet.client_key if tablet else abuse.client_id(request)
    if not abuse.take_submission(client, token.kiosk_device):
        return _render_survey(
            request, unit, form, kiosk=token.kiosk, token=raw_token, notice=abuse.OVER_LIMIT_NOTICE, status=429
        )
    if not store(form, unit, token, client, setting):
        abuse.give_back_submission(client, token.kiosk_device)
        return _render_thanks(request, unit, token.kiosk, already=True)
    url = reverse("perception:thanks", args=[unit.code])
    return HttpResponseRedirect(f"{url}?kiosk=1" if token.kiosk else url)


def _render_thanks(request: HttpRequest, unit: Unit, kiosk: bool, already: bool = False) -> HttpResponse:
    context = {
        "unit": unit,
        "kiosk": kiosk,
        "already": already,
        "again_url": _skm_url(unit, kiosk),
        "refresh_seconds": KIOSK_THANKS_SECONDS,
        "lang": "id",
    }
    return render(request, "perception/thanks.html", context)


@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        return render(request, "perception/closed.html", {"missing": True}, status=404)
    return _render_thanks(request, unit, request.GET.get("kiosk") == "1")


# --- staff ---------------------------------------------------------------------------------------------


def _period_context(request: HttpRequest, period: Period) -> dict[str, Any]:
    return {
        "period": period,
        "periods": calendar_order(),
        "formula": CONVERSION_FORMULA,
        "minimum": MINIMUM_RESPONDENTS,
        "setting": setting_for(period),
        "query": urlencode({"periode": period.slug}),
    }


@login_required
def unit_indices(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = chosen_period(request)
    results = [unit_perception(unit, period, code) for code in INSTRUMENTS]
    return render(
        request,
        "perception/unit.html",
        {"unit": unit, "results": results, **_period_context(request, period)},
    )


@login_required
def unit_excel(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = chosen_period(request)
    return exports.xlsx_response(exports.unit_workbook(unit, period), f"zi-{unit.code}-{period.slug}.xlsx")


@all_units_required
def city_indices(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    units = list(Unit.objects.filter(active=True))
    by_instrument = {code: perception_results(period, code, units=units) for code in INSTRUMENTS}
    rows = [
        {"unit": unit, "spkp": by_instrument["spkp"][i], "spak": by_instrument["spak"][i]}
        for i, unit in enumerate(units)
    ]
    city = {code: city_perception(results) for code, results in by_instrument.items()}
    context = {"rows": rows, "city": city, "instruments": INSTRUMENTS, **_period_context(request, period)}
    return render(request, "perception/city.html", context)


@all_units_required
def city_excel(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    return exports.xlsx_response(exports.city_workbook(period), f"zi-kota-{period.slug}.xlsx")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The city admin chooses, per period, the scales, whether steered SPAK answers count, and opening."""
    require_city_admin(request)
    period = chosen_period(request)
    setting = setting_for(period)
    before = snapshot(setting) if setting.pk else None
    form = SettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved: PerceptionSetting = form.save()
            record(request.user, "perception.setting", saved, before=before, after=snapshot(saved))
        messages.success(request, _("Pengaturan survei persepsi %(period)s disimpan.") % {"period": period.name})
        url = reverse("perception:settings")
        return HttpResponseRedirect(f"{url}?{urlencode({'periode': period.slug})}")
    stored = [
        (INSTRUMENTS[code].name, scale, n)
        for code, by_scale in scale_counts(period).items()
        for scale, n in by_scale.items()
    ]
    context = {"form": form, "stored": stored, **_period_context(request, period)}
    return render(request, "perception/settings.html", context)
